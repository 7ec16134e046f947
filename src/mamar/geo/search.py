"""Ranked place search: exact, then prefix, then fuzzy matches on folded names."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from difflib import SequenceMatcher
from enum import IntEnum
from typing import Any

from mamar.geo.arabic import fold

FUZZY_THRESHOLD = 0.75


class Tier(IntEnum):
    EXACT = 0
    PREFIX = 1
    FUZZY = 2


@dataclass(frozen=True)
class SearchHit:
    place: str
    name: str  # the place's display name
    matched: str  # the name or alias that matched
    tier: Tier
    score: float  # 1.0 for exact; similarity for fuzzy

    def as_json(self) -> dict[str, Any]:
        return {
            "place": self.place,
            "name": self.name,
            "matched": self.matched,
            "match": self.tier.name.lower(),
            "score": round(self.score, 3),
        }


def _similarity(query: str, key: str) -> float:
    """Best similarity of the query against the whole key or a run of as many words."""
    best = SequenceMatcher(None, query.replace(" ", ""), key.replace(" ", "")).ratio()
    q_words = query.count(" ") + 1
    k_words = key.split(" ")
    if len(k_words) > q_words:
        for start in range(len(k_words) - q_words + 1):
            window = "".join(k_words[start : start + q_words])
            best = max(best, SequenceMatcher(None, query.replace(" ", ""), window).ratio())
    return best


def match(query_key: str, text: str, *, raw_query: str = "") -> tuple[Tier, float] | None:
    """How well ``text`` matches a folded query, or None."""
    key = fold(text)
    if not key or not query_key:
        return None
    if key == query_key:
        # A verbatim match outranks one found only through folding.
        return Tier.EXACT, 1.0 if text.casefold() == raw_query.casefold() else 0.99
    if key.startswith(query_key):
        return Tier.PREFIX, len(query_key) / len(key)
    if f" {query_key}" in f" {key}":
        return Tier.PREFIX, 0.5 * len(query_key) / len(key)
    score = _similarity(query_key, key)
    if score >= FUZZY_THRESHOLD:
        return Tier.FUZZY, score
    return None


def _names(place: Any) -> list[tuple[str, bool]]:
    names = [(n, False) for n in (place.name.ar, place.name.en) if n]
    names.extend((alias, True) for alias in place.aliases)
    return names


def search_places(
    states: Iterable[Any], query: str, *, limit: int = 20, lang: str = "en"
) -> list[SearchHit]:
    """Places whose name or an alias matches ``query``, best first.

    ``states`` are place states (``id``, ``name``, ``aliases``): filter them for the
    viewer's compartments before calling.
    """
    query_key = fold(query)
    hits: list[tuple[tuple[int, float, bool, str], SearchHit]] = []
    for place in states:
        best: tuple[tuple[int, float, bool, str], SearchHit] | None = None
        for text, is_alias in _names(place):
            found = match(query_key, text, raw_query=query)
            if found is None:
                continue
            tier, score = found
            rank = (int(tier), -score, is_alias, place.id)
            hit = SearchHit(place.id, place.name.display(lang), text, tier, score)
            if best is None or rank < best[0]:
                best = (rank, hit)
        if best is not None:
            hits.append(best)
    hits.sort(key=lambda pair: pair[0])
    return [hit for _, hit in hits[:limit]]
