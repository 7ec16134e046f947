"""A refused form on a phone (360 px), in Arabic, in a real browser: the page opens on the
summary of its problems (focused, in view, «خطأ: » in the title), however long the list
above the form; and Enter in a text field of a form whose buttons include a destructive
one (cancel the convoy) never presses that one. And on the same phone: the incidents'
table breaks no word inside it, and the map's zoom buttons are named in Arabic."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.live_server import OPERATION, LiveServer, browser_server, chromium
from tests.test_browser_agreement_forms import _phone

pytestmark = pytest.mark.browser
OP = OPERATION


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    with browser_server(Path(tmp_path_factory.mktemp("refused"))) as running:
        yield running


@pytest.fixture(scope="module")
def browser(server: LiveServer) -> Iterator[Any]:
    with chromium() as launched:
        yield launched


def _in_view(page: Any, selector: str) -> bool:
    return bool(
        page.evaluate(
            """(selector) => {
                const box = document.querySelector(selector).getBoundingClientRect();
                return box.top >= -2 && box.top < window.innerHeight && box.height > 0;
            }""",
            selector,
        )
    )


def _focused(page: Any) -> str:
    return str(page.evaluate("() => document.activeElement && document.activeElement.id"))


@pytest.mark.parametrize("script", [True, False], ids=["script", "no-script"])
def test_a_refused_incident_opens_on_its_summary_on_a_phone_in_arabic(
    browser: Any, server: LiveServer, script: bool
) -> None:
    context = browser.new_context(
        viewport={"width": 360, "height": 740}, is_mobile=True, java_script_enabled=script
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    from tests.live_server import sign_in

    sign_in(page, server.url, "operations")
    page.goto(f"{server.url}/ops/{OP}/incidents?lang=ar")
    assert page.locator("html").get_attribute("dir") == "rtl"
    form = page.locator(f'form[action="/ops/{OP}/incidents"]')
    form.locator('[name="injured"]').fill("كثير")
    form.locator('[name="lat"]').fill("36.17")
    with page.expect_navigation():
        form.locator('button[type="submit"]').last.click()
    summary = page.locator("#problems")
    summary.wait_for()
    assert page.title().startswith("خطأ: "), page.title()
    assert summary.get_attribute("role") == "alert"
    # The browser focuses it as the page opens (autofocus; the script too), and shows it.
    for _ in range(20):
        if _focused(page) == "problems" and _in_view(page, "#problems"):
            break
        page.wait_for_timeout(100)
    assert _focused(page) == "problems"
    assert _in_view(page, "#problems")
    assert page.evaluate("window.scrollY") > 500  # not the top of the page: the form, far below
    words = summary.inner_text()
    assert "مشكل" in words and not re.search(r"[A-Za-z]", words), words
    # Each link goes to its field, which is then in view.
    links = summary.locator("a")
    assert links.count() >= 3  # the description, the source, the longitude, the injured
    link = summary.locator('a[href="#lon"]')
    assert "خط الطول" in link.inner_text()
    link.click()
    page.wait_for_timeout(200)
    assert _in_view(page, "#lon")
    context.close()


def test_enter_in_the_convoy_status_note_never_cancels_the_convoy(
    browser: Any, server: LiveServer
) -> None:
    page = _phone(browser, server, "operations")
    page.goto(f"{server.url}/ops/{OP}/convoys?lang=ar")
    plan = page.locator(f'form[action="/ops/{OP}/convoys"]')
    plan.locator('[name="name.ar"]').fill("قافلة الجرحى الثالثة")
    with page.expect_navigation():
        plan.locator('button[type="submit"]:not([name])').first.click()
    assert re.search(rf"/ops/{OP}/convoys/[^/?#]+$", page.url.split("?")[0]), page.url
    convoy_page = page.url
    status_form = page.locator('form[action$="/status"]')
    assert status_form.locator('button[value="cancelled"]').count() == 1
    before = page.locator("h2 span[class^=status-]").first.inner_text()
    note = status_form.locator('[name="reason"]')
    note.fill("الطريق مغلق عند الحاجز")
    with page.expect_navigation():
        note.press("Enter")
    # Not the confirmation of a cancel (the first button's), nor any status chosen.
    assert page.locator(".confirm").count() == 0
    assert page.locator('input[type="hidden"][name="status"]').count() == 0
    assert page.locator("#problems").count() == 1
    assert "اختر الحالة الجديدة" in page.locator("#problems").inner_text()
    # Nothing changed: the convoy keeps its status, the note typed is still there.
    page.goto(convoy_page)
    assert page.locator("h2 span[class^=status-]").first.inner_text() == before
    page.context.close()


def test_the_incidents_table_breaks_no_word_on_a_phone(browser: Any, server: LiveServer) -> None:
    """At 360 px each cell is at least as wide as its longest word: words are not broken
    mid-word (the table scrolls sideways inside its frame instead)."""
    page = _phone(browser, server, "operations")
    page.goto(f"{server.url}/ops/{OP}/incidents?lang=ar")
    broken = page.evaluate(
        """() => {
            const out = [];
            for (const cell of document.querySelectorAll('.table-wrap td')) {
                const words = cell.innerText.split(/\\s+/).filter(w => w && w.length <= 20);
                if (!words.length) continue;
                const longest = words.reduce((a, b) => (a.length >= b.length ? a : b));
                const probe = document.createElement('span');
                const style = getComputedStyle(cell);
                probe.style.cssText = 'position:absolute;white-space:nowrap;visibility:hidden';
                probe.style.font = style.font;
                probe.textContent = longest;
                cell.appendChild(probe);
                const room = cell.clientWidth - parseFloat(style.paddingLeft)
                    - parseFloat(style.paddingRight);
                if (probe.getBoundingClientRect().width > room + 1) out.push(longest);
                probe.remove();
            }
            return out;
        }"""
    )
    assert broken == [], broken
    page.context.close()


def test_the_maps_zoom_buttons_are_named_in_arabic(browser: Any, server: LiveServer) -> None:
    page = _phone(browser, server, "operations")
    page.goto(f"{server.url}/ops/{OP}/map?lang=ar")
    zoom_in = page.locator(".leaflet-control-zoom-in")
    zoom_in.wait_for()
    zoom_out = page.locator(".leaflet-control-zoom-out")
    assert zoom_in.get_attribute("title") == "تكبير الخريطة"
    assert zoom_in.get_attribute("aria-label") == "تكبير الخريطة"
    assert zoom_out.get_attribute("title") == "تصغير الخريطة"
    assert zoom_out.get_attribute("aria-label") == "تصغير الخريطة"
    page.context.close()
