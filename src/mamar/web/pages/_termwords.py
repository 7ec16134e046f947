"""Terms of proposals and agreements in words: each field named as on the form, each value
in the page's language (choices translated, times in the operation's zone, places and
routes by name), for the side-by-side comparison of versions."""

from __future__ import annotations

from typing import Any

from markupsafe import Markup

from mamar.web.i18n import N_, tr
from mamar.web.page import View
from mamar.web.pages._terms import KINDS
from mamar.web.render import marked

CHANGES = {
    "added": N_("added"),
    "removed": N_("removed"),
    "changed": N_("changed"),
    "unchanged": N_("unchanged"),
}
LABEL = N_("Label")
#: Fields every kind of term may have.
COMMON = {
    "label": LABEL,
    "phase": N_("Phase"),
    "condition": N_("Condition"),
    "proposal": N_("From the proposal"),
    "by_party": N_("Released by"),
}
#: Choices shown in words (their msgids are the stored values).
CHOICES = ("who", "arms", "subjects")


def field_label(v: View, kind: str, name: str) -> str:
    for field_name, label, _input in KINDS.get(kind, ("", ()))[1]:
        if field_name == name:
            return v.t(label)
    return v.t(COMMON[name]) if name in COMMON else v.t(name)


def _value(v: View, name: str, value: Any, names: dict[str, str]) -> str | Markup:
    if name == "condition" and isinstance(value, dict):
        from mamar.web.pages._agreementwords import condition_words

        return condition_words(v, value, [], [])
    if name == "phase":
        return v.t("Phase %(n)s", n=value)
    if name == "proposal":
        return v.name_of("proposal", str(value))
    if isinstance(value, dict):
        return marked(value, v.lang)
    if isinstance(value, list | tuple):
        return tr(v.lang, ", ").join(str(_value(v, name, x, names)) for x in value)
    text = str(value)
    if name.endswith("_at"):
        return v.when(text)
    if name in CHOICES:
        return v.t(text)
    return names.get(text, text)


def term_title(v: View, term: dict[str, Any] | None) -> str | Markup:
    if not term:
        return ""
    kind = str(term.get("type"))
    title = v.t(KINDS[kind][0]) if kind in KINDS else v.t("Other term")
    if term.get("label"):
        return Markup("{}: {}").format(title, marked(term["label"], v.lang))
    if kind == "evacuation" and term.get("who"):
        return Markup("{}: {}").format(title, v.t(str(term["who"])))
    return title


def term_lines(
    v: View, term: dict[str, Any] | None, changed: tuple[str, ...], names: dict[str, str]
) -> list[dict[str, Any]]:
    """(label, value, changed) for each field given, in the form's order."""
    if not term:
        return []
    kind = str(term.get("type"))
    order = [name for name, _label, _input in KINDS.get(kind, ("", ()))[1]]
    keys = [k for k in order if k in term] + [
        k for k in term if k not in order and k not in ("type", "key")
    ]
    return [
        {
            "label": field_label(v, kind, key),
            "value": _value(v, key, term[key], names),
            "changed": key in changed,
        }
        for key in keys
        if term.get(key) not in (None, "", [], ())
    ]


def comparison_rows(
    v: View, comparison: dict[str, Any], names: dict[str, str]
) -> list[dict[str, Any]]:
    rows = []
    for row in comparison["rows"]:
        term = row.get("after") or row.get("before") or {}
        changed = tuple(row.get("fields") or ())
        rows.append(
            {
                "change": row["change"],
                "change_words": v.t(CHANGES.get(row["change"], "changed")),
                "changed_fields": tr(v.lang, ", ").join(
                    field_label(v, str(term.get("type")), f) for f in changed
                ),
                "title": term_title(v, term),
                "before": term_lines(v, row.get("before"), changed, names),
                "after": term_lines(v, row.get("after"), changed, names),
            }
        )
    return rows
