"""Commands on guarantees and the decisions that accept or refuse them."""

from __future__ import annotations

from typing import Annotated, ClassVar

from mamar.domain.errors import DomainError, NotPermitted
from mamar.domain.ids import EntityId, RefersTo
from mamar.domain.model import FIELD_TEAMS, Command, Context, CreateCommand, decides
from mamar.domain.text import LocalText, Prose
from mamar.domain.visibility import Role, Visibility
from mamar.guarantees.events import (
    GuaranteeBroken,
    GuaranteeHonoured,
    GuaranteeOutcome,
    GuaranteeRecorded,
    Subject,
)
from mamar.guarantees.model import TRANSITIONS, GuaranteeState
from mamar.journal.registry import EventData
from mamar.negotiation.checks import require_each


class RecordGuarantee(CreateCommand):
    """A guarantee given; a guarantor's liaison may record the one their own side gives."""

    command_name: ClassVar[str] = "guarantee.record"
    kind: ClassVar[str] = "guarantee"
    roles: ClassVar[frozenset[Role]] = FIELD_TEAMS | {Role.LIAISON}
    # What a guarantor promised is shown to the guarantor and the guaranteed alike.
    default_visibility: ClassVar[Visibility] = Visibility.SHARED

    guarantor: Annotated[EntityId, RefersTo("party")]
    given_to: Annotated[EntityId, RefersTo("party")]
    what: LocalText
    via_channel: Annotated[EntityId, RefersTo("channel")] | None = None
    via_persons: tuple[Annotated[EntityId, RefersTo("person")], ...] = ()
    subject: tuple[
        Annotated[Subject, RefersTo("agreement", "convoy", "route", "ceasefire")], ...
    ] = ()


class MarkHonoured(Command):
    command_name: ClassVar[str] = "guarantee.mark_honoured"
    kind: ClassVar[str] = "guarantee"

    note: Prose | None = None


class MarkBroken(Command):
    command_name: ClassVar[str] = "guarantee.mark_broken"
    kind: ClassVar[str] = "guarantee"

    incidents: tuple[Annotated[EntityId, RefersTo("incident")], ...] = ()
    note: Prose | None = None


@decides(RecordGuarantee)
def record(state: None, cmd: RecordGuarantee, ctx: Context) -> list[EventData]:
    if ctx.actor.role is Role.LIAISON and ctx.actor.party != cmd.guarantor:
        raise NotPermitted("a liaison may record only the guarantees their own party gives")
    if ctx.actor.role is Role.LIAISON and cmd.visibility not in (None, Visibility.SHARED):
        # Given to another party, the guarantee is theirs to see: a guarantor's officer
        # cannot keep it to its own organisation.
        raise NotPermitted("a liaison records a guarantee as shared with the other parties")
    if cmd.guarantor == cmd.given_to:
        raise DomainError(
            "same_party", "a guarantee is given by one party to another", field="given_to"
        )
    ctx.require("party", cmd.guarantor, "guarantor")
    ctx.require("party", cmd.given_to, "given_to")
    if cmd.via_channel is not None:
        ctx.require("channel", cmd.via_channel, "via_channel")
    require_each(ctx, "person", cmd.via_persons, "via_persons")
    seen: set[Subject] = set()
    for item in cmd.subject:
        if item in seen:
            raise DomainError(
                "duplicate", f"{item.kind.value} '{item.id}' is listed twice", field="subject"
            )
        seen.add(item)
        ctx.require(item.kind.value, item.id, "subject")
    return [
        GuaranteeRecorded(
            guarantor=cmd.guarantor,
            given_to=cmd.given_to,
            what=cmd.what,
            via_channel=cmd.via_channel,
            via_persons=cmd.via_persons,
            subject=cmd.subject,
        )
    ]


@decides(MarkHonoured)
def mark_honoured(state: GuaranteeState, cmd: MarkHonoured, ctx: Context) -> list[EventData]:
    TRANSITIONS.require(state.outcome, GuaranteeOutcome.HONOURED)
    return [GuaranteeHonoured(note=cmd.note)]


@decides(MarkBroken)
def mark_broken(state: GuaranteeState, cmd: MarkBroken, ctx: Context) -> list[EventData]:
    TRANSITIONS.require(state.outcome, GuaranteeOutcome.BROKEN)
    if not cmd.incidents and cmd.note is None:
        raise DomainError(
            "no_evidence", "say how it was broken: the incidents, or a note", field="incidents"
        )
    require_each(ctx, "incident", cmd.incidents, "incidents")
    return [GuaranteeBroken(incidents=cmd.incidents, note=cmd.note)]
