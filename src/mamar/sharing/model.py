"""Applying an access change to any record's state (the projector calls this for
``access.changed`` events, whatever the record's kind)."""

from __future__ import annotations

from typing import TypeVar

from mamar.domain.model import EntityState, EventMeta
from mamar.sharing.events import AccessChanged

S = TypeVar("S", bound=EntityState)


def with_access(state: S, event: AccessChanged, meta: EventMeta) -> S:
    return state.model_copy(
        update={
            "visibility": event.visibility,
            "shared_with": tuple(event.shared_with),
            "updated_at": meta.occurred_at,
        }
    )
