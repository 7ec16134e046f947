"""Adversarial: bad times and malformed input are refused with a 4xx naming the field, never a 500.

Times of events are bounded (not before 1900, not more than a day after now, unless
the operation says otherwise), so a typo cannot stretch the map's slider to 9999.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from mamar.domain.time import now_utc
from mamar.domain.visibility import Role
from mamar.system import Mamar
from tests.api_support import Api, make_api, post, record

EDGES = ["0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-14:00"]


@pytest.fixture
def api(sqlite_system: Mamar) -> Api:
    api = make_api(sqlite_system)
    record(api, "/api/v1/operation/open", {"id": "op", "name": {"en": "Op"}, "timezone": "UTC"})
    record(api, "/api/v1/convoy/plan", {"id": "b1", "operation": "op", "name": {"en": "B"}})
    record(
        api,
        "/api/v1/route/propose",
        {
            "id": "r1",
            "operation": "op",
            "name": {"en": "R"},
            "waypoints": [{"lat": 36.2, "lon": 37.1}, {"lat": 36.3, "lon": 37.2}],
        },
    )
    return api


def _plan(at: str) -> dict[str, Any]:
    return {"operation": "op", "name": {"en": "B"}, "occurred": {"at": at}}


def _refused(api: Api, body: dict[str, Any], field: str, lang: str = "en") -> dict[str, Any]:
    before = api.journal_size()
    response = api.client.post(
        "/api/v1/convoy/plan", json=body, headers=api.headers(Role.COORDINATOR, lang=lang)
    )
    assert response.status_code == 422, response.text
    error: dict[str, Any] = response.json()["error"]
    assert error["field"] == field
    assert api.journal_size() == before
    return error


@pytest.mark.parametrize("at", EDGES)
def test_occurred_at_beyond_the_calendar_in_utc_is_refused(api: Api, at: str) -> None:
    error = _refused(api, _plan(at), "occurred.at", lang="ar")
    assert "خارج التقويم" in error["message"]


def test_a_time_before_1900_is_refused(api: Api) -> None:
    error = _refused(api, _plan("1899-12-31T23:00+00:00"), "occurred.at", lang="ar")
    assert error["code"] == "time_too_early"
    assert any("\u0600" <= ch <= "\u06ff" for ch in error["message"])


def test_a_time_more_than_a_day_ahead_is_refused(api: Api) -> None:
    ahead = (now_utc() + timedelta(hours=25)).isoformat()
    assert _refused(api, _plan(ahead), "occurred.at")["code"] == "time_too_late"
    post(api, "/api/v1/convoy/plan", _plan((now_utc() + timedelta(hours=23)).isoformat()))


def test_an_operation_sets_its_own_bounds(api: Api) -> None:
    post(
        api,
        "/api/v1/operation/op/set_time_bounds",
        {"time_bounds": {"not_before": "2011-03-15T00:00+02:00", "ahead_hours": 72}},
    )
    assert _refused(api, _plan("2010-01-01T00:00+02:00"), "occurred.at")["code"] == (
        "time_too_early"
    )
    post(api, "/api/v1/convoy/plan", _plan((now_utc() + timedelta(hours=48)).isoformat()))


def test_an_operation_opened_with_bounds_keeps_them(api: Api) -> None:
    record(
        api,
        "/api/v1/operation/open",
        {
            "id": "op2",
            "name": {"en": "Two"},
            "timezone": "UTC",
            "time_bounds": {"not_before": "2016-01-01T00:00+00:00"},
        },
    )
    body = {**_plan("2015-06-01T00:00+00:00"), "operation": "op2"}
    assert _refused(api, body, "occurred.at")["code"] == "time_too_early"


READS = [
    ("/api/v1/convoy/b1", "at"),
    ("/api/v1/operations/op/convoy", "at"),
    ("/api/v1/operations/op/status", "at"),
    ("/api/v1/timeline", "since"),
    ("/api/v1/timeline", "until"),
    ("/api/v1/route/r1/exposure", "at"),
]


@pytest.mark.parametrize("at", EDGES)
@pytest.mark.parametrize(("path", "param"), READS)
def test_reads_refuse_times_beyond_the_calendar(api: Api, path: str, param: str, at: str) -> None:
    response = api.client.get(
        path, params={param: at}, headers=api.headers(Role.COORDINATOR, lang="ar")
    )
    assert response.status_code == 422, response.text
    error = response.json()["error"]
    assert error["field"] == param
    assert "خارج" in error["message"]


def test_a_lone_surrogate_in_json_is_refused(api: Api) -> None:
    before = api.journal_size()
    response = api.client.post(
        "/api/v1/convoy/plan",
        content=b'{"operation": "op", "name": {"en": "x"}, '
        b'"occurred": {"at": "2016-12-15T12:00+02:00", "phrase": "\\ud800"}}',
        headers={**api.headers(Role.COORDINATOR), "Content-Type": "application/json"},
    )
    assert response.status_code == 422, response.text
    assert response.json()["error"]["field"] == "occurred.phrase"
    assert api.journal_size() == before
