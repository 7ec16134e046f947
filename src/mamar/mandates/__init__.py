"""Mandates: who may negotiate for whom, on what, and for how long."""
