"""Commands on notifications: send a notice, record a party's acknowledgement."""

from __future__ import annotations

from typing import Annotated, ClassVar

from mamar.domain.errors import DomainError, NotPermitted
from mamar.domain.ids import Reference, RefersTo
from mamar.domain.model import FIELD_TEAMS, Command, Context, CreateCommand, decides
from mamar.domain.text import LocalText, Prose
from mamar.domain.time import AwareDatetime
from mamar.domain.visibility import Role, Visibility
from mamar.journal.registry import EventData
from mamar.notifications.events import NotificationAcknowledged, NotificationSent
from mamar.notifications.model import NotificationState


class SendNotification(CreateCommand):
    """Give parties notice of a movement. It informs them; it does not ask their permission."""

    command_name: ClassVar[str] = "notification.send"
    kind: ClassVar[str] = "notification"
    default_visibility: ClassVar[Visibility] = Visibility.SHARED

    convoy: Annotated[Reference, RefersTo("convoy")] | None = None
    route: Annotated[Reference, RefersTo("route")] | None = None
    route_version: int | None = None
    window_from: AwareDatetime | None = None
    window_until: AwareDatetime | None = None
    message: LocalText
    parties: tuple[Annotated[Reference, RefersTo("party")], ...]


class AcknowledgeNotification(Command):
    """A notified party confirms it received the notice (receipt, not consent)."""

    command_name: ClassVar[str] = "notification.acknowledge"
    kind: ClassVar[str] = "notification"
    roles: ClassVar[frozenset[Role]] = FIELD_TEAMS | {Role.LIAISON}

    party: Annotated[Reference, RefersTo("party")]
    note: Prose | None = None


def _check_route(ctx: Context, route: str | None, version: int | None) -> None:
    if route is None:
        if version is not None:
            raise DomainError(
                "route_required", "a route version needs its route", field="route_version"
            )
        return
    state = ctx.require("route", route, "route")
    current = getattr(state, "current_version", None)
    if version is not None and current is not None and not 1 <= version <= current:
        raise DomainError(
            "unknown_version", f"route '{route}' has no version {version}", field="route_version"
        )


@decides(SendNotification)
def send(state: None, cmd: SendNotification, ctx: Context) -> list[EventData]:
    if not cmd.parties:
        raise DomainError("no_parties", "name at least one party to notify", field="parties")
    if len(set(cmd.parties)) != len(cmd.parties):
        raise DomainError("duplicate_party", "a party is listed twice", field="parties")
    for party in cmd.parties:
        ctx.require("party", party, "parties")
    if cmd.convoy is not None:
        ctx.require("convoy", cmd.convoy, "convoy")
    _check_route(ctx, cmd.route, cmd.route_version)
    if (
        cmd.window_from is not None
        and cmd.window_until is not None
        and cmd.window_until <= cmd.window_from
    ):
        raise DomainError(
            "empty_window", "the window must end after it starts", field="window_until"
        )
    return [
        NotificationSent(
            convoy=cmd.convoy,
            route=cmd.route,
            route_version=cmd.route_version,
            window_from=cmd.window_from,
            window_until=cmd.window_until,
            message=cmd.message,
            parties=cmd.parties,
        )
    ]


@decides(AcknowledgeNotification)
def acknowledge(
    state: NotificationState, cmd: AcknowledgeNotification, ctx: Context
) -> list[EventData]:
    if ctx.actor.role is Role.LIAISON and cmd.party != ctx.actor.party:
        raise NotPermitted("a liaison officer may acknowledge only for their own party")
    if cmd.party not in state.parties:
        raise DomainError(
            "not_notified", f"party '{cmd.party}' was not sent this notification", field="party"
        )
    if cmd.party in state.acknowledged_parties():
        raise DomainError(
            "already_acknowledged",
            f"party '{cmd.party}' has already acknowledged this notification",
            field="party",
        )
    return [NotificationAcknowledged(party=cmd.party, by=ctx.actor.username, note=cmd.note)]
