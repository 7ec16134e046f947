"""Whether a term's or a phase's condition holds, from the agreement and its convoys."""

from __future__ import annotations

from collections.abc import Callable

from mamar.agreements.events import FulfilmentStatus, PhaseStatus
from mamar.agreements.model import AgreementState
from mamar.negotiation.terms import Condition, ConditionKind, PhaseTerm

#: A convoy's current status by id (None: unknown to the reader).
ConvoyStatusOf = Callable[[str], str | None]


def convoys_of(condition: Condition, state: AgreementState) -> tuple[str, ...]:
    """The convoys a ``convoys_arrived`` condition waits for: those named, else the phase's."""
    if condition.convoys:
        return condition.convoys
    if condition.phase is not None:
        return state.phase_convoys.get(str(condition.phase), ())
    return ()


def condition_holds(
    condition: Condition, state: AgreementState, convoy_status: ConvoyStatusOf
) -> bool | None:
    """True or False; None when the condition is in words only (nobody but people can tell)."""
    match condition.kind:
        case ConditionKind.PHASE_COMPLETED:
            assert condition.phase is not None
            return state.phase_status(condition.phase) is PhaseStatus.COMPLETED
        case ConditionKind.CONVOYS_ARRIVED:
            convoys = convoys_of(condition, state)
            return bool(convoys) and all(convoy_status(c) == "arrived" for c in convoys)
        case ConditionKind.TERM_FULFILLED:
            assert condition.term is not None
            report = state.fulfilment_of(condition.term)
            return report is not None and report.status is FulfilmentStatus.FULFILLED
        case ConditionKind.IN_EXCHANGE:
            # An exchange moves together: the other half has begun.
            assert condition.term is not None
            report = state.fulfilment_of(condition.term)
            return report is not None and report.status in (
                FulfilmentStatus.PARTIAL,
                FulfilmentStatus.FULFILLED,
            )
    return None


def phase_term(state: AgreementState, number: int) -> PhaseTerm | None:
    for term in state.terms:
        if isinstance(term, PhaseTerm) and term.number == number:
            return term
    return None
