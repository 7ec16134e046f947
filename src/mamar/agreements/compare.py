"""Comparing two versions of an agreement, term by term, for side-by-side display."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from mamar.agreements.model import AgreementState, AgreementVersion
from mamar.domain.errors import DomainError
from mamar.domain.model import Value
from mamar.negotiation.terms import Term, term_keys, what_it_says


class Change(StrEnum):
    ADDED = "added"
    REMOVED = "removed"
    CHANGED = "changed"
    UNCHANGED = "unchanged"


class TermChange(Value):
    """One row of the comparison: the term in version ``a`` (before) and in ``b`` (after)."""

    key: str
    change: Change
    before: Term | None = None
    after: Term | None = None
    fields: tuple[str, ...] = ()  # what differs, when changed


class VersionComparison(Value):
    a: int
    b: int
    rows: tuple[TermChange, ...]
    text_changed: bool

    def _of(self, change: Change) -> tuple[TermChange, ...]:
        return tuple(row for row in self.rows if row.change is change)

    @property
    def added(self) -> tuple[TermChange, ...]:
        return self._of(Change.ADDED)

    @property
    def removed(self) -> tuple[TermChange, ...]:
        return self._of(Change.REMOVED)

    @property
    def changed(self) -> tuple[TermChange, ...]:
        return self._of(Change.CHANGED)


def _version(state: AgreementState, number: int, field: str) -> AgreementVersion:
    held = state.version(number)
    if held is None:
        known = ", ".join(str(v.version) for v in state.versions) or "none yet"
        raise DomainError(
            "unknown_version",
            f"agreement '{state.id}' has no version {number} (versions: {known})",
            field=field,
        )
    return held


def _differing_fields(old: dict[str, Any], new: dict[str, Any]) -> tuple[str, ...]:
    return tuple(sorted(k for k in old.keys() | new.keys() if old.get(k) != new.get(k)))


def compare_versions(state: AgreementState, a: int, b: int) -> VersionComparison:
    """Which terms version ``b`` added, removed or changed relative to version ``a``.

    Terms are matched by :func:`~mamar.negotiation.terms.term_keys`. Rows follow
    version ``a``'s order, then the terms only ``b`` has, in ``b``'s order.
    """
    first, second = _version(state, a, "a"), _version(state, b, "b")
    before = dict(zip(term_keys(first.terms), first.terms, strict=True))
    after = dict(zip(term_keys(second.terms), second.terms, strict=True))
    rows: list[TermChange] = []
    for key, old in before.items():
        new = after.get(key)
        if new is None:
            rows.append(TermChange(key=key, change=Change.REMOVED, before=old))
            continue
        fields = _differing_fields(what_it_says(old), what_it_says(new))
        if not fields:
            rows.append(TermChange(key=key, change=Change.UNCHANGED, before=old, after=new))
        else:
            rows.append(
                TermChange(key=key, change=Change.CHANGED, before=old, after=new, fields=fields)
            )
    rows.extend(
        TermChange(key=key, change=Change.ADDED, after=new)
        for key, new in after.items()
        if key not in before
    )
    return VersionComparison(a=a, b=b, rows=tuple(rows), text_changed=first.text != second.text)
