"""Adversarial: malformed query parameters on pages give a 4xx naming the parameter, never a 500."""

from __future__ import annotations

import pytest

from mamar.system import Mamar
from tests.web_support import OP, Web, make_web

CASES = [
    (f"/ops/{OP}/agreements/evacuation-agreement?a=x&b=1", "a"),
    (f"/ops/{OP}/agreements/evacuation-agreement?a=1&b=%D9%A1", "b"),
    (f"/ops/{OP}/agreements/evacuation-agreement?a=1&b=99999999999999999999999", "b"),
    (f"/ops/{OP}/map?at=0001-01-01T00:00:00%2B14:00", "at"),
    (f"/ops/{OP}/map?at=9999-12-31T23:59:59-14:00", "at"),
    (f"/ops/{OP}/map?t=99999999999999999999", "at"),
]


#: What each query parameter is, in Arabic words.
WORDS = {"at": "اللحظة", "a": "الصيغة الأولى", "b": "الصيغة الثانية"}


@pytest.fixture(scope="module")
def web(tmp_path_factory: pytest.TempPathFactory) -> Web:
    from tests.conftest import make_system

    system: Mamar = make_system(f"sqlite:///{tmp_path_factory.mktemp('pages') / 'm.db'}")
    return make_web(system)


@pytest.mark.parametrize(("path", "field"), CASES)
def test_malformed_query_parameters_name_the_parameter(web: Web, path: str, field: str) -> None:
    client = web.client("coordinator")
    page = client.get(path + "&lang=ar")
    assert page.status_code == 400
    # The parameter is named in words (``?at=`` is "the moment"), never by its name.
    assert f"«{WORDS[field]}»" in page.text and f"«{field}»" not in page.text
    twin = client.get(path + "&format=json&lang=en")
    assert twin.status_code == 400
    assert twin.json()["error"]["field"] == field


@pytest.mark.parametrize("at", ["0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-14:00"])
@pytest.mark.parametrize("layer", ["", "/control", "/incidents"])
def test_map_layers_refuse_times_beyond_the_calendar(web: Web, layer: str, at: str) -> None:
    client = web.client("coordinator")
    response = client.get(
        f"/api/v1/operations/{OP}/map{layer}", params={"at": at}, headers={"Accept-Language": "ar"}
    )
    assert response.status_code == 422, response.text
    assert response.json()["error"]["field"] == "at"
