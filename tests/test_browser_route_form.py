"""Lists that grow, in a real browser, on a phone (360 px), in Arabic, with no script needed.

A route proposed: its waypoints picked by name from lists of places, a row added with "add
another waypoint", a refused point said beside its row with every row kept, and the route
recorded in order. A convoy planned: vehicles and escort rows added with "add another
vehicle" and "add another escort", escorting parties picked by name, a refused number said
beside its row with every row kept, every row recorded; then vehicles added to the convoy on
its page the same way."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from mamar import reads
from tests.live_server import OPERATION, LiveServer, browser_server, chromium
from tests.test_browser_agreement_forms import _phone
from tests.test_browser_people import accessible, no_sideways_scroll

pytestmark = pytest.mark.browser
OP = OPERATION


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    with browser_server(Path(tmp_path_factory.mktemp("routes"))) as running:
        yield running


@pytest.fixture(scope="module")
def browser(server: LiveServer) -> Iterator[Any]:
    with chromium() as launched:
        yield launched


def _send(page: Any, button: Any) -> None:
    with page.expect_navigation():
        button.click()


def _open(browser: Any, server: LiveServer, path: str) -> tuple[Any, list[str]]:
    """The operation's page at ``path`` on a phone, in Arabic (right to left), and the
    script errors met on it (none expected)."""
    page = _phone(browser, server, "operations")
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(f"{server.url}/ops/{OP}/{path}")
    assert page.locator("html").get_attribute("dir") == "rtl"
    return page, errors


def _place(form: Any, row: int) -> Any:
    return form.locator(f'[name="waypoints.{row}.place"]')


def test_waypoint_rows_grow_and_a_route_is_proposed_on_a_phone_in_arabic(
    browser: Any, server: LiveServer
) -> None:
    page, errors = _open(browser, server, "routes/new")
    form = page.locator("main form")
    assert form.locator('select[name$=".place"]').count() == 3
    no_sideways_scroll(page)
    accessible(page)
    form.locator('[name="name.ar"]').fill("طريق الجسر")
    for row, name in enumerate(("دوار الراموسة", "دوار جسر الحج", "العامرية")):
        _place(form, row).select_option(label=name)
    # One row more, the form as typed: nothing is recorded yet.
    _send(page, form.get_by_role("button", name="أضف نقطة أخرى"))
    form = page.locator("main form")
    assert form.locator('select[name$=".place"]').count() == 4
    assert [_place(form, n).input_value() for n in range(3)] == [
        "ramouseh-roundabout",
        "jisr-al-hajj-roundabout",
        "amiriyah",
    ]
    assert form.locator('[name="name.ar"]').input_value() == "طريق الجسر"
    no_sideways_scroll(page)
    # A point that is not latitude,longitude: refused beside its row, every row kept.
    form.locator('[name="waypoints.3.point"]').fill("شمال الجسر")
    form.locator('[name="waypoints.3.label"]').fill("حاجز الجسر")
    _send(page, form.locator("button[type=submit]:not([formnovalidate])").first)
    form = page.locator("main form")
    assert page.locator("#waypoints-3-point-error").is_visible()
    assert form.locator('[name="waypoints.3.label"]').input_value() == "حاجز الجسر"
    assert _place(form, 1).input_value() == "jisr-al-hajj-roundabout"
    no_sideways_scroll(page)
    form.locator('[name="waypoints.3.point"]').fill("٣٦٫٢،٣٧٫١")  # as a phone types it
    _send(page, form.locator("button[type=submit]:not([formnovalidate])").first)
    assert "/routes/" in page.url and not page.url.endswith("/new"), page.url
    route_id = page.url.rsplit("/", 1)[1].split("?")[0]
    page.locator("main").get_by_text("حاجز الجسر").first.wait_for()
    system = server.system()
    try:
        with system.reading() as conn:
            route = reads.get_entity(
                conn, viewer=system.actor("operations"), kind="route", entity_id=route_id
            )
    finally:
        system.dispose()
    points = route["versions"][0]["waypoints"]
    assert [w.get("place") for w in points] == [
        "ramouseh-roundabout",
        "jisr-al-hajj-roundabout",
        "amiriyah",
        None,
    ]
    assert (points[3]["lat"], points[3]["lon"]) == (36.2, 37.1)
    assert points[3]["label"]["original"] == "حاجز الجسر"
    page.context.close()
    assert errors == [], errors


def _record(server: LiveServer, convoy: str) -> dict[str, Any]:
    system = server.system()
    try:
        with system.reading() as conn:
            return reads.get_entity(
                conn, viewer=system.actor("operations"), kind="convoy", entity_id=convoy
            )
    finally:
        system.dispose()


def _rows(form: Any, name: str) -> int:
    return int(form.locator(f'[name^="{name}."][name$=".party"]').count())


def test_vehicles_and_escorts_are_added_row_by_row_on_a_phone_in_arabic(
    browser: Any, server: LiveServer
) -> None:
    page, errors = _open(browser, server, "convoys")
    form = page.locator("main form[action$='/convoys']")
    assert (_rows(form, "vehicles"), _rows(form, "escorts")) == (2, 1)
    no_sideways_scroll(page)
    accessible(page)
    form.locator('[name="name.ar"]').fill("قافلة الحافلات الخضراء")
    form.locator('[name="vehicles.0.kind"]').fill("سيارات إسعاف")
    form.locator('[name="vehicles.0.count"]').fill("٤")
    form.locator('[name="vehicles.1.kind"]').fill("حافلات")
    form.locator('[name="vehicles.1.count"]').fill("20")
    form.locator('[name="escorts.0.party"]').select_option(label="الهلال الأحمر العربي السوري")
    form.locator('[name="escorts.0.vehicles"]').fill("٢")
    # One vehicles row more, then one escort row more, the form as typed: nothing recorded.
    _send(page, form.get_by_role("button", name="أضف مركبة أخرى"))
    form = page.locator("main form[action$='/convoys']")
    assert (_rows(form, "vehicles"), _rows(form, "escorts")) == (3, 1)
    assert form.locator('[name="vehicles.1.kind"]').input_value() == "حافلات"
    form.locator('[name="vehicles.2.kind"]').fill("سيارات خاصة")
    form.locator('[name="vehicles.2.count"]').fill("ثلاثة")  # refused: words, not digits
    _send(page, form.get_by_role("button", name="أضف مرافقة أخرى"))
    form = page.locator("main form[action$='/convoys']")
    assert (_rows(form, "vehicles"), _rows(form, "escorts")) == (3, 2)
    assert form.locator('[name="escorts.0.party"]').input_value() == "sarc"
    form.locator('[name="escorts.1.party"]').select_option(label="اللجنة الدولية للصليب الأحمر")
    form.locator('[name="escorts.1.vehicles"]').fill("1")
    no_sideways_scroll(page)
    _send(page, form.locator("button[type=submit]:not([formnovalidate])").first)
    form = page.locator("main form[action$='/convoys']")
    assert page.locator("#vehicles-2-count-error").is_visible()
    assert form.locator('[name="vehicles.2.count"]').input_value() == "ثلاثة"
    assert form.locator('[name="escorts.1.party"]').input_value() == "icrc"
    assert form.locator('[name="vehicles.0.count"]').input_value() == "٤"
    no_sideways_scroll(page)
    accessible(page)
    form.locator('[name="vehicles.2.count"]').fill("")  # how many: not known
    _send(page, form.locator("button[type=submit]:not([formnovalidate])").first)
    assert "/convoys/" in page.url, page.url
    convoy = page.url.rsplit("/", 1)[1].split("?")[0]
    record = _record(server, convoy)
    assert [(v["kind"]["original"], v["count"]) for v in record["vehicles"]] == [
        ("سيارات إسعاف", 4),
        ("حافلات", 20),
        ("سيارات خاصة", None),
    ]
    assert [(e["party"], e["vehicles"]) for e in record["escorts"]] == [("sarc", 2), ("icrc", 1)]
    # On the convoy's page: two vehicles rows added to it, the second with the button.
    add = page.locator("main form[action$='/vehicles']")
    assert (_rows(add, "vehicles"), _rows(add, "escorts")) == (1, 1)
    no_sideways_scroll(page)
    add.locator('[name="vehicles.0.kind"]').fill("شاحنة مياه")
    _send(page, add.get_by_role("button", name="أضف مركبة أخرى"))
    add = page.locator("main form[action$='/vehicles']")
    assert add.locator('[name="vehicles.0.kind"]').input_value() == "شاحنة مياه"
    add.locator('[name="vehicles.1.kind"]').fill("رافعة")
    add.locator('[name="vehicles.1.count"]').fill("١")
    accessible(page)
    _send(page, add.get_by_role("button", name="أضف إلى القافلة"))
    kinds = [v["kind"]["original"] for v in _record(server, convoy)["vehicles"]]
    assert kinds[3:] == ["شاحنة مياه", "رافعة"]
    page.locator("main").get_by_text("رافعة").first.wait_for()
    page.context.close()
    assert errors == [], errors
