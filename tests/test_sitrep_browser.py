"""The dashboard's situation report, downloaded in a real browser (Debian's Chromium) by a
signed-in account: the session that shows the page is the one that gets the report."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.live_server import OPERATION, LiveServer, browser_server, chromium, sign_in

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    with browser_server(tmp_path_factory.mktemp("sitrep-web")) as running:
        yield running


@pytest.fixture(scope="module")
def browser(server: LiveServer) -> Iterator[Any]:
    with chromium() as launched:
        yield launched


def test_the_dashboard_downloads_the_arabic_situation_report(
    browser: Any, server: LiveServer, tmp_path: Path
) -> None:
    context = browser.new_context(accept_downloads=True)
    context.set_default_timeout(30_000)
    page = context.new_page()
    try:
        sign_in(page, server.url, "liaison-ru")
        page.goto(f"{server.url}/ops/{OPERATION}/dashboard")
        assert page.locator("html").get_attribute("dir") == "rtl"
        link = page.locator('a[href*="/sitrep?"][download]')
        assert link.inner_text().startswith("تنزيل تقرير الوضع")
        with page.expect_download() as info:
            link.click()
        download = info.value
        assert download.suggested_filename.endswith("-ar.pdf")
        saved = tmp_path / download.suggested_filename
        download.save_as(saved)
        assert saved.read_bytes().startswith(b"%PDF-")
        text = subprocess.run(
            ["pdftotext", "-enc", "UTF-8", str(saved), "-"], capture_output=True, check=True
        ).stdout.decode()
        assert "تقرير الوضع" in text
    finally:
        context.close()
