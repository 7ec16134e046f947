"""A route's waypoints on its form: rows in order, each a place picked from the operation's
places (a plain select, by name in the page's language), or a point typed as
latitude,longitude for a spot that is no place, with a label beside (what the people on the
route call it) in the language chosen beside it.

Names, not ids: a place is chosen by its name, its identifier travels as the option's value
only. Rows left empty are skipped; "add another waypoint" shows the form again, as typed,
with one more row (no JavaScript needed). The command gets the waypoints as before: a place
with its point, or a point, each with its label.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from mamar.domain.text import UNDETERMINED, said
from mamar.web import i18n
from mamar.web.pages._rows import Rows
from mamar.web.render import local

#: The rows' fields: ``waypoints.{n}.place``, ``waypoints.{n}.point``, ``waypoints.{n}.label``.
NAME = "waypoints"
#: The value of the "add another" button (named ``_formkit.GROW``) that adds a row.
MORE = "waypoint"
#: Rows a new route's form starts with: where it starts, one on the way, where it ends.
FIRST_ROWS = 3
#: The fewest waypoints a route has (where it starts, where it ends): its first rows are
#: marked required.
FEWEST = 2
#: The rows, in order (a list that grows: see ``_rows``).
ROWS = Rows(NAME, MORE, ("place", "point", "label"), first=FIRST_ROWS)
#: The most rows a form shows (a row number sent beyond it is not read).
MOST_ROWS = ROWS.most

#: Arabic-Indic digits and the Arabic decimal separator and comma, read as Latin ones.
_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩٫،", "0123456789.,")
_POINT = re.compile(r"\s*(-?\d+(?:\.\d+)?)\s*,\s*(-?\d+(?:\.\d+)?)\s*")

#: A row as a whole, a row's field (place, point or label), a row's own problem.
row_name = ROWS.row
field = ROWS.field
problem_key = ROWS.problem
#: How many rows the form shows (as sent, else the current waypoints and an empty row, at
#: least :data:`FIRST_ROWS`; one more for "add another"); the rows that hold something.
row_count = ROWS.count
filled = ROWS.filled


def point_words(lang: str) -> dict[str, object]:
    """The bounds and the example a point's refusal says (numbers: written by ``View.t``)."""
    return {
        "south": -90,
        "north": 90,
        "west": -180,
        "east": 180,
        "example": i18n.example_point(lang),
    }


def point_of(typed: str) -> dict[str, float] | None:
    """A point typed as latitude,longitude (Arabic-Indic digits too), or None."""
    found = _POINT.fullmatch(typed.translate(_DIGITS))
    return None if found is None else {"lat": float(found[1]), "lon": float(found[2])}


def _key(words: str) -> str:
    return " ".join(unicodedata.normalize("NFC", words).casefold().split())


@dataclass(frozen=True)
class Shown:
    """A waypoint as its row shows it: the place chosen, or the point typed, and the label
    in the language it is shown in (None: no label, the page's language is offered)."""

    place: str = ""
    point: str = ""
    label: str = ""
    language: str | None = None


def shown(
    waypoints: Iterable[dict[str, Any]], places: Mapping[str, dict[str, Any]], lang: str
) -> list[Shown]:
    """The waypoints of a version as the rows show them: a place of the list by its
    identifier (shown by its name), else its point as latitude,longitude; the label unless it
    only repeats the place's name (it says nothing: read back, the waypoint is the place)."""
    out = []
    for w in waypoints:
        place = places.get(w.get("place") or "")
        head = str(local(place["name"], lang)) if place else ""
        label = w.get("label")
        text = said(label, lang) if isinstance(label, dict) else None
        words = text.words if text else str(label or "")
        if words and _key(words) == _key(head):
            words = ""
        out.append(
            Shown(
                place=str(w["place"]) if place else "",
                point="" if place else f"{w['lat']},{w['lon']}",
                label=words,
                language=text.language if words and text else None,
            )
        )
    return out


@dataclass(frozen=True)
class Read:
    """The waypoints of the rows (those that are good) and the row of each, and each row's
    problem: (row, field part) → kind: "point" (not latitude,longitude), "range" (not on
    the Earth: latitude beyond ±90, longitude beyond ±180), "unknown" (not a
    place of the list), "pointless" (the place has no point), "both" (a place and a point),
    "neither" (a label alone)."""

    waypoints: list[dict[str, Any]]
    rows: list[int]
    problems: dict[tuple[int, str], str]

    def given_by(self) -> dict[str, str]:
        """Each waypoint the command is given (``waypoints.{k}``) → the form row it was typed
        in (rows left empty or refused are skipped), and each row's problem (``waypoints.
        row{n}``, see :func:`problem_key`) → its row: said beside the row's fields."""
        return ROWS.given_by(self.rows, (n for n, _ in self.problems))


def read(
    form: Mapping[str, str],
    rows: int,
    places: Mapping[str, dict[str, Any]],
    kept: Mapping[str, dict[str, Any]],
    language_of: Callable[[str], str],
) -> Read:
    """The waypoints of the rows, in order. A label is in the language chosen beside it
    (``language_of`` its field's name), except one left as shown from the version revised:
    ``kept`` (the words shown → the label as recorded) keeps its translations."""
    points: list[dict[str, Any]] = []
    found_in: list[int] = []
    problems: dict[tuple[int, str], str] = {}
    for n in filled(form, rows):
        place = form.get(field(n, "place"), "").strip()
        typed = form.get(field(n, "point"), "").strip()
        words = form.get(field(n, "label"), "").strip()
        point: dict[str, Any] | None = None
        if place and typed:
            problems[n, "point"] = "both"
        elif place:
            found = places.get(place)
            if found is None:
                problems[n, "place"] = "unknown"
            elif not found.get("point"):
                problems[n, "place"] = "pointless"
            else:
                point = {"place": place, **found["point"]}
        elif typed:
            point = point_of(typed)
            if point is None:
                problems[n, "point"] = "point"
            elif not (-90 <= point["lat"] <= 90 and -180 <= point["lon"] <= 180):
                problems[n, "point"] = "range"
                point = None
        else:
            problems[n, "place"] = "neither"
        if point is None:
            continue
        if words:
            language = language_of(field(n, "label"))
            was = kept.get(words)
            same = was is not None and said(was, language).language == language
            point["label"] = was if same else {"original": words, "language": language}
        points.append(point)
        found_in.append(n)
    # Too few rows filled: the first rows left empty are said to be required.
    given = filled(form, rows)
    empty = [n for n in range(FEWEST) if n not in given]
    for n in empty[: max(FEWEST - len(given), 0)]:
        problems[n, ""] = "required"
    return Read(points, found_in, problems)


def labels(version: dict[str, Any], lang: str) -> dict[str, dict[str, Any]]:
    """A version's waypoint labels as a reader of ``lang`` is shown them → as recorded.
    Labels whose language is not known (recorded before labels had one) are left out: typed
    again, they are taken in the language chosen beside them."""
    found: dict[str, dict[str, Any]] = {}
    for w in version.get("waypoints", []):
        label = w.get("label")
        if isinstance(label, dict) and label.get("language") != UNDETERMINED:
            found.setdefault(said(label, lang).words, label)
    return found
