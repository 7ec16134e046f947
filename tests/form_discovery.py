"""The post forms the pages offer, found by reading the pages rather than listed by hand.

As one account, every page reachable from the navigation (and from the record pages it
links to) is read and every ``<form method="post">`` on it is collected, with what each of
its fields takes. A new form on a page is therefore tried by the tests that use this
(tests/test_browser_forms.py in Chromium, tests/test_web_bad_forms.py over HTTP) without
anyone adding it to a list. Forms are told apart by where they post (a record's id in the
address counts once per kind of record) and by their fields; records of one kind share
their forms, so at most :data:`PER_KIND` records of each kind are read.

Left out, by rule (each is counted, so that none is left out silently): signing out; a
form with nothing to type or pick (only hidden values and buttons: a confirmation, whose
refusals tests/test_web_refusals.py checks); a form with a file to choose (a registration
list, a family's photos: tests/test_people_import.py, tests/test_people_photos.py).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser

from tests.live_server import OPERATION

OP = OPERATION
#: Who fills the forms (every demo account of aleppo-2016 that has forms of its own).
ACCOUNTS = ("coordinator", "operations", "sarc-registrar", "admin")
START = (f"/ops/{OP}/dashboard", "/admin")
#: Pages read per kind of record (``/ops/<op>/<kind>/<id>``): records of a kind share forms.
PER_KIND = 4
#: The general record forms, one per command.
RECORD = f"/ops/{OP}/record/"
#: What the fields typed into take (see :func:`kind_of`).
TYPED = ("text", "number", "moment", "lat", "lon", "point", "select", "multi")


@dataclass
class Field:
    name: str
    tag: str  # input, textarea, select
    kind: str  # one of TYPED
    required: bool
    #: The language select beside it (``name.language``): its words are in a language.
    written: bool = False
    maxlength: int | None = None
    #: In a fieldset of which one field is required (a name in Arabic or English; a place
    #: picked or a point typed): the others are alternatives to it.
    one_of: bool = False
    #: A place picked, the alternative to a point typed beside it (``waypoints.0.place`` and
    #: ``waypoints.0.point``): left empty when the point is typed.
    alternative: bool = False


@dataclass
class Found:
    account: str
    page: str
    action: str
    fields: list[Field]
    key: tuple[str, ...] = ()


@dataclass
class Discovery:
    """What reading the pages as one account found."""

    forms: list[Found] = field(default_factory=list)
    left_out: dict[str, int] = field(
        default_factory=lambda: {"sign out": 0, "confirmation": 0, "file": 0}
    )
    #: The general record forms listed to the account.
    listed: set[str] = field(default_factory=set)
    #: Where the forms left out post.
    skipped: set[str] = field(default_factory=set)


class Forms(HTMLParser):
    """The post forms of a page, and the links a person can follow from it."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[tuple[str, list[dict[str, str | None]]]] = []
        self.links: list[str] = []
        self._in_form = False
        self._fieldsets: list[bool] = []  # open fieldsets: is one of its fields required?

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "a" and values.get("href"):
            self.links.append(str(values["href"]))
        if tag == "form":
            self._in_form = (values.get("method") or "").lower() == "post"
            if self._in_form:
                self.forms.append((str(values.get("action") or ""), []))
        elif tag == "fieldset":
            self._fieldsets.append(values.get("data-required") == "one")
        elif self._in_form and tag in ("input", "textarea", "select", "button"):
            if any(self._fieldsets):  # a name in Arabic or English: empty, both are refused
                values["pair"] = "one-required"
            self.forms[-1][1].append({"tag": tag, **values})

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._in_form = False
        elif tag == "fieldset" and self._fieldsets:
            self._fieldsets.pop()


def kind_of(control: dict[str, str | None]) -> str | None:
    """What a control takes, as the form kit and the templates describe it; None: not typed."""
    tag, name = control["tag"], str(control.get("name") or "")
    kind = (control.get("type") or "text").lower()
    if not name or tag == "button" or kind in ("hidden", "submit", "button", "checkbox"):
        return None
    if kind in ("radio", "file", "password"):
        return kind
    if tag == "select":
        return "multi" if "multiple" in control else "select"
    last = name.rsplit(".", 1)[-1]
    if last == "language_other":  # the code of "another language": left empty, as most are
        return None  # (a wrong code is refused beside it: tests/test_web_movement.py)
    if last in ("lat", "lon"):
        return last
    if control.get("inputmode") == "numeric" or kind == "number":
        return "number"
    placeholder = control.get("placeholder") or ""
    if re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d", placeholder):
        return "moment"
    if re.fullmatch(r"-?\d+\.\d+,-?\d+\.\d+", placeholder):
        return "point"
    return "text"


def shape(action: str) -> str:
    """Where a form posts, a record's id counted once per kind (``/ops/op/convoys/*/cargo``)."""
    parts = action.split("?", 1)[0].split("/")
    if len(parts) > 4 and parts[1] == "ops" and parts[3] not in ("record",):
        parts[4] = "*" if parts[4] not in ("new", "log", "schedule") else parts[4]
    if len(parts) > 3 and parts[1] == "admin" and parts[2] == "accounts":
        parts[3] = "*"
    return "/".join(parts)


def _page_shape(path: str) -> str:
    parts = path.split("/")
    if len(parts) >= 5 and parts[1] == "ops" and parts[3] != "record":  # each command's own
        return "/".join(parts[:4]) + "/*"
    return path


#: Reads a page: (status, content type, text).
Get = Callable[[str], tuple[int, str, str]]


def discover(get: Get, account: str) -> Discovery:
    """Every post form on every page reachable from the navigation (read with ``get``, in
    the account's session), with what was left out and why."""
    seen: set[str] = set()
    per_kind: dict[str, int] = {}
    queue = list(START)
    found = Discovery()
    while queue:
        path = queue.pop(0)
        if path in seen:
            continue
        seen.add(path)
        status, content_type, text = get(path)
        if status != 200 or "text/html" not in content_type:
            continue
        parsed = Forms()
        parsed.feed(text)
        for href in parsed.links:
            target = href.split("#", 1)[0]
            if not target.startswith((f"/ops/{OP}", "/admin")) or "?" in target:
                continue
            if target in seen or target in queue or target.endswith(("/export", ".pdf")):
                continue
            if target.startswith(RECORD):
                found.listed.add(target)
            kind = _page_shape(target)
            if kind != target:
                if per_kind.get(kind, 0) >= PER_KIND:
                    continue
                per_kind[kind] = per_kind.get(kind, 0) + 1
            queue.append(target)
        for action, controls in parsed.forms:
            _collect(found, account, path, action or path, controls)
    return found


def _collect(
    found: Discovery, account: str, path: str, action: str, controls: list[dict[str, str | None]]
) -> None:
    if action.startswith("/logout"):
        found.left_out["sign out"] += 1
        return
    kinds = [(c, kind_of(c)) for c in controls]
    if any(k == "file" for _, k in kinds):
        found.left_out["file"] += 1
        found.skipped.add(action)
        return
    names = {str(c.get("name")) for c in controls}
    fields = [
        Field(
            str(c["name"]),
            str(c["tag"]),
            k,
            "required" in c or "pair" in c,
            f"{c['name']}.language" in names,
            int(str(c["maxlength"])) if c.get("maxlength") else None,
            "pair" in c,
            str(c["name"]).endswith(".place")
            and str(c["name"]).removesuffix(".place") + ".point" in names,
        )
        for c, k in kinds
        if k in TYPED
    ]
    if not fields:
        found.left_out["confirmation"] += 1
        found.skipped.add(action)
        return
    key = (shape(action), *sorted(f"{f.name}:{f.kind}" for f in fields))
    found.forms.append(Found(account, path, action, fields, key))
