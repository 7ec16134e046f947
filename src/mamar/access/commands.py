"""Whether a viewer may carry out a command: the rule :func:`mamar.services.commands.execute`
asks before deciding and before appending."""

from __future__ import annotations

from collections.abc import Iterable

from mamar.access.viewer import Viewer
from mamar.domain.errors import AlreadyExists, DomainError, NotFound, NotPermitted
from mamar.domain.model import Command, EntityState
from mamar.domain.visibility import Visibility
from mamar.journal.registry import EventData


class IdUnavailable(AlreadyExists):
    """The id is taken. Said the same way whether or not the caller may see the record
    holding it, so that a refusal tells nothing of what the caller may not see."""

    def __init__(self, kind: str) -> None:
        DomainError.__init__(
            self, "already_exists", f"this {kind} id is already in use; choose another", field="id"
        )


def may_call(viewer: Viewer, cmd: Command) -> None:
    """The viewer's role may carry out this kind of command at all."""
    if viewer.role not in cmd.roles:
        raise NotPermitted(f"the role '{viewer.role.value}' may not carry out '{cmd.command_name}'")


def may_create(viewer: Viewer, cmd: Command, found: EntityState | None) -> Visibility:
    """The compartment of the record ``cmd`` creates, if the viewer may create it."""
    if found is not None:
        raise IdUnavailable(cmd.kind)
    visibility: Visibility = getattr(cmd, "visibility", None) or cmd.default_visibility
    if visibility not in viewer.compartments:
        raise NotPermitted(
            f"the role '{viewer.role.value}' cannot create '{visibility.value}' records"
        )
    return visibility


def may_change(viewer: Viewer, cmd: Command, found: EntityState | None) -> EntityState:
    """The record ``cmd`` changes, if the viewer may see it (else: not found, as if it
    did not exist)."""
    if found is None or not viewer.sees(found):
        raise NotFound(cmd.kind, cmd.id, field="id")
    return found


def may_record(viewer: Viewer, state: EntityState | None, decided: Iterable[EventData]) -> None:
    """Events of a sub-compartment (a bottom line, a manifest entry) are recorded only
    by accounts that may read that compartment of the record."""
    for data in decided:
        compartment = type(data).compartment
        if compartment is None:
            continue
        allowed = (
            compartment in viewer.compartments
            if state is None
            else viewer.sees_part(state, compartment)
        )
        if not allowed:
            raise NotPermitted(
                f"the role '{viewer.role.value}' cannot record '{compartment.value}' information"
            )
