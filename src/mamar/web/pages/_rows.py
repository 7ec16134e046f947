"""Lists that grow on a form: rows of the same fields, numbered in order
(``{name}.{n}.{part}``: a route's waypoints, a convoy's vehicles and escorts).

A form shows as many rows as were sent (a refused or grown form comes back with every row
as typed), else its first rows; its "add another" button (a submit button named
:data:`~mamar.web.pages._formkit.GROW` whose value is the list's :attr:`Rows.more`) shows
the form again, as typed, with one more row, and records nothing: no JavaScript is needed.
Rows left empty are skipped; the command's n-th item (``{name}.{n}``) is said back beside
the row it was typed in (:meth:`Rows.given_by`), and so is a row's own problem, noted as
``{name}.row{n}`` (:meth:`Rows.problem`) while the form is read.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from mamar.web.pages._formkit import GROW


@dataclass(frozen=True)
class Rows:
    """A list of rows: its name, the value of its "add another" button, the parts of a row
    that make it one (a row with none of them filled is left out), how many rows a new form
    starts with, and the most a form shows (a row number sent beyond it is not read)."""

    name: str
    more: str
    parts: tuple[str, ...]
    first: int = 1
    most: int = 200
    _pattern: re.Pattern[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_pattern", re.compile(rf"{re.escape(self.name)}\.(\d+)\."))

    def row(self, n: int) -> str:
        """The name of row ``n`` as a whole (its fieldset: what is said about the row)."""
        return f"{self.name}.{n}"

    def field(self, n: int, part: str) -> str:
        """The name of a row's field."""
        return f"{self.row(n)}.{part}"

    def problem(self, n: int, part: str = "") -> str:
        """Where a row's own problem is noted while the form is read: not ``{name}.{n}``,
        which names the command's n-th item (both are said beside the row,
        :meth:`given_by`)."""
        return f"{self.name}.row{n}" + (f".{part}" if part else "")

    def grows(self, form: Mapping[str, str]) -> bool:
        """The form was sent by this list's "add another" button (to show one row more)."""
        return form.get(GROW) == self.more

    def count(self, form: Mapping[str, str], current: int = 0, grow: bool = False) -> int:
        """How many rows the form shows: as many as were sent (a refused or grown form),
        else the ``current`` items and one empty row, at least :attr:`first`; one more when
        "add another" was pressed (``grow``)."""
        sent = [int(m[1]) for k in form if (m := self._pattern.match(k)) and int(m[1]) < self.most]
        shown = max(sent) + 1 if sent else max(current + 1, self.first)
        return min(shown + (1 if grow else 0), self.most)

    def filled(self, form: Mapping[str, str], rows: int) -> list[int]:
        """The rows that hold something (one of their :attr:`parts`), in order."""
        return [
            n
            for n in range(rows)
            if any(form.get(self.field(n, p), "").strip() for p in self.parts)
        ]

    def given_by(self, rows: Iterable[int], problems: Iterable[int] = ()) -> dict[str, str]:
        """Each item the command is given (``{name}.{k}``) → the form row it was typed in
        (``rows``: the row of each item, in order), and each row with a problem of its own
        (``{name}.row{n}``) → its row: said beside the row's fields."""
        given = {self.row(k): self.row(n) for k, n in enumerate(rows)}
        return given | {self.problem(n): self.row(n) for n in problems}
