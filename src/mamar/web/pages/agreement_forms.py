"""Forms on an agreement's page: who holds which role, a phase started or completed, how
far a term is carried out (with the records that show it), and the convoys carrying out a
phase. Every choice is picked by name; ids are never typed."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from markupsafe import Markup

from mamar import reads
from mamar.access.rules import RuleBook
from mamar.agreements.commands import EVIDENCE_KINDS
from mamar.agreements.events import FulfilmentStatus, PhaseStatus
from mamar.agreements.model import AgreementState
from mamar.negotiation.terms import term_keys
from mamar.web.page import View
from mamar.web.pages._agreementwords import FULFILMENT, PHASE_STATUS
from mamar.web.pages._formkit import (
    F,
    Form,
    add_form,
    chosen,
    local_text,
    options,
    record_options,
    tagged_ref,
    text,
)
from mamar.web.pages._shared import number
from mamar.web.pages._termwords import term_title
from mamar.web.render import called, local, page_title

#: The roles named on the roles form, with their labels.
ROLE_FIELDS = (
    ("guarantors", "Guarantors"),
    ("facilitators", "Facilitators (carry out the movement, guarantee nothing)"),
    ("brokers", "Brokers"),
    ("observers", "Observers"),
)


def _state(v: View, agreement_id: str | None) -> AgreementState:
    """The agreement as it was at the page's moment (``?at=``; a form sent reads it now)."""
    with v.system.reading() as conn:
        state = reads.get_state(
            conn, viewer=v.actor, kind="agreement", entity_id=agreement_id or "", at_utc=v.at_utc()
        )
    assert isinstance(state, AgreementState)
    return state


def _title(v: View, state: AgreementState, words: str) -> str:
    return v.t(words, name=called({"id": state.id, "title": state.title.model_dump()}, v.lang))


def _page(v: View, op: str, agreement_id: str | None) -> str:
    return f"/ops/{op}/agreements/{agreement_id}"


def term_options(v: View, state: AgreementState) -> tuple[tuple[str, str], ...]:
    """The current version's terms, by key, each in words (kind, whom, its description,
    its phase): phases themselves are not carried out, so they are left out."""
    out = []
    for key, term in zip(term_keys(state.terms), state.terms, strict=True):
        if term.type == "phase":
            continue
        held = term.model_dump(mode="json")
        label = str(page_title(term_title(v, held)))  # an option holds plain text
        if held.get("description"):
            label += " — " + local(held["description"], v.lang)
        if held.get("count") is not None:
            label += " — " + v.t("%(n)s agreed", n=number_words(v, held["count"]))
        if held.get("phase"):
            label += " (" + v.t("Phase %(n)s", n=held["phase"]) + ")"
        out.append((key, label))
    return tuple(out)


def number_words(v: View, value: int) -> str:
    from mamar.web.i18n import number as formatted

    return formatted(value, v.lang)


def phase_options(v: View, state: AgreementState) -> tuple[tuple[str, str], ...]:
    return tuple((str(n), v.t("Phase %(n)s", n=n)) for n in state.phase_numbers())


def evidence_options(v: View, op: str) -> tuple[tuple[str, str], ...]:
    """Records that may show a term is carried out, as ``kind:id``, named with their kind."""
    return record_options(v, op, EVIDENCE_KINDS, tagged=True)


# --- roles --------------------------------------------------------------------------------


def _roles_form(v: View, op: str, agreement_id: str | None) -> Form:
    state = _state(v, agreement_id)
    parties = tuple(p for p in options(v, op, "party") if p[0] not in state.parties)
    fields = [
        F(name, v.t(label), "multi", parties, value=",".join(getattr(state, name)))
        for name, label in ROLE_FIELDS
    ]
    return Form(
        _title(v, state, "Name the roles on agreement: %(name)s"),
        [*fields, F("reason", v.t("Why the roles change"), "prose")],
        v.t("Record the roles"),
        intro=v.t(
            "A facilitator, broker or observer is not a party and holds one role only; "
            "a party to the agreement may also guarantee it. Leave a list empty to name no one."
        ),
        facts=[(v.t("Parties"), _party_names(v, state.parties))],
    )


def _party_names(v: View, ids: tuple[str, ...]) -> str:
    return str(Markup(v.t(", ")).join(v.name_of("party", p) for p in ids)) or "—"


def _roles_data(v: View, op: str, agreement_id: str | None) -> dict[str, Any]:
    # Every role is given (an empty list names no one), so the form says the whole set.
    return {
        "id": agreement_id,
        **{name: chosen(v, name) for name, _label in ROLE_FIELDS},
        "reason": local_text(v, "reason"),
    }


# --- phases -------------------------------------------------------------------------------


def _phase_form(v: View, op: str, agreement_id: str | None) -> Form:
    state = _state(v, agreement_id)
    statuses = tuple((s.value, v.t(PHASE_STATUS[s.value])) for s in PhaseStatus)
    return Form(
        _title(v, state, "Change a phase of agreement: %(name)s"),
        [
            F(
                "phase",
                v.t("Phase"),
                "select",
                phase_options(v, state),
                required=True,
                value=v.request.query_params.get("phase"),
            ),
            F("status", v.t("State of the phase"), "select", statuses, required=True),
            F("note", v.t("Note"), "prose"),
        ],
        v.t("Record the change of phase"),
        intro=v.t(
            "Starting a phase before its condition holds is recorded, and the record says so."
        ),
    )


def _phase_data(v: View, op: str, agreement_id: str | None) -> dict[str, Any]:
    return {
        "id": agreement_id,
        "phase": number(text(v, "phase")),
        "status": text(v, "status"),
        "note": local_text(v, "note"),
    }


# --- fulfilment ---------------------------------------------------------------------------


def _fulfilment_form(v: View, op: str, agreement_id: str | None) -> Form:
    state = _state(v, agreement_id)
    statuses = tuple((s.value, v.t(FULFILMENT[s.value])) for s in FulfilmentStatus)
    return Form(
        _title(v, state, "Record how far a term of agreement %(name)s is carried out"),
        [
            F(
                "term",
                v.t("Term"),
                "select",
                term_options(v, state),
                required=True,
                value=v.request.query_params.get("term"),
            ),
            F("status", v.t("Status"), "select", statuses, required=True),
            F("done", v.t("How many so far"), "number"),
            F(
                "of",
                v.t("Out of"),
                "number",
                hint=v.t("Leave empty for the number the term agrees"),
            ),
            F("evidence", v.t("What shows it (records)"), "multi", evidence_options(v, op)),
            F("note", v.t("Note"), "prose"),
        ],
        v.t("Record the fulfilment"),
    )


def _fulfilment_data(v: View, op: str, agreement_id: str | None) -> dict[str, Any]:
    evidence = [tagged_ref(ref) for ref in chosen(v, "evidence")]
    return {
        "id": agreement_id,
        "term": text(v, "term"),
        "status": text(v, "status"),
        "done": number(text(v, "done")),
        "of": number(text(v, "of")),
        "evidence": evidence,
        "note": local_text(v, "note"),
    }


# --- convoys of a phase -------------------------------------------------------------------


def _convoys_form(v: View, op: str, agreement_id: str | None) -> Form:
    state = _state(v, agreement_id)
    phases = phase_options(v, state)
    asked = v.request.query_params.get("phase") or (phases[0][0] if phases else "")
    return Form(
        _title(v, state, "Assign convoys to a phase of agreement: %(name)s"),
        [
            F("phase", v.t("Phase"), "select", phases, required=True, value=asked),
            F(
                "convoys",
                v.t("Convoys carrying it out"),
                "multi",
                options(v, op, "convoy"),
                value=",".join(state.phase_convoys.get(asked, ())),
            ),
        ],
        v.t("Assign the convoys"),
        intro=v.t("The list replaces the phase's convoys: keep those still carrying it out."),
        facts=[
            (
                v.t("Phase %(n)s", n=phase),
                str(Markup(v.t(", ")).join(v.name_of("convoy", c) for c in convoys)),
            )
            for phase, convoys in sorted(state.phase_convoys.items())
        ],
    )


def _convoys_data(v: View, op: str, agreement_id: str | None) -> dict[str, Any]:
    return {
        "id": agreement_id,
        "phase": number(text(v, "phase")),
        "convoys": chosen(v, "convoys"),
    }


def add_routes(app: FastAPI, book: RuleBook) -> None:
    base = "/ops/{op}/agreements/{id}"
    roles = tuple(name for name, _label in ROLE_FIELDS)
    add_form(
        app,
        book,
        f"{base}/roles",
        "agreement.name_roles",
        _roles_form,
        _roles_data,
        _page,
        keep=roles,  # an empty list names no one in that role
    )
    add_form(app, book, f"{base}/phase", "agreement.change_phase", _phase_form, _phase_data, _page)
    add_form(
        app,
        book,
        f"{base}/fulfilment",
        "agreement.record_fulfilment",
        _fulfilment_form,
        _fulfilment_data,
        _page,
    )
    add_form(
        app,
        book,
        f"{base}/convoys",
        "agreement.assign_convoys",
        _convoys_form,
        _convoys_data,
        _page,
    )
