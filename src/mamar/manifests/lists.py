"""Registration lists read from CSV, Excel and ODK/KoBo exports, as families for manifests.

All or nothing: every row is checked first, and the rows are recorded in one
transaction; a list with any bad row records nothing and names each bad row (its
number as the spreadsheet shows it, the header row being row 1) with the column and
the problem, as a code the surfaces put in the user's language.

Columns are recognised by their header, in English or Arabic (``name``, ``الاسم``,
``year_of_birth``, ``سنة الميلاد`` …). ODK and KoBo exports name a column by its
question inside its groups (``household/member/name``, ODK Briefcase
``household-member-name``) and add metadata columns (``_id``, ``_uuid``,
``_submission_time``, ``meta/instanceID``, ``start``, ``end`` …): the last part of a
header is the question, and metadata is ignored. KoBo may separate with ``;``.
Rows sharing a vehicle and a family number travel as one family; a vehicle named
that the convoy does not have yet is added to it.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from mamar.geo.arabic import normalise_arabic
from mamar.manifests.commands import NewPerson
from mamar.manifests.events import ChildAlone
from mamar.manifests.personal import PersonDetails

#: Most rows one list may hold (a whole evacuation's registration is ~35,000 people).
MAX_ROWS = 100_000

# Header words (folded: lower case, Arabic spelling variants merged, no spaces,
# hyphens or underscores) → the field they fill.
_HEADERS: dict[str, tuple[str, ...]] = {
    "full_name": (
        "fullname",
        "name",
        "personname",
        "membername",
        "الاسم",
        "الاسمالكامل",
        "الاسمالثلاثي",
        "اسمالشخص",
    ),
    "year_of_birth": (
        "yearofbirth",
        "birthyear",
        "yob",
        "year",
        "سنهالميلاد",
        "عامالميلاد",
        "المواليد",
        "مواليد",
        "التولد",
    ),
    "origin": (
        "origin",
        "placeoforigin",
        "from",
        "hometown",
        "البلده",
        "المنطقه",
        "مكانالاقامه",
        "منطقهالسكن",
        "الاصل",
    ),
    "relation": ("relation", "relationship", "relationtohead", "القرابه", "صلهالقرابه"),
    "phone": (
        "phone",
        "phonenumber",
        "mobile",
        "telephone",
        "الهاتف",
        "رقمالهاتف",
        "الجوال",
        "الموبايل",
    ),
    "vehicle": ("vehicle", "bus", "vehiclelabel", "المركبه", "الحافله", "الباص", "رقمالحافله"),
    "family": (
        "family",
        "familyid",
        "familynumber",
        "group",
        "household",
        "householdid",
        "العائله",
        "رقمالعائله",
        "الاسره",
        "رقمالاسره",
    ),
    "child": (
        "child",
        "childalone",
        "unaccompanied",
        "separated",
        "طفلغيرمصحوب",
        "طفلمنفصل",
        "وضعالطفل",
    ),
}
_FIELD_OF: dict[str, str] = {}
_METADATA = re.compile(
    r"^_|^(start|end|today|deviceid|subscriberid|simserial|phonenumber_meta|username|"
    r"audit|instanceid|instancename|deprecatedid|formhub|meta|version|__version__)$"
)
# Values saying a child travels alone, folded.
_UNACCOMPANIED_WORDS = ("unaccompanied", "yes", "true", "1", "نعم", "غيرمصحوب", "غيرمرافق")
_SEPARATED_WORDS = ("separated", "منفصل", "مفصول")
_NO_WORDS = ("", "no", "false", "0", "لا")


def _fold(text: str) -> str:
    return re.sub(r"[\s_\-.]+", "", normalise_arabic(text).strip().lower())


_FIELD_OF.update({_fold(w): name for name, words in _HEADERS.items() for w in words})


def _question(header: str) -> str:
    """The question a header names: its last part after ODK/KoBo group separators."""
    return re.split(r"[/:]", header.strip())[-1]


@dataclass(frozen=True)
class RowProblem:
    """What is wrong with one row: ``row`` as the sheet shows it, the column, a code."""

    row: int
    column: str | None
    code: str  # "missing_name", "bad_year", "bad_value", "refused"
    detail: str = ""


class ImportRefused(Exception):
    def __init__(self, problems: list[RowProblem]) -> None:
        super().__init__(f"{len(problems)} rows refused")
        self.problems = problems


@dataclass
class Row:
    number: int
    values: dict[str, str]


@dataclass
class Family:
    vehicle: str
    key: str
    rows: list[int] = field(default_factory=list)
    people: list[NewPerson] = field(default_factory=list)


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "utf-16"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("cp1256")  # Windows Arabic, what older Excel exports use


def _csv_rows(data: bytes) -> Iterator[list[str]]:
    text = _decode(data)
    first = text.splitlines()[0] if text else ""
    delimiter = ";" if first.count(";") > first.count(",") else ","
    yield from csv.reader(io.StringIO(text), delimiter=delimiter)


def _xlsx_rows(data: bytes) -> Iterator[list[str]]:
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    sheet = book.worksheets[0]
    for cells in sheet.iter_rows(values_only=True):
        yield ["" if c is None else _cell(c) for c in cells]
    book.close()


def _cell(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def read_rows(filename: str, data: bytes) -> list[Row]:
    """The rows of a CSV or Excel list as field → text, numbered as the sheet shows them."""
    is_excel = filename.lower().endswith((".xlsx", ".xlsm")) or data[:2] == b"PK"
    try:
        raw = list(_xlsx_rows(data) if is_excel else _csv_rows(data))
    except Exception as exc:  # a damaged or foreign file: say so, record nothing
        raise ImportRefused([RowProblem(1, None, "unreadable", type(exc).__name__)]) from exc
    if not raw:
        raise ImportRefused([RowProblem(1, None, "empty")])
    header = raw[0]
    columns: dict[int, str] = {}
    for index, title in enumerate(header):
        question = _question(title)
        if _METADATA.match(question.strip().lower()):
            continue
        name = _FIELD_OF.get(_fold(question))
        if name is not None and name not in columns.values():
            columns[index] = name
    if "full_name" not in columns.values():
        raise ImportRefused([RowProblem(1, None, "no_name_column")])
    if len(raw) - 1 > MAX_ROWS:
        raise ImportRefused([RowProblem(MAX_ROWS + 2, None, "too_many_rows", str(MAX_ROWS))])
    rows = []
    for number, cells in enumerate(raw[1:], start=2):
        values = {
            name: cells[index].strip() for index, name in columns.items() if index < len(cells)
        }
        if any(values.values()):
            rows.append(Row(number, values))
    if not rows:
        raise ImportRefused([RowProblem(2, None, "empty")])
    return rows


_UNACCOMPANIED = {_fold(w) for w in _UNACCOMPANIED_WORDS}
_SEPARATED = {_fold(w) for w in _SEPARATED_WORDS}
_NO = {_fold(w) for w in _NO_WORDS}


def _child(text: str) -> ChildAlone | str | None:
    folded = _fold(text)
    if folded in _NO:
        return None
    if folded in _SEPARATED:
        return ChildAlone.SEPARATED
    if folded in _UNACCOMPANIED:
        return ChildAlone.UNACCOMPANIED
    return "bad"


def _person(row: Row, problems: list[RowProblem]) -> NewPerson | None:
    v = row.values
    if not v.get("full_name"):
        problems.append(RowProblem(row.number, "full_name", "missing_name"))
        return None
    year_text = v.get("year_of_birth", "")
    year: int | None = None
    if year_text:
        digits = year_text.translate(str.maketrans("٠١٢٣٤٥٦٧٨٩", "0123456789"))
        if not re.fullmatch(r"\d{4}", digits):
            problems.append(RowProblem(row.number, "year_of_birth", "bad_year", year_text))
            return None
        year = int(digits)
    child = _child(v.get("child", ""))
    if child == "bad":
        problems.append(RowProblem(row.number, "child", "bad_child", v.get("child", "")))
        return None
    try:
        details = PersonDetails(
            full_name=v["full_name"],
            year_of_birth=year,
            origin=v.get("origin") or None,
            relation=v.get("relation") or None,
            phones=(v["phone"],) if v.get("phone") else (),
        )
    except ValidationError as exc:
        error = exc.errors()[0]
        where = str(error.get("loc", ("",))[0])
        column = "phone" if where == "phones" else where
        problems.append(RowProblem(row.number, column, "bad_value", str(error.get("type"))))
        return None
    return NewPerson(details=details, child=child if isinstance(child, ChildAlone) else None)


def families(rows: Iterable[Row], default_vehicle: str | None) -> list[Family]:
    """The rows as families (vehicle, family number), in the order they first appear;
    ImportRefused naming every bad row."""
    problems: list[RowProblem] = []
    grouped: dict[tuple[str, str], Family] = {}
    for row in rows:
        vehicle = row.values.get("vehicle") or default_vehicle
        if not vehicle:
            problems.append(RowProblem(row.number, "vehicle", "missing_vehicle"))
            continue
        person = _person(row, problems)
        if person is None:
            continue
        key = row.values.get("family") or f"row-{row.number}"
        family = grouped.setdefault((vehicle, key), Family(vehicle, key))
        family.rows.append(row.number)
        family.people.append(person)
    if problems:
        raise ImportRefused(problems)
    return list(grouped.values())
