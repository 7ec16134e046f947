"""Persons: contacts and evacuees. Who they are lives in the vault, never in the journal."""
