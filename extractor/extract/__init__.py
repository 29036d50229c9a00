"""Extract: a prepared Document → records (citations, figures, footnote lists, tables, localities, indicators).

Pure functions over the document model: no SQL, no file system."""
