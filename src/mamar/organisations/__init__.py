"""Organisations: who runs an operation together without trusting each other.

Every account belongs to one organisation and every record is owned by the
organisation whose account recorded it (see :mod:`mamar.access`).
"""
