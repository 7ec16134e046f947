"""Opening channels, changing their status, and noting what happened on them."""

from __future__ import annotations

from typing import ClassVar

from mamar.channels.events import (
    ChannelNoteAdded,
    ChannelOpened,
    ChannelStatus,
    ChannelStatusChanged,
    Medium,
)
from mamar.channels.model import OPENING_STATUSES, TRANSITIONS, ChannelState
from mamar.domain.errors import DomainError
from mamar.domain.model import Command, Context, CreateCommand, decides
from mamar.domain.text import LocalText, Prose
from mamar.journal.registry import EventData
from mamar.parties.refs import PartyOrPerson, Who, refuse_duplicates, require_who, require_whos


class OpenChannel(CreateCommand):
    """``status`` may be ``dormant``: a line offered once and not taken up."""

    command_name: ClassVar[str] = "channel.open"
    kind: ClassVar[str] = "channel"

    source: Who
    target: Who
    via: tuple[Who, ...] = ()
    medium: Medium = Medium.PHONE
    status: ChannelStatus = ChannelStatus.ACTIVE
    reason: Prose | None = None


class ChangeChannelStatus(Command):
    command_name: ClassVar[str] = "channel.change_status"
    kind: ClassVar[str] = "channel"

    status: ChannelStatus
    reason: Prose | None = None


class AddChannelNote(Command):
    command_name: ClassVar[str] = "channel.add_note"
    kind: ClassVar[str] = "channel"

    text: LocalText


def check_ends(
    source: PartyOrPerson | None, target: PartyOrPerson | None, via: tuple[PartyOrPerson, ...]
) -> None:
    """The two ends differ, and no intermediary is an end or listed twice."""
    if source is not None and source == target:
        raise DomainError("same_ends", "source and target must differ", field="target")
    refuse_duplicates(via, "via")
    for hop in via:
        if hop in (source, target):
            raise DomainError(
                "end_in_via",
                f"{hop.kind.value} '{hop.id}' is an end, not an intermediary",
                field="via",
            )


@decides(OpenChannel)
def open_channel(state: None, cmd: OpenChannel, ctx: Context) -> list[EventData]:
    if cmd.status not in OPENING_STATUSES:
        raise DomainError(
            "bad_opening_status", "a channel opens as active or dormant", field="status"
        )
    check_ends(cmd.source, cmd.target, cmd.via)
    require_who(ctx, cmd.source, "source")
    require_who(ctx, cmd.target, "target")
    require_whos(ctx, cmd.via, "via")
    return [
        ChannelOpened(
            source=cmd.source,
            target=cmd.target,
            via=cmd.via,
            medium=cmd.medium,
            status=cmd.status,
            reason=cmd.reason,
        )
    ]


@decides(ChangeChannelStatus)
def change_status(state: ChannelState, cmd: ChangeChannelStatus, ctx: Context) -> list[EventData]:
    TRANSITIONS.require(state.status, cmd.status)
    return [ChannelStatusChanged(status=cmd.status, previous=state.status, reason=cmd.reason)]


@decides(AddChannelNote)
def add_note(state: ChannelState, cmd: AddChannelNote, ctx: Context) -> list[EventData]:
    if not cmd.text.original:
        raise DomainError("empty", "the note is empty", field="text")
    return [ChannelNoteAdded(text=cmd.text)]
