"""Typed terms of proposals and agreements from a form: one fieldset per kind of term.

A kind of term is included when its main field is filled; the form works without
JavaScript and can carry several kinds at once (a ceasefire and an evacuation).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from mamar.negotiation.terms import Arms, Evacuees
from mamar.web.i18n import zone
from mamar.web.page import View
from mamar.web.pages._formkit import F, Group, Item, enum_options, local_text, moment, text

# The kinds offered, each with the field that decides whether it is included.
MAIN = {
    "ceasefire": "area",
    "evacuation": "who",
    "non_detention": "beneficiaries",
    "weapons_handover": "description",
    "other": "text",
}


def term_items(v: View, places: tuple[tuple[str, str], ...], current: Any = ()) -> list[Item]:
    """The terms' fieldsets, filled from ``current`` terms when given (a new version)."""
    given = _values(current, v.timezone)

    def f(name: str, label: str, kind: str = "text", **extra: Any) -> F:
        return F(f"term.{name}", label, kind, value=given.get(f"term.{name}"), **extra)

    return [
        Group(
            v.t("Ceasefire"),
            (
                f("ceasefire.area", v.t("Area covered")),
                f("ceasefire.starts_at", v.t("Starts (operation's time zone)"), "datetime"),
                f("ceasefire.ends_at", v.t("Ends"), "datetime"),
            ),
            name="terms",
        ),
        Group(
            v.t("Evacuation"),
            (
                f("evacuation.who", v.t("Who leaves"), "select", options=enum_options(v, Evacuees)),
                f("evacuation.description", v.t("Description")),
                f("evacuation.arms", v.t("Arms carried"), "select", options=enum_options(v, Arms)),
                f("evacuation.belongings", v.t("Belongings allowed")),
                f("evacuation.destination", v.t("Destination (place identifier)"), "place"),
                f("evacuation.destination_text", v.t("Destination, if not a known place")),
            ),
        ),
        Group(
            v.t("No detention"),
            (
                f("non_detention.beneficiaries", v.t("Who is protected from detention")),
                f("non_detention.exception", v.t("Exception")),
            ),
        ),
        Group(
            v.t("Handover of weapons"),
            (f("weapons_handover.description", v.t("What is handed over, to whom")),),
        ),
        Group(
            v.t("Other term"),
            (
                f("other.text", v.t("Term, in the words used"), "textarea"),
                f("other.text.translation", v.t("Translation"), "textarea"),
            ),
        ),
    ]


def terms_from(v: View) -> list[dict[str, Any]]:
    terms: list[dict[str, Any]] = []
    for kind, main in MAIN.items():
        if text(v, f"term.{kind}.{main}") is None:
            continue
        term: dict[str, Any] = {"type": kind}
        match kind:
            case "ceasefire":
                term.update(
                    area=text(v, "term.ceasefire.area"),
                    starts_at=moment(v, "term.ceasefire.starts_at"),
                    ends_at=moment(v, "term.ceasefire.ends_at"),
                )
            case "evacuation":
                for key in ("who", "description", "arms", "belongings", "destination"):
                    term[key] = text(v, f"term.evacuation.{key}")
                term["destination_text"] = text(v, "term.evacuation.destination_text")
            case "non_detention":
                term.update(
                    beneficiaries=text(v, "term.non_detention.beneficiaries"),
                    exception=text(v, "term.non_detention.exception"),
                )
            case "weapons_handover":
                term["description"] = text(v, "term.weapons_handover.description")
            case "other":
                term["text"] = local_text(v, "term.other.text")
        terms.append({k: x for k, x in term.items() if x is not None})
    return terms


def _values(terms: Any, tz: str) -> dict[str, str]:
    """Form values for the first term of each kind (to start a new version from the current)."""
    values: dict[str, str] = {}
    for term in terms or ():
        data = term if isinstance(term, dict) else term.model_dump(mode="json")
        kind = data.get("type")
        if kind not in MAIN or f"term.{kind}.{MAIN[kind]}" in values:
            continue
        for key, value in data.items():
            if key in ("type", "label", "key") or value is None:
                continue
            if isinstance(value, dict):  # a LocalText
                values[f"term.{kind}.{key}"] = str(value.get("original", ""))
                if value.get("translation"):
                    values[f"term.{kind}.{key}.translation"] = str(value["translation"])
            else:
                values[f"term.{kind}.{key}"] = (
                    _local(value, tz) if key.endswith("_at") else str(value)
                )
    return values


def _local(value: Any, tz: str) -> str:
    """A stored moment as the ``datetime-local`` value in the operation's zone."""
    try:
        parsed = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return str(value)
    return parsed.astimezone(zone(tz)).strftime("%Y-%m-%dT%H:%M")
