"""Every form the pages offer, with every kind of bad input that applies to its fields, in
Arabic and in English, over HTTP (issue 18, points 4 and 10).

The forms are found by reading the pages (tests/form_discovery.py), not listed: a new
form is tried as soon as a page offers it. Each is sent, in each language, from the
page as a person finds it and then from the page each refusal brought back (a person
correcting what was refused):

1. *Empty*, when it marks a field required: every required field has the message that it
   is required beside it, is marked (``required`` and a visible ``*``, or the ``*`` of its
   pair's legend), and every field the server calls required is marked so.
2. *Bad*, once per kind of bad input its fields take (:data:`BAD`), the others given
   sensible values: a number negative, in words, too large, a decimal; a time impossible,
   a time malformed; a latitude, longitude or point out of range; a text beyond its limit,
   a text in the other script than the language chosen for it. Each bad field has the
   message beside it, saying what is allowed, in the page's language (no Latin word on
   the Arabic page, no Arabic one on the English page, no code or Python value).
3. *Too large* (once per kind of form and language): a page in the page's language saying
   that nothing was recorded, never JSON.

After each the answer is an HTML page in the page's language (4xx, never a server error
or JSON), everything typed and chosen is shown again, and the journal has not grown.
tests/test_browser_forms.py sends the forms from Chromium (with its own checks switched
off), as a person does.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import lxml.html
import pytest
from fastapi.testclient import TestClient

from mamar.accounts.credentials import set_password
from mamar.domain.text import TEXT_MAX
from tests.arabic_text import LATIN_WORD, PYTHON, SNAKE
from tests.conftest import make_system
from tests.form_discovery import ACCOUNTS, RECORD, Field, Found, discover
from tests.web_support import PASSWORD, Web, csrf, make_web

LANGUAGES = ("ar", "en")
ARABIC = re.compile("[\u0621-\u064a]")
DIGIT = re.compile("[0-9\u0660-\u0669]")

#: What a message about each kind of bad input says (the rule, in words of the page's
#: language): a digit is the limit or the example.
SAYS = {
    ("ar", "required"): re.compile("مطلوب|فارغ"),
    ("en", "required"): re.compile("required|empty", re.I),
    ("ar", "words"): re.compile("عدد|رقم|أرقام"),
    ("en", "words"): re.compile("number|digit", re.I),
    ("ar", "script"): re.compile("لغة|لغته|اللغة"),
    ("en", "script"): re.compile("language", re.I),
}

#: A sensible value of each kind, in each language.
GOOD = {
    ("ar", "text"): "نص تجريبي",
    ("en", "text"): "A test text",
    "number": "3",
    "moment": "2016-12-15 05:00",
    "lat": "36.2",
    "lon": "37.1",
    "point": "36.2,37.1",
}

#: A text longer than any field takes (a free text's limit and one word more).
LONG = {"ar": "قصف " * (TEXT_MAX // 4 + 1), "en": "shelling " * (TEXT_MAX // 9 + 1)}
#: Words in the other script than the language they are given in.
OTHER_SCRIPT = {"ar": "Evacuation of the wounded", "en": "إخلاء الجرحى"}


#: Problems this test found that are not fixed yet, each still asserted to be there so
#: that the list shrinks as they are fixed: (words of the problem, …).
KNOWN: list[tuple[str, ...]] = []


@dataclass(frozen=True)
class Bad:
    """One kind of bad input: its name, what it is typed as, and what its message says
    (a key of :data:`SAYS`, or "digit": a limit or an example)."""

    name: str
    value: str
    says: str = "digit"


def bad_inputs(f: Field, lang: str, written_in: str | None = None) -> tuple[Bad, ...]:
    """Every kind of bad input that applies to the field ``f`` on a page in ``lang``
    (``written_in``: the language its select shows, when not the page's)."""
    if f.kind == "number":
        words = "ثلاثة" if lang == "ar" else "three"
        return (
            Bad("negative", "-5"),
            Bad("words", words, "words"),
            Bad("too large", "99999999999999999999"),
            Bad("decimal", "2.5"),
        )
    if f.kind == "moment":
        malformed = "15/12/2016 الصبح" if lang == "ar" else "yesterday morning"
        return (Bad("impossible time", "2016-02-30 25:61"), Bad("malformed time", malformed))
    if f.kind == "lat":
        return (Bad("latitude out of range", "200"),)
    if f.kind == "lon":
        return (Bad("longitude out of range", "-500"),)
    if f.kind == "point":
        return (Bad("point out of range", "200,-500"),)
    if f.kind != "text":
        return ()
    long = Bad("too long", LONG[lang], "any")
    script = _script_of_field(f, written_in or lang)
    if script not in OTHER_SCRIPT:
        return (long,)
    return (long, Bad("wrong script", OTHER_SCRIPT[script], "script"))


def _script_of_field(f: Field, lang: str) -> str | None:
    """The language the words of ``f`` are taken to be in, when the form says it (its
    language select: ``lang``; a name in Arabic or English)."""
    if f.written:
        return lang
    last = f.name.rsplit(".", 1)[-1]
    return last if last in LANGUAGES else None


def good(f: Field, lang: str, written_in: str | None = None) -> str:
    if f.kind != "text":
        return GOOD[f.kind]
    if f.name.endswith(".translation"):  # as _formkit.local_text: into the page's language,
        other = "en" if lang == "ar" else "ar"  # or the other one if the original is in it
        return GOOD[(other if (written_in or lang) == lang else lang, "text")]
    script = _script_of_field(f, written_in or lang)
    return GOOD[(script if script in LANGUAGES else lang, "text")]


def written_in(f: Field, shown: dict[str, list[str]]) -> str | None:
    """The language the select beside ``f`` shows (None: it has none); for a translation,
    the select of the words it translates."""
    original = f.name.removesuffix(".translation")
    chosen = [x for x in shown.get(f"{original}.language", []) if x]
    return chosen[0] if (f.written or original != f.name) and chosen else None


@dataclass
class Shown:
    """A form as a page shows it: each field's values, message and mark."""

    values: dict[str, list[str]] = field(default_factory=dict)
    messages: dict[str, str | None] = field(default_factory=dict)
    marked: dict[str, bool] = field(default_factory=dict)
    options: dict[str, list[str]] = field(default_factory=dict)
    #: What the form sends as it is (hidden values, the token, radios and boxes as checked).
    sent: list[tuple[str, str]] = field(default_factory=list)


def _text(el: Any) -> str:
    return " ".join("".join(el.itertext()).split())


def read_form(page: Any, action: str) -> Shown | None:
    """The form posting to ``action`` on the parsed ``page``, as a person would see it."""
    forms = [
        f
        for f in page.xpath("//main//form")
        if (f.get("method") or "").lower() == "post" and f.get("action") == action
    ]
    if not forms:
        return None
    form = forms[0]
    shown = Shown(sent=[(str(n), str(v)) for n, v in form.form_values()])
    button = next(
        (
            b
            for b in form.xpath(".//button")
            if (b.get("type") or "submit") == "submit" and b.get("formnovalidate") is None
        ),
        None,
    )
    if button is not None and button.get("name"):
        shown.sent.append((button.get("name"), button.get("value") or ""))
    for el in form.xpath(".//input|.//textarea|.//select"):
        name = el.get("name")
        if not name or name in shown.values:
            continue
        if el.tag == "select":
            picked = el.xpath(".//option[@selected]") or el.xpath(".//option")[:1]
            if el.get("multiple") is not None:  # none picked is none, not the first
                picked = el.xpath(".//option[@selected]")
            shown.values[name] = [o.get("value") or "" for o in picked]
            shown.options[name] = [o.get("value") or "" for o in el.xpath(".//option")]
        elif el.tag == "textarea":
            shown.values[name] = [(el.text or "").removeprefix("\n")]
        else:
            shown.values[name] = [el.get("value") or ""]
        shown.messages[name] = _message(page, el)
        shown.marked[name] = _marked(page, el)
    return shown


def _message(page: Any, el: Any) -> str | None:
    """The message beside a field: the one it names in ``aria-describedby``, or its
    fieldset's own."""
    for ident in (el.get("aria-describedby") or "").split():
        found = page.xpath(f'//*[@id="{ident}"]')
        if found and "field-error" in (found[0].get("class") or "") and _text(found[0]):
            return _text(found[0])
    own = el.xpath("ancestor::fieldset[1]/*[contains(@class, 'field-error')]")
    return _text(own[0]) if own and _text(own[0]) else None


def _marked(page: Any, el: Any) -> bool:
    """Marked required: ``required`` and a ``*`` in its label, or the ``*`` of the legend of
    the pair (a name in Arabic or English) of which one is required."""
    ident = el.get("id")
    label = page.xpath(f'//label[@for="{ident}"]') if ident else []
    if el.get("required") is not None and label and "*" in _text(label[0]):
        return True
    legend = el.xpath("ancestor::fieldset[@data-required='one'][1]/legend")
    return bool(legend) and "*" in _text(legend[0])


#: Examples of what a field takes that are written in Latin letters in every language
#: (a time zone's name in the time zone database).
EXAMPLES = re.compile(r"\bAsia/Damascus\b")


def in_language(message: str, lang: str) -> bool:
    """In the page's language: its letters, and no word, code or value of the other."""
    message = EXAMPLES.sub("", message)
    if SNAKE.search(message) or PYTHON.search(message):
        return False
    if lang == "ar":
        return bool(ARABIC.search(message)) and not LATIN_WORD.search(message)
    return bool(LATIN_WORD.search(message)) and not ARABIC.search(message)


def message_problems(message: str | None, says: str, lang: str, where: str) -> list[str]:
    if not message:
        return [f"{where}: no message beside the field"]
    if not in_language(message, lang):
        return [f"{where}: message not in the page's language: {message!r}"]
    if says == "any":  # too long, or not the reference the field takes: either is said
        return []
    rule = DIGIT if says == "digit" else SAYS[(lang, says)]
    return [] if rule.search(message) else [f"{where}: does not say what is allowed: {message!r}"]


@dataclass
class Sender:
    web: Web
    clients: dict[str, TestClient]
    problems: list[str] = field(default_factory=list)
    sends: int = 0

    def page(self, account: str, path: str, lang: str) -> Any:
        response = self.clients[account].get(path, params={"lang": lang})
        assert response.status_code == 200, (path, response.status_code)
        return lxml.html.fromstring(response.text)

    def send(
        self, found: Found, lang: str, data: list[tuple[str, str]], where: str
    ) -> tuple[Any, Shown | None]:
        """Post ``data``; the page answered (parsed) and the form on it, or None with the
        problems noted."""
        before = self.web.journal_size()
        self.sends += 1
        response = self.clients[found.account].post(
            found.action, data=_encoded(data), params={"lang": lang}
        )
        kind = response.headers.get("content-type", "")
        if self.web.journal_size() != before:
            self.problems.append(f"{where}: the journal grew ({response.status_code})")
        if not 400 <= response.status_code < 500 or not kind.startswith("text/html"):
            self.problems.append(f"{where}: answered {response.status_code} {kind}")
            return None, None
        page = lxml.html.fromstring(response.text)
        if page.get("lang") != lang:
            self.problems.append(f"{where}: the page is in {page.get('lang')!r}")
        shown = read_form(page, found.action)
        if shown is None:
            self.problems.append(f"{where}: the form is not shown again")
        return page, shown


def _encoded(data: list[tuple[str, str]]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for name, value in data:
        out.setdefault(name, []).append(value)
    return out


def _filled(shown: Shown, found: Found, values: dict[str, list[str]]) -> list[tuple[str, str]]:
    """What the form sends with ``values`` in its typed fields (the rest as shown)."""
    typed = {f.name for f in found.fields}
    data = [(n, v) for n, v in shown.sent if n not in typed]
    return data + [(n, v) for n, many in values.items() for v in many]


def _empty(sender: Sender, found: Found, lang: str, shown: Shown) -> Shown:
    """Everything left empty; the required marks and the server agree."""
    if not any(f.required for f in found.fields):
        return shown
    where = f"{found.account} {found.action} {lang} (empty)"
    values = {f.name: [] if f.kind == "multi" else [""] for f in found.fields}
    _page, again = sender.send(found, lang, _filled(shown, found, values), where)
    if again is None:
        return shown
    for f in found.fields:
        message, marked = again.messages.get(f.name), again.marked.get(f.name, False)
        if f.required:
            if not marked:
                sender.problems.append(f"{where} {f.name}: required but not marked with *")
            sender.problems += message_problems(message, "required", lang, f"{where} {f.name}")
        elif message and SAYS[(lang, "required")].search(message) and not marked:
            sender.problems.append(f"{where} {f.name}: the server requires it, the form not")
    return again


def _choice(f: Field, shown: Shown) -> list[str]:
    """What is chosen in select ``f``: as shown, or the first option when it is required and
    shows none; a place picked instead of a point typed: none (the point is typed)."""
    if f.alternative:
        return [""] if f.kind == "select" else []
    current = shown.values.get(f.name, [])
    options = [o for o in shown.options.get(f.name, []) if o]
    return options[:1] if f.required and not any(current) else current


def _same(sent: list[str], kept: list[str]) -> bool:
    return [v.strip() for v in sent if v.strip()] == [v.strip() for v in kept if v.strip()]


#: The longest texts sent at once (each about 70 kB as a form sends it): more would make
#: the form larger than a page accepts, refused whole (413) before any field is read.
LONG_AT_ONCE = 8


def _bad(
    sender: Sender, found: Found, lang: str, shown: Shown, pending: dict[str, list[Bad]]
) -> Shown | None:
    """The next kind of bad input ``pending`` for every field, sensible values in the
    others (the kinds sent are taken off ``pending``). None: none is pending."""
    values: dict[str, list[str]] = {}
    bad: dict[str, Bad] = {}
    for f in found.fields:
        if f.kind in ("select", "multi"):  # a required choice made, the others as shown
            values[f.name] = _choice(f, shown)
            continue
        kinds = pending.get(f.name, [])
        longs = sum(one.name == "too long" for one in bad.values())
        if kinds and (kinds[0].name != "too long" or longs < LONG_AT_ONCE):
            bad[f.name] = kinds.pop(0)
        typed = good(f, lang, written_in(f, shown.values))
        values[f.name] = [bad[f.name].value if f.name in bad else typed]
    if not bad:
        return None
    where = f"{found.account} {found.action} {lang}"
    _page, again = sender.send(found, lang, _filled(shown, found, values), where)
    if again is None:
        return shown
    for name, typed in values.items():
        kept = again.values.get(name)
        if kept is None:
            sender.problems.append(f"{where} {name}: the field is gone")
        elif not _same(typed, kept):
            sender.problems.append(f"{where} {name}: sent {typed!r:.40}, shown {kept!r:.40}")
    for name, one in bad.items():
        at = f"{where} {name}={one.name}"
        sender.problems += message_problems(again.messages.get(name), one.says, lang, at)
    return again


def _too_large(sender: Sender, found: Found, lang: str, shown: Shown) -> None:
    """A body larger than any form: a page in ``lang`` saying nothing was recorded."""
    where = f"{found.account} {found.action} {lang} (too large)"
    before = sender.web.journal_size()
    sender.sends += 1
    data = [*shown.sent, ("padding", "ق" * 400_000)]  # 2.4 MB percent-encoded
    response = sender.clients[found.account].post(
        found.action, data=_encoded(data), params={"lang": lang}
    )
    if sender.web.journal_size() != before:
        sender.problems.append(f"{where}: the journal grew")
    if response.status_code != 413 or not response.headers["content-type"].startswith("text/html"):
        sender.problems.append(f"{where}: answered {response.status_code}")
        return
    page = lxml.html.fromstring(response.text)
    alert = page.xpath('//*[@role="alert"]')
    if page.get("lang") != lang or not alert or not in_language(_text(alert[0]), lang):
        sender.problems.append(f"{where}: not a page in its language: {response.text[:200]}")


@pytest.fixture(scope="module")
def web(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Web]:
    path: Path = tmp_path_factory.mktemp("bad-forms") / "mamar.db"
    system = make_system(f"sqlite:///{path}")
    world = make_web(system)
    with system.writing() as conn:
        for account in ACCOUNTS:
            set_password(conn, account, PASSWORD)
    yield world
    system.dispose()


def _client(web: Web, username: str) -> TestClient:
    client = TestClient(
        web.app,
        base_url="https://testserver",
        follow_redirects=False,
        raise_server_exceptions=False,
    )
    client.get("/login")
    response = client.post(
        "/login", data={"username": username, "password": PASSWORD, "csrf": csrf(client)}
    )
    assert response.status_code == 303, response.text
    return client


def test_every_form_with_every_bad_input_in_both_languages(web: Web) -> None:
    started = time.perf_counter()
    sender = Sender(web, {account: _client(web, account) for account in ACCOUNTS})
    tried: dict[tuple[str, ...], Found] = {}
    listed: set[str] = set()
    left_out: set[str] = set()
    for account in ACCOUNTS:
        client = sender.clients[account]

        def get(path: str, client: TestClient = client) -> tuple[int, str, str]:
            response = client.get(path)
            return response.status_code, response.headers.get("content-type", ""), response.text

        found = discover(get, account)
        listed |= found.listed
        left_out |= found.skipped
        for one in found.forms:
            tried.setdefault(one.key, one)
    large_tried: set[tuple[str, str]] = set()
    for lang in LANGUAGES:
        for one in tried.values():
            shown = read_form(sender.page(one.account, one.page, lang), one.action)
            if shown is None:
                sender.problems.append(f"{one.account} {one.action}: not on {one.page} any more")
                continue
            shown = _empty(sender, one, lang, shown)
            pending = {
                f.name: list(bad_inputs(f, lang, written_in(f, shown.values))) for f in one.fields
            }
            while (again := _bad(sender, one, lang, shown, pending)) is not None:
                shown = again
            kind = RECORD if one.action.startswith(RECORD) else one.key[0]
            if (kind, lang) not in large_tried:
                large_tried.add((kind, lang))
                _too_large(sender, one, lang, shown)
    took = time.perf_counter() - started
    print(f"{len(tried)} forms, {sender.sends} sends in {took:.0f} s")
    assert len(tried) >= 150, sorted(tried)
    assert sorted(listed - {one.action for one in tried.values()} - left_out) == []
    known = [p for p in sender.problems if any(all(w in p for w in k) for k in KNOWN)]
    new = [p for p in sender.problems if p not in known]
    assert new == [], f"{len(new)} problems:\n" + "\n".join(new)
    fixed = [k for k in KNOWN if not any(all(w in p for w in k) for p in known)]
    assert fixed == [], f"fixed: take them out of KNOWN: {fixed}"
