"""Commands on escalations and the decisions that accept or refuse them."""

from __future__ import annotations

from typing import Annotated, ClassVar

from mamar.domain.errors import DomainError, NotPermitted
from mamar.domain.ids import Reference, RefersTo
from mamar.domain.model import FIELD_TEAMS, Command, Context, CreateCommand, decides
from mamar.domain.text import LocalText, Prose
from mamar.domain.visibility import Role, Visibility
from mamar.escalations.events import (
    EscalationClosed,
    EscalationFollowedUp,
    EscalationRaised,
    EscalationResponseRecorded,
    Intermediary,
    Outcome,
    Subject,
)
from mamar.escalations.model import TRANSITIONS, EscalationState, EscalationStatus
from mamar.journal.registry import EventData


class RaiseEscalation(CreateCommand):
    command_name: ClassVar[str] = "escalation.raise"
    kind: ClassVar[str] = "escalation"
    default_visibility: ClassVar[Visibility] = Visibility.SHARED

    to_party: Annotated[Reference, RefersTo("party")] | None = None
    to_person: Annotated[Reference, RefersTo("person")] | None = None
    via: tuple[Annotated[Intermediary, RefersTo("party", "person")], ...] = ()
    about: tuple[Annotated[Subject, RefersTo("incident", "convoy", "route", "ceasefire")], ...] = ()
    message: LocalText


class RecordEscalationResponse(Command):
    """The other side's answer; its liaison officer may record it directly."""

    command_name: ClassVar[str] = "escalation.record_response"
    kind: ClassVar[str] = "escalation"
    roles: ClassVar[frozenset[Role]] = FIELD_TEAMS | {Role.LIAISON}

    text: LocalText
    by: Annotated[Reference, RefersTo("party")] | None = None
    commitment: Prose | None = None


class FollowUpEscalation(Command):
    """Press again after an unsatisfying answer: the escalation is open again."""

    command_name: ClassVar[str] = "escalation.follow_up"
    kind: ClassVar[str] = "escalation"

    message: LocalText


class CloseEscalation(Command):
    command_name: ClassVar[str] = "escalation.close"
    kind: ClassVar[str] = "escalation"

    outcome: Outcome
    note: Prose | None = None


@decides(RaiseEscalation)
def raise_escalation(state: None, cmd: RaiseEscalation, ctx: Context) -> list[EventData]:
    if cmd.to_party is None and cmd.to_person is None:
        raise DomainError(
            "recipient_required", "say to whom it is raised: a party or a person", field="to_party"
        )
    if cmd.to_party is not None:
        ctx.require("party", cmd.to_party, "to_party")
    if cmd.to_person is not None:
        ctx.require("person", cmd.to_person, "to_person")
    for index, hop in enumerate(cmd.via):
        ctx.require(hop.kind.value, hop.id, f"via.{index}")
    for index, subject in enumerate(cmd.about):
        ctx.require(subject.kind.value, subject.id, f"about.{index}")
    return [
        EscalationRaised(
            to_party=cmd.to_party,
            to_person=cmd.to_person,
            via=cmd.via,
            about=cmd.about,
            message=cmd.message,
        )
    ]


@decides(RecordEscalationResponse)
def record_response(
    state: EscalationState, cmd: RecordEscalationResponse, ctx: Context
) -> list[EventData]:
    by = cmd.by
    if ctx.actor.role is Role.LIAISON:
        # An outside officer answers for their own party only.
        if by is None:
            by = ctx.actor.party
        if by is None or by != ctx.actor.party:
            raise NotPermitted("a liaison officer may answer only for their own party")
    if state.status is not EscalationStatus.ANSWERED:
        TRANSITIONS.require(state.status, EscalationStatus.ANSWERED)
    # The actor's own party was checked when the account was made (and may be hidden from it).
    if by is not None and by != ctx.actor.party:
        ctx.require("party", by, "by")
    return [EscalationResponseRecorded(text=cmd.text, by=by, commitment=cmd.commitment)]


@decides(FollowUpEscalation)
def follow_up(state: EscalationState, cmd: FollowUpEscalation, ctx: Context) -> list[EventData]:
    TRANSITIONS.require(state.status, EscalationStatus.OPEN)
    return [EscalationFollowedUp(message=cmd.message)]


@decides(CloseEscalation)
def close(state: EscalationState, cmd: CloseEscalation, ctx: Context) -> list[EventData]:
    TRANSITIONS.require(state.status, EscalationStatus(cmd.outcome.value))
    return [EscalationClosed(outcome=cmd.outcome, note=cmd.note)]
