"""Shared value types of the domain: times with precision, visibility, ids, errors.

Nothing in ``mamar.domain`` or the feature models imports a web framework or a
database library: commands are validated against state and yield events, and
applying an event to a state never fails.
"""
