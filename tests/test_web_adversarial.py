"""Markup planted in every text field never runs, and no page reaches beyond its own server.

The aleppo-2016 scenario is recorded with markup appended to every text field its
commands set (``tests.planted``: found from the command models, not listed by hand).
Then an administrator's browser (Debian's Chromium) crawls every page it can reach
from the operations list and the administration, opening every popup of the maps.
On each page: no planted element exists in the DOM, no planted handler ran, the
Content-Security-Policy and the other security headers are on the response, the
browser reports no CSP violation (the pages keep to their own policy), every address
in the HTML is on this server, and no request left 127.0.0.1.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import urljoin, urlsplit

import pytest

from tests.live_server import (
    LiveServer,
    browser_server,
    chromium,
    sign_in,
)
from tests.planted import PAYLOAD, PLANTED_SELECTOR, load_planted

pytestmark = pytest.mark.browser

#: Pages never followed: they end the session or stream without end.
# Evidence bundles, situation reports and printed manifests are downloads (a file, not a
# page): the bundle, sitrep and manifest tests check them.
SKIP = re.compile(
    r"^/(logout|live)\b|^/static/|^/api/v1/evidence\b|[?&]format=(json|pdf)|\.pdf(\?|$)"
)
MAX_PAGES = 1200
#: Records every violation the browser reports, before any page script runs.
WATCH = """
window.__violations = [];
document.addEventListener('securitypolicyviolation', e =>
  window.__violations.push(e.violatedDirective + ' ' + (e.blockedURI || 'inline')));
"""
#: Opens every popup and tooltip of every Leaflet map, counting planted elements each time.
OPEN_POPUPS = """
() => {
  let seen = 0;
  const count = () => { seen = Math.max(seen, document.querySelectorAll(SELECTOR).length); };
  document.querySelectorAll('.leaflet-interactive').forEach(el => {
    el.dispatchEvent(new MouseEvent('click', {bubbles: true, cancelable: true, view: window}));
    el.dispatchEvent(new MouseEvent('mouseover', {bubbles: true, view: window}));
    count();
  });
  return {opened: document.querySelectorAll('.leaflet-interactive').length, seen};
}
"""
URL_ATTRIBUTES = ["src", "href", "action", "data-api", "data-leaflet-js", "data-leaflet-css"]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    with browser_server(tmp_path_factory.mktemp("planted"), load=load_planted) as running:
        yield running


@pytest.fixture(scope="module")
def browser(server: LiveServer) -> Iterator[Any]:
    with chromium() as launched:
        yield launched


def _links(page: Any, base: str) -> list[str]:
    hrefs: list[str] = page.eval_on_selector_all("a[href]", "els => els.map(a => a.href)")
    found = []
    for href in hrefs:
        if not href.startswith(base):
            continue
        parts = urlsplit(href[len(base) :].split("#", 1)[0])
        # The language switch leads to the same page: crawled once, in Arabic.
        query = "&".join(q for q in parts.query.split("&") if q and not q.startswith("lang="))
        path = parts.path + ("?" + query if query else "")
        if path and not SKIP.search(path):
            found.append(path)
    return found


def _foreign_addresses(page: Any, base: str) -> list[str]:
    """Every URL-valued attribute of the page that does not resolve onto this server."""
    values: list[str] = page.evaluate(
        """attrs => attrs.flatMap(a => [...document.querySelectorAll('[' + a + ']')]
              .map(el => el.getAttribute(a)))""",
        URL_ATTRIBUTES,
    )
    here = urlsplit(base)
    foreign = []
    for value in values:
        target = urlsplit(urljoin(page.url, value))
        if target.scheme in ("data", "javascript") or target.netloc != here.netloc:
            foreign.append(value)
    return foreign


def _inspect(page: Any, path: str, response: Any, base: str) -> list[str]:
    """What is wrong with the page just opened (nothing, if all holds)."""
    if response is None:
        return [f"{path}: no response"]
    problems = []
    headers = response.headers
    policy = headers.get("content-security-policy", "")
    # Scripts from this server only, or none at all (a standalone report: ``default-src
    # 'none'`` with no ``script-src`` of its own runs no script).
    scripts = "script-src 'self'" in policy or (
        "default-src 'none'" in policy and "script-src" not in policy
    )
    if not scripts or "frame-ancestors 'none'" not in policy:
        problems.append(f"{path}: Content-Security-Policy missing or weak: {policy!r}")
    if headers.get("x-content-type-options") != "nosniff":
        problems.append(f"{path}: no X-Content-Type-Options: nosniff")
    if not headers.get("referrer-policy"):
        problems.append(f"{path}: no Referrer-Policy")
    if page.locator("#map, [data-leaflet-js]").count():
        page.wait_for_load_state("networkidle")
        opened = page.evaluate(OPEN_POPUPS.replace("SELECTOR", repr(PLANTED_SELECTOR)))
        page.evaluate(f"window.__popups = {opened['opened']}")
        if opened["seen"]:
            problems.append(f"{path}: planted markup parsed in a map popup or tooltip")
    planted = page.locator(PLANTED_SELECTOR).count()
    if planted:
        problems.append(f"{path}: {planted} planted element(s) in the page")
    if page.evaluate("window.__planted === 1"):
        problems.append(f"{path}: a planted handler ran")
    violations = page.evaluate("window.__violations")
    if violations:
        problems.append(f"{path}: CSP violations {violations}")
    foreign = _foreign_addresses(page, base)
    if foreign:
        problems.append(f"{path}: addresses off this server {foreign}")
    return problems


#: The text fields of a form, filled with the payload (ids with a fresh slug).
FILL = """
([payload, serial]) => {
  const form = document.querySelectorAll('main form[method=post]')[window.__form];
  let filled = 0;
  form.querySelectorAll('input, textarea').forEach(field => {
    const type = (field.getAttribute('type') || 'text').toLowerCase();
    if (field.readOnly || field.disabled || !['text', 'search'].includes(type)
        && field.tagName !== 'TEXTAREA') return;
    if (/(^|[._])id$/.test(field.name)) { field.value = 'planted-' + serial; return; }
    field.value = (field.value ? field.value + ' ' : '') + payload;
    filled += 1;
  });
  return filled;
}
"""


def _form_shape(action: str) -> tuple[int, str]:
    """Forms on many records (a convoy's status) are tried once: their depth and last word."""
    parts = [p for p in urlsplit(action).path.split("/") if p]
    return len(parts), parts[-1] if parts else ""


def _plant_forms(
    page: Any, path: str, base: str, tried: set[tuple[int, str]], problems: list[str]
) -> int:
    """Submit each new kind of form on ``path`` with the payload in its text fields."""
    actions: list[str] = page.eval_on_selector_all(
        "main form[method=post]", "forms => forms.map(f => f.action)"
    )
    submitted = 0
    for number, action in enumerate(actions):
        shape = _form_shape(action)
        if shape in tried or not action.startswith(base) or "/logout" in action:
            continue
        tried.add(shape)
        if number or submitted:
            page.goto(base + path, wait_until="load")
        page.evaluate(f"window.__form = {number}")
        if not page.evaluate(FILL, [PAYLOAD, len(tried)]):
            continue
        form = page.locator("main form[method=post]").nth(number)
        # The first button a person can press (a form with a destructive choice starts with a
        # hidden one, so that Enter chooses nothing).
        button = form.locator("button[type=submit]:visible, button:not([type]):visible").first
        if not button.count():
            continue
        with page.expect_navigation(wait_until="load") as navigation:
            button.click()
        submitted += 1
        problems.extend(_inspect(page, f"{path} -> {action}", navigation.value, base))
    return submitted


def test_planted_markup_never_runs_on_any_page(browser: Any, server: LiveServer) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    context.add_init_script(WATCH)
    page = context.new_page()
    base = server.url
    outside: list[str] = []
    console: list[str] = []
    page.on(
        "request",
        lambda r: None if r.url.startswith((base, "data:", "about:")) else outside.append(r.url),
    )
    page.on("console", lambda m: console.append(m.text) if "Security Policy" in m.text else None)
    sign_in(page, base, "admin")
    assert "/login" not in page.url

    queue = ["/ops", "/admin", "/api/v1/docs"]
    seen = set(queue)
    problems: list[str] = []
    tried: set[tuple[int, str]] = set()
    crawled = submitted = popups = 0
    while queue and crawled < MAX_PAGES:
        path = queue.pop(0)
        response = page.goto(base + path, wait_until="load")
        crawled += 1
        problems.extend(_inspect(page, path, response, base))
        popups += page.evaluate("window.__popups || 0")
        for link in _links(page, base):
            if link not in seen:
                seen.add(link)
                queue.append(link)
        # Then what the forms can set, planted too: the records they make show on
        # pages crawled later.
        submitted += _plant_forms(page, path, base, tried, problems)
    context.close()
    # The crawl reached the pages that show planted text, the maps had things to open,
    # and the forms were sent.
    assert crawled >= 30, f"only {crawled} pages reached"
    assert popups > 10, "no map popup was opened"
    assert submitted >= 10, f"only {submitted} forms sent"
    assert problems == [], "\n".join(problems)
    assert not queue, f"more than {MAX_PAGES} pages: raise MAX_PAGES ({len(queue)} left)"
    assert console == [], console
    assert outside == [], f"requests left the server: {outside}"


def test_planted_text_is_shown_as_text(browser: Any, server: LiveServer) -> None:
    """The payload is on the pages, visibly, as the characters it is made of."""
    context = browser.new_context()
    page = context.new_page()
    sign_in(page, server.url, "admin")
    page.goto(f"{server.url}/ops/aleppo-2016/incidents?lang=en")
    assert "<mamar-planted>" in page.locator("main").inner_text()
    assert PAYLOAD.split(">", 1)[0] in page.locator("main").inner_text()
    context.close()
