"""Database access: engine set-up, table definitions, migrations."""
