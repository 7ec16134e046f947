"""A long list of names, searched as one types, in a real browser, on a phone, in Arabic.

With the page's own script (``static/pick-list.js``), a list of more than fifteen names
becomes a box to type part of a name in: the names holding it are listed under it, Arabic
compared without hamza, ta marbuta or short vowels (typing «اذاعه» finds «الإذاعة»), Latin
without case; arrows move, Enter picks, Escape closes; the label still names the box, and
the hidden list is what the form sends, so the record names the place picked. axe finds
nothing serious on the page, list open or closed. Without the script the plain list stays
(tested in ``test_web_record_refs``: every reference is a ``<select>`` in the page sent).
"""

from __future__ import annotations

from typing import Any

import pytest

from tests import test_web_browser
from tests.live_server import OPERATION, LiveServer
from tests.test_browser_agreement_forms import _phone, _record
from tests.test_browser_people import accessible, no_sideways_scroll

pytestmark = pytest.mark.browser
OP = OPERATION


server = test_web_browser.server
browser = test_web_browser.browser


def _shown(listbox: Any) -> list[str]:
    """The names the list shows."""
    return [x.strip() for x in listbox.locator("[role=option]:visible").all_inner_texts()]


def test_a_place_is_found_by_part_of_its_name_and_picked_by_keyboard(
    browser: Any, server: LiveServer
) -> None:
    page = _phone(browser, server, "coordinator")
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    path = f"/ops/{OP}/record/place.add_alias"
    page.goto(f"{server.url}{path}?lang=ar")
    assert page.locator("html").get_attribute("dir") == "rtl"
    form = page.locator(f'main form[action="{path}"]')
    select = form.locator("select[name=id]")
    assert select.locator("option").count() > 15
    # The list is out of sight and reach, still in the form; the box people type in has the
    # list's label.
    assert select.get_attribute("aria-hidden") == "true"
    assert select.get_attribute("tabindex") == "-1"
    assert (select.bounding_box() or {}).get("width", 0) <= 1
    box = form.get_by_role("combobox", name="السجل")
    assert box.count() == 1
    assert box.get_attribute("aria-expanded") == "false"
    listbox = form.get_by_role("listbox")
    no_sideways_scroll(page)
    form.locator("label[for=f-id]").click()  # the label takes one to the box
    assert box.evaluate("el => el === document.activeElement")

    # Part of a name, typed as people type it: no hamza, ه for ة.
    box.click()
    box.press_sequentially("اذاعه")
    assert box.get_attribute("aria-expanded") == "true"
    assert _shown(listbox) == ["الإذاعة"]
    accessible(page)  # the list open
    # Any part of the name: its middle.
    box.fill("")
    box.press_sequentially("راموس")
    assert _shown(listbox) == ["الراموسة", "دوار الراموسة"]
    # Enter with several found reaches the first, and neither picks it nor sends the form.
    box.press("Enter")
    assert path in page.url
    active = box.get_attribute("aria-activedescendant")
    assert active and page.locator(f"#{active}").inner_text().strip() == "الراموسة"
    assert select.input_value() == ""
    # Escape closes the list and leaves nothing picked.
    box.press("Escape")
    assert box.get_attribute("aria-expanded") == "false"
    assert listbox.is_hidden()
    assert select.input_value() == ""
    # Picked by keyboard: typed, the first name found reached with the arrow, Enter.
    box.fill("")
    box.press_sequentially("اذاعه")
    box.press("ArrowDown")
    active = box.get_attribute("aria-activedescendant")
    assert active and page.locator(f"#{active}").inner_text().strip() == "الإذاعة"
    assert page.locator(f"#{active}").get_attribute("aria-selected") == "true"
    box.press("Enter")  # picks, does not send the form
    assert select.input_value() == "idaaa"
    assert box.input_value() == "الإذاعة"
    assert box.get_attribute("aria-expanded") == "false"
    assert path in page.url
    accessible(page)  # the list closed

    form.locator("[name=alias]").fill("إذاعة حلب")
    with page.expect_navigation():
        form.locator("button[type=submit]:not([formnovalidate])").first.click()
    assert path not in page.url, page.locator("main").inner_text()[:2000]
    place = _record(server, "place", "idaaa")
    assert "إذاعة حلب" in [a if isinstance(a, str) else a.get("ar") for a in place.aliases]
    assert errors == []


def test_latin_names_are_found_whatever_their_case(browser: Any, server: LiveServer) -> None:
    page = _phone(browser, server, "coordinator")
    path = f"/ops/{OP}/record/place.add_alias"
    page.goto(f"{server.url}{path}?lang=en")
    form = page.locator(f'main form[action="{path}"]')
    box = form.get_by_role("combobox", name="Record")
    box.press_sequentially("AL-RAMOUS")
    assert _shown(form.get_by_role("listbox")) == ["Al-Ramouseh"]
    box.press("ArrowUp")  # from the end of the list: the one name found
    box.press("Enter")
    assert form.locator("select[name=id]").input_value() == "ramouseh"


def test_a_form_with_rows_and_several_long_lists_on_a_phone(
    browser: Any, server: LiveServer
) -> None:
    """The general form planning a convoy: its origin, destination and each stop's place are
    search boxes, its stops rows; on a phone nothing scrolls sideways, axe finds nothing."""
    page = _phone(browser, server, "coordinator")
    path = f"/ops/{OP}/record/convoy.plan"
    page.goto(f"{server.url}{path}?lang=ar")
    form = page.locator(f'main form[action="{path}"]')
    assert form.locator("input[role=combobox]").count() >= 3
    stop = form.locator("fieldset").filter(has=page.locator("[name='stops.0.place']"))
    stop.locator("input[role=combobox]").press_sequentially("دوار")
    stop.locator("input[role=combobox]").press("ArrowDown")
    stop.locator("input[role=combobox]").press("Enter")
    assert form.locator("[name='stops.0.place']").input_value() == "ramouseh-roundabout"
    # "Add another" (the list's own button) keeps what was picked, one row more.
    with page.expect_navigation():
        form.locator("button[name=more_terms][value=stops]").click()
    form = page.locator(f'main form[action="{path}"]')
    assert form.locator("[name='stops.0.place']").input_value() == "ramouseh-roundabout"
    assert form.locator("[name='stops.1.place']").count() == 1
    stop = form.locator("fieldset").filter(has=page.locator("[name='stops.0.place']"))
    assert stop.locator("input[role=combobox]").input_value() == "دوار الراموسة"
    no_sideways_scroll(page)
    accessible(page)
