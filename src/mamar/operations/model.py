"""Operation events, state and commands."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, ClassVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import AfterValidator, Field
from pydantic_core import PydanticCustomError

from mamar.domain.errors import DomainError
from mamar.domain.ids import EntityId, new_record_id
from mamar.domain.model import (
    Command,
    Context,
    EntityState,
    EventMeta,
    aggregate,
    base_fields,
    decides,
    touched,
)
from mamar.domain.text import LocalName, Prose
from mamar.domain.time import TimeBounds
from mamar.domain.visibility import Role, Visibility
from mamar.journal.registry import EventData, event_type


def _zone(value: str) -> str:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError, OSError):  # OSError: a name too long for a file
        raise PydanticCustomError(
            "timezone_unknown",
            "unknown time zone '{value}' (use an IANA name like Asia/Damascus)",
            {"value": value},
        ) from None
    return value


TimeZoneName = Annotated[str, AfterValidator(_zone)]


class OperationStatus(StrEnum):
    OPEN = "open"
    CLOSED = "closed"


@event_type
class OperationOpened(EventData):
    type_name = "operation.opened"

    name: LocalName
    timezone: TimeZoneName
    description: Prose | None = None
    area: str | None = None  # a place id
    # When its events may be said to have happened (None: the defaults of TimeBounds).
    time_bounds: TimeBounds | None = None


@event_type
class OperationTimeBoundsSet(EventData):
    type_name = "operation.time_bounds_set"

    time_bounds: TimeBounds


@event_type
class OperationRetentionSet(EventData):
    """How long personal data of this operation's people is kept (None: until erased)."""

    type_name = "operation.retention_set"

    days: int | None = None


@event_type
class OperationClosed(EventData):
    type_name = "operation.closed"

    summary: Prose | None = None


class OperationState(EntityState):
    name: LocalName
    timezone: str
    description: Prose | None = None
    area: str | None = None
    status: OperationStatus = OperationStatus.OPEN
    time_bounds: TimeBounds | None = None
    retention_days: int | None = None


@aggregate("operation", OperationState)
def evolve(state: OperationState | None, event: EventData, meta: EventMeta) -> OperationState:
    if isinstance(event, OperationOpened):
        return OperationState(
            **base_fields(meta),
            name=event.name,
            timezone=event.timezone,
            description=event.description,
            area=event.area,
            time_bounds=event.time_bounds,
        )
    assert state is not None
    if isinstance(event, OperationTimeBoundsSet):
        return touched(state, meta, time_bounds=event.time_bounds)
    if isinstance(event, OperationClosed):
        return touched(state, meta, status=OperationStatus.CLOSED)
    if isinstance(event, OperationRetentionSet):
        return touched(state, meta, retention_days=event.days)
    return state


_MANAGERS = frozenset({Role.ADMIN, Role.COORDINATOR})


class OpenOperation(Command):
    command_name: ClassVar[str] = "operation.open"
    kind: ClassVar[str] = "operation"
    creates: ClassVar[bool] = True
    roles: ClassVar[frozenset[Role]] = _MANAGERS
    default_visibility: ClassVar[Visibility] = Visibility.SHARED

    id: EntityId = Field(default_factory=new_record_id)
    name: LocalName
    timezone: TimeZoneName
    description: Prose | None = None
    visibility: Visibility | None = None
    time_bounds: TimeBounds | None = None


class SetOperationTimeBounds(Command):
    """When this operation's events may be said to have happened: not before a date, not
    more than some hours after now (default: 1900, 24 hours)."""

    command_name: ClassVar[str] = "operation.set_time_bounds"
    kind: ClassVar[str] = "operation"
    roles: ClassVar[frozenset[Role]] = _MANAGERS

    time_bounds: TimeBounds


class SetRetention(Command):
    """Personal data of the operation's people (manifests, tracing requests) is erased
    automatically this many days after it was recorded; the erasures are journalled."""

    command_name: ClassVar[str] = "operation.set_retention"
    kind: ClassVar[str] = "operation"
    roles: ClassVar[frozenset[Role]] = _MANAGERS

    days: int | None = Field(default=None, ge=1, le=36500)


class CloseOperation(Command):
    command_name: ClassVar[str] = "operation.close"
    kind: ClassVar[str] = "operation"
    roles: ClassVar[frozenset[Role]] = _MANAGERS

    summary: Prose | None = None


@decides(OpenOperation)
def open_operation(state: None, cmd: OpenOperation, ctx: Context) -> list[EventData]:
    return [
        OperationOpened(
            name=cmd.name,
            timezone=cmd.timezone,
            description=cmd.description,
            time_bounds=cmd.time_bounds,
        )
    ]


@decides(SetOperationTimeBounds)
def set_time_bounds(
    state: OperationState, cmd: SetOperationTimeBounds, ctx: Context
) -> list[EventData]:
    if state.time_bounds == cmd.time_bounds:
        raise DomainError("unchanged", "these are already the operation's time bounds")
    return [OperationTimeBoundsSet(time_bounds=cmd.time_bounds)]


@decides(SetRetention)
def set_retention(state: OperationState, cmd: SetRetention, ctx: Context) -> list[EventData]:
    if state.retention_days == cmd.days:
        raise DomainError("unchanged", "this is already the operation's retention", field="days")
    return [OperationRetentionSet(days=cmd.days)]


@decides(CloseOperation)
def close_operation(state: OperationState, cmd: CloseOperation, ctx: Context) -> list[EventData]:
    if state.status is OperationStatus.CLOSED:
        raise DomainError("already_closed", "the operation is already closed")
    return [OperationClosed(summary=cmd.summary)]
