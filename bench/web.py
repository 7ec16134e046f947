"""Web benchmark: bytes transferred and time to interactive, first and repeat visit.

Run: ``.venv/bin/python bench/web.py [--quick]``.
A real uvicorn server (a child process on 127.0.0.1) serves the aleppo-2016
demo from a temporary SQLite file; Debian's Chromium (``/usr/bin/chromium``),
driven by Playwright, signs in once and then opens each page in a fresh
browser context holding only the session cookie (first visit: empty cache)
and again in the same context (repeat visit).

- Bytes: the sum of ``encodedDataLength`` over the page's ``Network.loadingFinished``
  events (Chrome DevTools Protocol): what crossed the wire, headers included,
  compressed as sent; answers from the browser cache count 0.
- Time to interactive: from navigation start to the end of ``DOMContentLoaded``
  (deferred scripts have run and attached their handlers); for the map, to its
  first drawing of every layer (the ``mamar-map-drawn`` performance mark).
- Baseline: the same app's sign-in page, measured the same way in the same run,
  so the ratios say what a page costs beyond the shell every page has.

The last lines are ``name: value``.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.live_server import (
    OPERATION,
    chromium_missing_reason,
    launch_chromium,
    live_server,
    sign_in,
)

SETTLE_MS = 400
TARGET_FIRST_KB = 300.0
TARGET_REPEAT_KB = 50.0


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


class Meter:
    """Counts the bytes a page's requests transfer, through a CDP session."""

    def __init__(self, page: Any) -> None:
        self.bytes = 0.0
        self.session = page.context.new_cdp_session(page)
        self.session.send("Network.enable")
        self.session.on("Network.loadingFinished", self._finished)

    def _finished(self, params: dict[str, Any]) -> None:
        self.bytes += float(params.get("encodedDataLength", 0))

    def reset(self) -> None:
        self.bytes = 0.0


def visit(page: Any, meter: Meter, url: str, ready: str) -> tuple[float, float]:
    """Open ``url``; (kilobytes transferred, milliseconds to interactive)."""
    meter.reset()
    page.goto(url, wait_until="load")
    if ready == "map":
        page.wait_for_function("() => performance.getEntriesByName('mamar-map-drawn').length > 0")
        interactive = page.evaluate("performance.getEntriesByName('mamar-map-drawn')[0].startTime")
    else:
        interactive = page.evaluate(
            "performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd"
        )
    page.wait_for_timeout(SETTLE_MS)  # late requests (the live stream's headers, images)
    return meter.bytes / 1024.0, float(interactive)


def measure(browser: Any, state: Any, url: str, ready: str) -> dict[str, float]:
    """First visit in a fresh context (cookies only), then a repeat visit in the same one."""
    context = browser.new_context(storage_state=state, viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        meter = Meter(page)
        first_kb, first_ms = visit(page, meter, url, ready)
        repeat_kb, repeat_ms = visit(page, meter, url, ready)
    finally:
        context.close()
    return {
        "first_kb": first_kb,
        "first_ms": first_ms,
        "repeat_kb": repeat_kb,
        "repeat_ms": repeat_ms,
    }


def median_of(runs: list[dict[str, float]]) -> dict[str, float]:
    return {key: statistics.median(r[key] for r in runs) for key in runs[0]}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="one run per page (under a minute)")
    args = parser.parse_args()
    reason = chromium_missing_reason()
    if reason is not None:
        log(f"cannot run: {reason}")
        return 2
    runs = 1 if args.quick else 5
    from playwright.sync_api import sync_playwright

    started = time.monotonic()
    with tempfile.TemporaryDirectory() as directory, live_server(Path(directory)) as server:
        log(f"server up at {server.url} after {time.monotonic() - started:.1f} s")
        pages = {
            "baseline": (f"{server.url}/login", "dom"),
            "dashboard": (f"{server.url}/ops/{OPERATION}/dashboard", "dom"),
            "map": (f"{server.url}/ops/{OPERATION}/map", "map"),
        }
        with sync_playwright() as playwright:
            browser = launch_chromium(playwright)
            try:
                login = browser.new_context()
                page = login.new_page()
                sign_in(page, server.url, "coordinator")
                state = login.storage_state()
                login.close()
                results: dict[str, dict[str, float]] = {}
                for name, (url, ready) in pages.items():
                    measured = [measure(browser, state, url, ready) for _ in range(runs)]
                    results[name] = median_of(measured)
                    log(f"{name}: {results[name]}")
            finally:
                browser.close()
    base, dash, geo = results["baseline"], results["dashboard"], results["map"]

    def ratio(value: float, against: float) -> float:
        return value / against if against else float("nan")

    figures = {
        "baseline_first_kb (login page)": base["first_kb"],
        "baseline_repeat_kb (login page)": base["repeat_kb"],
        "baseline_interactive_ms (login page)": base["first_ms"],
        "dashboard_first_vs_baseline": ratio(dash["first_kb"], base["first_kb"]),
        "dashboard_repeat_vs_baseline": ratio(dash["repeat_kb"], base["repeat_kb"]),
        "dashboard_interactive_vs_baseline": ratio(dash["first_ms"], base["first_ms"]),
        "dashboard_repeat_interactive_ms": dash["repeat_ms"],
        "map_repeat_kb": geo["repeat_kb"],
        "map_repeat_interactive_ms": geo["repeat_ms"],
        "map_first_vs_baseline": ratio(geo["first_kb"], base["first_kb"]),
        "map_interactive_vs_baseline": ratio(geo["first_ms"], base["first_ms"]),
        "dashboard_first_kb": dash["first_kb"],
        "dashboard_repeat_kb": dash["repeat_kb"],
        "dashboard_interactive_ms": dash["first_ms"],
        "map_first_kb": geo["first_kb"],
        "map_interactive_ms": geo["first_ms"],
    }
    verdicts = [
        f"dashboard first visit {dash['first_kb']:.1f} KB (target <= {TARGET_FIRST_KB:.0f}): "
        + ("met" if dash["first_kb"] <= TARGET_FIRST_KB else "MISSED"),
        f"dashboard repeat visit {dash['repeat_kb']:.1f} KB (target <= {TARGET_REPEAT_KB:.0f}): "
        + ("met" if dash["repeat_kb"] <= TARGET_REPEAT_KB else "MISSED"),
    ]
    for line in verdicts:
        print(line)
    for name, value in figures.items():
        print(f"{name}: {value:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
