"""Accounts: who records what, with which role, for which party."""
