"""In a real browser: the operation's navigation fits at every common width (a phone, a
tablet, laptops, a wide screen) in Arabic and in English, for the account with the most
entries: no entry cut off or outside the screen, and the page never scrolls sideways. On a
phone it is folded under one line (the first screen is the page's, not the menu's) and
opens whole."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests import test_web_browser
from tests.live_server import OPERATION, LiveServer, sign_in
from tests.web_support import ACCOUNTS

pytestmark = pytest.mark.browser

server = test_web_browser.server
browser = test_web_browser.browser
WIDTHS = [360, 768, 1024, 1280, 1920]


def _page(browser: Any, width: int) -> Any:
    context = browser.new_context(viewport={"width": width, "height": 800})
    context.set_default_timeout(10_000)
    return context.new_page()


@pytest.fixture(scope="module")
def busiest(browser: Any, server: LiveServer) -> Iterator[str]:
    """The demo account whose navigation has the most entries."""
    counts = {}
    for username in sorted(set(ACCOUNTS.values())):
        page = _page(browser, 1280)
        sign_in(page, server.url, username)
        page.goto(f"{server.url}/ops/{OPERATION}/dashboard?lang=ar")
        counts[username] = page.locator("nav.ops-nav a").count()
        page.context.close()
    yield max(sorted(counts), key=lambda name: counts[name])


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("lang", ["ar", "en"])
def test_the_navigation_fits(
    browser: Any, server: LiveServer, busiest: str, width: int, lang: str
) -> None:
    page = _page(browser, width)
    sign_in(page, server.url, busiest)
    page.goto(f"{server.url}/ops/{OPERATION}/dashboard?lang={lang}&at=2016-12-14T12:00")
    nav = page.locator("nav.ops-nav")
    links = nav.locator("a").all()
    assert len(links) >= 12
    fold = nav.locator("label.menu-label")
    if width < 640:  # a phone: folded under one line naming the page open, opened by it
        assert not any(link.is_visible() for link in links)
        assert fold.is_visible() and (nav.bounding_box() or {}).get("height", 999) < 60
        here = {"ar": "لوحة المتابعة", "en": "Dashboard"}[lang]
        assert fold.locator(".menu-here").inner_text() == here
        fold.click()
    else:
        assert not fold.is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert nav.evaluate("n => n.scrollWidth <= n.clientWidth")
    frame = nav.bounding_box()
    assert frame is not None
    for link in links:
        box = link.bounding_box()
        assert box is not None and box["width"] > 0, link.inner_text()
        assert (
            box["x"] >= frame["x"] - 0.5
            and box["x"] + box["width"] <= frame["x"] + frame["width"] + 0.5
        )
        assert link.evaluate("a => a.scrollWidth <= a.clientWidth"), link.inner_text()
        assert link.is_visible()
    header = page.locator("header.top")
    assert header.evaluate("h => h.scrollWidth <= h.clientWidth")
    page.context.close()
