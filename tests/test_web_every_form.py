"""Every form of the product, found by walking the pages, takes every kind of bad input in
a real browser (Debian's Chromium) in Arabic and gives the work back.

No list of forms is written here: each account that may record walks every page it can
reach from its operation (and the administration), and every ``POST`` form found is
filled twice: once with every field empty (where the form has required fields), once
with bad values (words in a number field, a negative count, latitude 200, a malformed
time, 100,000 characters, an id the viewer cannot see). Each time the page must come
back refused, with a message in Arabic (no Latin script) beside each bad field, every
value typed still in its field, and the journal unchanged. Every ``POST`` page route of
the app must have been reached by at least one form, so a new form cannot escape.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urljoin, urlsplit

import pytest
from playwright.sync_api import Error as PlaywrightError
from starlette.routing import Route

from mamar.journal import store
from mamar.system import Mamar
from mamar.web.app import create_app
from tests.arabic_text import LATIN_WORD
from tests.live_server import OPERATION, LiveServer, browser_server, chromium, sign_in

pytestmark = pytest.mark.browser

#: POST routes no page form reaches, and why.
NOT_FORMS = {
    "/login": "signing in records nothing (tests/test_sign_in.py)",
    "/logout": "no field to fill",
}
#: Pages not walked: downloads, the live stream, the API.
SKIP = re.compile(r"^/(api|static|live)\b|\.(pdf|svg|json|csv|geojson)$|/evidence")
#: Forms that search (they record nothing and answer 200 with what they found).
SEARCHES = {"/ops/{op}/people-search", "/ops/{op}/reception"}
LONG = "ق" * 100_000
BOGUS_ID = "0b1c2d3e-4f50-4617-8829-3a4b5c6d7e8f"  # no such record, for anyone
TIME_FIELD = "2016-12-15 05:00"  # the placeholder of every date-and-time field


@dataclass
class FormSeen:
    page: str  # the page's URL (path and query)
    index: int  # among the page's forms, in document order
    action: str
    route: str  # the POST route it reaches (its template)
    fields: list[dict[str, Any]] = field(default_factory=list)

    nth: int = 0  # among the page's forms with the same action

    def key(self) -> tuple[str, ...]:
        """Forms are the same form when they send the same fields to the same route. The
        general "record anything" forms (one per command, all made by one function from
        the command's model) count as the same form when their fields are of the same
        kinds, so each kind of field they can have is exercised."""
        if "{command_name}" in self.route:
            kinds = sorted({_kind_of(f) for f in self.fields if f["kind"] != "hidden"})
            return (self.route, *kinds)
        names = sorted({f["name"] for f in self.fields if f["kind"] != "hidden"})
        return (self.route, *names)


def _kind_of(f: dict[str, Any]) -> str:
    if f["time"]:
        return "time"
    if f["numeric"]:
        return "number"
    return f"{f['kind']}{'*' if f['required'] else ''}"


class _Page(HTMLParser):
    """Links and POST forms (their fields) of a page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.forms: list[tuple[str, str, list[dict[str, Any]]]] = []  # method, action, fields
        self._form: list[dict[str, Any]] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        elif tag == "form":
            self._form = []
            self.forms.append((a.get("method", "get").lower(), a.get("action", ""), self._form))
        elif self._form is not None and tag in ("input", "select", "textarea") and a.get("name"):
            kind = a.get("type", "text") if tag == "input" else tag
            if tag == "select" and "multiple" in a:
                kind = "multiple"
            self._form.append(
                {
                    "name": a["name"],
                    "kind": kind,
                    "required": "required" in a,
                    "numeric": a.get("inputmode") in ("numeric", "decimal"),
                    "time": a.get("placeholder") == TIME_FIELD,
                }
            )

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None


class Problems(list[str]):
    """Problems found, each also printed when found (the walk is long)."""

    def append(self, problem: str) -> None:
        print(f"PROBLEM {problem[:400]}", flush=True)
        super().append(problem)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    with browser_server(tmp_path_factory.mktemp("forms")) as running:
        yield running


def _routes(system: Mamar) -> tuple[list[Route], list[Route]]:
    app = create_app(system)
    pages = [r for r in app.routes if isinstance(r, Route) and not r.path.startswith("/api")]
    gets = [r for r in pages if "GET" in (r.methods or ())]
    posts = [r for r in pages if "POST" in (r.methods or ())]
    return gets, posts


def _template(routes: list[Route], path: str) -> str | None:
    for route in routes:
        if route.path_regex.match(path):
            return route.path
    return None


def _shape(routes: list[Route], url: str) -> str | None:
    """What makes a page another kind of page: its route (and the command it records)."""
    parts = urlsplit(url)
    template = _template(routes, parts.path)
    if template is None:
        return None
    if "{command_name}" in template:
        template = template.replace("{command_name}", parts.path.rsplit("/", 1)[1])
    query = sorted(k.split("=")[0] for k in parts.query.split("&") if k and "lang" not in k)
    return template + "?" + "&".join(query)


def _walk(
    server: LiveServer, context: Any, gets: list[Route], posts: list[Route]
) -> list[FormSeen]:
    """Every page the signed-in account reaches, once per kind of page; their POST forms."""
    starts = [f"/ops/{OPERATION}/dashboard", f"/ops/{OPERATION}/record", "/admin"]
    queue, seen, found = list(starts), set(), []
    while queue:
        url = queue.pop(0)
        shape = _shape(gets, url)
        if shape is None or shape in seen:
            continue
        seen.add(shape)
        response = context.request.get(server.url + url, max_redirects=0)
        kind = response.headers.get("content-type", "")
        if response.status != 200 or not kind.startswith("text/html"):
            continue
        parsed = _Page()
        parsed.feed(response.text())
        for href in parsed.links:
            target = urljoin(url, href)
            parts = urlsplit(target)
            if parts.netloc or SKIP.search(parts.path):
                continue
            if parts.path.startswith(f"/ops/{OPERATION}") or parts.path.startswith("/admin"):
                queue.append(parts.path + (f"?{parts.query}" if parts.query else ""))
        for index, (method, action, fields) in enumerate(parsed.forms):
            if method != "post":
                continue
            target = urlsplit(urljoin(url, action or url)).path
            route = _template(posts, target)
            if route is None or route in NOT_FORMS:
                continue
            full = urljoin(url, action or url)
            nth = sum(1 for _m, a, _f in parsed.forms[:index] if urljoin(url, a or url) == full)
            found.append(FormSeen(url, index, full, route, fields, nth))
    return found


ACTION = "__action__"  # a form without fields: sent for a record that does not exist


def _elsewhere(form: FormSeen) -> str:
    """The form's action naming a record no one can see instead of its own."""
    parts = urlsplit(form.action)
    segments = parts.path.split("/")
    for i, piece in enumerate(form.route.split("/")):
        if piece == "{id}":
            segments[i] = BOGUS_ID
    return "/".join(segments) + (f"?{parts.query}" if parts.query else "")


def _bad_values(form: FormSeen) -> dict[str, str]:
    """A bad value for every field: the first free text gets 100,000 characters. A form
    without a field to fill is sent for a record that does not exist."""
    values: dict[str, str] = {}
    numbers = 0
    long_given = False
    for f in form.fields:
        name, kind = f["name"], f["kind"]
        if name == "csrf" or kind in ("submit", "checkbox", "radio", "file", "button"):
            continue
        if kind == "hidden":
            if name in ("vehicle", "id", "incident", "convoy"):
                values[name] = BOGUS_ID
            continue
        if kind in ("select", "multiple"):
            values[name] = BOGUS_ID
        elif name.split(".")[-1] in ("lat", "latitude", "lon", "longitude"):
            values[name] = "200"
        elif f["time"]:
            values[name] = "١٥/١٢ الصبح"
        elif f["numeric"]:
            values[name] = "ثلاثة" if numbers % 2 == 0 else "-3"
            numbers += 1
        elif not long_given and kind in ("text", "textarea", "search"):
            values[name] = LONG
            long_given = True
        else:
            values[name] = "نص"
    if not values and "{id}" in form.route:
        values[ACTION] = _elsewhere(form)
    return values


#: Fill the form's fields (adding an option for an id the viewer cannot see); JS in the page.
FILL = """([action, nth, values]) => {
  const href = new URL(action, location.href).href;
  const form = [...document.forms].filter(f => f.action === href)[nth];
  if (!form) return false;
  form.setAttribute('data-under-test', '');
  if (values.__action__) { form.action = values.__action__; delete values.__action__; }
  for (const [name, value] of Object.entries(values)) {
    for (const el of form.querySelectorAll(`[name="${CSS.escape(name)}"]`)) {
      if (el.tagName === 'SELECT') {
        if (![...el.options].some(o => o.value === value)) {
          const option = document.createElement('option');
          option.value = value; option.textContent = value; el.appendChild(option);
        }
        for (const o of el.options) o.selected = (o.value === value);
      } else if (el.type !== 'hidden' || value !== '') {
        el.value = value;
      }
    }
  }
  return true;
}"""

#: What the page shows after the form was sent: its messages and the form's values.
AFTER = """([action, names]) => {
  const messages = [...document.querySelectorAll('.field-error, p.error, [role=alert]')]
    .map(e => e.textContent.trim()).filter(Boolean);
  const href = new URL(action, location.href).href;
  const form = [...document.forms].find(f => f.action === href) || null;
  const values = {};
  const beside = {};
  for (const name of names) {
    const el = form && form.querySelector(`[name="${CSS.escape(name)}"]`);
    values[name] = el ? el.value : null;
    // Beside: the field says which message describes it, or the message is named after
    // the field (or the group it belongs to: "terms" for "terms.0.who").
    const described = [...(form ? form.querySelectorAll(`[name="${CSS.escape(name)}"]`) : [])]
      .some(e => (e.getAttribute('aria-describedby') || '').split(' ')
        .some(id => id && document.getElementById(id)
          && document.getElementById(id).textContent.trim()));
    const parts = name.split('.');
    beside[name] = described || parts.some((_, i) => document.getElementById(
      parts.slice(0, parts.length - i).join('-') + '-error'));
  }
  return {messages, values, beside, found: form !== null};
}"""


def _journal(system: Mamar) -> int:
    with system.reading() as conn:
        return store.count(conn)


def _send(
    page: Any,
    server: LiveServer,
    system: Mamar,
    form: FormSeen,
    values: dict[str, str],
    problems: list[str],
) -> None:
    """Fill and send ``form`` with ``values``; note every way the answer loses work."""
    what = f"{form.route} [{form.page}] {sorted(values)[:6]}"
    page.goto(server.url + form.page, wait_until="domcontentloaded")
    if not page.evaluate(FILL, [form.action, form.nth, values]):
        problems.append(f"{what}: the form is not on the page in the browser")
        return
    before = _journal(system)
    target = page.locator("form[data-under-test]")
    button = target.locator(
        "button[type=submit]:not([formnovalidate]):not(.danger), "
        "button:not([type]):not([formnovalidate]):not(.danger), input[type=submit]"
    ).first
    print(what[:160], flush=True)
    try:
        with page.expect_navigation(wait_until="domcontentloaded") as navigation:
            button.click()
        response = navigation.value
    except PlaywrightError as exc:
        problems.append(f"{what}: not sent ({str(exc).splitlines()[0][:120]})")
        return
    status = response.status if response is not None else 0
    if _journal(system) != before:
        problems.append(f"{what}: recorded something")
        return
    if ACTION in values:  # a record that does not exist: refused, said in Arabic
        shown = page.evaluate(AFTER, [form.action, []])["messages"] or [page.title()]
        if status < 400 or any(LATIN_WORD.search(m) for m in shown):
            problems.append(f"{what}: answered {status} {shown[:2]}")
        return
    typed = [n for n, x in values.items() if _kept_as_typed(form, n, x)]
    seen = page.evaluate(AFTER, [form.action, typed])
    latin = [m[:80] for m in seen["messages"] if LATIN_WORD.search(m)]
    if latin:
        problems.append(f"{what}: Latin script in the message {latin}")
    if form.route in SEARCHES:
        return
    if status < 400:
        problems.append(f"{what}: answered {status}")
    if not seen["messages"]:
        problems.append(f"{what}: no message")
    if not seen["found"]:
        problems.append(f"{what}: the form did not come back ({status}: {seen['messages'][:2]})")
        return
    for name in typed:
        if seen["values"][name] != values[name]:
            problems.append(f"{what}: {name} not kept")
    for name in _expected_beside(form, values):
        if not seen["beside"][name]:
            problems.append(f"{what}: no message beside {name} ({seen['messages'][:3]})")


def _kept_as_typed(form: FormSeen, name: str, value: str) -> bool:
    """Whether ``value`` must be in field ``name`` when the form comes back: not an id the
    viewer cannot see, not an empty choice (a list without "—" cannot be emptied), not a
    password (never sent back in a page)."""
    kind = next(f for f in form.fields if f["name"] == name)["kind"]
    if value == BOGUS_ID or kind in ("hidden", "password"):
        return False
    return not (value == "" and kind in ("select", "multiple"))


def _expected_beside(form: FormSeen, values: dict[str, str]) -> list[str]:
    """The fields whose value is wrong on its own (empty required, number, place, time, length)."""
    out = []
    for f in form.fields:
        value = values.get(f["name"])
        if value is None or f["kind"] == "hidden":
            continue
        if (value == "" and f["required"]) or (value != "" and value not in ("نص", BOGUS_ID)):
            out.append(f["name"])
    return out


def test_every_form_gives_the_work_back_on_every_kind_of_bad_input(server: LiveServer) -> None:
    system = server.system()
    gets, posts = _routes(system)
    exercised: dict[tuple[str, ...], FormSeen] = {}
    problems = Problems()
    with chromium() as browser:
        for username in sorted(server.accounts):
            context = browser.new_context(viewport={"width": 1024, "height": 900}, locale="ar")
            context.set_default_timeout(60_000)  # a shared machine can be slow
            try:
                page = context.new_page()
                sign_in(page, server.url, username)
                for form in _walk(server, context, gets, posts):
                    if form.key() in exercised:
                        continue
                    exercised[form.key()] = form
                    fillable = [
                        f for f in form.fields if f["kind"] not in ("hidden", "submit", "button")
                    ]
                    if any(f["required"] for f in fillable):
                        empty = {f["name"]: "" for f in fillable if f["kind"] != "file"}
                        _send(page, server, system, form, empty, problems)
                    bad = _bad_values(form)
                    if bad:
                        _send(page, server, system, form, bad, problems)
                    else:
                        problems.append(f"{form.route} [{form.page}]: no bad input to give")
            finally:
                context.close()
    system.dispose()
    reached = {form.route for form in exercised.values()}
    missed = sorted(r.path for r in posts if r.path not in reached and r.path not in NOT_FORMS)
    assert missed == [], f"POST routes no page form reached: {missed}"
    assert problems == [], "\n".join(problems)
