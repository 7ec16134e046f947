"""Adding a translation in a real browser: an ICRC delegate translates an Arabic incident
note into English; an English page then shows the translation (and who made it), an
Arabic page the original; an organisation that may not see the incident can neither see
nor add a translation of it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from mamar.domain.model import command_type
from tests.helpers import at
from tests.live_server import OPERATION, LiveServer, browser_server, chromium, sign_in

pytestmark = pytest.mark.browser
OP = OPERATION
INCIDENT = "icrc-shell-near-warehouse"
ORIGINAL = "سقطت قذيفة قرب مستودع الهلال الأحمر في حي الأنصاري"
ENGLISH = "A shell fell near the Red Crescent warehouse in al-Ansari"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    with browser_server(tmp_path_factory.mktemp("translations")) as running:
        system = running.system()
        try:
            report = command_type("incident.report").model_validate(
                {
                    "id": INCIDENT,
                    "operation": OP,
                    "visibility": "internal",  # the ICRC's own
                    "event_type": "explosions_remote_violence",
                    "description": {"original": ORIGINAL, "language": "ar"},
                    "source": {"text": "مندوب اللجنة في الحي", "kind": "own_team"},
                }
            )
            system.execute(
                report,
                actor=system.actor("icrc-delegate"),
                occurred=at("2016-12-14T09:30+02:00"),
            )
        finally:
            system.dispose()
        yield running


@pytest.fixture(scope="module")
def browser(server: LiveServer) -> Iterator[Any]:
    with chromium() as launched:
        yield launched


def _page(browser: Any, server: LiveServer, username: str) -> Any:
    context = browser.new_context()
    context.set_default_timeout(10_000)
    page = context.new_page()
    sign_in(page, server.url, username)
    assert "/login" not in page.url
    return page


def test_an_english_translation_shows_on_english_pages_and_the_original_on_arabic_ones(
    browser: Any, server: LiveServer
) -> None:
    page = _page(browser, server, "icrc-delegate")
    incident = f"{server.url}/ops/{OP}/incidents/{INCIDENT}"
    page.goto(f"{incident}?lang=en")
    # Not yet translated: the original, marked with its language, never a guess.
    # (The source, "مندوب اللجنة في الحي", is in Arabic too, and marked so.)
    marked = page.locator("main section.card").first.locator('bdi[lang="ar"][dir="auto"]')
    said = marked.filter(has_text=ORIGINAL)
    assert said.inner_text() == ORIGINAL
    # Languages are picked by their names in the page's language (CLDR).
    assert page.locator("#f-translation-language option[value=en]").inner_text() == "English"
    assert page.input_value("#f-translation-language") == "en"  # the page's language
    # A refused form keeps what was typed, with the reason beside the field.
    page.select_option("#f-translation-language", "ar")
    page.fill("#f-translation-text", ENGLISH)
    with page.expect_navigation():
        page.click("#h-translate ~ form button[type=submit]")
    assert page.input_value("#f-translation-text") == ENGLISH
    assert "language of the original" in page.inner_text("#translation-language-error")
    # Into English, then.
    page.select_option("#f-translation-language", "en")
    with page.expect_navigation():
        page.click("#h-translate ~ form button[type=submit]")
    assert page.url.startswith(incident)
    page.goto(f"{incident}?lang=en")
    first = page.locator("main section.card").first
    assert ENGLISH in first.inner_text()
    assert ORIGINAL not in first.inner_text()
    note = first.locator("small.translator").inner_text()
    assert "International Committee of the Red Cross" in note
    # The tab says the record's name, not who translated it (that stays beside the text).
    assert page.title().startswith(f"Incident: {ENGLISH} · ")
    assert "International Committee" not in page.title() and "translat" not in page.title()
    page.goto(f"{incident}?lang=ar")
    first = page.locator("main section.card").first
    assert ORIGINAL in first.inner_text()
    assert ENGLISH not in first.inner_text()
    page.context.close()


def test_an_organisation_that_cannot_see_the_incident_cannot_see_or_add_a_translation(
    browser: Any, server: LiveServer
) -> None:
    page = _page(browser, server, "monitor")
    for path in (f"incidents/{INCIDENT}", f"incidents/{INCIDENT}/translate"):
        response = page.goto(f"{server.url}/ops/{OP}/{path}?lang=en")
        assert response is not None and response.status == 404
        assert ENGLISH not in page.content() and ORIGINAL not in page.content()
    page.goto(f"{server.url}/ops/{OP}/incidents?lang=en")
    assert ENGLISH not in page.content()
    # A form sent anyway (the session's own CSRF token) is refused as not found.
    token = page.locator("input[name=csrf]").first.get_attribute("value")
    assert token
    answer = page.request.post(
        f"{server.url}/ops/{OP}/incidents/{INCIDENT}/translate",
        form={
            "csrf": token,
            "translation.field": "description",
            "translation.language": "en",
            "translation.text": "forged",
        },
    )
    assert answer.status == 404
    page.context.close()
    system = server.system()
    try:
        with system.reading() as conn:
            from mamar.projections.entities import current

            found = current(conn, f"incident:{INCIDENT}")
    finally:
        system.dispose()
    assert found is not None
    assert [t.text for t in found[0].description.translations] == [ENGLISH]  # type: ignore[attr-defined]


def test_one_reason_of_a_rejection_is_translated_from_its_own_link(
    browser: Any, server: LiveServer
) -> None:
    """The exit route's second version was rejected for two reasons (in Arabic, with their
    English): each reason has its own link; the form it opens has that reason chosen, and
    the translation goes to that reason alone."""
    from tests.test_browser_people import accessible

    french = "Aucune garantie pour la sécurité des véhicules"
    page = _page(browser, server, "negotiator")
    route = f"{server.url}/ops/{OP}/routes/exit-route"
    page.goto(f"{route}?lang=ar")
    links = page.locator('a[href*="/translate?field=rejections."]')
    assert links.count() == 2
    with page.expect_navigation():
        links.nth(1).click()
    assert page.url.endswith("field=rejections.0.reasons.1")
    accessible(page)
    assert page.input_value("#f-translation-field") == "rejections.0.reasons.1"
    chosen = page.locator("#f-translation-field option:checked").inner_text()
    assert "الأسباب" in chosen and "rejections" not in chosen
    # The first reason, then, by choosing it on the form.
    page.select_option("#f-translation-field", "rejections.0.reasons.0")
    page.select_option("#f-translation-language", "fr")
    page.fill("#f-translation-text", french)
    with page.expect_navigation():
        page.click("#h-translate ~ form button[type=submit]")
    assert page.url.startswith(route)
    page.context.close()
    system = server.system()
    try:
        with system.reading() as conn:
            from mamar.projections.entities import current

            found = current(conn, "route:exit-route")
    finally:
        system.dispose()
    assert found is not None
    first, second = found[0].rejections[0].reasons  # type: ignore[attr-defined]
    assert [(t.text, t.language) for t in first.translations][-1] == (french, "fr")
    assert "fr" not in [t.language for t in second.translations]
