"""``<kind>.share``: the owning organisation sets who may see one of its records."""

from __future__ import annotations

from typing import Annotated, ClassVar

from mamar.domain.errors import DomainError, NotPermitted
from mamar.domain.ids import Reference, RefersTo
from mamar.domain.model import (
    FIELD_TEAMS,
    Command,
    Context,
    EntityState,
    aggregates,
    commands,
    decides,
)
from mamar.domain.text import Prose
from mamar.domain.visibility import Role, Visibility
from mamar.journal.registry import EventData
from mamar.sharing.events import AccessChanged

#: Kinds that are not records of an operation: they are not shared this way.
NOT_SHARED = frozenset({"account", "operation", "organisation", "audit"})


class ShareRecord(Command):
    """Base of the generated ``<kind>.share`` commands."""

    roles: ClassVar[frozenset[Role]] = FIELD_TEAMS

    visibility: Visibility | None = None  # unchanged when omitted
    shared_with: tuple[Annotated[Reference, RefersTo("organisation")], ...] | None = (
        None  # the whole new list; unchanged when omitted
    )
    reason: Prose | None = None


def share(state: EntityState, cmd: ShareRecord, ctx: Context) -> list[EventData]:
    if state.owner != ctx.actor.organisation:
        raise NotPermitted("only the organisation that owns a record decides who may see it")
    visibility = cmd.visibility or state.visibility
    shared_with = tuple(sorted(set(cmd.shared_with))) if cmd.shared_with is not None else None
    if shared_with is None:
        shared_with = state.shared_with
    for organisation in shared_with:
        if organisation == state.owner:
            raise DomainError(
                "own_organisation",
                "a record is not shared with the organisation that owns it",
                field="shared_with",
            )
        ctx.require("organisation", organisation, "shared_with")
    if visibility == state.visibility and shared_with == state.shared_with:
        raise DomainError("unchanged", "the record is already shared this way", field="shared_with")
    return [AccessChanged(visibility=visibility, shared_with=shared_with, reason=cmd.reason)]


def register_share_commands() -> None:
    """One ``<kind>.share`` command for every record kind registered so far."""
    known = commands()
    for kind in sorted(aggregates()):
        name = f"{kind}.share"
        if kind in NOT_SHARED or name in known:
            continue
        command = type(
            f"Share{kind.title().replace('_', '')}",
            (ShareRecord,),
            {
                "__module__": __name__,
                "__annotations__": {},
                "command_name": name,
                "kind": kind,
                "__doc__": f"Set who may see a {kind} (its compartment and share list).",
            },
        )
        decides(command)(share)
