"""Bad input: a clear 4xx naming the field, and the journal unchanged."""

from __future__ import annotations

from typing import Any

import pytest

from mamar.domain.visibility import Role
from mamar.journal import store
from mamar.system import Mamar
from tests.api_support import Api, created, make_api, post, record

PLAN = "/api/v1/convoy/plan"
INCIDENT = "/api/v1/incident/report"


def _incident(**changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "operation": "op",
        "event_type": "violence_against_civilians",
        "description": {"original": "Shots at the convoy", "language": "en"},
        "source": {"text": "team report", "kind": "own_team"},
        "point": {"lat": 36.2, "lon": 37.15},
    }
    body.update(changes)
    return body


def _convoy(**changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {"operation": "op", "name": {"en": "First batch"}}
    body.update(changes)
    return body


CASES: list[tuple[str, str, dict[str, Any] | bytes, int, str | None]] = [
    ("malformed json", PLAN, b'{"id": "x",', 400, "body"),
    ("not an object", PLAN, b"[1, 2]", 422, "body"),
    ("missing field", PLAN, {"operation": "op"}, 422, "name"),
    ("wrong type", PLAN, _convoy(counts={"planned": "many"}), 422, "counts.planned"),
    ("unknown field", PLAN, _convoy(colour="red"), 422, "colour"),
    ("bad id", PLAN, _convoy(id="Batch One!"), 422, "id"),
    ("a chosen id", PLAN, _convoy(id="batch-1"), 422, "id"),
    (
        "impossible date",
        PLAN,
        _convoy(occurred={"at": "2016-02-30T10:00+02:00"}),
        422,
        "occurred.at",
    ),
    ("no offset", PLAN, _convoy(occurred={"at": "2016-12-13T10:00"}), 422, "occurred.at"),
    (
        "unknown time zone",
        "/api/v1/operation/open",
        {"name": {"en": "Two"}, "timezone": "Mars/Olympus_Mons"},
        422,
        "timezone",
    ),
    (  # a folder of the time zone database, not a zone: once a server error
        "a region for a time zone",
        "/api/v1/operation/open",
        {"name": {"en": "Two"}, "timezone": "America"},
        422,
        "timezone",
    ),
    (  # longer than a file's name may be: once a server error
        "a time zone too long",
        "/api/v1/operation/open",
        {"name": {"en": "Two"}, "timezone": "Asia/" + "x" * 300},
        422,
        "timezone",
    ),
    (
        "latitude out of range",
        INCIDENT,
        _incident(point={"lat": 91.5, "lon": 37}),
        422,
        "point.lat",
    ),
    (
        "longitude out of range",
        INCIDENT,
        _incident(point={"lat": 36, "lon": 181}),
        422,
        "point.lon",
    ),
    ("bidi override in a name", PLAN, _convoy(name={"en": "Batch \u202eeno"}), 422, "name.en"),
    ("zero-width in a name", PLAN, _convoy(name={"ar": "الدفعة\u200bالأولى"}), 422, "name.ar"),
    ("reference to nothing", PLAN, _convoy(route="no-such-route"), 422, "route"),
    ("unknown operation", PLAN, _convoy(operation="nowhere"), 422, "operation"),
]


@pytest.fixture
def api(system: Mamar) -> Api:
    api = make_api(system)
    record(api, "/api/v1/operation/open", {"id": "op", "name": {"en": "Op"}, "timezone": "UTC"})
    return api


def _head(api: Api) -> tuple[int, bytes]:
    with api.system.reading() as conn:
        return store.head(conn)


@pytest.mark.parametrize(
    ("name", "path", "body", "status", "field"), CASES, ids=[c[0] for c in CASES]
)
def test_bad_input_is_refused_and_changes_nothing(
    api: Api, name: str, path: str, body: dict[str, Any] | bytes, status: int, field: str | None
) -> None:
    head = _head(api)
    headers = {**api.headers(Role.COORDINATOR), "Content-Type": "application/json"}
    if isinstance(body, bytes):
        response = api.client.post(path, content=body, headers=headers)
    else:
        response = api.client.post(path, json=body, headers=headers)
    assert response.status_code == status, response.text
    error = response.json()["error"]
    assert error["field"] == field, error
    assert error["message"]
    assert _head(api) == head


def test_oversized_body_is_413_and_changes_nothing(api: Api) -> None:
    head = _head(api)
    big = _convoy(batch_of="x" * 300_000)
    response = api.client.post(PLAN, json=big, headers=api.headers(Role.COORDINATOR))
    assert response.status_code == 413
    assert response.json()["error"] == {
        "code": "body_too_large",
        "message": "the request body is larger than 262144 bytes",
        "field": "body",
    }
    assert _head(api) == head


def test_wrong_content_type_is_415(api: Api) -> None:
    head = _head(api)
    response = api.client.post(
        PLAN,
        content=b"id=batch-1",
        headers={
            **api.headers(Role.COORDINATOR),
            "Content-Type": "application/x-www-form-urlencoded",
        },
    )
    assert response.status_code == 415
    assert response.json()["error"]["code"] == "unsupported_media_type"
    assert _head(api) == head


def test_arabic_messages_by_accept_language(api: Api) -> None:
    response = api.client.post(
        PLAN,
        json={"operation": "op"},
        headers=api.headers(Role.COORDINATOR, lang="ar-SY,en;q=0.5"),
    )
    assert response.json()["error"] == {
        "code": "invalid_input",
        "message": "هذا الحقل مطلوب",
        "field": "name",
    }
    missing = api.client.get(
        "/api/v1/convoy/nothing", headers=api.headers(Role.COORDINATOR, lang="ar")
    )
    assert missing.status_code == 404
    assert missing.json()["error"]["message"] == "لا يوجد هذا السجل (قافلة)"
    english = api.client.get(
        "/api/v1/convoy/nothing", headers=api.headers(Role.COORDINATOR, lang="fr, en;q=0.2")
    )
    # One mechanism: English is the catalogue's sentence too, never the domain's with its ids.
    assert english.json()["error"]["message"] == "There is no such record (convoy)"


def test_sql_and_html_looking_text_is_stored_verbatim(api: Api) -> None:
    tricky = "Robert'); DROP TABLE journal;-- <script>alert(1)</script>"
    receipt = post(api, PLAN, _convoy(batch_of=tricky, name={"en": "<b>First</b> & 'batch'"}))
    convoy = created(receipt)
    data = api.client.get(f"/api/v1/convoy/{convoy}", headers=api.headers(Role.COORDINATOR))
    assert data.headers["content-type"] == "application/json"
    assert data.json()["batch_of"]["original"] == tricky
    assert data.json()["name"]["en"] == "<b>First</b> & 'batch'"
    assert api.journal_size() == len(Role) + 2  # accounts, the operation, the convoy


def test_bad_query_values_name_the_field(api: Api) -> None:
    headers = api.headers(Role.COORDINATOR)
    for query, field in (
        ("at=2016-02-30T10:00%2B02:00", "at"),
        ("at=2016-12-13T10:00", "at"),
        ("limit=0", "limit"),
        ("limit=abc", "limit"),
    ):
        response = api.client.get(f"/api/v1/operations/op/convoy?{query}", headers=headers)
        assert response.status_code == 422, query
        assert response.json()["error"]["field"] == field, query


@pytest.mark.parametrize(
    ("body", "field", "lang", "says"),
    [
        (_convoy(name={"ar": "First batch"}), "name.ar", "en", "Latin script"),
        (_convoy(name={"en": "الدفعة الأولى"}), "name.en", "ar", "العربية"),
        (
            _incident(description={"original": "إطلاق نار على القافلة", "language": "en"}),
            "description",
            "en",
            "Arabic script",
        ),
    ],
    ids=["latin as arabic", "arabic as english", "a text's language"],
)
def test_words_in_the_wrong_script_have_a_code_of_their_own(
    api: Api, body: dict[str, Any], field: str, lang: str, says: str
) -> None:
    """Not the generic ``invalid_input``: a client can act on it (ask which language)."""
    head = _head(api)
    path = INCIDENT if "description" in body else PLAN
    response = api.client.post(path, json=body, headers=api.headers(Role.COORDINATOR, lang=lang))
    assert response.status_code == 422, response.text
    error = response.json()["error"]
    assert error["code"] == "text_script_mismatch", error
    assert error["field"] == field and says in error["message"], error
    assert _head(api) == head
