"""Forms that never lose work, in a real browser (Chromium), when what is sent is larger
than a page accepts (413): the page that says so is one of ours (the site's colours, in
the page's language, no Latin word on the Arabic one, no serious accessibility violation),
and its button goes back to the form, which the browser shows again with everything typed
(a paste of 2 MB too). A photo larger than its limit is said beside its field as soon as
it is chosen, and the form is not sent."""

from __future__ import annotations

from typing import Any

import pytest

from tests.arabic_text import LATIN_WORD
from tests.live_server import OPERATION, LiveServer, sign_in
from tests.test_web_accessibility import (
    DARK_GROUND,
    GROUND,
    LIGHT_GROUND,
    audit,
    axe_source,
    form_token,
)
from tests.test_web_browser import browser, server

pytestmark = pytest.mark.browser
__all__ = ["axe_source", "browser", "server"]

#: A phone's width.
PHONE = {"width": 360, "height": 800}
#: What a person types in the incident form, field by field.
TYPED = {
    "source.text": "شاهد عيان من الحي",
    "weapon_detail": "قذيفة هاون",
    "killed": "3",
    "injured": "12",
}
#: A paste larger than a page's form takes (2 MB and more, as a form sends Arabic).
PASTE = "قصف قرب الجسر " * 32_000
#: A photo larger than a family's photos may be (12 MB each).
BIG_PHOTO = b"\xff\xd8\xff" + bytes(12_500_000)


def _context(browser: Any, **options: Any) -> Any:
    # The page's policy allows scripts from Mamar only: the test's own axe-core is let in.
    context = browser.new_context(viewport=PHONE, bypass_csp=True, **options)
    context.set_default_timeout(30_000)
    return context


def test_a_form_too_large_goes_back_to_the_form_as_typed_in_arabic_on_a_phone(
    browser: Any, server: LiveServer, axe_source: str
) -> None:
    context = _context(browser)
    page = context.new_page()
    report: list[str] = []
    try:
        sign_in(page, server.url, "coordinator")
        page.goto(f"{server.url}/ops/{OPERATION}/incidents?lang=ar")
        form = page.locator("#incident-form")
        for name, value in TYPED.items():
            form.locator(f"[name='{name}']").fill(value)
        form.locator("input[name=humanitarian]").first.check()
        form.locator("textarea[name=description]").evaluate("(el, t) => { el.value = t }", PASTE)
        with page.expect_navigation(timeout=180_000) as sent:
            form.locator("[name='source.text']").press("Enter")
        assert sent.value.status == 413
        # Our page: the site's colours, in Arabic, right to left, with a heading.
        assert page.locator("html").get_attribute("lang") == "ar"
        assert page.locator("html").get_attribute("dir") == "rtl"
        assert page.evaluate(GROUND) == LIGHT_GROUND
        assert page.locator("h1").inner_text() == "أكبر من أن يُسجَّل"
        assert "لم يُسجَّل شيء" in page.get_by_role("alert").inner_text()
        shown = page.locator("body").inner_text()
        assert LATIN_WORD.findall(shown) == [], shown
        back = page.get_by_role("button", name="العودة إلى النموذج")
        assert back.is_visible()
        assert not page.locator("[data-back-hint]").is_visible()  # the button says it
        audit(page, axe_source, "413 [ar]", report)
        page.emulate_media(color_scheme="dark")
        assert page.evaluate(GROUND) == DARK_GROUND
        page.emulate_media(color_scheme="light")
        # Back to the form: everything typed is there, the paste whole.
        with page.expect_navigation():
            back.click()
        assert page.url.endswith("/incidents?lang=ar")
        form = page.locator("#incident-form")
        for name, value in TYPED.items():
            assert form.locator(f"[name='{name}']").input_value() == value, name
        assert form.locator("input[name=humanitarian]").first.is_checked()
        kept = form.locator("textarea[name=description]").input_value()
        assert kept == PASTE, len(kept)
    finally:
        context.close()
    assert report == [], "\n".join(report)


def test_a_photo_too_large_is_said_beside_its_field_before_it_is_sent(
    browser: Any, server: LiveServer
) -> None:
    context = _context(browser)
    page = context.new_page()
    try:
        sign_in(page, server.url, "admin")
        manifests = f"{server.url}/ops/{OPERATION}/manifests"
        page.goto(manifests)
        made = page.request.post(
            manifests,
            form={"csrf": form_token(page), "convoy": "first-wounded", "label": "إسعاف ٩"},
            max_redirects=0,
        )
        assert made.status == 303, made.text()[-1500:]
        page.goto(manifests + "?lang=ar")
        vehicle = page.locator("a[href*='/vehicles/']").last.get_attribute("href")
        assert vehicle
        page.goto(f"{server.url}{vehicle.split('?')[0]}/family?lang=ar")
        address = page.url
        page.fill("#f-name-0", "عبد الله الحلبي")
        photo = page.locator("#f-photo-0")
        photo.set_input_files({"name": "big.jpg", "mimeType": "image/jpeg", "buffer": BIG_PHOTO})
        described = photo.get_attribute("aria-describedby") or ""
        message = page.locator(f"#{described.split()[0]}.field-error")
        assert message.inner_text().startswith("الصورة أكبر من 12 ميغابايت"), described
        assert LATIN_WORD.findall(message.inner_text()) == []
        assert photo.get_attribute("aria-invalid") == "true"
        # Not sent: the form stays, the photo's field has the focus.
        page.locator("main form button[type=submit]").click()
        page.wait_for_timeout(500)
        assert page.url == address
        assert page.evaluate("() => document.activeElement.id") == "f-photo-0"
        # A photo that fits takes the message back.
        photo.set_input_files(
            {"name": "small.jpg", "mimeType": "image/jpeg", "buffer": b"\xff\xd8\xff"}
        )
        assert page.locator(".field-error").count() == 0
        assert photo.get_attribute("aria-describedby") == "photo-hint"
    finally:
        context.close()


def test_without_a_script_the_page_says_to_use_the_browsers_back_button(
    browser: Any, server: LiveServer
) -> None:
    context = _context(browser, java_script_enabled=False)
    page = context.new_page()
    try:
        sign_in(page, server.url, "coordinator")
        address = f"{server.url}/ops/{OPERATION}/incidents?lang=ar"
        page.goto(address)
        answer = page.request.post(
            address, form={"csrf": form_token(page), "description": PASTE}, max_redirects=0
        )
        assert answer.status == 413
        # The answer shown at the form's address, as the browser would show it.
        page.route(address, lambda route: route.fulfill(response=answer))
        page.goto(address)
        assert page.evaluate(GROUND) == LIGHT_GROUND
        hint = page.locator("[data-back-hint]")
        assert hint.is_visible() and "زرّ الرجوع" in hint.inner_text()
        assert not page.locator("button[data-back]").is_visible()
    finally:
        context.close()
