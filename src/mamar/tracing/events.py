"""Events of a tracing request: only references, the link asked for, and the outcome."""

from __future__ import annotations

from enum import StrEnum
from typing import ClassVar

from mamar.domain.text import Name
from mamar.journal.registry import EventData, event_type


class TracingStatus(StrEnum):
    OPEN = "open"
    REUNIFIED = "reunified"
    CLOSED = "closed"


@event_type
class MissingReported(EventData):
    """A relative reports someone missing: both in the vault, never here."""

    type_name = "tracing.reported"

    sought_ref: str | None = None
    relative_ref: str | None = None
    child: bool = False  # the one sought is a child (tracing children comes first)


@event_type
class Reunified(EventData):
    """The one sought was found on a manifest (vehicle and number) and met their relative."""

    type_name = "tracing.reunified"

    vehicle: str
    number: int
    place: str | None = None


@event_type
class TracingClosed(EventData):
    type_name = "tracing.closed"

    reason: Name


@event_type
class TracingErased(EventData):
    """Both personal records erased (crypto-shredding); one event per record."""

    type_name = "tracing.erased"
    erases_vault_ref: ClassVar[bool] = True

    vault_ref: str | None = None
    reason: str = "request"
