"""Short references for radio and phone ("قافلة ٣", "INC-14"): which kinds of record have
one. The number is given by the projection (``mamar.projections.entities``), from the
journal alone, so a rebuild gives every record the same reference again."""

from __future__ import annotations

#: Kinds of record people call out by number.
REF_KINDS = frozenset({"convoy", "incident", "route", "escalation", "task", "guarantee"})
