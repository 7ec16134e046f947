"""Registration and reception in a real browser, on a phone (360 px), in Arabic: a family
typed from the keyboard alone, and its arrival checked at reception."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.live_server import OPERATION, LiveServer, browser_server, chromium, sign_in

pytestmark = pytest.mark.browser
OP = OPERATION


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    with browser_server(tmp_path_factory.mktemp("people")) as running:
        yield running


@pytest.fixture(scope="module")
def browser(server: LiveServer) -> Iterator[Any]:
    with chromium() as launched:
        yield launched


@pytest.fixture
def phone(browser: Any, server: LiveServer) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True)
    context.set_default_timeout(10_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    sign_in(page, server.url, "sarc-registrar")
    assert "/login" not in page.url
    yield page
    context.close()
    assert errors == [], f"script errors on the page: {errors}"


def accessible(page: Any) -> None:
    """axe-core (as tests/test_web_accessibility.py runs it) finds nothing serious here."""
    from tests.test_web_accessibility import AXE, TAGS

    if not AXE.exists():
        return
    # Evaluated through the browser's debugging protocol, which the page's CSP (no inline
    # script) does not govern; the page itself runs with its policy.
    page.evaluate(AXE.read_text(encoding="utf-8"))
    found = page.evaluate(
        """async (tags) => {
          const result = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
          return result.violations
            .filter(v => v.impact === 'serious' || v.impact === 'critical')
            .map(v => v.id + ': ' + v.nodes.slice(0, 3).map(n => n.html.slice(0, 120)).join(' | '));
        }""",
        TAGS,
    )
    assert found == [], f"{page.url}: {found}"


def no_sideways_scroll(page: Any) -> None:
    widths = page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert widths[0] <= widths[1] + 1, f"{page.url}: horizontal scroll ({widths})"


def add_vehicle(page: Any, server: LiveServer, label: str) -> str:
    page.goto(f"{server.url}/ops/{OP}/manifests")
    assert page.locator("html").get_attribute("dir") == "rtl"
    no_sideways_scroll(page)
    form = page.locator("main form[action$='/manifests']")
    form.locator("[name=convoy]").select_option("first-wounded")
    form.locator("[name=label]").fill(label)
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    return str(page.url.rsplit("/", 1)[1])


def test_a_family_is_registered_from_the_keyboard_on_a_phone(
    phone: Any, server: LiveServer
) -> None:
    vehicle = add_vehicle(phone, server, "إسعاف ٧")
    phone.goto(f"{server.url}/ops/{OP}/vehicles/{vehicle}/family")
    no_sideways_scroll(phone)
    # The first name has the focus: the whole family is typed without touching the screen.
    phone.keyboard.type("عبد الله الحلبي")
    phone.keyboard.press("Tab")
    phone.keyboard.type("١٩٧٥")
    phone.keyboard.press("Tab")
    phone.keyboard.type("رب الأسرة")
    phone.keyboard.press("Tab")
    phone.keyboard.press("Tab")  # the relation's language: the page's (Arabic)
    phone.keyboard.press("Tab")  # its code, if another language: none
    phone.keyboard.press("Tab")  # child travelling alone: no
    phone.keyboard.press("Tab")  # photo: none
    phone.keyboard.type("فاطمة أحمد")
    phone.keyboard.press("Tab")
    phone.keyboard.type("1980")
    with phone.expect_navigation():
        phone.keyboard.press("Enter")
    notice = phone.locator("p.notice").inner_text()
    assert notice.startswith("سُجّلت الأرقام 1–2")  # a range: an en dash, notice
    assert phone.evaluate("document.activeElement.name") == "name.0"
    phone.goto(f"{server.url}/ops/{OP}/vehicles/{vehicle}")
    no_sideways_scroll(phone)
    rows = phone.locator("main tbody tr").all_inner_texts()
    assert "عبد الله الحلبي" in rows[0] and "1975" in rows[0] and "فاطمة أحمد" in rows[1]
    phone.wait_for_function("() => document.querySelector('img.qr').complete")
    assert phone.locator("img.qr").evaluate("i => i.naturalWidth") > 0


def test_arrivals_are_checked_at_reception_on_a_phone(phone: Any, server: LiveServer) -> None:
    vehicle = add_vehicle(phone, server, "إسعاف ٨")
    phone.goto(f"{server.url}/ops/{OP}/vehicles/{vehicle}/family")
    phone.locator("[name='name.0']").fill("محمد خليل")
    phone.locator("[name='name.1']").fill("منى خليل")
    with phone.expect_navigation():
        phone.locator("main form button[type=submit]").click()
    phone.goto(f"{server.url}/ops/{OP}/vehicles/{vehicle}")
    phone.locator("input[name=number][value='1']").check()
    phone.locator("input[name=number][value='2']").check()
    with phone.expect_navigation():
        phone.locator("button[name=status][value=boarded]").click()
    phone.goto(f"{server.url}/ops/{OP}/reception?convoy=first-wounded")
    no_sideways_scroll(phone)
    wrong = phone.locator("section[aria-labelledby=h-wrong] li")
    assert any("منى خليل" in t for t in wrong.all_inner_texts())
    phone.locator("[name=name]").fill("منى خلیل")  # typed with a Persian yaa
    with phone.expect_navigation():
        phone.locator("[name=name]").press("Enter")
    no_sideways_scroll(phone)
    match = phone.locator("section[aria-labelledby=h-found] li", has_text="منى خليل")
    with phone.expect_navigation():
        match.locator("button[value=arrived]").click()
    assert "/reception" in phone.url
    texts = phone.locator("section[aria-labelledby=h-wrong] li").all_inner_texts()
    assert not any("منى خليل" in t for t in texts) and any("محمد خليل" in t for t in texts)


def test_a_family_is_registered_with_a_photo_taken_on_a_phone(
    phone: Any, server: LiveServer
) -> None:
    from tests.test_people_photos import camera_jpeg

    vehicle = add_vehicle(phone, server, "إسعاف ٩")
    phone.goto(f"{server.url}/ops/{OP}/vehicles/{vehicle}/family")
    no_sideways_scroll(phone)
    accessible(phone)
    photo = phone.locator("[name='photo.0']")
    assert photo.get_attribute("capture") == "environment"
    assert "image/jpeg" in (photo.get_attribute("accept") or "")
    phone.locator("[name='name.0']").fill("سلمى الحلبي")
    phone.locator("[name='year.0']").fill("1990")
    phone.locator("[name='name.1']").fill("رامي الحلبي")
    # First a file that is not a photo: refused beside its field, the names kept.
    photo.set_input_files(
        files=[{"name": "IMG_1.jpg", "mimeType": "image/jpeg", "buffer": b"not a photo"}]
    )
    with phone.expect_navigation():
        phone.locator("main form button[type=submit]").click()
    no_sideways_scroll(phone)
    assert "هذا الملف ليس صورة" in phone.locator("#photo-0-error").inner_text()
    assert phone.locator("[name='name.0']").input_value() == "سلمى الحلبي"
    assert phone.locator("[name='name.1']").input_value() == "رامي الحلبي"
    phone.locator("[name='photo.0']").set_input_files(
        files=[{"name": "IMG_2.jpg", "mimeType": "image/jpeg", "buffer": camera_jpeg()}]
    )
    with phone.expect_navigation():
        phone.locator("main form button[type=submit]").click()
    notice = phone.locator("p.notice").inner_text()
    assert notice.startswith("سُجّلت الأرقام 1–2")  # a range: an en dash, notice
    phone.goto(f"{server.url}/ops/{OP}/vehicles/{vehicle}")
    with phone.expect_navigation():
        phone.locator("main tbody tr a", has_text="سلمى الحلبي").click()
    no_sideways_scroll(phone)
    image = phone.locator("img.person-photo")
    phone.wait_for_function("() => document.querySelector('img.person-photo').complete")
    assert image.evaluate("i => i.naturalWidth") == 960  # upright, as the camera said
    assert image.get_attribute("alt") == "صورة سلمى الحلبي"
    assert image.evaluate("i => i.getBoundingClientRect().width") <= 360
    accessible(phone)


def test_discrepancies_appear_live_at_reception_on_a_phone(phone: Any, server: LiveServer) -> None:
    from mamar.manifests.commands import RecordStatus

    vehicle = add_vehicle(phone, server, "إسعاف ١٠")
    other = add_vehicle(phone, server, "إسعاف ١١")
    phone.goto(f"{server.url}/ops/{OP}/vehicles/{vehicle}/family")
    phone.locator("[name='name.0']").fill("سعاد يوسف")
    phone.locator("[name='name.1']").fill("ربى يوسف")
    with phone.expect_navigation():
        phone.locator("main form button[type=submit]").click()
    phone.goto(f"{server.url}/ops/{OP}/reception?convoy=first-wounded&vehicle={other}")
    no_sideways_scroll(phone)
    phone.evaluate("window.stayed = true")  # gone if the page were loaded again
    region = "document.querySelector('[data-live-region=reception]').innerText"
    assert "سعاد يوسف" not in phone.evaluate(region)
    # Another device (here: another process on the same database) records the boarding,
    # then one arrival on the vehicle arriving: the list follows, live, without a reload.
    elsewhere = server.system()
    try:
        actor = elsewhere.actor("sarc-registrar")
        elsewhere.execute(
            RecordStatus(id=vehicle, people=(1, 2), stop="origin", status="boarded"), actor=actor
        )
        phone.wait_for_function(f"() => {region}.includes('سعاد يوسف')")
        assert phone.evaluate(region).count("صعد ولم يصل") >= 2
        elsewhere.execute(
            RecordStatus(
                id=vehicle, people=(1,), stop="destination", status="arrived", on_vehicle=other
            ),
            actor=actor,
        )
        phone.wait_for_function(f"() => {region}.includes('وصل في مركبة أخرى')")
    finally:
        elsewhere.dispose()
    assert phone.evaluate("window.stayed") is True
    items = phone.locator("section[aria-labelledby=h-wrong] li").all_inner_texts()
    assert "سعاد يوسف" in items[0] and "وصل في إسعاف ١١" in items[0]  # the latest first
    no_sideways_scroll(phone)
    # Someone on no manifest steps off the vehicle arriving: listed as arrived, a discrepancy.
    form = phone.locator("form[action*='/reception/arrival']")
    assert form.locator("[name=arriving]").input_value() == other
    form.locator("[name='name.0']").fill("سمير ناصر")
    with phone.expect_navigation():
        form.locator("button[type=submit]").click()
    no_sideways_scroll(phone)
    texts = phone.locator("section[aria-labelledby=h-wrong] li").all_inner_texts()
    assert "سمير ناصر" in texts[0] and "وصل دون أن يكون في أي قائمة ركاب" in texts[0]
    accessible(phone)


def test_a_person_is_erased_from_their_page_after_saying_why_on_a_phone(
    phone: Any, browser: Any, server: LiveServer
) -> None:
    vehicle = add_vehicle(phone, server, "إسعاف ١٢")
    phone.goto(f"{server.url}/ops/{OP}/vehicles/{vehicle}/family")
    phone.locator("[name='name.0']").fill("نور الحلبي")
    with phone.expect_navigation():
        phone.locator("main form button[type=submit]").click()
    person = f"{server.url}/ops/{OP}/vehicles/{vehicle}/people/1"
    phone.goto(person)
    assert phone.locator("#h-erase").count() == 0  # the registrar may not erase
    context = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True)
    try:
        admin = context.new_page()
        sign_in(admin, server.url, "sarc-admin")
        admin.goto(person)
        no_sideways_scroll(admin)
        accessible(admin)
        erase = admin.locator("section[aria-labelledby=h-erase]")
        erase.locator("[name=phrase]").fill("عند الفجر")
        with admin.expect_navigation():
            erase.locator("button.danger").click()
        no_sideways_scroll(admin)
        accessible(admin)
        facts = admin.locator("dl.facts").inner_text()
        # Each label beside its value, the label at the start of the line (the right).
        label = admin.locator("dl.facts dt").first.bounding_box()
        value = admin.locator("dl.facts dd").first.bounding_box()
        assert abs(label["y"] - value["y"]) < 2 and label["x"] > value["x"], (label, value)
        assert "نور الحلبي" in facts and "إسعاف ١٢" in facts
        assert "لا يمكن التراجع عنه" in admin.locator("main p.error").inner_text()
        # Refused (far too long): the confirmation again, the reason as typed.
        pasted = "طلبت العائلة محو بياناتها " * 40
        admin.locator("#f-reason").fill(pasted)
        with admin.expect_navigation():
            admin.locator("button[name=confirmed]").click()
        assert admin.locator("#f-reason").input_value() == pasted
        assert admin.locator("#reason-error").is_visible()
        admin.locator("#f-reason").fill("طلبت العائلة ذلك")
        with admin.expect_navigation():
            admin.locator("button[name=confirmed]").click()
        assert admin.url == person
        assert "نور الحلبي" not in admin.locator("main").inner_text()
        assert admin.locator("#h-erase").count() == 0
    finally:
        context.close()
