export const value = "loaded lazily";
