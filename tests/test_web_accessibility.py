"""WCAG 2.1 AA in a real browser: axe-core on every page of the route table, in Arabic and
in English, in the light theme and in the dark one, finds no serious or critical violation;
nor on the pages a form leads to: an irreversible action's confirmation, a refused form
shown again with its messages. Every page that names a record is shown with one of its
kind (the demo's, or one the test makes through its form: a page left out fails the test)
and opens for one of the readers. The theme chosen beside the language works without
JavaScript; and a keyboard alone signs in, opens a page, fills a form and submits it,
chooses the colours and the language, and picks a name from a long list, in Arabic.

axe-core comes from its npm package, pinned in ``tests/axe/package.json`` and its lock
file, installed by ``scripts/test`` (``npm ci``). It is injected into the page by
Playwright for the test only: Mamar never serves it. Without it the test skips, except
under ``CI=true``, where it fails.
"""

from __future__ import annotations

import io
import os
import re
from collections.abc import Iterator, Mapping
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
#: Who may erase a person from the vault (the administrator may not read one).
ERASER = "coordinator"
#: The themes a page is checked in: every rule in the light one, then (the page's colours
#: being all that changes) the rules about colours in the dark one.
THEMES = ("light", "dark")
COLOUR_RULES = ["color-contrast", "link-in-text-block"]
#: Every stylesheet of the page loaded, the dark one too (linked for a dark preference).
STYLED = "() => [...document.querySelectorAll('link[rel=stylesheet]')].every(l => l.sheet)"
#: The records the demo has none of, made by the administrator through their forms: a
#: vehicle's manifest with a family in it, a task, a convoy, a tracing request, a contact
#: planned, a party's position, a channel, an influence, a mandate. Each: the form's page,
#: what is typed, and where its id is found (the address the form leads to, that page or
#: the form's page again). Every page of the route table that names a record must find one
#: of its kind (:func:`page_paths`): a new kind of record needs its seed here.
SEEDS = {
    "vehicle": (
        "manifests",
        {"convoy": "first-wounded", "label": "إسعاف ٣"},
        r"/vehicles/([\w-]+)\"",
    ),
    "task": (
        "tasks/new",
        {"assignee": "sarc", "title.ar": "إخلاء الجرحى", "description": "نقالات"},
        r"/tasks/(?!new\b)([\w-]+)\"",
    ),
    "convoy": ("convoys", {"name.ar": "دفعة متأخرة"}, r"/convoys/([\w-]+)\""),
    "tracing": (
        "tracing",
        {
            "sought.full_name": "سلمى عبد الله الحلبي",
            "sought.year_of_birth": "2009",
            "relative.full_name": "عبد الله الحلبي",
            "relative.relation": "أب",
            "child": "yes",
        },
        r"/tracing/([\w-]+)\"",
    ),
    "contact": (
        "contacts/schedule",
        {
            "direction": "outbound",
            "medium": "phone",
            "source": "party:icrc",
            "target": "party:civil-defence",
            "scheduled_for": "2016-12-16 10:00",
        },
        r"/contacts/([\w-]+)/outcome\"",
    ),
    "position": (
        "negotiation/position",
        {"party": "civil-defence", "issue": "terms-of-exit", "stance": "خروج الجرحى أولاً"},
        r"/positions/([\w-]+)/revise\"",
    ),
    "channel": (
        "record/channel.open",
        {
            "source": "party:icrc",
            "target": "party:civil-defence",
            "medium": "phone",
            "status": "active",
            "reason": "خط مباشر مع غرفة العمليات",
        },
        r"entity=channel(?::|%3A)([\w-]+)",
    ),
    "influence": (
        "record/influence.map",
        {
            "source": "party:turkey",
            "target": "party:civil-defence",
            "means": "تمويل ودعم",
            "strength": "moderate",
        },
        r"entity=influence(?::|%3A)([\w-]+)",
    ),
    "mandate": (
        "record/mandate.grant",
        {"granted_by": "icrc", "to": "party:icrc", "scope": "التفاوض على خروج الجرحى"},
        r"entity=mandate(?::|%3A)([\w-]+)",
    ),
}
#: Records the demo keeps in the vault, not among the states the test reads: a person.
VAULT = {"person": ["civil-defence-chief"]}
FAMILY = {"name.0": "عبد الله الحلبي", "year.0": "1975", "relation.0": "رب الأسرة"}
#: Forms sent with nothing typed: each page shown again, refused, its messages beside
#: the fields ("{vehicle}": the vehicle made by :func:`seeded`).
REFUSED = (
    "incidents",
    "tasks/new",
    "record/convoy.plan",
    "manifests",
    "vehicles/{vehicle}/family",
    "tracing",
    "guarantees/new",
    "routes/new",
)


@pytest.fixture(scope="module")
def axe_source() -> str:
    if not AXE.exists():
        reason = f"{AXE} is missing: run 'npm ci --prefix tests/axe' (scripts/test does)"
        if os.environ.get("CI") == "true":
            pytest.fail(f"axe-core must be installed in CI: {reason}")
        pytest.skip(reason)
    return AXE.read_text(encoding="utf-8")


def page_paths(server: LiveServer, made: Mapping[str, list[str]]) -> tuple[list[str], list[str]]:
    """Every GET page of the app's route table, bound to one record of its kind (among the
    demo's, the vault's and those ``made`` by the test); a manifest's person by their
    number. With the pages' templates left unbound: none should be."""
    from mamar.cli.serving import build_app

    system = server.system()
    try:
        app = build_app(system)
        found: dict[str, list[str]] = {}
        with system.reading() as conn:
            for state in reads.visible_states(conn, viewer=SYSTEM, operation=None):
                found.setdefault(kind_of(state), []).append(state.id)
        for kind, ids in (*made.items(), *VAULT.items()):
            found.setdefault(kind, []).extend(ids)
        paths = []
        unbound = []
        for route in app.routes:
            if not isinstance(route, Route) or "GET" not in (route.methods or set()):
                continue
            template = route.path
            if template.startswith(("/api/", "/live", "/static", "/metrics", "/health")):
                continue
            path = template.replace("{op}", OPERATION).replace("{command_name}", "convoy.plan")
            path = path.replace("{number}", "1")  # the family seeded is the manifest's first
            parts = [p for p in template.split("/") if p]
            if "{id}" in parts:
                before = parts[parts.index("{id}") - 1]
                kind = PLURAL.get(before, before.removesuffix("s"))
                ids = found.get(kind, [])
                if not ids:
                    unbound.append(f"{template} (no {kind})")
                    continue
                path = path.replace("{id}", ids[0])
            if "{" in path:
                unbound.append(template)
                continue
            paths.append(path)
        return sorted(set(paths)), sorted(set(unbound))
    finally:
        system.dispose()


def violations(page: Any, only: dict[str, Any]) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = page.evaluate(
        """async (only) => {
          const result = await axe.run(document, {runOnly: only});
          return result.violations
            .filter(v => v.impact === 'serious' || v.impact === 'critical')
            .map(v => ({id: v.id, impact: v.impact, help: v.help,
                        nodes: v.nodes.slice(0, 4).map(n => n.target.join(' ') + ' :: '
                          + n.html.slice(0, 160) + ' :: '
                          + (n.failureSummary || '').replace(/\\s+/g, ' ').slice(0, 200))}));
        }""",
        only,
    )
    return found


def audit(page: Any, axe: str, where: str, report: list[str]) -> None:
    """axe on the page shown: every rule in the light theme, the colours' in the dark one
    (the system's preference, as a phone set to dark mode says it); the light one again
    after."""
    page.add_script_tag(content=axe)
    for theme in THEMES:
        page.emulate_media(color_scheme=theme)
        page.wait_for_function(STYLED)
        if theme == "light":
            only = {"type": "tag", "values": TAGS}
        else:
            only = {"type": "rule", "values": COLOUR_RULES}
        for v in violations(page, only):
            report.append(f"{where} [{theme}] {v['id']} ({v['impact']}): {v['help']}")
            report += [f"    {n}" for n in v["nodes"]]
    page.emulate_media(color_scheme="light")


@pytest.fixture(scope="module")
def readers(browser: Any, server: LiveServer) -> Iterator[dict[str, Any]]:
    pages = {}
    contexts = []
    for username in (*READERS, ERASER):
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


def photo() -> dict[str, Any]:
    """A photo as the family form's file field sends it (so a person's photo has a page)."""
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (64, 80), (120, 90, 60)).save(out, "JPEG")
    return {"name": "photo.jpg", "mimeType": "image/jpeg", "buffer": out.getvalue()}


def form_token(page: Any) -> str:
    token: str = page.locator("input[name=csrf]").first.input_value()
    return token


@pytest.fixture(scope="module")
def seeded(readers: dict[str, Any], server: LiveServer) -> dict[str, list[str]]:
    """Records of the kinds the demo has none of, sent through their forms by the
    administrator: kind → the ids its list page links to."""
    page = readers["admin"]
    made: dict[str, list[str]] = {}
    for kind, (path, form, link) in SEEDS.items():
        url = f"{server.url}/ops/{OPERATION}/{path}"
        page.goto(url)
        sent = page.request.post(url, form={"csrf": form_token(page), **form}, max_redirects=0)
        assert sent.status == 303, f"{kind}: {sent.status} {sent.text()[-1500:]}"
        led_to = sent.headers["location"]
        page.goto(f"{server.url}{led_to}")
        # The address led to, as a link writes it (a page no longer links to itself).
        seen = f'href="{led_to.split("?")[0]}"' + page.content()
        page.goto(url)
        made[kind] = sorted(set(re.findall(link, seen + page.content())))
        assert made[kind], f"no {kind} linked from {led_to} or {url}"
    family = f"{server.url}/ops/{OPERATION}/vehicles/{made['vehicle'][0]}/family"
    page.goto(family)
    sent = page.request.post(
        family,
        multipart={"csrf": form_token(page), **FAMILY, "photo.0": photo()},
        max_redirects=0,
    )
    assert sent.status == 303, sent.text()[-1500:]
    return made


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_every_page_has_no_serious_accessibility_violation(
    readers: dict[str, Any],
    seeded: dict[str, list[str]],
    server: LiveServer,
    axe_source: str,
    lang: str,
) -> None:
    paths, unbound = page_paths(server, seeded)
    assert unbound == [], f"pages with no record of their kind to show (add a seed): {unbound}"
    assert len(paths) > 25
    made = [p for p in paths if "/vehicles/" in p or "/tasks/" in p or "/tracing/" in p]
    assert len(made) >= 6, made
    checked = 0
    report: list[str] = []
    unread: list[str] = []
    for path in ["/login", *paths]:
        sep = "&" if "?" in path else "?"
        statuses = []
        for username in READERS:
            page = readers[username]
            response = page.goto(f"{server.url}{path}{sep}lang={lang}")
            statuses.append(response.status if response is not None else 0)
            if response is None or response.status >= 400:
                continue
            if "text/html" not in (response.headers.get("content-type") or ""):
                break
            page.wait_for_load_state("load")
            checked += 1
            audit(page, axe_source, f"{path} [{lang}, {username}]", report)
            break
        else:
            unread.append(f"{path} {statuses}")
    assert checked > 25, f"only {checked} pages checked"
    assert unread == [], f"pages none of {READERS} could open: {unread}"
    print(f"{checked} pages checked in {lang}")
    assert report == [], "\n".join(report)


def send(page: Any, button: str, choose: Mapping[str, str] | None = None) -> int:
    """Choose in the form of ``button`` (a select's value; "": its first option that is
    one), press ``button`` and wait for the page sent back: its status."""
    form = page.locator(button).first.locator("xpath=ancestor::form")
    for name, value in (choose or {}).items():
        field = form.locator(f"[name='{name}']")
        if value:
            field.select_option(value)
        else:
            field.select_option(index=1)
    with page.expect_navigation() as sent:
        page.locator(button).first.click()
    status: int = sent.value.status
    return status


def confirmations(
    pages: dict[str, Any], url: str, records: dict[str, list[str]]
) -> Iterator[tuple[Any, str]]:
    """Each irreversible action's form sent as a person would: its confirmation shown
    (409), then confirmed without the reason it asks (422). Yields the page and where it is."""
    page = pages["admin"]
    ops = f"{url}/ops/{OPERATION}"
    danger = {"status": "cancelled", "outcome": "broken"}
    tried = [
        *[(f"{ops}/convoys/{c}", "status", {}) for c in records["convoy"]],
        *[(f"{ops}/guarantees/{g}/outcome", "outcome", {}) for g in records["guarantee"]],
    ]
    shown = set()
    for address, name, choose in tried:
        if name in shown:
            continue
        page.goto(address)
        button = f"button[name={name}][value={danger[name]}]"
        if page.locator(button).count() == 0:
            continue
        assert send(page, button, choose) == 409, page.url
        shown.add(name)
        yield page, f"{address} ({danger[name]}, asked)"
        assert send(page, "button[name=confirmed]") == 422, page.url
        yield page, f"{address} ({danger[name]}, confirmed without a reason)"
    assert shown == set(danger), f"no form offered {set(danger) - shown}"
    page.goto(f"{ops}/routes/{records['route'][0]}")
    assert send(page, "button[name=decision][value=reject]", {"party": ""}) == 409, page.url
    yield page, f"{ops}/routes (reject, asked)"
    for erase, reader in (("tracing.erase", page), ("person.erase", pages[ERASER])):
        reader.goto(f"{ops}/record/{erase}")
        assert send(reader, "main form button[type=submit]", {"id": ""}) == 409, reader.url
        yield reader, f"{ops}/record/{erase} (asked)"
        assert send(reader, "button[name=confirmed]") == 422, reader.url
        yield reader, f"{ops}/record/{erase} (confirmed without a reason)"


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_confirmations_and_refused_forms_have_no_serious_accessibility_violation(
    lang: str, axe_source: str, server: LiveServer, seeded: dict[str, list[str]], readers: Any
) -> None:
    for reader in (readers["admin"], readers[ERASER]):
        reader.goto(f"{server.url}/ops?lang={lang}")  # remembered for the pages after
    system = server.system()
    try:
        records: dict[str, list[str]] = {}
        with system.reading() as conn:
            for state in reads.visible_states(conn, viewer=SYSTEM, operation=OPERATION):
                records.setdefault(kind_of(state), []).append(state.id)
    finally:
        system.dispose()
    report: list[str] = []
    checked = 0
    for shown, where in confirmations(readers, server.url, records):
        audit(shown, axe_source, f"{where} [{lang}]", report)
        checked += 1
    page = readers["admin"]
    for path in REFUSED:
        address = f"{server.url}/ops/{OPERATION}/" + path.format(vehicle=seeded["vehicle"][0])
        page.goto(address)
        form = "main form[method=post] button[type=submit]:not([formnovalidate])"
        status = send(page, form)
        assert status in (400, 422), f"{address}: {status}"
        assert page.locator(".field-error, p.error[role=alert]").count() > 0, address
        audit(page, axe_source, f"{address} (refused) [{lang}]", report)
        checked += 1
    print(f"{checked} confirmations and refused forms checked in {lang}")
    assert report == [], "\n".join(report)


#: The page's ground: light (app.css) or dark (dark.css).
GROUND = "() => getComputedStyle(document.documentElement).backgroundColor"
LIGHT_GROUND, DARK_GROUND = "rgb(246, 247, 249)", "rgb(20, 23, 27)"


def test_the_colours_chosen_beside_the_language_hold_without_javascript(
    browser: Any, server: LiveServer
) -> None:
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, java_script_enabled=False
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    try:
        sign_in(page, server.url, "admin")
        page.goto(f"{server.url}/ops/{OPERATION}/dashboard?lang=ar")
        choice = page.get_by_role("group", name="الألوان:")
        assert choice.get_by_role("link").all_inner_texts() == ["تلقائية", "فاتحة", "داكنة"]
        # Automatic: the system's preference, light or dark.
        assert page.evaluate(GROUND) == LIGHT_GROUND
        page.emulate_media(color_scheme="dark")
        assert page.evaluate(GROUND) == DARK_GROUND
        # Light, whatever the system prefers; remembered on the next page.
        with page.expect_navigation():
            choice.get_by_role("link", name="فاتحة").click()
        assert page.evaluate(GROUND) == LIGHT_GROUND
        assert page.locator("html").get_attribute("data-theme") == "light"
        page.goto(f"{server.url}/ops/{OPERATION}/incidents")
        assert page.evaluate(GROUND) == LIGHT_GROUND
        assert page.locator(".themes a[aria-current]").inner_text() == "فاتحة"
        # Dark, whatever the system prefers.
        page.emulate_media(color_scheme="light")
        with page.expect_navigation():
            page.get_by_role("link", name="داكنة").click()
        assert page.evaluate(GROUND) == DARK_GROUND
        page.goto(f"{server.url}/ops/{OPERATION}/convoys?lang=en")
        assert page.evaluate(GROUND) == DARK_GROUND
        assert page.locator(".themes a[aria-current]").inner_text() == "Dark"
        with page.expect_navigation():
            page.get_by_role("link", name="Automatic").click()
        assert page.evaluate(GROUND) == LIGHT_GROUND
        assert "lang=en" in page.url and page.locator("html").get_attribute("lang") == "en"
    finally:
        context.close()


# --- the keyboard alone ----------------------------------------------------------------------

#: What has the focus: enough to act on it, and whether its focus can be seen.
FOCUSED = """() => {
  const e = document.activeElement;
  if (!e || e === document.body) return null;
  const s = getComputedStyle(e);
  const form = e.form || e.closest('form');
  return {tag: e.tagName.toLowerCase(), type: e.type || '', name: e.getAttribute('name') || '',
          role: e.getAttribute('role') || '',
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


def test_the_colours_the_language_and_a_long_list_with_the_keyboard_alone_in_arabic(
    browser: Any, server: LiveServer
) -> None:
    """In Arabic, by Tab, the arrows and Enter only: the dark colours chosen, then the other
    language and back; a long list's name found by typing part of it, the arrows moving
    through the names found, Enter picking one (not sending the form); the form sent with
    Enter records the name picked. Every stop shows its focus."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    page = context.new_page()
    unseen: list[str] = []
    path = f"/ops/{OPERATION}/record/place.add_alias"
    try:
        sign_in(page, server.url, "coordinator")
        page.goto(f"{server.url}{path}?lang=ar")
        assert page.locator("html").get_attribute("dir") == "rtl"
        # The colours: the dark ones chosen with Enter, remembered on the page it leads to.
        tab_until(page, lambda f: f["text"] == "داكنة", unseen)
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert page.locator("html").get_attribute("data-theme") == "dark"
        assert page.evaluate(GROUND) == DARK_GROUND
        assert page.locator(".themes a[aria-current]").inner_text() == "داكنة"
        # The language: English, then Arabic again, each a link reached by Tab.
        tab_until(page, lambda f: f["text"] == "English", unseen)
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert page.locator("html").get_attribute("lang") == "en"
        tab_until(page, lambda f: f["text"] == "العربية", unseen)
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert page.locator("html").get_attribute("lang") == "ar"
        assert page.locator("html").get_attribute("data-theme") == "dark"
        assert path in page.url

        # The long list: its box reached by Tab, part of a name typed, the arrows, Enter.
        form = page.locator(f'main form[action="{path}"]')
        select = form.locator("select[name=id]")
        box = form.get_by_role("combobox", name="السجل")
        tab_until(page, lambda f: f["role"] == "combobox", unseen)
        assert box.evaluate("el => el === document.activeElement")
        page.keyboard.type("راموس")
        assert box.get_attribute("aria-expanded") == "true"

        def reached() -> str:
            active = box.get_attribute("aria-activedescendant")
            assert active, "no name reached"
            return page.locator(f"#{active}").inner_text().strip()

        page.keyboard.press("ArrowDown")
        assert reached() == "الراموسة"
        page.keyboard.press("ArrowDown")
        assert reached() == "دوار الراموسة"
        page.keyboard.press("ArrowUp")
        assert reached() == "الراموسة"
        page.keyboard.press("ArrowDown")
        page.keyboard.press("Enter")  # picks, does not send the form
        assert path in page.url
        assert box.input_value() == "دوار الراموسة"
        assert box.get_attribute("aria-expanded") == "false"
        picked = select.input_value()
        assert picked and select.locator(f'option[value="{picked}"]').inner_text().strip() == (
            "دوار الراموسة"
        )
        # On to the alias, typed; Enter sends the form.
        tab_until(page, lambda f: f["name"] == "alias", unseen)
        page.keyboard.type("دوار الكليات")
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert path not in page.url, page.locator("main").inner_text()[:2000]
    finally:
        context.close()
    assert unseen == [], "focus not visible on:\n" + "\n".join(unseen)
    system = server.system()
    try:
        with system.reading() as conn:
            place = reads.get_state(
                conn, viewer=system.actor("monitor"), kind="place", entity_id=picked
            )
    finally:
        system.dispose()
    aliases = [a if isinstance(a, str) else a.get("ar") for a in place.aliases]
    assert "دوار الكليات" in aliases, aliases
