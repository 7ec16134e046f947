"""A route's waypoints as a person types them: one a line, a place by its name (in either
language, or one of its other spellings) or a point as latitude,longitude, a label after.

Names, not ids: the form shows each waypoint by the place's name in the page's language,
and takes any name the place is known by back. A place's identifier is still taken (what
the API and the CLI give), never shown.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from mamar.domain.text import UNDETERMINED, said
from mamar.web.render import local

#: Arabic-Indic digits and the Arabic decimal separator and comma, read as Latin ones.
_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩٫،", "0123456789.,")
_POINT = re.compile(r"\s*(-?\d+(?:\.\d+)?)\s*,\s*(-?\d+(?:\.\d+)?)(?:\s+(.*))?")
#: What may stand between a place's name and its label ("دوار الراموسة — نقطة التجمع").
_BETWEEN = " \t—–-:،,"
#: What the form puts between them.
SEPARATOR = " — "


#: The most of a line a problem repeats back.
_SAID_BACK = 60


def _shortened(words: str) -> str:
    words = words.strip()
    return words if len(words) <= _SAID_BACK else words[: _SAID_BACK - 1].rstrip() + "…"


def _key(words: str) -> str:
    return " ".join(unicodedata.normalize("NFC", words).casefold().split())


@dataclass(frozen=True)
class Problem:
    """Why a line is not a waypoint: ``kind`` "point" (not latitude,longitude), "unknown"
    (no place is called so), "pointless" (the place has no point) or "ambiguous" (several
    places are called so); ``words``, what was typed for the place."""

    line: int
    kind: str
    words: str = ""


class Gazetteer:
    """The operation's places by every name they are known by (and by identifier)."""

    def __init__(self, places: Iterable[dict[str, Any]]) -> None:
        self.places = {p["id"]: p for p in places}
        self.called: dict[str, set[str]] = {}
        for ident, place in self.places.items():
            name = place.get("name") or {}
            for words in (ident, *name.values(), *(place.get("aliases") or ())):
                if isinstance(words, str) and words.strip():
                    self.called.setdefault(_key(words), set()).add(ident)
        #: The most words a name has (a separator after it counts as one more).
        self._most_words = max((len(k.split()) for k in self.called), default=0) + 1

    def _named(self, line: str) -> tuple[str, str] | None:
        """The longest name the line begins with (whole words), and the rest of the line.
        Only as many words as the longest name has are tried: a line of any length costs
        no more than a name's."""
        words = unicodedata.normalize("NFC", line).split(maxsplit=self._most_words)
        for count in range(min(len(words), self._most_words), 0, -1):
            head = " ".join(words[:count]).rstrip(_BETWEEN)
            if _key(head) in self.called:
                return head, " ".join(words[count:])
        return None

    def read(
        self, lines: Iterable[str], kept: dict[str, dict[str, Any]], lang: str
    ) -> list[dict[str, Any]] | Problem:
        """The waypoints of the lines, or the first line's problem. A label keeps the
        language it is shown in from ``kept`` (the words shown → as recorded), else it is in
        the page's language ``lang``."""
        points: list[dict[str, Any]] = []
        for number, typed in enumerate(lines, start=1):
            line = typed.translate(_DIGITS).strip()
            point: dict[str, Any]
            found = _POINT.fullmatch(line)
            if found is not None:
                point = {"lat": float(found[1]), "lon": float(found[2])}
                label = found[3] or ""
            elif line[:1].isdigit() or line[:1] == "-":
                return Problem(number, "point")
            else:
                named = self._named(line)
                if named is None:
                    return Problem(number, "unknown", _shortened(line.split(SEPARATOR)[0]))
                words, label = named
                places = self.called[_key(words)]
                if len(places) > 1:
                    return Problem(number, "ambiguous", words)
                ident = next(iter(places))
                if not self.places[ident].get("point"):
                    return Problem(number, "pointless", words)
                point = {"place": ident, **self.places[ident]["point"]}
            label = label.strip(_BETWEEN)
            if label:
                point["label"] = kept.get(label) or {"original": label, "language": lang}
            points.append(point)
        return points

    def text(self, waypoints: Iterable[dict[str, Any]], lang: str) -> str:
        """The waypoints as the form shows them: each place by its name in ``lang``, a
        point as latitude,longitude, a label after the separator (unless it only repeats
        the place's name: read back, that waypoint is the place, shown by its name)."""
        rows = []
        for w in waypoints:
            place = self.places.get(w.get("place") or "")
            head = str(local(place["name"], lang)) if place else f"{w['lat']},{w['lon']}"
            label = w.get("label")
            words = said(label, lang).words if isinstance(label, dict) else label
            if words and _key(str(words)) != _key(head):  # a label that is the name says nothing
                rows.append(f"{head}{SEPARATOR}{words}")
            else:
                rows.append(head)
        return "\n".join(rows)


def labels(version: dict[str, Any], lang: str) -> dict[str, dict[str, Any]]:
    """A version's waypoint labels as a reader of ``lang`` is shown them → as recorded.
    Labels whose language is not known (recorded before labels had one) are left out: typed
    again, they are taken in the page's language."""
    found: dict[str, dict[str, Any]] = {}
    for w in version.get("waypoints", []):
        label = w.get("label")
        if isinstance(label, dict) and label.get("language") != UNDETERMINED:
            found.setdefault(said(label, lang).words, label)
    return found
