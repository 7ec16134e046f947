"""The fulfilment and wait-for forms in a real browser, on a phone (360 px), in Arabic, over
the invented two-towns scenario: every choice is picked by name, a refused form comes back
as typed, and the record shows what was recorded."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from mamar import reads
from tests.live_server import LiveServer, browser_server, chromium, load_demo, sign_in
from tests.test_browser_people import accessible, no_sideways_scroll

pytestmark = pytest.mark.browser
OP = "two-towns"


def _two_towns(database_url: str, env: dict[str, str]) -> dict[str, str]:
    return load_demo(database_url, env, "two-towns")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    with browser_server(Path(tmp_path_factory.mktemp("towns")), load=_two_towns) as running:
        yield running


@pytest.fixture(scope="module")
def browser(server: LiveServer) -> Iterator[Any]:
    with chromium() as launched:
        yield launched


def _phone(browser: Any, server: LiveServer, username: str) -> Any:
    context = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True)
    context.set_default_timeout(10_000)
    page = context.new_page()
    sign_in(page, server.url, username)
    assert "/login" not in page.url
    return page


def _record(server: LiveServer, kind: str, entity_id: str) -> Any:
    system = server.system()
    try:
        with system.reading() as conn:
            return reads.get_state(
                conn, viewer=system.actor("monitor"), kind=kind, entity_id=entity_id
            )
    finally:
        system.dispose()


def test_fulfilment_form_on_a_phone_in_arabic(browser: Any, server: LiveServer) -> None:
    page = _phone(browser, server, "relief-officer")
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(f"{server.url}/ops/{OP}/agreements/two-way-agreement")
    assert page.locator("html").get_attribute("dir") == "rtl"
    no_sideways_scroll(page)
    # The term's own link opens the form with that term chosen.
    with page.expect_navigation():
        page.locator("a[href$='fulfilment?term=hills-fighters']").click()
    form = page.locator("main form")
    assert form.locator("[name=term]").input_value() == "hills-fighters"
    no_sideways_scroll(page)
    accessible(page)
    # Refused first: a fulfilled term whose count falls short of the number it gives.
    form.locator("[name=status]").select_option(label="نُفّذ")
    form.locator("[name=done]").fill("150")
    form.locator("[name=of]").fill("200")
    _pick(form, "evidence", "مدنيو قصر أمل")
    form.locator("[name=note]").fill("خرج بعضهم في سيارات خاصة")
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    form = page.locator("main form")
    assert page.locator("#status-error").is_visible()
    assert "أقل من العدد المتفق عليه" in page.locator("#status-error").inner_text()
    assert form.locator("[name=done]").input_value() == "150"
    assert form.locator("[name=note]").input_value() == "خرج بعضهم في سيارات خاصة"
    no_sideways_scroll(page)
    # Then as it is: partly carried out.
    form.locator("[name=status]").select_option(label="نُفّذ جزئياً")
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    assert page.url.endswith(f"/ops/{OP}/agreements/two-way-agreement")
    assert "150 من 200" in page.locator("#h-fulfil + div").inner_text()
    report = _record(server, "agreement", "two-way-agreement").fulfilment_of("hills-fighters")
    assert (report.status, report.done, report.of) == ("partial", 150, 200)
    assert [(e.kind, e.id) for e in report.evidence] == [("convoy", "qasr-civilians-convoy")]
    page.context.close()
    assert errors == [], errors


def _labels(form: Any, name: str) -> list[str]:
    return [str(x) for x in form.locator(f"[name={name}] option").all_inner_texts()]


def _pick(form: Any, name: str, words: str) -> None:
    """Choose, by its name as shown, the one option of ``name`` that reads ``words``
    (a convoy is listed after its short reference: "قافلة ٦ — إعادة الجثامين")."""
    (label,) = [o for o in _labels(form, name) if words in o]
    form.locator(f"[name={name}]").select_option(label=label)


def test_wait_for_form_on_a_phone_in_arabic(browser: Any, server: LiveServer) -> None:
    page = _phone(browser, server, "relief-operations")
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    base = f"{server.url}/ops/{OP}/convoys/hills-fighters-convoy"
    page.goto(base)
    assert "لا تنتظر أي قافلة أخرى" in page.locator("#h-waits").locator("..").inner_text()
    with page.expect_navigation():
        page.get_by_role("link", name="تسجيل انتظار قافلة أخرى").click()
    no_sideways_scroll(page)
    accessible(page)
    form = page.locator("main form")
    assert "مقاتلو فصيل التلال" not in " ".join(_labels(form, "waits_for"))
    # Nothing chosen: refused, the rest kept as typed.
    form.locator("[name=until]").select_option(label="وصلت")
    form.locator("[name=link]").select_option(label="تبادل")
    form.locator("[name=note]").fill("يخرج المقاتلون بعد إعادة الجثامين")
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    form = page.locator("main form")
    assert page.locator("#waits_for-error").is_visible()
    assert form.locator("[name=note]").input_value() == "يخرج المقاتلون بعد إعادة الجثامين"
    assert form.locator("[name=link]").input_value() == "exchange"
    _pick(form, "waits_for", "إعادة الجثامين")
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    assert page.url == base
    waits = page.locator("#h-waits").locator("..").inner_text()
    assert "إعادة الجثامين" in waits and "تبادل" in waits
    no_sideways_scroll(page)
    held = _record(server, "convoy", "hills-fighters-convoy").waits_for
    assert [(w.waits_for, w.until, w.link) for w in held] == [
        ("bodies-return", "arrived", "exchange")
    ]
    # And it stops waiting, through its own form.
    with page.expect_navigation():
        page.get_by_role("link", name="إنهاء الانتظار").click()
    no_sideways_scroll(page)
    form = page.locator("main form")
    _pick(form, "waits_for", "إعادة الجثامين")
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    assert "لا تنتظر أي قافلة أخرى" in page.locator("#h-waits").locator("..").inner_text()
    page.context.close()
    assert errors == [], errors
