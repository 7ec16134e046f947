"""Guarantees: who guaranteed what to whom, through which channel, and whether it held."""
