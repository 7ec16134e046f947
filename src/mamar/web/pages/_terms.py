"""Typed terms of proposals and agreements from a form: lists of terms that can grow.

Every term of every kind has its own fieldset, named ``term.{kind}.{n}.{field}``;
a new version starts from every current term (none is dropped), and each kind
offers one empty fieldset more. "Add another …" buttons (no JavaScript needed)
show the form again, as typed, with one more empty fieldset of that kind. A
term's ``key`` and ``label`` travel in hidden fields so a new version keeps them.

A term's words (its area, description, beneficiaries…) are kept with their language: what
is typed is in the page's language; words a new version starts from and leaves as they
were keep the language and translations they had (they travel in the hidden field too),
so an unchanged term stays the same term whatever page it is adopted from.
"""

from __future__ import annotations

import contextlib
import json
from datetime import datetime
from typing import Any

from mamar.domain.text import UNDETERMINED
from mamar.negotiation.terms import Arms, Evacuees, Released
from mamar.web import forms, i18n
from mamar.web.i18n import N_, zone
from mamar.web.page import View
from mamar.web.pages._formkit import (
    GROW,
    F,
    Group,
    Item,
    chosen,
    enum_options,
    local_text,
    moment,
    text,
)

#: Per kind: its legend, and its fields (name, label, input kind). A slot is a term
#: when any of its fields is filled.
KINDS: dict[str, tuple[str, tuple[tuple[str, str, str], ...]]] = {
    "ceasefire": (
        N_("Ceasefire"),
        (
            ("area", N_("Area covered"), "prose"),
            ("starts_at", N_("Starts (operation's time zone)"), "datetime"),
            ("ends_at", N_("Ends"), "datetime"),
        ),
    ),
    "evacuation": (
        N_("Evacuation"),
        (
            ("who", N_("Who leaves"), "select"),
            ("description", N_("Description"), "prose"),
            ("arms", N_("Arms carried"), "select"),
            ("belongings", N_("Belongings allowed"), "prose"),
            ("destination", N_("Destination"), "place"),
            ("destination_text", N_("Destination, if not a known place"), "prose"),
            ("route", N_("Route"), "route"),
            ("count", N_("How many"), "number"),
        ),
    ),
    "non_detention": (
        N_("No detention"),
        (
            ("beneficiaries", N_("Who is protected from detention"), "prose"),
            ("exception", N_("Exception"), "prose"),
        ),
    ),
    "weapons_handover": (
        N_("Handover of weapons"),
        (("description", N_("What is handed over, to whom"), "prose"),),
    ),
    "passage": (
        N_("Passage"),
        (("route", N_("Route"), "route"), ("vehicles", N_("Vehicles"), "prose")),
    ),
    "humanitarian_access": (
        N_("Humanitarian access"),
        (
            ("organisations", N_("Organisations given access"), "multi"),
            ("description", N_("Description"), "prose"),
        ),
    ),
    "release": (
        N_("Release"),
        (
            ("subjects", N_("Who is released"), "select"),
            ("count", N_("How many"), "number"),
            ("description", N_("Description"), "prose"),
        ),
    ),
    "phase": (
        N_("Phase"),
        (
            ("number", N_("Phase number"), "number"),
            ("description", N_("Description"), "prose"),
        ),
    ),
    "other": (
        N_("Other term"),
        (
            ("text", N_("Term, in the words used"), "prose"),
            ("text.translation", N_("Translation"), "textarea"),
        ),
    ),
}
#: The choices of each select field of a term.
_CHOICES: dict[str, type[Evacuees] | type[Arms] | type[Released]] = {
    "who": Evacuees,
    "arms": Arms,
    "subjects": Released,
}
#: Fields a form does not show, carried in the hidden ``keep`` field so that a new
#: version made on the form keeps them.
KEPT = ("key", "label", "phase", "condition", "proposal", "by_party")
#: Where the hidden ``keep`` field holds the words of a term's text fields as they were (a
#: text with its language and translations), by field.
WORDS = "words"
MORE = GROW
#: The words of each "add another" button.
ADD_ANOTHER = N_("Add another term: %(kind)s")


def more_requested(v: View) -> bool:
    """The form was sent to add a term fieldset, not to record anything."""
    return bool(v.form.get(MORE))


def term_items(
    v: View,
    places: tuple[tuple[str, str], ...],
    current: Any = (),
    *,
    routes: tuple[tuple[str, str], ...] = (),
    parties: tuple[tuple[str, str], ...] = (),
) -> list[Item]:
    """The terms' fieldsets: the current terms (a new version), or as typed, plus one
    empty fieldset per kind (two of the kind whose "add another" was pressed). A place or a
    route is picked by its name from the operation's (``places``, ``routes``)."""
    given = _values(current, v.timezone)
    counts = {kind: _count(v, given, kind) for kind in KINDS}
    items: list[Item] = []
    first = True
    for kind, (legend, fields) in KINDS.items():
        extra = 2 if v.form.get(MORE) == kind else 1
        for n in range(counts[kind] + extra):
            prefix = f"term.{kind}.{n}"
            shown = []
            for name, label, input_kind in fields:
                full = f"{prefix}.{name}"
                value = given.get(full)
                if input_kind == "select":
                    values = _CHOICES[name]
                    shown.append(
                        F(full, v.t(label), "select", enum_options(v, values), value=value)
                    )
                elif input_kind in ("place", "route"):
                    listed = _kept_choice(
                        v, places if input_kind == "place" else routes, value, input_kind
                    )
                    shown.append(F(full, v.t(label), "select", listed, value=value))
                elif input_kind == "multi":
                    shown.append(F(full, v.t(label), "multi", parties, value=value))
                else:
                    language = given.get(f"{full}.language")  # a current term's text
                    shown.append(F(full, v.t(label), input_kind, value=value, language=language))
            shown.append(F(f"{prefix}.keep", "", "hidden", value=given.get(f"{prefix}.keep")))
            items.append(
                Group(
                    v.t(legend) if n == 0 else f"{v.t(legend)} ({i18n.number(n + 1, v.lang)})",
                    tuple(shown),
                    name="terms" if first else "",
                )
            )
            first = False
    items.append(
        F(
            MORE,
            "",
            "buttons",
            tuple(
                (kind, v.t(ADD_ANOTHER, kind=v.t(legend))) for kind, (legend, _) in KINDS.items()
            ),
        )
    )
    return items


#: What an option says of a term's place or route the reader may not see.
_UNSEEN = {"place": N_("Place not visible"), "route": N_("Not visible")}


def _kept_choice(
    v: View, listed: tuple[tuple[str, str], ...], value: str | None, kind: str
) -> tuple[tuple[str, str], ...]:
    """The records to pick from, and the term's current one if it is none of them (a record
    the reader may not see): kept as it is when the new version is adopted."""
    if value and value not in dict(listed):
        return ((value, v.t(_UNSEEN[kind])), *listed)
    return listed


def _count(v: View, given: dict[str, str], kind: str) -> int:
    """How many slots of ``kind`` hold a term (typed in the form, or current)."""
    source = v.form if v.form else given
    numbers = [
        int(key.split(".")[2])
        for key, value in source.items()
        if key.startswith(f"term.{kind}.") and value and key.split(".")[2].isdigit()
    ]
    numbers += [
        int(key.split(".")[2])
        for key, value in v.form_lists.items()
        if key.startswith(f"term.{kind}.") and any(value) and key.split(".")[2].isdigit()
    ]
    return max(numbers) + 1 if numbers else 0


def terms_from(v: View) -> list[dict[str, Any]]:
    """Every filled term fieldset, kind by kind, in order."""
    return [term for _prefix, term in _filled(v)]


def terms_given_by(v: View) -> dict[str, str]:
    """Each term the command is given (``terms.3``) → the fieldset it was typed in
    (``term.evacuation.0``): a refusal of a term's field is said beside that field."""
    given: dict[str, str] = {}
    for n, (prefix, term) in enumerate(_filled(v)):
        given[f"terms.{n}"] = prefix
        given[f"terms.{n}.{term['type']}"] = prefix  # a refusal names the term's kind too
    return given


def _filled(v: View) -> list[tuple[str, dict[str, Any]]]:
    """Every filled term fieldset (its prefix, and the term), kind by kind, in order."""
    terms: list[tuple[str, dict[str, Any]]] = []
    for kind, (_legend, fields) in KINDS.items():
        for n in range(_count(v, {}, kind)):
            prefix = f"term.{kind}.{n}"
            term: dict[str, Any] = {}
            kept = _kept(text(v, f"{prefix}.keep"))
            held = kept.pop(WORDS, None)
            held = held if isinstance(held, dict) else {}
            for name, _label, input_kind in fields:
                full = f"{prefix}.{name}"
                if name == "text.translation":
                    continue
                if input_kind == "datetime":
                    term[name] = moment(v, full)
                elif input_kind == "number":
                    term[name] = forms.whole_number(v, full, text(v, full))
                elif input_kind == "multi":
                    term[name] = chosen(v, full) or None
                elif input_kind == "prose":  # words, kept with their language
                    term[name] = _words(v, full, held.get(name))
                else:
                    term[name] = text(v, full)
            term = {k: x for k, x in term.items() if x is not None}
            if not term:
                continue
            term.update(kept)
            terms.append((prefix, {"type": kind, **term}))
    return terms


def _kept(value: str | None) -> dict[str, Any]:
    """What the hidden ``keep`` field of a term holds (nothing, if it is not what the form
    put there)."""
    found: Any = None
    if value:
        with contextlib.suppress(ValueError, TypeError):
            found = json.loads(value)
    return found if isinstance(found, dict) else {}


def _words(v: View, name: str, held: Any) -> dict[str, Any] | None:
    """The words typed in a term's text field, with their language: the page's, unless they
    are the words the term already had, which keep their own language and translations."""
    typed = local_text(v, name)
    if typed is None or not isinstance(held, dict) or held.get("original") != typed["original"]:
        return typed
    if f"{name}.translation" in v.form:  # a field for its translation: it shows the first
        held_ones = [one for one in held.get("translations") or () if isinstance(one, dict)]
        typed_ones = [one["text"] for one in typed.get("translations", ())]
        if typed_ones != [one.get("text") for one in held_ones][:1]:
            return typed
    # The same words said to be in another language (never from an earlier journal's words,
    # whose language is not known: the select beside them cannot show that, so it is no word).
    if held.get("language") not in (typed["language"], UNDETERMINED):
        return {**held, "language": typed["language"]}
    return held  # the words as they were


def _values(terms: Any, tz: str) -> dict[str, str]:
    """Form values for every current term (to start a new version from the current)."""
    values: dict[str, str] = {}
    seen: dict[str, int] = {}
    for term in terms or ():
        data = term if isinstance(term, dict) else term.model_dump(mode="json")
        kind = data.get("type")
        if kind not in KINDS:
            continue
        n = seen.get(kind, 0)
        seen[kind] = n + 1
        prefix = f"term.{kind}.{n}"
        keep = {k: data[k] for k in KEPT if data.get(k) is not None}
        words = {
            name: data[name]
            for name, _label, input_kind in KINDS[kind][1]
            if input_kind == "prose" and isinstance(data.get(name), dict)
        }
        if words:
            keep[WORDS] = words
        if keep:
            values[f"{prefix}.keep"] = json.dumps(keep, ensure_ascii=False)
        for key, value in data.items():
            if key == "type" or key in KEPT or value is None:
                continue
            if isinstance(value, dict):  # a LocalText
                values[f"{prefix}.{key}"] = str(value.get("original", ""))
                values[f"{prefix}.{key}.language"] = str(value.get("language") or "")
                translations = value.get("translations") or ()
                if translations:
                    values[f"{prefix}.{key}.translation"] = str(translations[0].get("text", ""))
            elif isinstance(value, list):
                values[f"{prefix}.{key}"] = ",".join(str(x) for x in value)
            else:
                values[f"{prefix}.{key}"] = _local(value, tz) if key.endswith("_at") else str(value)
    return values


def _local(value: Any, tz: str) -> str:
    """A stored moment as a date-and-time field's value in the operation's zone."""
    try:
        parsed = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return str(value)
    return parsed.astimezone(zone(tz)).strftime("%Y-%m-%d %H:%M")
