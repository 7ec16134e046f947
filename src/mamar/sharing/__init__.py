"""Sharing: who besides its owner may see a record, changed only by a journalled event.

Every record kind of an operation has a ``<kind>.share`` command (generated for
each, see :func:`mamar.sharing.commands.register_share_commands`): the owning
organisation sets the record's compartment and the organisations it shares it
with, with a reason. Nothing widens or narrows access silently.
"""
