"""Audit: sensitive reads (of the vault) recorded in the journal like any other event."""
