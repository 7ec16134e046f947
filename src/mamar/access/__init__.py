"""The one door: every access decision of every surface is made here.

- :mod:`.viewer`: the :class:`~.viewer.Viewer` (an account's organisation, role and
  compartments) through which every read of states, events and history goes, and
  which redacts what the viewer may not see;
- :mod:`.commands`: whether a viewer may carry out a command on a record;
- :mod:`.rules`: the rule of every route (who may call it, with which token scope);
- :mod:`.door`: identifying the caller (session cookie or bearer token) and
  enforcing a route's rule, CSRF included, for the API, the pages and live streams;
- :mod:`.cursors`: the opaque, per-viewer cursors every surface hands out instead of
  journal positions.

A surface asks; it never checks a role, a scope or a compartment itself.
"""

from mamar.access.viewer import Viewer, viewer_of

__all__ = ["Viewer", "viewer_of"]
