"""The negotiation's state, sides' combined positions, what proposals became, and the
path to reach someone, in the page's language; references by name."""

from __future__ import annotations

from typing import Any

from markupsafe import Markup

from mamar.web.i18n import N_
from mamar.web.page import View
from mamar.web.pages._termwords import term_title
from mamar.web.render import marked

#: How two movements are linked.
LINKS = {
    "simultaneous": N_("simultaneous movement"),
    "exchange": N_("exchange"),
    "sequence": N_("one after the other"),
}
PHASE_STATUS = {
    "not_started": N_("not started"),
    "started": N_("started"),
    "completed": N_("completed"),
}


def state_rows(v: View, state: dict[str, Any]) -> dict[str, Any]:
    last = state.get("last_proposal")
    return {
        "open_issues": [marked(i["title"], v.lang) for i in state["open_issues"]],
        "closed": state["closed_issues"],
        "proposals": state["proposals"],
        "awaiting": state["awaiting_answer"],
        "last": None
        if last is None
        else {
            "id": last["id"],
            "from": v.name_of("party", last["from_party"]),
            "to": v.name_of("party", last["to_party"]),
            "status": v.t(last["status"]),
            "at": v.when(last["tabled_at"], "short"),
        },
        "agreements": [
            {
                "id": a["id"],
                "title": marked(a["title"], v.lang),
                "status": v.t(a["status"]),
                "version": a["current_version"],
                "versions": [
                    v.t("version %(n)s", n=ver["version"])
                    + " — "
                    + v.when(ver["adopted_at"], "short")
                    for ver in a["versions"]
                ],
                "phases": [
                    v.t(
                        "Phase %(n)s: %(status)s",
                        n=p["number"],
                        status=v.t(PHASE_STATUS[p["status"]]),
                    )
                    for p in a["phases"]
                ],
            }
            for a in state["agreements"]
        ],
    }


def _term(v: View, term: dict[str, Any] | None) -> str | Markup:
    return term_title(v, term) if term else v.t("nothing on this")


def combined_rows(v: View, combined: list[dict[str, Any]]) -> list[dict[str, Any]]:
    rows = []
    for held in combined:
        rows.append(
            {
                "side": v.name_of("side", held["side"]),
                "issue": v.name_of("issue", held["issue"]),
                "stances": [
                    (v.name_of("party", party), stance) for party, stance in held["stances"].items()
                ],
                "meet": [term_title(v, t) for t in held["meet"]],
                "differ": [
                    {
                        "term": _term(v, next((t for t in d["by_party"].values() if t), None)),
                        "by": [
                            (v.name_of("party", party), _describe(v, t))
                            for party, t in d["by_party"].items()
                        ],
                    }
                    for d in held["differ"]
                ],
                "silent": [v.name_of("party", p) for p in held["silent"]],
            }
        )
    return rows


def _describe(v: View, term: dict[str, Any] | None) -> str | Markup:
    """A member's version of a term: its title, and its words where it has them."""
    if term is None:
        return v.t("nothing on this")
    for key in ("description", "text", "beneficiaries", "area", "belongings", "destination_text"):
        if term.get(key):
            return Markup("{}: {}").format(term_title(v, term), marked(term[key], v.lang))
    return term_title(v, term)


def became_rows(v: View, became: dict[str, list[dict[str, Any]]]) -> dict[str, list[str]]:
    """Proposal id → "agreement (version n)" for each term it became."""
    return {
        proposal: [
            v.t(
                "%(name)s (version %(n)s)",
                name=v.name_of("agreement", row["agreement"]),
                n=row["version"],
            )
            for row in rows
        ]
        for proposal, rows in became.items()
    }


def reach_rows(v: View, path: list[dict[str, Any]] | None) -> list[dict[str, Any]]:
    return [
        {
            "start": v.name_of(hop["start"]["kind"], hop["start"]["id"]),
            "end": v.name_of(hop["end"]["kind"], hop["end"]["id"]),
            "via": Markup(v.t(", ")).join(v.name_of(w["kind"], w["id"]) for w in hop["via"]),
            "status": v.t(hop["status"]),
            "last": v.when(hop["last_worked"], "short") if hop["last_worked"] else None,
        }
        for hop in path or ()
    ]
