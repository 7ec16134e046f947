"""Escalations: a problem raised with a party, the responses, how long they took, the outcome."""
