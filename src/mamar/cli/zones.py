"""The one time zone the command line shows a reader's times in."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Connection

from mamar import reads
from mamar.domain.model import Actor

GREENWICH = "UTC"


def reading_zone(conn: Connection, viewer: Actor, operations: Iterable[str | None] = ()) -> str:
    """The zone of the operations ``operations`` names (those of the records read); when
    they name none (an organisation, an account), the zone every operation the reader may
    see shares. Records of operations in different zones are read in Greenwich time: one
    zone for every line, so that times can be compared at a glance (each still says it)."""
    zones = {
        state.id: str(getattr(state, "timezone", None) or GREENWICH)
        for state in reads.visible_states(conn, viewer=viewer, operation=None, kinds=["operation"])
    }
    named = {zones[op] for op in operations if op in zones}
    found = named or set(zones.values())
    return found.pop() if len(found) == 1 else GREENWICH
