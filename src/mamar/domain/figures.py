"""Figures as they are known: exact, approximate, at least, a range, or not known; with a source.

A figure is never made more precise than what was said: "about 500" stays
approximate, "more than 300" a lower bound, "1,100 to 1,200" a range, and a count
nobody has is ``unknown``, which is not zero. Figures from different sources are
all kept; :func:`combine` says what they add up to (the lowest and highest they
allow, which sources were heard, and whether any of them is unknown).

In a scenario file or a form a figure may be written as a number (``500``) or as
words in its short form: ``~500`` (about), ``>300`` (at least), ``1100-1200`` (a
range) or ``unknown``; the long form names ``certainty``, ``value``, ``high``,
``source`` and ``by``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Annotated, Any

from pydantic import Field, model_validator
from pydantic_core import PydanticCustomError

from mamar.domain.ids import Reference, RefersTo
from mamar.domain.model import Value
from mamar.domain.text import LocalText, Prose

Count = Annotated[int, Field(ge=0, le=10_000_000)]


class Certainty(StrEnum):
    EXACT = "exact"
    APPROXIMATE = "approximate"
    AT_LEAST = "at_least"
    RANGE = "range"
    UNKNOWN = "unknown"


_SHORT = re.compile(r"^\s*(?:(~|>=?|≥)\s*)?(\d[\d,]*)\s*(?:[-–]\s*(\d[\d,]*))?\s*$")


def _number(text: str) -> int:
    return int(text.replace(",", ""))


def parse_short(text: str) -> dict[str, Any]:
    """``"~500"``, ``">300"``, ``"1100-1200"``, ``"500"``, ``"unknown"`` → a figure's fields."""
    if text.strip().casefold() in ("unknown", "?", "غير معروف"):
        return {"certainty": Certainty.UNKNOWN}
    match = _SHORT.match(text)
    if match is None:
        raise PydanticCustomError(
            "figure_invalid",
            "'{text}' is not a figure: write a number (500), ~500 (about), >300 (at least),"
            " 1100-1200 (a range) or unknown",
            {"text": text[:40]},
        )
    sign, low, high = match.groups()
    if high is not None:
        if sign:
            raise PydanticCustomError(
                "figure_invalid",
                "'{text}' is not a figure: a range has no ~ or >",
                {"text": text[:40]},
            )
        return {"certainty": Certainty.RANGE, "value": _number(low), "high": _number(high)}
    certainty = {None: Certainty.EXACT, "~": Certainty.APPROXIMATE}.get(sign, Certainty.AT_LEAST)
    return {"certainty": certainty, "value": _number(low)}


class Figure(Value):
    """How many, as far as known (see the module's words)."""

    certainty: Certainty = Certainty.EXACT
    value: Count | None = None  # the number; for a range its low end
    high: Count | None = None  # a range's high end
    source: Prose | None = None  # who said so, in the users' words (and their language)
    # The party or organisation giving it, if recorded.
    by: Annotated[Reference, RefersTo("party", "organisation")] | None = None

    @model_validator(mode="before")
    @classmethod
    def _short_forms(cls, data: Any) -> Any:
        if isinstance(data, bool):
            return data
        if isinstance(data, int):
            return {"certainty": Certainty.EXACT, "value": data}
        if isinstance(data, str):
            return parse_short(data)
        return data

    @model_validator(mode="after")
    def _consistent(self) -> Figure:
        c = self.certainty
        if c is Certainty.UNKNOWN:
            if self.value is not None or self.high is not None:
                raise PydanticCustomError(
                    "figure_unknown_with_value", "an unknown figure has no number"
                )
            return self
        if self.value is None:
            raise PydanticCustomError("figure_value_required", "give the number")
        if c is Certainty.RANGE:
            if self.high is None or self.high < self.value:
                raise PydanticCustomError(
                    "figure_range", "a range needs a high end at least as large as its low end"
                )
        elif self.high is not None:
            raise PydanticCustomError("figure_high_only_range", "only a range has a high end")
        return self

    @property
    def known(self) -> bool:
        return self.certainty is not Certainty.UNKNOWN

    @property
    def low(self) -> int | None:
        """The least it can be (None: unknown)."""
        return self.value

    @property
    def upper(self) -> int | None:
        """The most it can be (None: no upper bound is known)."""
        if self.certainty is Certainty.RANGE:
            return self.high
        if self.certainty in (Certainty.EXACT, Certainty.APPROXIMATE):
            return self.value
        return None

    def short(self) -> str:
        """The short form (``~500``, ``>300``, ``1100-1200``, ``unknown``)."""
        match self.certainty:
            case Certainty.UNKNOWN:
                return "unknown"
            case Certainty.APPROXIMATE:
                return f"~{self.value}"
            case Certainty.AT_LEAST:
                return f">{self.value}"
            case Certainty.RANGE:
                return f"{self.value}-{self.high}"
        return str(self.value)


def exact(value: int | None) -> Figure:
    """A count recorded as a plain number (None: not known)."""
    if value is None:
        return Figure(certainty=Certainty.UNKNOWN)
    return Figure(certainty=Certainty.EXACT, value=value)


@dataclass
class Total:
    """What figures add up to: from ``low`` to ``high`` (None: no upper bound is known).

    ``unknown`` counts the parts of which nothing is known (not added as 0);
    ``known_high`` is the upper bound of the parts that are known (None: one of them
    has none); ``approximate`` is true where any part is not exact; ``sources`` lists
    who said what; ``conflicting`` is true where two sources for one part disagree.
    """

    low: int = 0
    known_high: int | None = 0
    unknown: int = 0
    approximate: bool = False
    conflicting: bool = False
    sources: list[LocalText] = field(default_factory=list)

    @property
    def high(self) -> int | None:
        return None if self.unknown else self.known_high

    @property
    def exact(self) -> bool:
        return not self.unknown and not self.approximate and self.high == self.low

    def add(self, given: Iterable[Figure]) -> None:
        """Add one part, of which the ``given`` figures are what different sources say."""
        figures = list(given)
        said = [f for f in figures if f.known]
        for f in figures:
            if f.source and f.source not in self.sources:
                self.sources.append(f.source)
        if not said:
            self.unknown += 1
            return
        lows = [f.low or 0 for f in said]
        highs = [f.upper for f in said]
        self.low += min(lows)
        top = None if any(h is None for h in highs) else max(h or 0 for h in highs)
        self.known_high = None if self.known_high is None or top is None else self.known_high + top
        if len({f.short() for f in said}) > 1:
            self.conflicting = True
        if any(f.certainty is not Certainty.EXACT for f in said) or (
            len(said) > 1 and (min(lows) != max(f.upper or -1 for f in said))
        ):
            self.approximate = True

    def merge(self, other: Total) -> None:
        """Add another total's parts to this one."""
        self.low += other.low
        if self.known_high is None or other.known_high is None:
            self.known_high = None
        else:
            self.known_high += other.known_high
        self.unknown += other.unknown
        self.approximate = self.approximate or other.approximate
        self.conflicting = self.conflicting or other.conflicting
        self.sources.extend(s for s in other.sources if s not in self.sources)

    def as_json(self) -> dict[str, Any]:
        return {
            "low": self.low,
            "high": self.high,
            "known_high": self.known_high,
            "unknown": self.unknown,
            "approximate": self.approximate,
            "conflicting": self.conflicting,
            "exact": self.exact,
            "sources": [s.model_dump(mode="json") for s in self.sources],
        }


def combine(parts: Iterable[Iterable[Figure]]) -> Total:
    """Add up parts (each the figures different sources give for it)."""
    total = Total()
    for figures in parts:
        total.add(list(figures))
    return total
