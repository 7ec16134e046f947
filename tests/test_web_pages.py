"""Every page in Arabic and English for the roles allowed; JSON twins; refusals; compartments."""

from __future__ import annotations

import re

import pytest
from starlette.routing import Route

from mamar import reads
from mamar.access.rules import RuleBook
from mamar.access.viewer import viewer_of
from mamar.domain.visibility import Role, Visibility
from mamar.projections.entities import states_as_of
from mamar.system import Mamar
from tests.web_support import ACCOUNTS, OP, make_web

PAGES = [
    f"/ops/{OP}/dashboard",
    f"/ops/{OP}/contacts",
    f"/ops/{OP}/contacts?to=government-forces",
    f"/ops/{OP}/negotiation",
    f"/ops/{OP}/incidents",
    f"/ops/{OP}/convoys",
    f"/ops/{OP}/routes",
    f"/ops/{OP}/timeline",
    f"/ops/{OP}/timeline?type=convoy.&order=recorded",
    "/ops",
]


def _detail_pages(system: Mamar, role: Role) -> list[str]:
    """The detail pages of every record the demo account of ``role`` may see."""
    viewer = viewer_of(system.actor(ACCOUNTS[role.value]))
    with system.reading() as conn:
        states = states_as_of(conn, operation=OP, at_utc=None)
    paths = []
    for state in states:
        if not viewer.sees(state):
            continue
        kind = type(state).__name__
        prefix = {
            "IncidentState": "incidents",
            "ConvoyState": "convoys",
            "RouteState": "routes",
            "EscalationState": "escalations",
            "AgreementState": "agreements",
        }.get(kind)
        if prefix:
            paths.append(f"/ops/{OP}/{prefix}/{state.id}")
    return paths


def test_every_web_route_has_an_access_rule(sqlite_system: Mamar) -> None:
    web = make_web(sqlite_system)
    book: RuleBook = web.app.state.access
    missing = [
        (m, r.path)
        for r in web.app.routes
        if isinstance(r, Route)
        for m in (r.methods or set()) - {"HEAD"}
        if book.get(m, r.path) is None
    ]
    assert missing == []


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_every_page_renders_for_every_role(system: Mamar, lang: str) -> None:
    web = make_web(system)
    for role in Role:
        client = web.client(role.value)
        for path in [*PAGES, *_detail_pages(system, role)]:
            sep = "&" if "?" in path else "?"
            response = client.get(f"{path}{sep}lang={lang}")
            assert response.status_code == 200, f"{path} as {role}: {response.text[:300]}"
            assert f'<html lang="{lang}" dir="{"rtl" if lang == "ar" else "ltr"}"' in response.text
    admin = web.client("admin")
    assert "الإدارة" in admin.get("/admin?lang=ar").text
    medic = web.client("medical")
    assert "السجل الشخصي" in medic.get(f"/ops/{OP}/people/civil-defence-chief?lang=ar").text


def test_arabic_is_the_default_and_the_switch_keeps_the_page(sqlite_system: Mamar) -> None:
    web = make_web(sqlite_system)
    client = web.client("coordinator")
    page = client.get(f"/ops/{OP}/convoys")
    assert 'dir="rtl"' in page.text and "القوافل" in page.text
    assert f'href="/ops/{OP}/convoys?lang=en"' in page.text
    english = client.get(f"/ops/{OP}/convoys?lang=en")
    assert 'dir="ltr"' in english.text and "Plan a convoy" in english.text
    # Remembered: the next page without ?lang= is in English.
    assert 'dir="ltr"' in client.get(f"/ops/{OP}/dashboard").text


def test_the_colours_chosen_beside_the_language_are_remembered(sqlite_system: Mamar) -> None:
    web = make_web(sqlite_system)
    client = web.client("coordinator")
    automatic = client.get(f"/ops/{OP}/convoys?lang=ar").text
    # The system's preference: the dark sheet for a dark one only; the three choices offered.
    assert re.search(
        r'href="/static/\w+/dark\.css" media="screen and \(prefers-color-scheme: dark\)"', automatic
    )
    assert "data-theme" not in automatic and "الألوان:" in automatic
    assert f'href="/ops/{OP}/convoys?lang=ar&amp;theme=dark">داكنة</a>' in automatic
    dark = client.get(f"/ops/{OP}/convoys?theme=dark")
    assert (
        re.search(r'href="/static/\w+/dark\.css" media="screen">', dark.text)
        and 'data-theme="dark"' in dark.text
    )
    # Remembered, like the language; a value that is no theme changes nothing.
    later = client.get(f"/ops/{OP}/dashboard?theme=%3Cb%3E").text
    assert 'data-theme="dark"' in later and "&lt;b&gt;" not in later.split("</header>")[0]
    light = client.get(f"/ops/{OP}/dashboard?theme=light").text
    assert "dark.css" not in light and 'data-theme="light"' in light
    assert 'data-theme="light"' in client.get(f"/ops/{OP}/incidents").text


def test_json_twins_equal_the_service_data(sqlite_system: Mamar) -> None:
    web = make_web(sqlite_system)
    client = web.client("negotiator")
    twin = client.get(f"/ops/{OP}/dashboard?format=json").json()
    viewer = sqlite_system.actor("negotiator")
    with sqlite_system.reading() as conn:
        expected = reads.overview(conn, viewer=viewer, operation=OP)
        convoys = reads.list_entities(conn, viewer=viewer, operation=OP, kind="convoy")
    for key in ("convoys_by_status", "guarantees", "evacuated", "incidents", "ceasefires"):
        assert twin[key] == expected[key]
    same = client.get(f"/ops/{OP}/dashboard", headers={"Accept": "application/json"}).json()
    assert same["evacuated"] == twin["evacuated"]
    assert client.get(f"/ops/{OP}/convoys?format=json").json()["items"] == convoys
    page = client.get(f"/ops/{OP}/dashboard?lang=en").text
    shown = re.search(r"<dt>Arrived</dt><dd>(.*?)</dd>", page)
    # The known lower bound, then what is not known (a convoy with no arrival count).
    assert shown is not None and shown.group(1).startswith(f"{twin['evacuated']['arrived']:,}")


def test_forbidden_pages_refuse(sqlite_system: Mamar) -> None:
    web = make_web(sqlite_system)
    anonymous = web.client()
    response = anonymous.get(f"/ops/{OP}/dashboard")
    assert response.status_code == 303 and response.headers["location"].startswith("/login")
    assert anonymous.get(f"/ops/{OP}/dashboard?format=json").status_code == 401
    for role in ("operations", "observer", "liaison", "negotiator", "monitor"):
        client = web.client(role)
        assert client.get(f"/ops/{OP}/people").status_code == 403, role
        assert client.get("/admin").status_code == 403, role
        assert "دورك لا يتيح" in client.get("/admin?lang=ar").text
    observer = web.client("observer")
    assert observer.get(f"/ops/{OP}/incidents/no-such").status_code == 404


def test_liaison_sees_only_shared_records_on_every_page(sqlite_system: Mamar) -> None:
    web = make_web(sqlite_system)
    liaison = viewer_of(sqlite_system.actor(ACCOUNTS["liaison"]))
    with sqlite_system.reading() as conn:
        states = states_as_of(conn, operation=OP, at_utc=None)
    # The Russian command's liaison sees what is shared and what its own organisation recorded.
    hidden = [s for s in states if not liaison.sees(s)]
    shared = [s for s in states if liaison.sees(s)]
    assert hidden and shared
    assert all(s.visibility == Visibility.SHARED or s.owner == "russian-command" for s in shared)
    client = web.client("liaison")
    for path in [*PAGES, *_detail_pages(sqlite_system, Role.LIAISON)]:
        sep = "&" if "?" in path else "?"
        twin = client.get(f"{path}{sep}format=json").text
        for key in ("bottom_line", "red_lines", "manifest", "vault_ref"):
            assert f'"{key}":"' not in twin and f'"{key}":["' not in twin, (path, key)
    listed = {
        item["id"]
        for kind in ("incidents", "convoys", "routes")
        for item in client.get(f"/ops/{OP}/{kind}?format=json").json()["items"]
    }
    assert listed <= {s.id for s in shared}
    for state in hidden:
        for prefix in ("incidents", "convoys", "routes", "escalations"):
            assert client.get(f"/ops/{OP}/{prefix}/{state.id}").status_code == 404
    timeline = client.get(f"/ops/{OP}/timeline?format=json").json()["items"]
    seen = {s.id for s in shared}
    assert timeline and {e["entity_id"] for e in timeline} <= seen


def test_static_files_are_long_cached_and_pages_gzipped(sqlite_system: Mamar) -> None:
    web = make_web(sqlite_system)
    client = web.client("coordinator")
    page = client.get(f"/ops/{OP}/dashboard", headers={"Accept-Encoding": "gzip"})
    assert page.headers.get("content-encoding") == "gzip"
    css = web.app.state.assets.url("app.css")
    response = client.get(css)
    assert response.status_code == 200
    assert "immutable" in response.headers["cache-control"]
    assert client.get(css.replace(css.split("/")[2], "000000000000")).status_code == 404


def test_an_unknown_perpetrator_and_a_translated_title_read_naturally(
    sqlite_system: Mamar,
) -> None:
    """The unknown alleged perpetrator agrees with «الجهة» (as on the dashboard); a title
    naming a translated text says from which language and by whom, not a bare «ترجمة»."""
    client = make_web(sqlite_system).client("coordinator")
    incident = client.get(f"/ops/{OP}/incidents/first-convoy-under-fire?lang=ar").text
    assert "<dt>الجهة المنسوب إليها الفعل</dt><dd>غير معروفة</dd>" in incident
    url = f"/ops/{OP}/guarantees/turkey-guarantees-renewed-agreement/outcome"
    title = client.get(f"{url}?lang=ar").text.split("<h1>", 1)[1].split("</h1>", 1)[0]
    assert title.endswith('<small class="translator">(ترجمة الجانب التركي عن الإنجليزية)</small>')
    original = client.get(f"{url}?lang=en").text.split("<h1>", 1)[1].split("</h1>", 1)[0]
    assert "translator" not in original  # written in English: no note
