"""Reporting a person missing, recording the reunification, closing and erasing."""

from __future__ import annotations

from typing import Annotated, ClassVar

from mamar.domain.errors import DomainError
from mamar.domain.ids import Reference, RefersTo
from mamar.domain.model import Command, Context, CreateCommand, Value, decides
from mamar.domain.text import Name, Prose, ProseLine
from mamar.domain.visibility import Role, Visibility
from mamar.journal.registry import EventData
from mamar.manifests.commands import PEOPLE_ROLES
from mamar.manifests.model import VehicleState
from mamar.manifests.personal import PersonDetails
from mamar.persons.personal import PhoneNumber
from mamar.tracing.events import (
    MissingReported,
    Reunified,
    TracingClosed,
    TracingErased,
    TracingStatus,
)
from mamar.tracing.model import TracingState


class RelativeDetails(Value):
    """Who asks: their name, how they are related, how to reach them."""

    full_name: Name
    relation: ProseLine | None = None
    phones: tuple[PhoneNumber, ...] = ()
    where: Prose | None = None  # where they can be found


class Sought(Value):
    details: PersonDetails | None = None
    vault_ref: str | None = None


class Relative(Value):
    details: RelativeDetails | None = None
    vault_ref: str | None = None


class ReportMissing(CreateCommand):
    command_name: ClassVar[str] = "tracing.report"
    kind: ClassVar[str] = "tracing"
    roles: ClassVar[frozenset[Role]] = PEOPLE_ROLES
    default_visibility: ClassVar[Visibility] = Visibility.MEDICAL
    personal_items: ClassVar[tuple[str, ...]] = ("sought", "relative")

    sought: Sought
    relative: Relative
    child: bool = False


class RecordReunification(Command):
    command_name: ClassVar[str] = "tracing.reunify"
    kind: ClassVar[str] = "tracing"
    roles: ClassVar[frozenset[Role]] = PEOPLE_ROLES

    vehicle: Annotated[Reference, RefersTo("vehicle")]
    number: int
    place: Annotated[Reference, RefersTo("place")] | None = None


class CloseTracing(Command):
    command_name: ClassVar[str] = "tracing.close"
    kind: ClassVar[str] = "tracing"
    roles: ClassVar[frozenset[Role]] = PEOPLE_ROLES

    reason: Name


class EraseTracing(Command):
    command_name: ClassVar[str] = "tracing.erase"
    kind: ClassVar[str] = "tracing"
    roles: ClassVar[frozenset[Role]] = frozenset({Role.COORDINATOR, Role.ADMIN})

    reason: Name = "request"


@decides(ReportMissing)
def report(state: None, cmd: ReportMissing, ctx: Context) -> list[EventData]:
    if cmd.sought.details is not None or cmd.relative.details is not None:
        raise DomainError("unsealed", "personal data must go to the vault", field="sought")
    return [
        MissingReported(
            sought_ref=cmd.sought.vault_ref, relative_ref=cmd.relative.vault_ref, child=cmd.child
        )
    ]


def _open(state: TracingState) -> None:
    if state.status is not TracingStatus.OPEN:
        raise DomainError("tracing_closed", f"this request is already {state.status.value}")


@decides(RecordReunification)
def reunify(state: TracingState, cmd: RecordReunification, ctx: Context) -> list[EventData]:
    _open(state)
    vehicle = ctx.require("vehicle", cmd.vehicle, "vehicle")
    if not isinstance(vehicle, VehicleState) or vehicle.entry(cmd.number) is None:
        raise DomainError(
            "not_on_manifest",
            f"number {cmd.number} is not on this vehicle's manifest",
            field="number",
        )
    if cmd.place is not None:
        ctx.require("place", cmd.place, "place")
    return [Reunified(vehicle=cmd.vehicle, number=cmd.number, place=cmd.place)]


@decides(CloseTracing)
def close(state: TracingState, cmd: CloseTracing, ctx: Context) -> list[EventData]:
    _open(state)
    return [TracingClosed(reason=cmd.reason)]


@decides(EraseTracing)
def erase(state: TracingState, cmd: EraseTracing, ctx: Context) -> list[EventData]:
    refs = [r for r in (state.sought_ref, state.relative_ref) if r is not None]
    if not refs:
        raise DomainError("already_erased", "this request's personal data is already erased")
    return [TracingErased(vault_ref=ref, reason=cmd.reason) for ref in refs]
