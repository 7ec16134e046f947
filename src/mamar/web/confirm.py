"""Irreversible actions ask first: a confirmation step naming the consequence and asking
for the reason, before anything is recorded. It works without JavaScript: the form is
sent again with every value it had (hidden) and ``confirmed=yes``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Match, Route

from mamar.domain.ids import REFERS_TO
from mamar.domain.model import Command
from mamar.i18n.labels import RECORD_KINDS, field_label
from mamar.persons.events import ErasureReason
from mamar.web.i18n import N_
from mamar.web.page import View

CONFIRMED = "confirmed"


@dataclass(frozen=True)
class Irreversible:
    """What cannot be undone, and the form field that holds the reason (None: none kept)."""

    consequence: str
    action: str
    reason_field: str | None
    #: The reasons to choose from, where a free text could not be kept (an erasure's).
    reasons: type[StrEnum] | None = None
    #: The reason is a free text kept with its language (chosen beside it), not plain words.
    written: bool = False


#: Command (and, for a status change, the status) → what it does for good.
ACTIONS: dict[tuple[str, str | None], Irreversible] = {
    ("convoy.change_status", "cancelled"): Irreversible(
        N_(
            "Cancelling the convoy is final: it cannot move again under this record, and "
            "every team and party following it will see it cancelled."
        ),
        N_("Cancel the convoy"),
        "reason",
        written=True,
    ),
    ("route.reject", None): Irreversible(
        N_(
            "Rejecting this version of the route is recorded for every party; it can only be "
            "approved again as a new version."
        ),
        N_("Reject the route"),
        "reasons",
        written=True,
    ),
    ("guarantee.mark_broken", None): Irreversible(
        N_(
            "Marking the guarantee broken is final: it is recorded as evidence against the "
            "guarantor and cannot be marked honoured afterwards."
        ),
        N_("Mark the guarantee broken"),
        "note",
        written=True,
    ),
    ("person.erase", None): Irreversible(
        N_(
            "Erasing the person destroys their personal data for good (the vault's key for "
            "it is shredded): no one, not even an administrator, can read it again."
        ),
        N_("Erase the personal data"),
        "reason",
        ErasureReason,
    ),
    ("vehicle.erase_person", None): Irreversible(
        N_(
            "Erasing destroys this person's name, details and photo for good (the vault's "
            "key for them is shredded): no one, not even an administrator, can read them "
            "again, and it cannot be undone. Only their number on the manifest and their "
            "journey remain."
        ),
        N_("Erase the personal data"),
        "reason",
    ),
    ("tracing.erase", None): Irreversible(
        N_(
            "Erasing the tracing request destroys the personal data in it for good: no one "
            "can read it again."
        ),
        N_("Erase the personal data"),
        "reason",
    ),
}


#: What a confirmation names beyond the record acted on, as label → words.
Namer = Callable[[View, Command], list[tuple[str, str]]]
#: Command → what else its confirmation names (see :func:`names`).
NAMERS: dict[str, Namer] = {}


def names(command: str) -> Callable[[Namer], Namer]:
    """Register what the confirmation of ``command`` names besides its record: who a
    person erased from a manifest is, where only their number is in the command."""

    def register(namer: Namer) -> Namer:
        NAMERS[command] = namer
        return namer

    return register


class NeedsConfirmation(Exception):
    """Raised instead of recording: the page shown asks to confirm (see :func:`page`)."""

    def __init__(
        self,
        view: View,
        action: Irreversible,
        error: str | None = None,
        command: Command | None = None,
    ) -> None:
        super().__init__(action.action)
        self.view = view
        self.action = action
        self.error = error
        self.command = command


def irreversible(view: View, command: str, status: str | None) -> Irreversible | None:
    return ACTIONS.get((command, status)) or ACTIONS.get((command, None))


def check(view: View, command: str, status: str | None, built: Command | None = None) -> None:
    """Ask before an irreversible command (``built``: the command, so that the page names
    what it acts on); once confirmed, the reason is required."""
    action = irreversible(view, command, status)
    if action is None:
        return
    if view.form.get(CONFIRMED) != "yes":
        raise NeedsConfirmation(view, action, command=built)
    field = action.reason_field
    if field is not None and not view.form.get(field, "").strip():
        raise NeedsConfirmation(view, action, view.t("Give the reason"), built)


def facts(view: View, command: Command | None) -> list[tuple[str, str]]:
    """What the confirmation names, as the viewer sees it: the record acted on, each record
    the command refers to (the party rejecting a route), and when it is recorded as done."""
    if command is None:
        return []
    kind = command.kind
    said = [(_upper(view.t(RECORD_KINDS.get(kind, kind))), view.name_of(kind, command.id))]
    namer = NAMERS.get(command.command_name)
    if namer is not None:
        said += namer(view, command)
    for name, prop in type(command).model_json_schema().get("properties", {}).items():
        kinds = prop.get(REFERS_TO) or next(
            (a[REFERS_TO] for a in prop.get("anyOf", []) if REFERS_TO in a), None
        )
        value = getattr(command, name, None)
        if name != "id" and kinds and len(kinds) == 1 and isinstance(value, str):
            label = field_label(name, view.lang) or _upper(
                view.t(RECORD_KINDS.get(kinds[0], kinds[0]))
            )
            said.append((str(label), view.name_of(kinds[0], value)))
    from mamar.web.forms import parse_moment  # forms asks this module first

    typed = view.form.get("occurred_at", "").strip()
    try:
        when = view.when(parse_moment(typed, view.timezone)) if typed else None
    except ValueError:  # said beside its field once the form is sent
        when = typed
    said.append((view.t("When"), when or view.t("Now, as it is recorded")))
    return said


def refused_again(view: View, command: str, status: str | None, errors: dict[str, str]) -> None:
    """A reason typed on the confirmation page and refused (too long, say): the
    confirmation again, the reason as typed with the message beside it, still asking."""
    action = irreversible(view, command, status)
    if action is None or action.reason_field is None or view.form.get(CONFIRMED) != "yes":
        return
    field = action.reason_field
    said = [m for k, m in errors.items() if k == field or k.startswith((f"{field}.", f"{field}["))]
    if said and not view.wants_json():
        raise NeedsConfirmation(view, action, said[0])


def _upper(word: str) -> str:
    """A kind's name as a label: "convoy" → "Convoy" (Arabic has no capitals)."""
    return word[:1].upper() + word[1:]


def page(exc: NeedsConfirmation) -> Response:
    """The confirmation: the consequence, the reason, every other value kept (hidden)."""
    v = exc.view
    action = exc.action
    asked = {"csrf", CONFIRMED, action.reason_field}
    if action.written:  # its language is asked beside it again
        asked |= {f"{action.reason_field}.language", f"{action.reason_field}.language_other"}
    kept = [
        (name, value)
        for name, values in v.form_lists.items()
        if name not in asked
        for value in values
    ]
    errors = {action.reason_field or "_general": exc.error} if exc.error else {}
    if v.wants_json():
        from mamar.api.responses import respond

        body = {
            "error": {
                "code": "confirmation_required",
                "message": v.t(action.consequence),
                "field": CONFIRMED,
            }
        }
        return respond(body, 409)
    return v.render(
        "confirm.html",
        {"consequence": v.t(action.consequence), "facts": facts(v, exc.command)},
        title=v.t("Are you sure? %(action)s", action=v.t(action.action)),
        status=409 if not exc.error else 422,
        errors=errors,
        kept=kept,
        action=v.t(action.action),
        reason_field=action.reason_field,
        written=action.written,
        reasons=[(x.value, v.t(x.value)) for x in action.reasons or ()],
        target=v.request.url.path + (f"?{v.request.url.query}" if v.request.url.query else ""),
        back=back_to(v.request),
    )


def back_to(request: Request) -> str:
    """Where "No, go back" leads: the page the form was sent to when it is also a page
    (the general form), else the nearest page above it (a convoy's status form is sent to
    ``…/convoys/<id>/status``: back to the convoy). Pages send no referrer, so the address
    the form was sent to is all there is to go by."""
    path = request.url.path.rstrip("/")
    while path:
        scope = {**request.scope, "method": "GET", "path": path}
        for route in request.app.router.routes:
            if isinstance(route, Route) and route.matches(scope)[0] is Match.FULL:
                return path
        path = path.rsplit("/", 1)[0]
    return "/"
