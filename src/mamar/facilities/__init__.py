"""Receiving facilities: the hospitals and field posts wounded are handed to, and their capacity."""
