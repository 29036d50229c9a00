"""Vietnamese language helpers: numbers, dates, OCR diacritic repair (no document model)."""
