"""Screenshots of the main pages, in Arabic and English, into ``docs/screenshots/``.

Run ``scripts/screenshots`` (a real server over the aleppo-2016 demo, Debian's
Chromium). Each page is taken at 1024×720 (and the dashboard and the map also at
360×740, a phone; those and a convoy also in the dark colours, as a phone set to dark mode
shows them), viewport only, so every PNG stays small. Pages this build
does not have yet are left out, and named on stderr.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path
from typing import Any

from tests.live_server import (
    OPERATION,
    chromium_missing_reason,
    launch_chromium,
    live_server,
    sign_in,
)

OUT = Path(__file__).resolve().parent.parent / "docs" / "screenshots"
DESKTOP = {"width": 1024, "height": 720}
PHONE = {"width": 360, "height": 740}
#: (file name, path under /ops/{op}/, who looks).
PAGES = [
    ("dashboard", "dashboard", "coordinator"),
    ("map", "map", "coordinator"),
    ("incidents", "incidents", "coordinator"),
    ("incident", "incidents/sniper-civil-defence-chief", "coordinator"),
    ("escalation", "escalations/sniper-escalation", "coordinator"),
    ("convoy", "convoys/first-wounded", "operations"),
    ("convoys", "convoys", "operations"),
    ("routes", "routes/exit-route", "coordinator"),
    ("contacts", "contacts", "negotiator"),
    ("negotiation", "negotiation", "negotiator"),
    ("guarantees", "guarantees", "coordinator"),
    ("timeline", "timeline", "coordinator"),
]
PHONE_PAGES = ("dashboard", "map")
DARK_PAGES = ("dashboard", "map", "convoy")


def shoot(
    browser: Any, base: str, lang: str, viewport: dict[str, int], suffix: str, dark: bool = False
) -> list[str]:
    missing: list[str] = []
    contexts: dict[str, Any] = {}
    try:
        for name, path, who in PAGES:
            if (suffix and name not in PHONE_PAGES) or (dark and name not in DARK_PAGES):
                continue
            if who not in contexts:
                context = browser.new_context(
                    viewport=viewport,
                    device_scale_factor=1,
                    color_scheme="dark" if dark else "light",
                )
                page = context.new_page()
                sign_in(page, base, who)
                contexts[who] = page
            page = contexts[who]
            response = page.goto(f"{base}/ops/{OPERATION}/{path}?lang={lang}")
            if response is None or response.status >= 400:
                missing.append(f"{path} ({response.status if response else 'no answer'})")
                continue
            if name == "map":
                page.wait_for_function(
                    "() => performance.getEntriesByName('mamar-map-drawn').length > 0"
                )
            page.wait_for_timeout(200)
            target = OUT / f"{name}{'.dark' if dark else ''}{suffix}.{lang}.png"
            page.screenshot(path=str(target))
            print(f"{target.relative_to(OUT.parent.parent)}: {target.stat().st_size // 1024} KB")
    finally:
        for page in contexts.values():
            page.context.close()
    return missing


def main() -> int:
    reason = chromium_missing_reason()
    if reason is not None:
        print(f"cannot take screenshots: {reason}", file=sys.stderr)
        return 2
    from playwright.sync_api import sync_playwright

    OUT.mkdir(parents=True, exist_ok=True)
    missing: list[str] = []
    with (
        tempfile.TemporaryDirectory() as directory,
        live_server(Path(directory)) as server,
        sync_playwright() as playwright,
    ):
        browser = launch_chromium(playwright)
        try:
            for lang in ("ar", "en"):
                missing += shoot(browser, server.url, lang, DESKTOP, "")
                missing += shoot(browser, server.url, lang, PHONE, ".phone")
                missing += shoot(browser, server.url, lang, DESKTOP, "", dark=True)
                missing += shoot(browser, server.url, lang, PHONE, ".phone", dark=True)
        finally:
            browser.close()
    for path in sorted(set(missing)):
        print(f"left out (no such page yet): {path}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
