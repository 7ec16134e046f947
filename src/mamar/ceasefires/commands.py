"""Commands on ceasefires and the decisions that accept or refuse them."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Annotated, ClassVar
from zoneinfo import ZoneInfo

from mamar.ceasefires.events import (
    CeasefireDeclared,
    CeasefireExpired,
    CeasefireRestored,
    CeasefireStatus,
    CeasefireSuspended,
    CeasefireTookEffect,
    CeasefireViolated,
    Daily,
)
from mamar.ceasefires.model import TRANSITIONS, CeasefireState
from mamar.domain.errors import DomainError
from mamar.domain.ids import EntityId, RefersTo
from mamar.domain.model import Command, Context, CreateCommand, EntityState, decides
from mamar.domain.text import Prose
from mamar.domain.time import AwareDatetime, Precision
from mamar.domain.visibility import Visibility
from mamar.journal.registry import EventData
from mamar.negotiation.checks import require_each

S = CeasefireStatus


class DeclareCeasefire(CreateCommand):
    command_name: ClassVar[str] = "ceasefire.declare"
    kind: ClassVar[str] = "ceasefire"
    # Monitors and the parties' liaisons need to know a ceasefire exists.
    default_visibility: ClassVar[Visibility] = Visibility.SHARED

    area: Prose
    agreement: Annotated[EntityId, RefersTo("agreement")] | None = None
    agreement_version: int | None = None  # default: the agreement's current version
    parties: tuple[Annotated[EntityId, RefersTo("party")], ...] = ()
    starts_at: AwareDatetime | None = None
    ends_at: AwareDatetime | None = None
    note: Prose | None = None
    declared_by: Annotated[EntityId, RefersTo("party")] | None = (
        None  # one party declaring it alone
    )
    daily: Daily | None = None  # recurring hours; the start and end follow from them
    starts_precision: Precision | None = None
    ends_precision: Precision | None = None
    places: tuple[Annotated[EntityId, RefersTo("place")], ...] = ()


class TakeEffect(Command):
    command_name: ClassVar[str] = "ceasefire.take_effect"
    kind: ClassVar[str] = "ceasefire"

    note: Prose | None = None


class RecordViolation(Command):
    command_name: ClassVar[str] = "ceasefire.record_violation"
    kind: ClassVar[str] = "ceasefire"

    incident: Annotated[EntityId, RefersTo("incident")]
    note: Prose | None = None


class SuspendCeasefire(Command):
    command_name: ClassVar[str] = "ceasefire.suspend"
    kind: ClassVar[str] = "ceasefire"

    reason: Prose | None = None


class RestoreCeasefire(Command):
    command_name: ClassVar[str] = "ceasefire.restore"
    kind: ClassVar[str] = "ceasefire"

    reason: Prose | None = None
    agreement_version: int | None = None


class ExpireCeasefire(Command):
    command_name: ClassVar[str] = "ceasefire.expire"
    kind: ClassVar[str] = "ceasefire"

    reason: Prose | None = None


def _agreement_version(agreement: EntityState, version: int | None, field: str) -> int | None:
    """The version asked for, checked; or the agreement's current one (None for a draft)."""
    current: int = getattr(agreement, "current_version", 0)
    if version is None:
        return current or None
    if not 1 <= version <= current:
        raise DomainError(
            "unknown_version", f"agreement '{agreement.id}' has no version {version}", field=field
        )
    return version


def _daily_span(daily: Daily, timezone: str) -> tuple[datetime, datetime]:
    """When the first window opens and the last one closes."""
    zone = ZoneInfo(timezone)
    starts = datetime.combine(daily.first_day, daily.opens, zone)
    ends = datetime.combine(daily.last_day, daily.closes, zone)
    if daily.closes < daily.opens:
        ends += timedelta(days=1)
    return starts, ends


@decides(DeclareCeasefire)
def declare(state: None, cmd: DeclareCeasefire, ctx: Context) -> list[EventData]:
    starts_at, ends_at, timezone = cmd.starts_at, cmd.ends_at, None
    if cmd.daily is not None:
        if cmd.starts_at or cmd.ends_at:
            raise DomainError(
                "daily_and_span",
                "a daily window's start and end follow from its days and hours; "
                "leave starts_at and ends_at out",
                field="starts_at",
            )
        operation = ctx.require("operation", cmd.operation, "operation")
        timezone = str(getattr(operation, "timezone", "UTC"))
        try:
            starts_at, ends_at = _daily_span(cmd.daily, timezone)
        except OverflowError:
            raise DomainError(
                "out_of_range", "these days are outside the calendar", field="daily"
            ) from None
    if starts_at and ends_at and ends_at <= starts_at:
        raise DomainError("ends_before_start", "the end must be after the start", field="ends_at")
    if cmd.declared_by is not None:
        ctx.require("party", cmd.declared_by, "declared_by")
    require_each(ctx, "place", cmd.places, "places")
    version: int | None = None
    if cmd.agreement is not None:
        agreement = ctx.require("agreement", cmd.agreement, "agreement")
        version = _agreement_version(agreement, cmd.agreement_version, "agreement_version")
    elif cmd.agreement_version is not None:
        raise DomainError(
            "agreement_missing", "an agreement version goes with an agreement", field="agreement"
        )
    require_each(ctx, "party", cmd.parties, "parties")
    return [
        CeasefireDeclared(
            area=cmd.area,
            agreement=cmd.agreement,
            agreement_version=version,
            parties=cmd.parties,
            starts_at=starts_at,
            ends_at=ends_at,
            note=cmd.note,
            declared_by=cmd.declared_by,
            daily=cmd.daily,
            timezone=timezone,
            starts_precision=cmd.starts_precision,
            ends_precision=cmd.ends_precision,
            places=cmd.places,
        )
    ]


@decides(TakeEffect)
def take_effect(state: CeasefireState, cmd: TakeEffect, ctx: Context) -> list[EventData]:
    TRANSITIONS.require(state.status, S.IN_FORCE)
    return [CeasefireTookEffect(note=cmd.note)]


@decides(RecordViolation)
def record_violation(state: CeasefireState, cmd: RecordViolation, ctx: Context) -> list[EventData]:
    TRANSITIONS.require(state.status, S.VIOLATED)
    if any(v.incident == cmd.incident for v in state.violations):
        raise DomainError(
            "already_recorded",
            f"incident '{cmd.incident}' is already recorded as a violation of this ceasefire",
            field="incident",
        )
    ctx.require("incident", cmd.incident, "incident")
    return [CeasefireViolated(incident=cmd.incident, note=cmd.note)]


@decides(SuspendCeasefire)
def suspend(state: CeasefireState, cmd: SuspendCeasefire, ctx: Context) -> list[EventData]:
    TRANSITIONS.require(state.status, S.SUSPENDED)
    return [CeasefireSuspended(reason=cmd.reason)]


@decides(RestoreCeasefire)
def restore(state: CeasefireState, cmd: RestoreCeasefire, ctx: Context) -> list[EventData]:
    TRANSITIONS.require(state.status, S.RESTORED)
    version = cmd.agreement_version
    if version is not None:
        if state.agreement is None:
            raise DomainError(
                "agreement_missing",
                "this ceasefire is not tied to an agreement",
                field="agreement_version",
            )
        agreement = ctx.require("agreement", state.agreement, "agreement_version")
        version = _agreement_version(agreement, version, "agreement_version")
    return [CeasefireRestored(reason=cmd.reason, agreement_version=version)]


@decides(ExpireCeasefire)
def expire(state: CeasefireState, cmd: ExpireCeasefire, ctx: Context) -> list[EventData]:
    TRANSITIONS.require(state.status, S.EXPIRED)
    return [CeasefireExpired(reason=cmd.reason)]
