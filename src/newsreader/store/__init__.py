"""The SQLite store: schema, rows, search, stories and related articles."""
