"""A side's combined position on an issue: where its members meet and where they differ.

Members' positions are compared term by term (terms matched by
:func:`~mamar.negotiation.terms.term_keys`): a term every member with a position holds
alike is common ground; a term some hold differently, or some do not hold, is a
difference, shown with each member's version.
"""

from __future__ import annotations

from collections.abc import Iterable

from mamar.domain.model import Value
from mamar.domain.text import LocalText
from mamar.negotiation.model import PositionState
from mamar.negotiation.terms import Term, term_keys, what_it_says


class Difference(Value):
    key: str
    by_party: dict[str, Term | None]  # each member with a position: its term, or None


class CombinedPosition(Value):
    issue: str
    members: tuple[str, ...]
    stances: dict[str, LocalText | None]  # member → its stance, for those who have one
    meet: tuple[Term, ...] = ()
    differ: tuple[Difference, ...] = ()
    silent: tuple[str, ...] = ()  # members with no position on the issue


def combine(
    issue: str, members: Iterable[str], positions: Iterable[PositionState]
) -> CombinedPosition:
    """The combined position of ``members`` on ``issue`` from their positions."""
    team = tuple(members)
    held = {p.party: p for p in positions if p.issue == issue and p.party in team}
    speaking = [m for m in team if m in held]
    by_member = {
        m: dict(zip(term_keys(held[m].terms), held[m].terms, strict=True)) for m in speaking
    }
    keys: list[str] = []
    for member in speaking:
        keys += [k for k in by_member[member] if k not in keys]
    meet: list[Term] = []
    differ: list[Difference] = []
    if len(speaking) < 2:  # nothing to compare: the one member's terms are its own
        keys = []
    for key in keys:
        versions = {m: by_member[m].get(key) for m in speaking}
        first = next(iter(versions.values()))
        said = what_it_says(first) if first is not None else None
        if len(speaking) > 1 and all(
            t is not None and what_it_says(t) == said for t in versions.values()
        ):
            assert first is not None
            meet.append(first)
        else:
            differ.append(Difference(key=key, by_party=versions))
    return CombinedPosition(
        issue=issue,
        members=team,
        stances={m: held[m].stance for m in speaking},
        meet=tuple(meet),
        differ=tuple(differ),
        silent=tuple(m for m in team if m not in held),
    )
