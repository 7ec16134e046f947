"""An agreement's roles, phases, conditions and fulfilment in words, in the page's
language, every reference shown by name (read through the viewer)."""

from __future__ import annotations

from typing import Any

from markupsafe import Markup

from mamar.i18n.labels import status_label
from mamar.web.i18n import N_, number
from mamar.web.page import View
from mamar.web.pages._termwords import term_title
from mamar.web.render import marked

ROLES = (
    ("parties", N_("Parties")),
    ("guarantors", N_("Guarantors")),
    ("facilitators", N_("Facilitators (carry out the movement, guarantee nothing)")),
    ("brokers", N_("Brokers")),
    ("observers", N_("Observers")),
)
PHASE_STATUS = {
    "not_started": N_("not started"),
    "started": N_("started"),
    "completed": N_("completed"),
}
FULFILMENT = {
    "not_started": N_("not started"),
    "partial": N_("partly carried out"),
    "fulfilled": N_("carried out"),
    "not_fulfilled": N_("not carried out"),
}
HOLDS = {
    True: N_("it holds now"),
    False: N_("it does not hold yet"),
    None: N_("for people to judge"),
}


def party_list(v: View, ids: Any) -> str:
    return Markup(v.t(", ")).join(v.name_of("party", p) for p in ids or ()) if ids else "—"


def roles(v: View, record: dict[str, Any]) -> list[tuple[str, str]]:
    """(role, names) for each role filled; who declared it, for a unilateral declaration."""
    rows = [(v.t(label), party_list(v, record.get(key))) for key, label in ROLES if record.get(key)]
    if record.get("declared_by"):
        rows.insert(0, (v.t("Declared unilaterally by"), v.name_of("party", record["declared_by"])))
    return rows


def _term_named(v: View, terms: list[dict[str, Any]], keys: list[str], key: str) -> Any:
    for held, term in zip(keys, terms, strict=False):
        if held == key:
            return term_title(v, term)
    return v.t("a term no longer in this version")


def condition_words(
    v: View, condition: dict[str, Any] | None, terms: list[dict[str, Any]], keys: list[str]
) -> str | Markup:
    if not condition:
        return ""
    kind = condition.get("kind")
    if kind == "phase_completed":
        return v.t("when phase %(n)s is completed", n=condition.get("phase"))
    if kind == "convoys_arrived":
        if condition.get("convoys"):
            names = Markup(v.t(", ")).join(v.name_of("convoy", c) for c in condition["convoys"])
            return v.t("when these convoys have arrived: %(names)s", names=names)
        return v.t("when the convoys of phase %(n)s have arrived", n=condition.get("phase"))
    if kind == "term_fulfilled":
        named = _term_named(v, terms, keys, str(condition.get("term")))
        return Markup(v.t("when this term is carried out: %(term)s", term="{}")).format(named)
    if kind == "in_exchange":
        named = _term_named(v, terms, keys, str(condition.get("term")))
        return Markup(v.t("in exchange for: %(term)s", term="{}")).format(named)
    return marked(condition.get("description"), v.lang)


def phases(
    v: View, held: list[dict[str, Any]], terms: list[dict[str, Any]], keys: list[str]
) -> list[dict[str, Any]]:
    return [
        {
            "number": p["number"],
            "title": v.t("Phase %(n)s", n=p["number"]),
            "description": marked(p.get("description"), v.lang),
            "status": v.t(PHASE_STATUS[p["status"]]),
            "condition": condition_words(v, p.get("condition"), terms, keys),
            "holds": v.t(HOLDS[p["holds"]]) if p.get("condition") else "",
            "waiting_for": [
                Markup("{} ({})").format(
                    v.name_of("convoy", w["convoy"]), status_label(w["status"] or "unknown", v.lang)
                )
                for w in p["waiting_for"]
            ],
            "convoys": [v.name_of("convoy", c) for c in p["convoys"]],
        }
        for p in held
    ]


def fulfilment(
    v: View, rows: list[dict[str, Any]], terms: list[dict[str, Any]], keys: list[str]
) -> list[dict[str, Any]]:
    out = []
    for row in rows:
        term = row["term"]
        latest = row["latest"]
        done = ""
        if latest and latest.get("done") is not None:
            if latest.get("of") is not None:
                done = v.t(
                    "%(done)s of %(of)s",
                    done=number(latest["done"], v.lang),
                    of=number(latest["of"], v.lang),
                )
            else:
                done = number(latest["done"], v.lang)
        out.append(
            {
                "key": row.get("key") or "",
                "title": term_title(v, term),
                "phase": v.t("Phase %(n)s", n=term["phase"]) if term.get("phase") else "",
                "condition": condition_words(v, term.get("condition"), terms, keys),
                "proposal": v.name_of("proposal", term["proposal"]) if term.get("proposal") else "",
                "status": v.t(FULFILMENT[latest["status"]]) if latest else v.t("nothing reported"),
                "done": done,
                "at": v.when(latest["at"], "short") if latest else "",
                "evidence": [
                    v.name_of(ref["kind"], ref["id"])
                    for ref in (latest or {}).get("evidence") or ()
                ],
                "note": (latest or {}).get("note"),
            }
        )
    return out
