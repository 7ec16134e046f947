"""Contacts: calls, messages and meetings, scheduled and logged."""
