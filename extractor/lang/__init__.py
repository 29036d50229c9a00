"""Vietnamese language helpers: numbers, dates (no document model, no I/O)."""
