"""Every operation page honours ``?at=``: it says which moment it shows, shows the records as
they were then (a record created later is absent) and its links keep the moment. Every page
route of the app is walked (as the access matrix walks them), manifests and their people
included: a vehicle, a person and a tracing request as they were then, their names read
from the vault as it holds them now (one erased since shows erased, and the page says so)."""

from __future__ import annotations

import io
import re
from datetime import datetime, timedelta
from typing import Any

import pytest
from PIL import Image
from sqlalchemy import func, select

from mamar.db.tables import entity_history
from mamar.domain.model import command_type
from mamar.system import Mamar
from tests.helpers import at
from tests.test_access_matrix import _kind, routes
from tests.web_support import OP, Web, make_web

MOMENT = "2016-12-14T08:00"
MOMENT_UTC = "2016-12-14T06:00:00.000000Z"  # the same moment, in the history index
LATER_CONVOY = "قافلة الحافلات وسيارات الإسعاف، ١٥ كانون الأول"  # planned on 15 December
LINK = re.compile(r'href="(/ops/[^"]*)"( data-now)?')
AS_OF = "كما كان الوضع في"
#: Said on a page of personal records shown as of a moment.
VAULT_NOW = "أما السجلات الشخصية فتُقرأ من الخزنة كما تحفظها الآن"


def test_every_page_of_the_operation_as_it_was_in_december_2016(system: Mamar) -> None:
    client = make_web(system).client("coordinator")
    dashboard = client.get(f"/ops/{OP}/dashboard?lang=ar&at={MOMENT}").text
    nav = re.findall(r"<nav[^>]*>.*?</nav>", dashboard, re.S)
    pages = sorted({h for n in nav for h, _ in LINK.findall(n)})
    assert len(pages) >= 10, pages
    now = client.get(f"/ops/{OP}/convoys?lang=ar").text
    assert LATER_CONVOY in now  # present today, so its absence below means something
    for href in [*pages, f"/ops/{OP}/convoys/first-wounded?at={MOMENT}"]:
        assert "at=2016-12-14T08%3A00" in href or "at=2016-12-14T08:00" in href, href
        response = client.get(href + "&lang=ar")
        assert response.status_code == 200, href
        page = response.text
        assert "كما كان الوضع في" in page, href
        assert LATER_CONVOY not in page, href
        assert "buses-15-december" not in page, href
        for link, now_link in LINK.findall(page):
            if not now_link and "/static/" not in link:
                assert "at=" in link, (href, link)
    later = client.get(f"/ops/{OP}/convoys/buses-15-december?lang=ar&at={MOMENT}")
    assert later.status_code == 404
    first = client.get(f"/ops/{OP}/convoys/first-wounded?format=json&at={MOMENT}").json()
    assert first["convoy"]["status"] == "preparing"
    assert all(e["occurred_at"] <= "2016-12-14T08:00:00+02:00" for e in first["history"])


def test_an_escalation_says_when_it_was_raised_answered_and_how_long_it_waited(
    system: Mamar,
) -> None:
    client = make_web(system).client("coordinator")
    url = f"/ops/{OP}/escalations/ramouseh-fire-escalation?lang=ar"
    answered = client.get(url).text
    facts = answered.split("<dl>", 1)[1].split("</dl>", 1)[0]
    assert "<dt>تاريخ الرفع</dt><dd>14 ديسمبر 2016، 9:15 ص" in facts
    assert "<dt>تاريخ أول ردّ</dt><dd>14 ديسمبر 2016، 9:25 ص" in facts
    assert "<dt>جاء أول ردّ بعد</dt><dd>10 دقائق</dd>" in facts  # frozen at the answer
    assert "بانتظار الرد منذ" not in facts
    assert "russian-military" not in facts and "القيادة العسكرية الروسية" in facts
    waiting = client.get(url + "&at=2016-12-14T09:20").text
    facts = waiting.split("<dl>", 1)[1].split("</dl>", 1)[0]
    assert "<dt>بانتظار الرد منذ</dt><dd><strong>5 دقائق</strong></dd>" in facts
    assert "تاريخ أول ردّ" not in facts
    assert client.get(url + "&at=2016-12-14T09:10").status_code == 404  # not yet raised


def test_the_agreement_comparison_marks_changes_in_words_too(system: Mamar) -> None:
    client = make_web(system).client("coordinator")
    page = client.get(f"/ops/{OP}/agreements/evacuation-agreement?lang=ar&a=1&b=2").text
    table = page.split('<table class="terms-compare">', 1)[1].split("</table>", 1)[0]
    assert '<th scope="col">الصيغة 1</th><th scope="col">الصيغة 2</th>' in table
    assert "<del>13 ديسمبر 2016، 6:00 م" in table and "<mark>15 ديسمبر 2016، 4:00 ص" in table
    assert table.count('<span class="visually-hidden"> (قبل التغيير)</span>') >= 3
    assert table.count('<span class="visually-hidden"> (بعد التغيير)</span>') >= 3
    assert "<strong>تغيّر</strong>" in table
    assert "ceasefire" not in table and "starts_at" not in table


# --- every page route, manifests and people included ----------------------------------

EARLY_BUS = "حافلة الجرحى الأولى"  # registered at 07:10, its first family at 07:30
EARLY_NAME = "سليم الباكير"
LATER_NAME = "نور الحمصي"  # listed on the same bus at 09:30
LATE_BUS = "حافلة الخامس عشر"  # registered on 15 December
LATE_NAME = "هالة الشهباء"
#: Pages outside an operation: no moment to show them at.
OUTSIDE = {"/", "/login", "/admin", "/ops", "/live"}


def _photo() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (0, 0, 255)).save(out, format="PNG")
    return out.getvalue()


def _record_people(system: Mamar) -> None:
    """Manifests and tracing requests of the demo's operation, recorded as the field medic
    at the times they happened."""

    def run(when: str, command: str, **fields: Any) -> None:
        system.execute(
            command_type(command).model_validate(fields),
            actor=system.actor("medic"),
            occurred=at(when),
        )

    def person(name: str, **more: Any) -> dict[str, Any]:
        return {"details": {"full_name": name}, **more}

    def label(text: str) -> dict[str, str]:
        return {"original": text, "language": "ar"}

    def report(when: str, tracing: str, sought: str, relative: str) -> None:
        """A relative reports someone missing."""
        fields = {"sought": person(sought), "relative": person(relative)}
        run(when, "tracing.report", id=tracing, operation=OP, **fields)

    bus = {"operation": OP, "convoy": "first-wounded", "label": label(EARLY_BUS)}
    run("2016-12-14T07:10+02:00", "vehicle.register", id="early-bus", **bus)
    run(
        "2016-12-14T07:30+02:00",
        "vehicle.list_group",
        id="early-bus",
        people=[person(EARLY_NAME, photo=_photo())],
    )
    report("2016-12-14T07:45+02:00", "early-trace", LATER_NAME, "أم نور")
    run("2016-12-14T09:30+02:00", "vehicle.list_group", id="early-bus", people=[person(LATER_NAME)])
    run(
        "2016-12-14T09:40+02:00",
        "vehicle.record_status",
        id="early-bus",
        people=[1],
        stop="origin",
        status="boarded",
    )
    late = {"operation": OP, "convoy": "buses-15-december", "label": label(LATE_BUS)}
    run("2016-12-15T14:30+02:00", "vehicle.register", id="late-bus", **late)
    run("2016-12-15T14:40+02:00", "vehicle.list_group", id="late-bus", people=[person(LATE_NAME)])
    report("2016-12-15T15:00+02:00", "late-trace", LATE_NAME, "أبو هالة")


@pytest.fixture
def web(system: Mamar) -> Web:
    built = make_web(system)
    _record_people(system)
    return built


def _created(system: Mamar) -> dict[str, dict[str, str]]:
    """When each record was first recorded as happening (a UTC key), by kind and id."""
    h = entity_history
    query = select(h.c.kind, h.c.stream, func.min(h.c.occurred_utc)).group_by(h.c.kind, h.c.stream)
    found: dict[str, dict[str, str]] = {}
    with system.reading() as conn:
        for kind, stream, first in conn.execute(query):
            found.setdefault(kind, {})[stream.split(":", 1)[1]] = first
    return found


def _moment(key: str, minutes: int = 0) -> str:
    """A history index key as ``?at=`` (ISO 8601 with its offset), ``minutes`` later."""
    return (
        datetime.fromisoformat(key.replace("Z", "+00:00")) + timedelta(minutes=minutes)
    ).isoformat()


def _honours(page: str, where: str, later: set[str]) -> None:
    """An HTML page as of a moment: it says so, names no record created later (no link to
    it, no choice of it), and its links within the operation keep the moment."""
    assert AS_OF in page, where
    for text in (LATER_CONVOY, LATE_BUS, LATE_NAME):
        assert text not in page, (where, text)
    shown = {i for i in later if re.search(rf'[/"]{re.escape(i)}["/?#&]', page)}
    assert shown == set(), (where, shown)
    for link, now_link in LINK.findall(page):
        if not now_link and "/static/" not in link:
            assert "at=" in link, (where, link)


def test_every_page_route_shows_the_operation_as_it_was_at_a_moment(web: Web) -> None:
    """Each page of the app, with ``?at=``: at a moment its record existed it shows the
    state then; a minute before the record was created it is not found."""
    client = web.client("coordinator")
    created = _created(web.system)
    templates = [t for t in routes(web.app, "GET") if not t.startswith("/api/")]
    assert {t for t in templates if not t.startswith("/ops/{op}/")} == OUTSIDE
    pages = [t for t in templates if t.startswith("/ops/{op}/")]
    assert len(pages) > 90
    for template in pages:
        path = template.replace("{op}", OP).replace("{number}", "1")
        path = path.replace("{command_name}", "convoy.plan")
        moment, before = MOMENT_UTC, None
        kind = _kind(template)
        if kind is not None:
            ids = sorted(created[kind].items(), key=lambda item: (item[1], item[0]))
            record, first = next(((i, c) for i, c in ids if c <= MOMENT_UTC), ids[0])
            path = path.replace("{id}", record)
            moment, before = max(first, MOMENT_UTC), first
        later = {i for records in created.values() for i, c in records.items() if c > moment}
        response = client.get(path, params={"lang": "ar", "at": _moment(moment)})
        assert response.status_code == 200, (path, moment, response.text[:300])
        if response.headers["content-type"].startswith("text/html"):
            _honours(response.text, f"{path} at {moment}", later)
        if before is not None:  # not yet recorded
            earlier = client.get(path, params={"lang": "ar", "at": _moment(before, -1)})
            assert earlier.status_code == 404, (path, before)


def test_a_manifest_and_its_people_as_they_were_at_a_moment(
    web: Web, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = web.client("coordinator")
    then = {"lang": "ar", "at": MOMENT}
    listing = client.get(f"/ops/{OP}/manifests", params=then).text
    assert EARLY_BUS in listing and LATE_BUS not in listing
    assert LATE_BUS in client.get(f"/ops/{OP}/manifests?lang=ar").text

    vehicle = f"/ops/{OP}/vehicles/early-bus"
    now = client.get(vehicle + "?lang=ar").text
    assert EARLY_NAME in now and LATER_NAME in now and 'class="status-boarded"' in now
    assert VAULT_NOW not in now
    page = client.get(vehicle, params=then).text
    assert EARLY_NAME in page and LATER_NAME not in page  # listed at 09:30
    assert 'class="status-registered"' in page and 'class="status-boarded"' not in page
    assert VAULT_NOW in page
    assert client.get(vehicle + "/people/2", params=then).status_code == 404
    assert client.get(vehicle + "/people/2?lang=ar").status_code == 200
    first = client.get(vehicle + "/people/1", params=then).text
    assert EARLY_NAME in first and VAULT_NOW in first
    # The bus was registered at 07:10, its first family listed at 07:30.
    registered = {"lang": "ar", "at": "2016-12-14T07:20"}
    assert client.get(vehicle + "/people/1/photo", params=registered).status_code == 404
    assert client.get(vehicle + "/people/1/photo", params=then).status_code == 200

    reception = f"/ops/{OP}/reception?convoy=first-wounded"
    assert EARLY_NAME in client.get(reception + "&lang=ar").text  # boarded, not arrived
    assert EARLY_NAME not in client.get(reception, params=then).text  # not yet boarded

    tracing = f"/ops/{OP}/tracing/early-trace"
    assert "/vehicles/early-bus#p-2" in client.get(tracing + "?lang=ar").text
    past = client.get(tracing, params=then).text
    assert "/vehicles/early-bus#p-2" not in past and VAULT_NOW in past  # not yet listed

    # The printed manifest, as it was then (its HTML, before it is laid out as a PDF).
    monkeypatch.setattr("mamar.reports.manifest.render_pdf", lambda html: html.encode())
    printed = client.get(vehicle + "/manifest.pdf", params=then).content.decode()
    assert EARLY_NAME in printed and LATER_NAME not in printed and AS_OF in printed
    assert LATER_NAME in client.get(vehicle + "/manifest.pdf?lang=ar").content.decode()

    # Erased since: the vault holds nothing of the person any more, whatever the moment.
    web.system.execute(
        command_type("vehicle.erase_person").model_validate({"id": "early-bus", "number": 1}),
        actor=web.system.actor("coordinator"),
    )
    page = client.get(vehicle, params=then).text
    assert EARLY_NAME not in page and "ممحو" in page and VAULT_NOW in page
    first = client.get(vehicle + "/people/1", params=then).text
    assert EARLY_NAME not in first and "مُحيت البيانات الشخصية لهذا الشخص" in first
    assert client.get(vehicle + "/people/1/photo", params=then).status_code == 404
