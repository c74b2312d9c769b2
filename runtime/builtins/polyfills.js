// Placeholder: filled in by the Web APIs work (issue 3).
