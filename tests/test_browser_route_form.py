"""A route proposed in a real browser, on a phone (360 px), in Arabic: its waypoints picked by
name from lists of places, a row added with "add another waypoint" (no script needed), a
refused point said beside its row with every row kept, and the route recorded in order."""

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


def _place(form: Any, row: int) -> Any:
    return form.locator(f'[name="waypoints.{row}.place"]')


def test_waypoint_rows_grow_and_a_route_is_proposed_on_a_phone_in_arabic(
    browser: Any, server: LiveServer
) -> None:
    page = _phone(browser, server, "operations")
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(f"{server.url}/ops/{OP}/routes/new")
    assert page.locator("html").get_attribute("dir") == "rtl"
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
