"""Route exposure over the API, on the aleppo-2016 ground: the refused route runs far longer
through hostile control than the Ramouseh road."""

from __future__ import annotations

from mamar.accounts.tokens import Scope, create_token
from mamar.scenarios import runner
from mamar.system import Mamar
from tests.api_support import make_api

PATH = "/api/v1/route/exit-route/exposure"
AT = "2016-12-14T18:00:00+02:00"


def test_route_versions_compared_side_by_side(sqlite_system: Mamar) -> None:
    runner.run(sqlite_system, runner.load("aleppo-2016"))
    api = make_api(sqlite_system)
    with sqlite_system.writing() as conn:
        token = create_token(conn, "negotiator", scope=Scope.READ)[1]
        liaison = create_token(conn, "liaison-ru", scope=Scope.READ)[1]
    headers = {"Authorization": f"Bearer {token}", "Accept-Language": "en"}
    response = api.client.get(PATH, params={"at": AT, "version": [1, 2]}, headers=headers)
    assert response.status_code == 200, response.text
    v1, v2 = response.json()["versions"]
    assert (v1["version"], v2["version"]) == (1, 2)

    def held_by_government(version: dict[str, object]) -> float:
        rows = version["by_party"]
        assert isinstance(rows, list)
        return sum(p["length_m"] for p in rows if p["party"] == "government-forces")

    assert held_by_government(v2) > 1.5 * held_by_government(v1) > 0
    assert v2["hostile_m"] > v1["hostile_m"]
    assert any("Syrian government forces" in s for s in v2["statements"])
    arabic = api.client.get(
        PATH, params={"at": AT, "version": 2}, headers={**headers, "Accept-Language": "ar"}
    )
    assert any(
        "كم" in s and "قوات الحكومة السورية" in s
        for s in arabic.json()["versions"][0]["statements"]
    )
    # The route is shared: the other side's liaison may see its exposure too.
    seen = api.client.get(PATH, params={"at": AT}, headers={"Authorization": f"Bearer {liaison}"})
    assert seen.status_code == 200 and len(seen.json()["versions"]) == 3


def test_unknown_route_or_version_is_a_clear_refusal(sqlite_system: Mamar) -> None:
    runner.run(sqlite_system, runner.load("aleppo-2016"))
    api = make_api(sqlite_system)
    with sqlite_system.writing() as conn:
        token = create_token(conn, "negotiator", scope=Scope.READ)[1]
    headers = {"Authorization": f"Bearer {token}"}
    missing = api.client.get("/api/v1/route/no-such-route/exposure", headers=headers)
    assert missing.status_code == 404
    bad = api.client.get(PATH, params={"version": 9}, headers=headers)
    assert 400 <= bad.status_code < 500 and bad.json()["error"]["field"] == "version"
    naive = api.client.get(PATH, params={"at": "2016-12-14T18:00:00"}, headers=headers)
    assert naive.status_code == 422
