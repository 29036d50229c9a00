"""Store: records → SQLite (schema, writes, derived tables)."""
