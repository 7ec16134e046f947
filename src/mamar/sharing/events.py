"""The one event that changes who may see a record."""

from __future__ import annotations

from mamar.domain.text import Prose
from mamar.domain.visibility import Visibility
from mamar.journal.registry import EventData, event_type


@event_type
class AccessChanged(EventData):
    """A record's compartment and share list, as they are from now on."""

    type_name = "access.changed"

    visibility: Visibility
    shared_with: tuple[str, ...] = ()
    reason: Prose | None = None
