export const suffix = "sibling";
