"""Mamar: coordination and evidence record for negotiated ceasefires and evacuations."""

__version__ = "0.1.0"
