"""Commands on control areas and front lines, and the decisions on them."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, ClassVar

from mamar.control.events import (
    ControlAreaEnded,
    ControlAreaRecorded,
    ControlAreaTransferred,
    FrontLineEnded,
    FrontLineRecorded,
)
from mamar.control.model import ControlAreaState, FrontLineState
from mamar.domain.errors import DomainError
from mamar.domain.ids import Reference, RefersTo
from mamar.domain.model import Command, Context, CreateCommand, decides
from mamar.domain.text import LocalName, Prose
from mamar.domain.time import AwareDatetime
from mamar.geo.shapes import require_valid_area, require_valid_line
from mamar.geo.values import AreaShape, Confidence, LineShape
from mamar.journal.registry import EventData


class RecordControlArea(CreateCommand):
    command_name: ClassVar[str] = "control_area.record"
    kind: ClassVar[str] = "control_area"

    name: LocalName | None = None
    party: Annotated[Reference, RefersTo("party")]
    area: AreaShape
    valid_from: AwareDatetime
    valid_to: AwareDatetime | None = None
    source: Prose
    confidence: Confidence


class TransferControlArea(Command):
    """Territory change: another party controls the same area from ``at``."""

    command_name: ClassVar[str] = "control_area.transfer"
    kind: ClassVar[str] = "control_area"

    party: Annotated[Reference, RefersTo("party")]
    at: AwareDatetime
    source: Prose
    confidence: Confidence


class EndControlArea(Command):
    command_name: ClassVar[str] = "control_area.end"
    kind: ClassVar[str] = "control_area"

    at: AwareDatetime
    reason: Prose | None = None


class RecordFrontLine(CreateCommand):
    command_name: ClassVar[str] = "front_line.record"
    kind: ClassVar[str] = "front_line"

    name: LocalName | None = None
    line: LineShape
    parties: tuple[Annotated[Reference, RefersTo("party")], ...] = ()
    valid_from: AwareDatetime
    valid_to: AwareDatetime | None = None
    source: Prose
    confidence: Confidence


class EndFrontLine(Command):
    command_name: ClassVar[str] = "front_line.end"
    kind: ClassVar[str] = "front_line"

    at: AwareDatetime
    reason: Prose | None = None


def _require_interval(valid_from: datetime, valid_to: datetime | None, field: str) -> None:
    if valid_to is not None and valid_to <= valid_from:
        raise DomainError(
            "empty_interval",
            f"the end ({valid_to.isoformat()}) must come after the start "
            f"({valid_from.isoformat()})",
            field=field,
        )


@decides(RecordControlArea)
def record_area(state: None, cmd: RecordControlArea, ctx: Context) -> list[EventData]:
    ctx.require("party", cmd.party, "party")
    require_valid_area(cmd.area, "area")
    _require_interval(cmd.valid_from, cmd.valid_to, "valid_to")
    return [
        ControlAreaRecorded(
            name=cmd.name,
            party=cmd.party,
            area=cmd.area,
            valid_from=cmd.valid_from,
            valid_to=cmd.valid_to,
            source=cmd.source,
            confidence=cmd.confidence,
        )
    ]


@decides(TransferControlArea)
def transfer_area(
    state: ControlAreaState, cmd: TransferControlArea, ctx: Context
) -> list[EventData]:
    ctx.require("party", cmd.party, "party")
    last = state.last()
    if last.valid_to is None and last.party == cmd.party:
        raise DomainError("unchanged", f"'{cmd.party}' already controls this area", field="party")
    if cmd.at <= last.valid_from:
        raise DomainError(
            "before_current",
            f"the transfer must come after the current control began "
            f"({last.valid_from.isoformat()})",
            field="at",
        )
    if last.valid_to is not None and cmd.at < last.valid_to:
        raise DomainError(
            "overlaps",
            f"the last recorded control runs until {last.valid_to.isoformat()}; "
            "a transfer can start then or later",
            field="at",
        )
    return [
        ControlAreaTransferred(
            party=cmd.party,
            previous=last.party,
            at=cmd.at,
            source=cmd.source,
            confidence=cmd.confidence,
        )
    ]


@decides(EndControlArea)
def end_area(state: ControlAreaState, cmd: EndControlArea, ctx: Context) -> list[EventData]:
    last = state.last()
    if last.valid_to is not None:
        raise DomainError(
            "already_ended",
            f"the recorded control already ended at {last.valid_to.isoformat()}",
            field="at",
        )
    _require_interval(last.valid_from, cmd.at, "at")
    return [ControlAreaEnded(at=cmd.at, reason=cmd.reason)]


@decides(RecordFrontLine)
def record_front(state: None, cmd: RecordFrontLine, ctx: Context) -> list[EventData]:
    for party in cmd.parties:
        ctx.require("party", party, "parties")
    require_valid_line(cmd.line, "line")
    _require_interval(cmd.valid_from, cmd.valid_to, "valid_to")
    return [
        FrontLineRecorded(
            name=cmd.name,
            line=cmd.line,
            parties=cmd.parties,
            valid_from=cmd.valid_from,
            valid_to=cmd.valid_to,
            source=cmd.source,
            confidence=cmd.confidence,
        )
    ]


@decides(EndFrontLine)
def end_front(state: FrontLineState, cmd: EndFrontLine, ctx: Context) -> list[EventData]:
    if state.valid_to is not None:
        raise DomainError(
            "already_ended",
            f"the front line was already ended at {state.valid_to.isoformat()}",
            field="at",
        )
    _require_interval(state.valid_from, cmd.at, "at")
    return [FrontLineEnded(at=cmd.at, reason=cmd.reason)]
