"""Negotiation: issues on the agenda, proposals and counter-proposals, positions."""
