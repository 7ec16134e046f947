"""WCAG 2.1 AA in a real browser: axe-core on every page of the route table, in Arabic and
in English, finds no serious or critical violation; and a keyboard alone signs in, opens
a page, fills a form and submits it.

axe-core comes from its npm package, pinned in ``tests/axe/package.json`` and its lock
file, installed by ``scripts/test`` (``npm ci``). It is injected into the page by
Playwright for the test only: Mamar never serves it. Without it the test skips, except
under ``CI=true``, where it fails.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from starlette.routing import Route

from mamar import reads
from mamar.domain.model import kind_of
from mamar.services.commands import SYSTEM
from tests import test_web_browser
from tests.live_server import OPERATION, PASSWORD, LiveServer, sign_in

pytestmark = pytest.mark.browser

server = test_web_browser.server
browser = test_web_browser.browser

AXE = Path(__file__).parent / "axe" / "node_modules" / "axe-core" / "axe.min.js"
#: The rules of WCAG 2.0 and 2.1, levels A and AA.
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
#: Page paths name their records in the plural (people: person).
PLURAL = {"people": "person"}
#: Who reads each page: the administrator sees most; medical pages need a medic.
READERS = ("admin", "medic")


@pytest.fixture(scope="module")
def axe_source() -> str:
    if not AXE.exists():
        reason = f"{AXE} is missing: run 'npm ci --prefix tests/axe' (scripts/test does)"
        if os.environ.get("CI") == "true":
            pytest.fail(f"axe-core must be installed in CI: {reason}")
        pytest.skip(reason)
    return AXE.read_text(encoding="utf-8")


def page_paths(server: LiveServer) -> list[str]:
    """Every GET page of the app's route table, bound to one record of its kind."""
    from mamar.cli.serving import build_app

    system = server.system()
    try:
        app = build_app(system)
        found: dict[str, list[str]] = {}
        with system.reading() as conn:
            for state in reads.visible_states(conn, viewer=SYSTEM, operation=None):
                found.setdefault(kind_of(state), []).append(state.id)
        paths = []
        for route in app.routes:
            if not isinstance(route, Route) or "GET" not in (route.methods or set()):
                continue
            template = route.path
            if template.startswith(("/api/", "/live", "/static", "/metrics", "/health")):
                continue
            path = template.replace("{op}", OPERATION).replace("{command_name}", "convoy.plan")
            parts = [p for p in template.split("/") if p]
            if "{id}" in parts:
                before = parts[parts.index("{id}") - 1]
                kind = PLURAL.get(before, before.removesuffix("s"))
                ids = found.get(kind, [])
                if not ids:
                    continue
                path = path.replace("{id}", ids[0])
            if "{" in path:
                continue
            paths.append(path)
        # Records the demo keeps in the vault, not among the states: a person's page.
        paths.append(f"/ops/{OPERATION}/people/civil-defence-chief")
        return sorted(set(paths))
    finally:
        system.dispose()


def violations(page: Any, axe: str) -> list[dict[str, Any]]:
    page.add_script_tag(content=axe)
    found: list[dict[str, Any]] = page.evaluate(
        """async (tags) => {
          const result = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
          return result.violations
            .filter(v => v.impact === 'serious' || v.impact === 'critical')
            .map(v => ({id: v.id, impact: v.impact, help: v.help,
                        nodes: v.nodes.slice(0, 4).map(n => n.target.join(' ') + ' :: '
                          + n.html.slice(0, 160) + ' :: '
                          + (n.failureSummary || '').replace(/\\s+/g, ' ').slice(0, 200))}));
        }""",
        TAGS,
    )
    return found


@pytest.fixture(scope="module")
def readers(browser: Any, server: LiveServer) -> Iterator[dict[str, Any]]:
    pages = {}
    contexts = []
    for username in READERS:
        # The page's policy allows scripts from Mamar only: the test's own axe-core is let in.
        context = browser.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True)
        context.set_default_timeout(15_000)
        opened = context.new_page()
        sign_in(opened, server.url, username)
        pages[username] = opened
        contexts.append(context)
    yield pages
    for context in contexts:
        context.close()


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_every_page_has_no_serious_accessibility_violation(
    readers: dict[str, Any], server: LiveServer, axe_source: str, lang: str
) -> None:
    paths = page_paths(server)
    assert len(paths) > 25
    checked = 0
    report: list[str] = []
    for path in ["/login", *paths]:
        sep = "&" if "?" in path else "?"
        for username in READERS:
            page = readers[username]
            response = page.goto(f"{server.url}{path}{sep}lang={lang}")
            if response is None or response.status >= 400:
                continue
            if "text/html" not in (response.headers.get("content-type") or ""):
                break
            page.wait_for_load_state("load")
            checked += 1
            for v in violations(page, axe_source):
                report.append(f"{path} [{lang}, {username}] {v['id']} ({v['impact']}): {v['help']}")
                report += [f"    {n}" for n in v["nodes"]]
            break
    assert checked > 25, f"only {checked} pages checked"
    print(f"{checked} pages checked in {lang}")
    assert report == [], "\n".join(report)


# --- the keyboard alone ----------------------------------------------------------------------

#: What has the focus: enough to act on it, and whether its focus can be seen.
FOCUSED = """() => {
  const e = document.activeElement;
  if (!e || e === document.body) return null;
  const s = getComputedStyle(e);
  const form = e.form || e.closest('form');
  return {tag: e.tagName.toLowerCase(), type: e.type || '', name: e.getAttribute('name') || '',
          id: e.id || '', text: (e.innerText || '').trim().slice(0, 60),
          href: e.getAttribute('href') || '', required: !!e.required, value: e.value || '',
          form: form ? form.id || form.getAttribute('action') || '' : '',
          formnovalidate: e.hasAttribute('formnovalidate'),
          seen: (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2)
                || s.boxShadow !== 'none'};
}"""


def tab_until(page: Any, wanted: Any, unseen: list[str], limit: int = 150) -> dict[str, Any]:
    """Press Tab until ``wanted(focused)``; every stop on the way must show its focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        if focused is None:
            continue
        if not focused["seen"]:
            unseen.append(f"{page.url}: {focused['tag']} {focused['name'] or focused['text']}")
        if wanted(focused):
            return dict(focused)
    raise AssertionError(f"{page.url}: never reached by Tab")


REPORT = {
    "description": "قصف قرب نقطة التجمع، أُبلغ عنه بلوحة المفاتيح وحدها",
    "source.text": "فريق الإسعاف",
    "lat": "36.17",
    "lon": "37.13",
}


def test_sign_in_open_a_page_and_report_with_the_keyboard_alone(
    browser: Any, server: LiveServer
) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    page = context.new_page()
    unseen: list[str] = []
    try:
        page.goto(f"{server.url}/login?lang=ar")
        tab_until(page, lambda f: f["name"] == "username", unseen)
        page.keyboard.type("coordinator")
        tab_until(page, lambda f: f["name"] == "password", unseen)
        page.keyboard.type(PASSWORD)
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert "/login" not in page.url
        # To the operation, then to its incidents, by links the Tab key reaches.
        if f"/ops/{OPERATION}/" not in page.url:
            tab_until(page, lambda f: f["href"].startswith(f"/ops/{OPERATION}"), unseen)
            with page.expect_navigation():
                page.keyboard.press("Enter")
        tab_until(page, lambda f: f["href"] == f"/ops/{OPERATION}/incidents", unseen)
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert page.url.endswith("/incidents")
        # The report form, field by field in the order the Tab key goes.
        filled: set[str] = set()
        missing: list[str] = []
        for _ in range(120):
            page.keyboard.press("Tab")
            focused = page.evaluate(FOCUSED)
            if focused is None:
                continue
            if not focused["seen"]:
                unseen.append(f"{page.url}: {focused['tag']} {focused['name'] or focused['text']}")
            if focused["form"] != "incident-form":
                if filled:
                    break
                continue
            name = focused["name"]
            if focused["tag"] == "button" and focused["type"] == "submit":
                if not focused["formnovalidate"]:
                    break
                continue
            if focused["tag"] == "select" and focused["required"] and not focused["value"]:
                page.keyboard.press("ArrowDown")
                filled.add(name)
            elif name in REPORT and focused["tag"] in ("input", "textarea"):
                page.keyboard.type(REPORT[name])
                filled.add(name)
            elif focused["required"] and not focused["value"]:
                missing.append(name)
        else:
            raise AssertionError("the Tab key never reached the form's button")
        assert focused["tag"] == "button", f"Tab left the form at {focused}"
        assert missing == [], f"required fields with nothing to type: {missing}"
        assert set(REPORT) <= filled, filled
        with page.expect_navigation():
            page.keyboard.press("Enter")
        errors = page.locator(".field-error, p.error").all_inner_texts()
        assert errors == [], errors
        assert page.locator("p.saved[role=status]").count() == 1 or "/incidents/" in page.url
    finally:
        context.close()
    assert unseen == [], "focus not visible on:\n" + "\n".join(unseen)
