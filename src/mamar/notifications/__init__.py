"""Notifications: notice of a movement given to parties, and their acknowledgements.

A notification informs; it is not a request for permission. An acknowledgement
records that a party received the notice, not that it agreed to anything.
"""
