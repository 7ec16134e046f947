"""In a real browser: a form filled with bad input on a phone (360 px, Arabic) comes back
with the message beside each field and everything typed kept; the navigation shows
every entry, without scrolling sideways, at 360 px and at 1280 px in both languages."""

from __future__ import annotations

from typing import Any

import pytest

from tests import test_web_browser
from tests.live_server import OPERATION, LiveServer, sign_in

pytestmark = pytest.mark.browser


# The same module-scoped fixtures: a live server over aleppo-2016, Debian's Chromium.
server = test_web_browser.server
browser = test_web_browser.browser


def _page(browser: Any, width: int) -> Any:
    context = browser.new_context(viewport={"width": width, "height": 800})
    context.set_default_timeout(10_000)
    return context.new_page()


BAD = [
    # (field, what is typed, words of the message beside it)
    ("injured", "-3", "0 أو أكثر"),
    ("killed", "ثلاثة", "عدداً صحيحاً"),
    ("lat", "200", "خط العرض"),
    ("description", "", "مطلوب"),
    ("description", "قصف " * 25_000, "عدد محارف النص أكثر من"),
]


@pytest.mark.parametrize(
    ("field", "typed", "words"), BAD, ids=[b[0] + str(i) for i, b in enumerate(BAD)]
)
def test_bad_input_on_a_phone_in_arabic_keeps_what_was_typed(
    browser: Any, server: LiveServer, field: str, typed: str, words: str
) -> None:
    page = _page(browser, 360)
    sign_in(page, server.url, "operations")
    page.goto(f"{server.url}/ops/{OPERATION}/incidents?lang=ar")
    form = page.locator("form#incident-form")
    good = {
        "description": "قصف قرب نقطة التجمع",
        "source.text": "فريق الإسعاف",
        "lat": "36.17",
        "lon": "37.13",
    }
    form.locator("select[name=event_type]").select_option(index=1)
    form.locator("select[name='source.kind']").select_option(index=1)
    if form.locator("input[name=id]").count():
        form.locator("input[name=id]").fill("phone-report")
    for name, value in {**good, field: typed}.items():  # as typed (or pasted)
        form.locator(f"[name='{name}']").evaluate("(e, v) => { e.value = v; }", value)
    with page.expect_navigation():
        form.locator("button[type=submit]").last.click()
    error = page.locator(f"#{field}-error")
    assert words in error.inner_text()
    for name, value in {**good, field: typed}.items():
        assert page.locator(f"form#incident-form [name='{name}']").input_value() == value, name
    assert page.evaluate("document.documentElement.scrollWidth") <= 360 + 1
    page.context.close()


@pytest.mark.parametrize("width", [360, 1280])
@pytest.mark.parametrize("lang", ["en", "ar"])
def test_the_navigation_shows_every_entry(
    browser: Any, server: LiveServer, width: int, lang: str
) -> None:
    page = _page(browser, width)
    sign_in(page, server.url, "coordinator")
    page.goto(f"{server.url}/ops/{OPERATION}/dashboard?lang={lang}")
    nav = page.locator("nav.ops-nav")
    if width < 640:  # folded: the keyboard opens it (Tab to its line, then Space)
        for _ in range(30):
            page.keyboard.press("Tab")
            if page.evaluate("document.activeElement.id") == "menu-open":
                break
        page.keyboard.press("Space")
        assert nav.locator("a").first.is_visible()
    assert nav.evaluate("n => n.scrollWidth <= n.clientWidth + 1")
    for link in nav.locator("a").all():
        box = link.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width + 1
    page.context.close()
