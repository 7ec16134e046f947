"""A convoy's vehicles and escorts on its forms (planning it, adding to it): lists that grow
(see ``_rows``), every row kept when the form is refused, the reason beside the row's field.

A vehicles row: their kind in the users' words (in the language chosen beside them), how
many (left empty: not known, as for private cars) and who provides them. An escort row:
the escorting party, picked by name (its identifier travels as the option's value only),
its vehicles and what it is. "Add another vehicle" and "add another escort" show the form
again, as typed, with one more row, and record nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from mamar.web import forms, i18n
from mamar.web.i18n import N_
from mamar.web.page import View
from mamar.web.pages._formkit import (
    GROW,
    F,
    Form,
    Group,
    Item,
    clean,
    group_errors,
    local_text,
    text,
)
from mamar.web.pages._rows import Rows

#: The plan's vehicles (two rows to start with: ambulances and buses, say), its escorts.
VEHICLES = Rows("vehicles", "vehicle", ("kind", "count", "party"), first=2)
ESCORTS = Rows("escorts", "escort", ("party", "vehicles", "description"))
#: The vehicles added to a convoy planned already: one row to start with.
ADDED_VEHICLES = replace(VEHICLES, first=1)
#: The commands that add a row's vehicles, a row's escort, to a convoy planned already.
ADD_VEHICLES = "convoy.add_vehicles"
ADD_ESCORT = "convoy.add_escort"


#: Each list's legend and its rows' fields (part, label, kind): a select is of parties.
_FIELDS = {
    VEHICLES.name: (
        N_("Vehicles"),
        (
            ("kind", N_("Kind of vehicle"), "line"),
            ("count", N_("Number"), "number"),
            ("party", N_("Provided by"), "select"),
        ),
    ),
    ESCORTS.name: (
        N_("Escort"),
        (
            ("party", N_("Escorting party"), "select"),
            ("vehicles", N_("Escort vehicles"), "number"),
            ("description", N_("Description"), "line"),
        ),
    ),
}


def row_items(
    v: View, form: Mapping[str, str], rows: Rows, parties: Sequence[tuple[str, Any]]
) -> list[Item]:
    """A fieldset per row of the list (vehicles: their kind, how many, who provides them;
    escorts: the escorting party, its vehicles, what it is), a party picked by its name: as
    many rows as were sent (``form``), one more if asked."""
    legend, fields = _FIELDS[rows.name]
    picked = tuple(parties)
    return [
        Group(
            f"{v.t(legend)} ({i18n.number(n + 1, v.lang)})",
            tuple(
                F(rows.field(n, part), v.t(label), kind, picked if kind == "select" else ())
                for part, label, kind in fields
            ),
            name=rows.row(n),
        )
        for n in range(rows.count(form, grow=rows.grows(form)))
    ]


def grow_buttons(v: View) -> F:
    """The buttons that add a row (shown after the form's own, so that Enter records)."""
    return F(
        GROW,
        "",
        "buttons",
        (
            (VEHICLES.more, v.t("Add another vehicle")),
            (ESCORTS.more, v.t("Add another escort")),
        ),
    )


@dataclass(frozen=True)
class Read:
    """The vehicles and escorts of the rows filled in, in order, and where each was typed
    (the command's ``vehicles.{k}`` → its row, ``vehicles.{n}``; each row's own problem,
    noted as ``vehicles.row{n}``, → the row)."""

    vehicles: list[dict[str, Any]]
    escorts: list[dict[str, Any]]
    given_by: dict[str, str]


def read(v: View, vehicles: Rows = VEHICLES, escorts: Rows = ESCORTS) -> Read:
    """The rows typed. A count that is not a whole number is refused beside its field (said
    with the form's other problems); a row's other problems (a kind or a party left out)
    are said by the command, beside the row's field."""
    form = v.form
    found: dict[str, list[dict[str, Any]]] = {}
    given: dict[str, str] = {}
    for rows, number, parts in (
        (vehicles, "count", {"kind": "words", "party": "text"}),
        (escorts, "vehicles", {"party": "text", "description": "words"}),
    ):
        at = rows.filled(form, rows.count(form))
        items = []
        for n in at:
            item: dict[str, Any] = {
                part: local_text(v, rows.field(n, part))
                if how == "words"
                else text(v, rows.field(n, part))
                for part, how in parts.items()
            }
            typed = form.get(rows.field(n, number))
            item[number] = forms.whole_number(v, rows.problem(n, number), typed)
            items.append(clean(item))
        found[rows.name] = items
        given |= rows.given_by(at, at)
    return Read(found[vehicles.name], found[escorts.name], given)


def additions(convoy: str, typed: Read) -> list[tuple[str, dict[str, Any]]]:
    """The commands adding the rows to a convoy planned already: a command per row, the
    vehicles first (see :func:`where`)."""
    return [(ADD_VEHICLES, {"id": convoy, "vehicles": x}) for x in typed.vehicles] + [
        (ADD_ESCORT, {"id": convoy, "escort": x}) for x in typed.escorts
    ]


def where(typed: Read) -> Callable[[int, str], str]:
    """Where a field of one of the :func:`additions` is said: the k-th vehicles' (``vehicles.
    kind``) as the plan's k-th vehicles (``vehicles.{k}.kind``), the k-th escort's (``escort.
    party``) as the plan's k-th escort (``escorts.{k}.party``), the convoy's above the page."""
    count = len(typed.vehicles)

    def field(index: int, key: str) -> str:
        head, dot, rest = key.partition(".")
        if head == "id":
            return forms.GENERAL
        if index < count and head == "vehicles":
            return f"{VEHICLES.row(index)}{dot}{rest}"
        if index >= count and head == "escort":
            return f"{ESCORTS.row(index - count)}{dot}{rest}"
        return key

    return field


def placed(errors: dict[str, str], items: list[Item], given_by: dict[str, str]) -> dict[str, str]:
    """Each message about a row beside the row's field it is about (the command's
    ``vehicles.1.count`` beside ``vehicles.3.count`` when row 3 held its second vehicles);
    one about a list as a whole on its first row; the others where they were."""
    lists = (VEHICLES.name, ESCORTS.name)
    known = {k for k in errors if k.partition(".")[0] not in lists}
    return group_errors(errors, known | Form("", items, "").names(), given_by)
