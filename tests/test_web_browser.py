"""The web application in a real browser: Debian's Chromium driven by Playwright.

One uvicorn server over a temporary SQLite database with aleppo-2016 serves the
whole module. Without ``/usr/bin/chromium`` these tests skip, except under
``CI=true``, where they fail: CI must have the browser.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest

from mamar import reads
from mamar.domain.model import command_type
from mamar.domain.text import fits_script
from mamar.journal import store
from tests.live_server import (
    OPERATION,
    LiveServer,
    browser_server,
    chromium,
    sign_in,
)

pytestmark = pytest.mark.browser
OP = OPERATION


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    with browser_server(tmp_path_factory.mktemp("web")) as running:
        yield running


@pytest.fixture(scope="module")
def browser(server: LiveServer) -> Iterator[Any]:
    with chromium() as launched:
        yield launched


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    opened = context.new_page()
    errors: list[str] = []
    opened.on("pageerror", lambda exc: errors.append(str(exc)))
    yield opened
    context.close()
    assert errors == [], f"script errors on the page: {errors}"


def signed_in(page: Any, server: LiveServer, username: str) -> Any:
    sign_in(page, server.url, username)
    assert "/login" not in page.url, f"{username} could not sign in"
    return page


def op_url(server: LiveServer, path: str) -> str:
    return f"{server.url}/ops/{OP}/{path}"


def submit(page: Any, form: Any) -> None:
    """Submit ``form`` with its (first) submit button, not one that grows a list of
    the form (those skip validation), and wait for the next page."""
    with page.expect_navigation():
        form.locator("button[type=submit]:not([formnovalidate])").first.click()


def assert_no_field_errors(page: Any) -> None:
    errors = page.locator(".field-error, p.error").all_inner_texts()
    assert errors == [], f"{page.url}: {errors}"


# --- signing in, Arabic right to left ------------------------------------------------------


def test_sign_in_lands_on_the_operations(page: Any, server: LiveServer) -> None:
    page.goto(op_url(server, "dashboard"))
    assert "/login" in page.url  # not signed in: sent to the form, then back
    page.fill("input[name=username]", "coordinator")
    page.fill("input[name=password]", "wrong password")
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert page.locator("[role=alert]").count() >= 1
    signed_in(page, server, "coordinator")
    page.goto(op_url(server, "dashboard"))
    assert page.url.endswith("/dashboard")
    assert page.locator("h1").inner_text()


def test_arabic_is_right_to_left(page: Any, server: LiveServer) -> None:
    signed_in(page, server, "coordinator")
    page.goto(op_url(server, "dashboard"))
    html = page.locator("html")
    assert html.get_attribute("dir") == "rtl"
    assert html.get_attribute("lang") == "ar"
    style = page.evaluate(
        """() => {
          const h1 = document.querySelector('main h1');
          const main = document.querySelector('main');
          const s = getComputedStyle(h1);
          const a = h1.getBoundingClientRect(), m = main.getBoundingClientRect();
          const words = document.createRange();
          words.selectNodeContents(h1);
          const text = words.getBoundingClientRect();
          return {direction: s.direction, bodyDirection: getComputedStyle(document.body).direction,
                  textAlign: s.textAlign, textRight: text.right, textLeft: text.left,
                  mainRight: m.right, mainLeft: m.left, h1Right: a.right};
        }"""
    )
    assert style["direction"] == "rtl" and style["bodyDirection"] == "rtl"
    assert style["textAlign"] in ("start", "right", "-webkit-auto")
    # The heading's text sits against the right edge of the content, not the left.
    assert style["h1Right"] - style["textRight"] < 2
    assert style["textLeft"] - style["mainLeft"] > 50
    # The navigation reads right to left: its first entry is the rightmost (of its line,
    # when it wraps; lines follow each other downwards).
    boxes = page.locator("nav.ops-nav li").evaluate_all(
        "items => items.map(i => [Math.round(i.getBoundingClientRect().top), "
        "i.getBoundingClientRect().left])"
    )
    assert len(boxes) >= 3
    assert boxes == sorted(boxes, key=lambda b: (b[0], -b[1]))
    first = page.locator("nav.ops-nav li a").first.inner_text()
    assert first and not first.isascii()  # an Arabic label


def test_language_switch_keeps_the_page(page: Any, server: LiveServer) -> None:
    signed_in(page, server, "coordinator")
    page.goto(op_url(server, "incidents"))
    with page.expect_navigation():
        page.click("header a.lang")
    assert "/incidents" in page.url
    assert page.locator("html").get_attribute("dir") == "ltr"
    assert page.evaluate("getComputedStyle(document.body).direction") == "ltr"
    boxes = page.locator("nav.ops-nav li").evaluate_all(
        "items => items.map(i => [Math.round(i.getBoundingClientRect().top), "
        "i.getBoundingClientRect().left])"
    )
    assert boxes == sorted(boxes)  # left to right, line by line
    # The choice is remembered on the next page.
    page.goto(op_url(server, "dashboard"))
    assert page.locator("html").get_attribute("lang") == "en"


# --- the map --------------------------------------------------------------------------------


def control_count(page: Any) -> int:
    return int(page.locator("#map").get_attribute("data-count-control") or -1)


def test_time_slider_changes_the_control_areas(page: Any, server: LiveServer) -> None:
    signed_in(page, server, "coordinator")
    page.goto(op_url(server, "map"))
    page.wait_for_selector("#map[data-count-control]")
    at_end = control_count(page)
    assert at_end == page.locator("path.control-area").count() == 3
    assert page.locator("path.front-line").count() == 1
    assert page.locator(".place-label").count() >= 10
    assert page.locator("path.route-current").count() == 1
    assert page.locator("path.route-old").count() >= 1
    moment = page.locator("#map-when").inner_text()
    # The keyboard moves the slider to the operation's first moment: before the pocket was drawn
    # (the east as it was early in December, and the western countryside).
    page.focus("#map-t")
    page.keyboard.press("Home")
    page.wait_for_function("() => document.querySelector('#map').dataset.countControl === '2'")
    assert page.locator("path.control-area").count() == 2
    assert page.locator("path.front-line").count() == 0
    assert page.locator("#map-when").inner_text() != moment
    # The moment the script writes says its zone, as the server's does ("غرينتش+٢"/"GMT+2").
    assert re.search(r"غرينتش\s?[+\u2212-]", page.locator("#map-when").inner_text())
    assert len(page.locator("#list-control li").all()) == 2
    page.keyboard.press("End")
    page.wait_for_function("() => document.querySelector('#map').dataset.countControl === '3'")


def test_map_works_without_scripts(browser: Any, server: LiveServer) -> None:
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        signed_in(page, server, "coordinator")
        page.goto(op_url(server, "map") + "?lang=en")
        assert len(page.locator("#list-control li").all()) == 3
        # The slider is a form: its first moment shows the two areas of control of then.
        page.goto(op_url(server, "map") + "?lang=en&t=1480572000")
        assert len(page.locator("#list-control li").all()) == 2
    finally:
        context.close()


def test_incident_form_point_is_picked_on_the_map(page: Any, server: LiveServer) -> None:
    signed_in(page, server, "coordinator")
    page.goto(op_url(server, "incidents"))
    if page.locator("#pick-map").count() == 0:
        page.wait_for_timeout(500)
    page.wait_for_selector("#pick-map.leaflet-container")
    page.locator("#pick-map").click(position={"x": 120, "y": 90})
    lat, lon = page.input_value("#lat"), page.input_value("#lon")
    assert 30 < float(lat) < 40 and 30 < float(lon) < 40


# --- compartments -----------------------------------------------------------------------------


def _ids(server: LiveServer, username: str, kind: str) -> set[str]:
    system = server.system()
    try:
        viewer = system.actor(username)
        with system.reading() as conn:
            return {
                s.id for s in reads.visible_states(conn, viewer=viewer, operation=OP, kinds=[kind])
            }
    finally:
        system.dispose()


def test_a_liaison_sees_shared_records_only(page: Any, server: LiveServer) -> None:
    everything = _ids(server, "coordinator", "incident")
    shared = _ids(server, "liaison-tr", "incident")
    hidden = everything - shared
    assert shared and hidden, "the demo should have both shared and internal incidents"
    signed_in(page, server, "liaison-tr")
    page.goto(op_url(server, "incidents"))
    text = page.content()
    for incident in shared:
        assert incident in text
    for incident in hidden:
        assert incident not in text
        page.goto(op_url(server, f"incidents/{incident}"))
        assert page.locator("main").inner_text()  # an error page, not the record
        assert incident not in page.locator("main").inner_text()
    page.goto(op_url(server, "timeline"))
    for incident in hidden:
        assert incident not in page.content()
    page.goto(op_url(server, "map"))
    page.wait_for_selector("#map[data-count-incidents]")
    layer = page.evaluate("fetch(document.querySelector('#map').dataset.api).then(r => r.json())")
    drawn = {f["id"] for f in layer["layers"]["incidents"]["features"]}
    assert drawn <= shared and not drawn & hidden


# --- live updates, small screens ---------------------------------------------------------------


def report_incident(server: LiveServer, incident: str, visibility: str) -> None:
    """A protest reported by the coordinator, straight through the services (another writer)."""
    report = command_type("incident.report")
    system = server.system()
    try:
        system.execute(
            report.model_validate(
                {
                    "id": incident,
                    "operation": OP,
                    "visibility": visibility,
                    "event_type": "protests",
                    "description": {"original": "Live check", "language": "en"},
                    "source": {"text": "test", "kind": "own_team"},
                    "point": {"lat": 36.19, "lon": 37.14},
                    "casualties": {"injured": {"total": 7}},
                }
            ),
            actor=system.actor("coordinator"),
        )
    finally:
        system.dispose()


def test_a_new_incident_appears_on_an_open_dashboard(page: Any, server: LiveServer) -> None:
    signed_in(page, server, "coordinator")
    page.goto(op_url(server, "dashboard"))
    page.evaluate("window.__notReloaded = true")
    region = page.locator("[data-live-region=dashboard]")
    before = region.inner_text()
    page.wait_for_timeout(600)  # the event stream is open
    report_incident(server, "live-check-protest", "shared")
    started = time.monotonic()
    page.wait_for_function(
        "before => document.querySelector('[data-live-region=dashboard]').innerText !== before",
        arg=before,
        timeout=2_000,
    )
    assert time.monotonic() - started < 2.0
    assert page.evaluate("window.__notReloaded") is True
    assert region.inner_text() != before


def test_a_new_incident_appears_on_an_open_map(page: Any, server: LiveServer) -> None:
    signed_in(page, server, "monitor")
    page.goto(op_url(server, "map"))
    page.wait_for_selector("#map[data-count-incidents]")
    before = int(page.locator("#map").get_attribute("data-count-incidents") or 0)
    page.evaluate("window.__notReloaded = true")
    page.wait_for_timeout(600)  # the event stream is open
    report_incident(server, "live-check-map", "shared")
    started = time.monotonic()
    page.wait_for_function(
        "n => Number(document.querySelector('#map').dataset.countIncidents) > n",
        arg=before,
        timeout=2_000,
    )
    assert time.monotonic() - started < 2.0
    assert page.evaluate("window.__notReloaded") is True
    assert page.locator("path.incident").count() == before + 1


@pytest.mark.parametrize(
    "path",
    [
        "dashboard",
        "incidents",
        "convoys",
        "map",
        "timeline",
        "incidents?lang=en",
        "agreements/evacuation-agreement",
    ],
)
def test_usable_at_360_px(browser: Any, server: LiveServer, path: str) -> None:
    context = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True)
    try:
        page = context.new_page()
        signed_in(page, server, "coordinator")
        page.goto(op_url(server, path))
        widths = page.evaluate(
            "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
        )
        assert widths[0] <= widths[1] + 1, f"{path}: horizontal scroll ({widths})"
        nav = page.locator("nav.ops-nav")
        assert nav.is_visible()
    finally:
        context.close()


@contextmanager
def on_a_phone(browser: Any, server: LiveServer, path: str) -> Iterator[Any]:
    """The operation's page at ``path`` on a phone (360 px), signed in as the coordinator."""
    context = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True)
    try:
        page = context.new_page()
        signed_in(page, server, "coordinator")
        page.goto(op_url(server, path))
        yield page
    finally:
        context.close()


#: Each name shown on the map that a control (zoom, layers, scale) covers, with the control.
COVERED_LABELS = """
box => {
  const hit = (a, b) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
  const controls = [...box.querySelectorAll('.leaflet-control')];
  const names = [...box.querySelectorAll('.map-label:not(.label-hidden)>span')]
    .filter(e => getComputedStyle(e).visibility !== 'hidden' && e.getBoundingClientRect().width);
  return names.flatMap(n => controls
    .filter(c => hit(n.getBoundingClientRect(), c.getBoundingClientRect()))
    .map(c => [n.textContent, c.className]));
}
"""


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_no_place_name_is_under_a_map_control_at_360_px(
    browser: Any, server: LiveServer, lang: str
) -> None:
    with on_a_phone(browser, server, f"map?lang={lang}") as page:
        page.wait_for_function(
            "() => Number(document.querySelector('#map').dataset.labelsShown) > 5"
        )
        page.wait_for_timeout(300)  # the last frame's placing
        assert page.locator("#map").evaluate(COVERED_LABELS) == []
        # The zoom is at the start of the line, the layer list at its end.
        zoom = page.locator(".leaflet-control-zoom").bounding_box()
        layers = page.locator(".leaflet-control-layers").bounding_box()
        assert (zoom["x"] > layers["x"]) == (lang == "ar"), (zoom, layers)


@pytest.mark.parametrize(("lang", "version"), [("ar", "الصيغة 1"), ("en", "Version 1")])
def test_the_versions_of_an_agreement_compare_down_a_phone_without_sideways_scrolling(
    browser: Any, server: LiveServer, lang: str, version: str
) -> None:
    from tests.test_browser_people import accessible

    with on_a_phone(browser, server, f"agreements/evacuation-agreement?lang={lang}") as page:
        table = page.locator("table.terms-compare")
        widths = table.evaluate(
            "t => [t.scrollWidth, t.clientWidth, t.parentElement.scrollWidth,"
            " t.parentElement.clientWidth]"
        )
        assert widths[0] <= widths[1] and widths[2] <= widths[3], widths
        # Each term's versions one under the other, each named; what changed still marked.
        term = table.locator("tbody tr.change-changed").first
        before, after = term.locator("td").nth(0), term.locator("td").nth(1)
        assert before.get_attribute("data-label") == version
        assert before.bounding_box()["y"] + before.bounding_box()["height"] <= (
            after.bounding_box()["y"] + 1
        )
        label = before.evaluate("td => getComputedStyle(td, '::before').content")
        assert version in label, label
        assert term.locator("del").count() and term.locator("mark").count()
        assert term.locator(".visually-hidden").count() >= 2  # said, not only coloured
        accessible(page)


def test_a_phone_shows_the_timeline_story_first_and_filters_without_script(
    browser: Any, server: LiveServer
) -> None:
    """At 360 px the filters are folded under one line, the story starts on the first screen;
    opening them and filtering works with JavaScript off, and a filtered page shows them open."""
    context = browser.new_context(
        viewport={"width": 360, "height": 740}, is_mobile=True, java_script_enabled=False
    )
    try:
        page = context.new_page()
        signed_in(page, server, "coordinator")
        page.goto(op_url(server, "timeline"))
        folded = page.locator("details.filters")
        assert folded.get_attribute("open") is None
        assert not page.locator("#t-kind").is_visible()
        first = page.locator(".story-day li").first.bounding_box()
        assert first is not None and first["y"] + first["height"] <= 740, first
        page.locator("details.filters > summary").click()
        assert page.locator("#t-kind").is_visible()
        kind = page.locator("#t-kind option").nth(1)
        chosen = kind.get_attribute("value")
        page.select_option("#t-kind", chosen)
        with page.expect_navigation():
            page.click("details.filters button[type=submit]")
        assert f"kind={chosen}" in page.url
        assert page.locator("details.filters").get_attribute("open") is not None
        assert page.locator("#t-kind").input_value() == chosen
        assert page.locator(".filters-shown").is_visible()
    finally:
        context.close()


# --- the account, through the pages ---------------------------------------------------------------


def _form(page: Any, action_part: str) -> Any:
    return page.locator(f"main form[action*='{action_part}']").first


#: Generated ids of the records the test creates, by the name the test calls them.
IDS: dict[str, str] = {}


def _created(server: LiveServer, kind: str) -> str:
    """The id of the newest record of ``kind`` (ids are generated, never typed)."""
    system = server.system()
    try:
        with system.reading() as conn:
            streams = [
                e.stream
                for e in store.read_all(conn)
                if e.version == 1 and e.stream.startswith(f"{kind}:")
            ]
    finally:
        system.dispose()
    return streams[-1].partition(":")[2]


def _fill(form: Any, values: dict[str, str | list[str]]) -> None:
    for name, value in values.items():
        if name in ("id", "escalation_id"):
            continue  # the test's name for the record: no form asks for an id
        field = form.locator(f"[name='{name}']").first
        tag = field.evaluate("e => e.tagName")
        if tag == "SELECT":
            field.select_option(value)
        else:
            assert isinstance(value, str)
            field.fill(value)
            said_in = form.locator(f"select[name='{name}.language']")
            if said_in.count() and not fits_script(value, "ar"):
                said_in.select_option("en")  # as a person says the words are English


def _open_form(page: Any, server: LiveServer, path: str, missing: list[str], what: str) -> Any:
    """The form at ``/ops/{op}/path``, or None (noted in ``missing``) if the page is not there."""
    response = page.goto(op_url(server, path))
    form = _form(page, path.split("?")[0])
    if response is None or response.status == 404 or form.count() == 0:
        missing.append(f"{what} (/ops/{OP}/{path})")
        return None
    return form


def _convoy_status(page: Any, server: LiveServer, convoy: str, status: str, **fields: str) -> None:
    page.goto(op_url(server, f"convoys/{convoy}"))
    form = _form(page, f"/convoys/{convoy}/status")
    _fill(form, dict(fields))
    with page.expect_navigation():
        form.locator(f"button[name=status][value={status}]").click()
    assert_no_field_errors(page)


def _state(server: LiveServer, kind: str, entity_id: str) -> Any:
    system = server.system()
    try:
        with system.reading() as conn:
            return reads.get_state(
                conn, viewer=system.actor("coordinator"), kind=kind, entity_id=entity_id
            )
    finally:
        system.dispose()


def _as(page: Any, server: LiveServer, username: str) -> None:
    page.context.clear_cookies()
    signed_in(page, server, username)


def test_the_account_replayed_through_the_pages(page: Any, server: LiveServer) -> None:
    """The core of the account on the demo operation, with new records, by the people who act.

    Steps whose page is not there yet are listed in the failure message.
    """
    missing: list[str] = []
    _as(page, server, "negotiator")
    # A contact with the Russian side, through the translator.
    form = _open_form(page, server, "contacts/log", missing, "log a contact")
    if form is not None:
        _fill(
            form,
            {
                "id": "ui-call-through-translator",
                "direction": "outbound",
                "medium": "phone",
                "source": "party:aleppo-factions",
                "target": "party:russian-military",
                "via": ["person:russian-translator"],
                "summary": "Asked for the exit to start tomorrow at noon",
            },
        )
        submit(page, form)
        assert_no_field_errors(page)
        IDS["ui-call-through-translator"] = _created(server, "contact")
        contact = _state(server, "contact", IDS["ui-call-through-translator"])
        assert [v.id for v in contact.via] == ["russian-translator"]
    # A proposal, and its rejection with reasons.
    form = _open_form(page, server, "negotiation/propose", missing, "table a proposal")
    if form is not None:
        _fill(
            form,
            {
                "id": "ui-exit-with-light-arms",
                "visibility": "shared",
                "from_party": "aleppo-factions",
                "to_party": "russian-military",
                "via_persons": ["russian-translator"],
                "text": "Fighters leave with their light weapons, civilians with their belongings",
            },
        )
        submit(page, form)
        assert_no_field_errors(page)
        IDS["ui-exit-with-light-arms"] = _created(server, "proposal")
        _as(page, server, "liaison-ru")
        answer = _open_form(
            page,
            server,
            f"proposals/{IDS['ui-exit-with-light-arms']}/answer",
            missing,
            "answer a proposal",
        )
        if answer is not None:
            _fill(answer, {"reasons": "Only the wounded may leave first"})
            with page.expect_navigation():
                answer.locator("button[name=outcome][value=rejected]").click()
            assert_no_field_errors(page)
            assert _state(server, "proposal", IDS["ui-exit-with-light-arms"]).status == "rejected"
    _as(page, server, "operations")
    # The convoy of wounded: planned, prepared, departed.
    page.goto(op_url(server, "convoys"))
    plan = _form(page, "/convoys")
    assert plan.count() == 1, "no convoy planning form"
    # Shared: the factions' room and the guarantor refer to it.
    _fill(
        plan,
        {
            "id": "ui-wounded",
            "visibility": "shared",
            "name.en": "Wounded, second batch",
            "counts.planned": "40",
        },
    )
    submit(page, plan)
    assert_no_field_errors(page)
    IDS["ui-wounded"] = _created(server, "convoy")
    for status in ("preparing", "departed"):
        _convoy_status(page, server, IDS["ui-wounded"], status, reason=f"UI {status}")
    # Sniper fire on the convoy, reported with its point.
    page.goto(op_url(server, "incidents"))
    report = _form(page, "/incidents")
    _fill(
        report,
        {
            "id": "ui-sniper",
            "event_type": "violence_against_civilians",
            "description": "Sniper fire on the ambulances at an exposed point",
            "lat": "36.160",
            "lon": "37.143",
            "source.text": "Convoy leader by radio",
            "source.kind": "own_team",
            "convoy": IDS["ui-wounded"],
            "visibility": "shared",
        },
    )
    submit(page, report)
    assert_no_field_errors(page)
    IDS["ui-sniper"] = _created(server, "incident")
    assert _state(server, "incident", IDS["ui-sniper"]).convoy == IDS["ui-wounded"]
    _convoy_status(page, server, IDS["ui-wounded"], "under_fire", incident=IDS["ui-sniper"])
    # Escalated to the guarantor, whose liaison officer answers.
    page.goto(op_url(server, f"incidents/{IDS['ui-sniper']}"))
    escalate = _form(page, "/escalate")
    _fill(
        escalate,
        {
            "escalation_id": "ui-sniper-escalation",
            "to_party": "russian-military",
            "message": "Sniper fire on the evacuation convoy; please stop it",
            "visibility": "shared",
        },
    )
    submit(page, escalate)
    assert_no_field_errors(page)
    IDS["ui-sniper-escalation"] = _created(server, "escalation")
    _as(page, server, "liaison-ru")
    page.goto(op_url(server, f"escalations/{IDS['ui-sniper-escalation']}"))
    answer = _form(page, "/respond")
    _fill(answer, {"text": "The problem is being dealt with", "commitment": "Fire will stop"})
    submit(page, answer)
    assert_no_field_errors(page)
    assert _state(server, "escalation", IDS["ui-sniper-escalation"]).responses
    # The route is changed, and rejected with a reason.
    _as(page, server, "coordinator")
    before = _state(server, "route", "exit-route").current_version
    revise = _open_form(page, server, "routes/exit-route/revise", missing, "change a route")
    if revise is not None:
        _fill(
            revise,
            {
                "proposed_by": "russian-military",
                # Places picked by their names, in order; a point that is no place.
                "waypoints.0.place": "السكري",
                "waypoints.1.place": "دوار جسر الحج",
                "waypoints.2.place": "حلب",
                "waypoints.3.place": "",
                "waypoints.3.point": "36.233,37.128",
                "waypoints.3.label": "Layramoun",
                "waypoints.3.label.language": "en",
                "note": "Through the city towards Layramoun",
            },
        )
        submit(page, revise)
        assert_no_field_errors(page)
        assert _state(server, "route", "exit-route").current_version == before + 1
    page.goto(op_url(server, "routes/exit-route"))
    decide = _form(page, "/routes/exit-route/decide")
    if decide.count() == 0:
        missing.append("decide on a route (/routes/exit-route)")
    else:
        _fill(
            decide,
            {
                "party": "aleppo-factions",
                "reasons": "The vehicles would travel a long way inside areas held by the other side",
            },
        )
        with page.expect_navigation():
            decide.locator("button[name=decision][value=reject]").click()
        # Irreversible: the page asks first, naming the consequence, the reason kept.
        assert page.locator("textarea[name=reasons]").input_value().startswith("The vehicles")
        with page.expect_navigation():
            page.locator("button[name=confirmed][value=yes]").click()
        assert_no_field_errors(page)
        route = _state(server, "route", "exit-route")
        assert route.rejections[-1].version == route.current_version
        assert "a long way" in route.rejections[-1].reasons[0].original
    # Turkey guarantees the convoy's safe arrival.
    guarantee = _open_form(page, server, "guarantees/new", missing, "record a guarantee")
    if guarantee is not None:
        _fill(
            guarantee,
            {
                "id": "ui-turkey-guarantee",
                "visibility": "shared",
                "guarantor": "turkey",
                "given_to": "aleppo-factions",
                "what": "The vehicles' safe arrival on the changed route",
                "via_persons": ["turkish-translator"],
                "subject": [f"convoy:{IDS['ui-wounded']}"],
            },
        )
        submit(page, guarantee)
        assert_no_field_errors(page)
        IDS["ui-turkey-guarantee"] = _created(server, "guarantee")
        assert _state(server, "guarantee", IDS["ui-turkey-guarantee"]).guarantor == "turkey"
    # Pulled back, postponed, and finally arrived.
    _as(page, server, "operations")
    _convoy_status(
        page, server, IDS["ui-wounded"], "turned_back", reason="Pulled back with the wounded"
    )
    _convoy_status(page, server, IDS["ui-wounded"], "postponed", reason="Postponed to the next day")
    _convoy_status(page, server, IDS["ui-wounded"], "departed", reason="Left at noon")
    _convoy_status(page, server, IDS["ui-wounded"], "arrived", place="rashidin")
    convoy = _state(server, "convoy", IDS["ui-wounded"])
    assert convoy.status.value == "arrived"
    assert [h.status.value for h in convoy.history][-4:] == [
        "turned_back",
        "postponed",
        "departed",
        "arrived",
    ]
    # An arrived convoy offers no further status.
    page.goto(op_url(server, f"convoys/{IDS['ui-wounded']}"))
    assert page.locator("button[name=status]").count() == 0
    assert missing == [], f"pages not there yet for: {missing}"
