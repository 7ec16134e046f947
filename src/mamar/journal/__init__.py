"""The journal: append-only, hash-chained, attributed events; the source of truth."""
