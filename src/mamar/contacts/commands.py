"""Scheduling and logging contacts, and recording whether a scheduled one happened."""

from __future__ import annotations

from typing import Annotated, ClassVar

from mamar.channels.commands import check_ends
from mamar.channels.events import Medium
from mamar.contacts.events import (
    ContactCancelled,
    ContactHeld,
    ContactLogged,
    ContactMissed,
    ContactScheduled,
    ContactStatus,
    Direction,
)
from mamar.contacts.model import TRANSITIONS, ContactState
from mamar.domain.errors import DomainError, NotPermitted
from mamar.domain.ids import EntityId, RefersTo
from mamar.domain.model import FIELD_TEAMS, Command, Context, CreateCommand, decides
from mamar.domain.text import LocalText, Prose
from mamar.domain.time import AwareDatetime
from mamar.domain.visibility import Role
from mamar.journal.registry import EventData
from mamar.parties.refs import Who, refuse_duplicates, require_who, require_whos

# An outside party's liaison officer records the calls they take part in (as shared records).
_WITH_LIAISON = FIELD_TEAMS | {Role.LIAISON}


class _ContactFields(CreateCommand):
    direction: Direction
    medium: Medium = Medium.PHONE
    channel: Annotated[EntityId, RefersTo("channel")] | None = None
    source: Who | None = None
    target: Who | None = None
    participants: tuple[Who, ...] = ()
    via: tuple[Who, ...] = ()
    offers: tuple[Prose, ...] = ()
    follow_up: Annotated[EntityId, RefersTo("contact")] | None = None


class ScheduleContact(_ContactFields):
    command_name: ClassVar[str] = "contact.schedule"
    kind: ClassVar[str] = "contact"

    scheduled_for: AwareDatetime


class LogContact(_ContactFields):
    command_name: ClassVar[str] = "contact.log"
    kind: ClassVar[str] = "contact"
    roles: ClassVar[frozenset[Role]] = _WITH_LIAISON

    summary: LocalText | None = None
    scheduled_for: AwareDatetime | None = None


class MarkContactHeld(Command):
    command_name: ClassVar[str] = "contact.mark_held"
    kind: ClassVar[str] = "contact"
    roles: ClassVar[frozenset[Role]] = _WITH_LIAISON

    summary: LocalText | None = None
    offers: tuple[Prose, ...] = ()


class MarkContactMissed(Command):
    command_name: ClassVar[str] = "contact.mark_missed"
    kind: ClassVar[str] = "contact"
    roles: ClassVar[frozenset[Role]] = _WITH_LIAISON

    reason: Prose | None = None


class CancelContact(Command):
    command_name: ClassVar[str] = "contact.cancel"
    kind: ClassVar[str] = "contact"

    reason: Prose | None = None


def _check(cmd: _ContactFields, ctx: Context) -> None:
    if cmd.source is None and cmd.target is None and not cmd.participants:
        raise DomainError(
            "nobody", "name who took part: source, target or participants", field="participants"
        )
    if ctx.actor.role is Role.LIAISON:
        # A liaison officer records only the calls its own side took part in.
        own = {
            w.id
            for w in (cmd.source, cmd.target, *cmd.participants)
            if w is not None and w.kind.value == "party"
        }
        if ctx.actor.party is None or ctx.actor.party not in own:
            raise NotPermitted(
                "a liaison officer records only contacts their own party took part in"
            )
    check_ends(cmd.source, cmd.target, cmd.via)
    refuse_duplicates(cmd.participants, "participants")
    if cmd.follow_up == cmd.id:
        raise DomainError("self_reference", "a contact cannot follow up itself", field="follow_up")
    require_who(ctx, cmd.source, "source")
    require_who(ctx, cmd.target, "target")
    require_whos(ctx, cmd.participants, "participants")
    require_whos(ctx, cmd.via, "via")
    if cmd.channel is not None:
        ctx.require("channel", cmd.channel, "channel")
    if cmd.follow_up is not None:
        ctx.require("contact", cmd.follow_up, "follow_up")


def _details(cmd: _ContactFields) -> dict[str, object]:
    return cmd.model_dump(
        include={
            "direction",
            "medium",
            "channel",
            "source",
            "target",
            "participants",
            "via",
            "offers",
            "follow_up",
        }
    )


@decides(ScheduleContact)
def schedule(state: None, cmd: ScheduleContact, ctx: Context) -> list[EventData]:
    _check(cmd, ctx)
    return [ContactScheduled.model_validate({**_details(cmd), "scheduled_for": cmd.scheduled_for})]


@decides(LogContact)
def log(state: None, cmd: LogContact, ctx: Context) -> list[EventData]:
    _check(cmd, ctx)
    return [
        ContactLogged.model_validate(
            {**_details(cmd), "summary": cmd.summary, "scheduled_for": cmd.scheduled_for}
        )
    ]


def _own_if_liaison(state: ContactState, ctx: Context) -> None:
    if ctx.actor.role is Role.LIAISON and state.owner != ctx.actor.organisation:
        raise NotPermitted("a liaison officer updates only their own organisation's contacts")


@decides(MarkContactHeld)
def mark_held(state: ContactState, cmd: MarkContactHeld, ctx: Context) -> list[EventData]:
    _own_if_liaison(state, ctx)
    TRANSITIONS.require(state.status, ContactStatus.HELD)
    return [ContactHeld(summary=cmd.summary, offers=cmd.offers)]


@decides(MarkContactMissed)
def mark_missed(state: ContactState, cmd: MarkContactMissed, ctx: Context) -> list[EventData]:
    _own_if_liaison(state, ctx)
    TRANSITIONS.require(state.status, ContactStatus.MISSED)
    return [ContactMissed(reason=cmd.reason)]


@decides(CancelContact)
def cancel(state: ContactState, cmd: CancelContact, ctx: Context) -> list[EventData]:
    TRANSITIONS.require(state.status, ContactStatus.CANCELLED)
    return [ContactCancelled(reason=cmd.reason)]
