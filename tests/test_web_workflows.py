"""Workflow forms: each posts, redirects and records its event; bad input changes nothing."""

from __future__ import annotations

from typing import Any

from mamar.services import queries
from mamar.system import Mamar
from tests.web_support import OP, Web, csrf, make_web


def _types_after(web: Web, before: int) -> list[str]:
    with web.system.reading() as conn:
        return [
            e.type
            for e in queries.timeline(conn, viewer=web.system.actor("admin"), order="recorded")
            if e.position > before
        ]


def _head(web: Web) -> int:
    with web.system.reading() as conn:
        entries = list(queries.timeline(conn, viewer=web.system.actor("admin"), order="recorded"))
    return entries[-1].position if entries else 0


def _post(web: Web, role: str, path: str, form: dict[str, Any], lang: str = "en") -> Any:
    client = web.client(role)
    sep = "&" if "?" in path else "?"
    return client.post(f"{path}{sep}lang={lang}", data={"csrf": csrf(client), **form})


def _records(web: Web, role: str, path: str, form: dict[str, Any], event: str) -> str:
    """Posts the form, checks the redirect and that exactly the expected event was recorded."""
    head, size = _head(web), web.journal_size()
    response = _post(web, role, path, form)
    assert response.status_code == 303, response.text[:2000]
    assert event in _types_after(web, head), _types_after(web, head)
    assert web.journal_size() > size
    return str(response.headers["location"])


def _refused(web: Web, role: str, path: str, form: dict[str, Any], field: str) -> None:
    """Bad input: 422 in both languages, the message by its field, nothing recorded."""
    size = web.journal_size()
    for lang in ("ar", "en"):
        response = _post(web, role, path, form, lang)
        assert response.status_code == 422, response.text[:2000]
        assert f'id="{field.replace(".", "-")}-error"' in response.text, response.text[-3000:]
        assert f'lang="{lang}"' in response.text
    assert web.journal_size() == size


def test_log_a_contact_through_an_intermediary(system: Mamar) -> None:
    web = make_web(system)
    page = web.client("negotiator").get(f"/ops/{OP}/contacts/log?lang=ar")
    assert page.status_code == 200 and 'name="via"' in page.text
    form = {
        "id": "call-through-sarc",
        "direction": "outbound",
        "medium": "phone",
        "source": "party:aleppo-factions",
        "target": "party:russian-military",
        "via": ["person:sarc-official", "party:turkey"],
        "summary": "طلبنا وقف إطلاق النار لإخراج الجرحى",
        "summary.translation": "We asked for a ceasefire to evacuate the wounded",
        "offers": "هدنة لمدة ست ساعات\nتسليم الأسرى",
    }
    location = _records(web, "negotiator", f"/ops/{OP}/contacts/log", form, "contact.logged")
    assert location == f"/ops/{OP}/contacts"
    with system.reading() as conn:
        state = queries.get_entity(
            conn, viewer=system.actor("negotiator"), kind="contact", entity_id="call-through-sarc"
        )
    assert [w["id"] for w in state["via"]] == ["sarc-official", "turkey"]
    assert state["summary"]["translation"].startswith("We asked")
    assert len(state["offers"]) == 2
    _refused(web, "negotiator", f"/ops/{OP}/contacts/log", {**form, "id": "Bad Id"}, "id")
    _refused(
        web, "negotiator", f"/ops/{OP}/contacts/log", {**form, "id": "x2", "target": "party:nobody"}, "target"
    )
