"""The geography CLI on the Aleppo ground: search, import/export, route assess and compare."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest
from typer.testing import CliRunner

from mamar.accounts.model import CreateAccount
from mamar.cli.main import app
from mamar.routes.commands import ProposeRoute, ReviseRoute
from mamar.services.commands import SYSTEM
from mamar.system import Mamar
from tests.arabic_text import LATIN_WORD
from tests.conftest import make_system
from tests.geo_builders import GAZETTEER, aleppo_control, register_parties, register_places
from tests.geo_osm import helsinki_pbf
from tests.helpers import account_in, at, open_operation

runner = CliRunner()
POINTS = {pid: (lon, lat) for pid, _, _, _, _, lat, lon, _ in GAZETTEER}


def _waypoints(*places: str) -> tuple[dict[str, object], ...]:
    return tuple({"place": p, "lat": POINTS[p][1], "lon": POINTS[p][0]} for p in places)


@pytest.fixture
def aleppo(sqlite_url: str) -> str:
    system = make_system(sqlite_url)
    open_operation(system)
    register_parties(system)
    register_places(system)
    aleppo_control(system)
    system.execute(
        ProposeRoute(
            id="exit",
            operation="op",
            name={"en": "Exit"},
            waypoints=_waypoints("amiriyah", "ramouseh", "ramouseh-roundabout", "rashidin"),
        ),
        actor=SYSTEM,
        occurred=at("2016-12-14T10:00+02:00"),
    )
    system.execute(
        ReviseRoute(
            id="exit",
            waypoints=_waypoints("amiriyah", "jisr-al-hajj", "layramoun", "kafr-hamra"),
            note="after sunset: Jisr al-Hajj road to Layramoun and Kafr Hamra",
        ),
        actor=SYSTEM,
        occurred=at("2016-12-14T17:30+02:00"),
    )
    system.execute(
        CreateAccount(
            id="negotiator", display_name="Negotiator", role="negotiator", party="factions"
        ),
        actor=SYSTEM,
    )
    account_in(system, "liaison", "liaison", "government-liaisons", party="government")
    system.dispose()
    return sqlite_url


def _run(*args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output + repr(result.exception)
    return result.output


def test_layramoun_route_runs_far_longer_in_hostile_control(aleppo: str) -> None:
    out = _run(
        "route",
        "compare",
        "exit@1",
        "exit@2",
        "--at",
        "2016-12-14T18:00+02:00",
        "--as",
        "negotiator",
        "--json",
        "-d",
        aleppo,
    )
    data = orjson.loads(out)
    ramouseh, layramoun = data["routes"]
    assert ramouseh["hostile_m"] < 100
    assert layramoun["hostile_m"] > 4000
    assert data["best"].endswith("version 1")
    assert any(
        "through areas controlled by Government forces" in s for s in layramoun["statements"]
    )


def test_compare_says_what_its_mark_means(aleppo: str) -> None:
    said = {}
    for lang in ("ar", "en"):
        out = _run(
            "route", "compare", "exit@1", "exit@2", "--at", "2016-12-14T18:00+02:00",
            "--as", "negotiator", "--lang", lang, "-d", aleppo,
        )  # fmt: skip
        assert out.count("✓") == 2, out  # the route's mark, and the legend's
        said[lang] = " ".join(out.split())
    assert "تدل العلامة ✓ على الطريق الأقل تعرضاً للخطر" in said["ar"], said["ar"]
    legend = said["ar"].split("تدل العلامة")[1]
    assert LATIN_WORD.findall(legend) == [], legend
    assert "✓ marks the least exposed route" in said["en"], said["en"]


def test_assess_in_arabic_and_english(aleppo: str) -> None:
    en = _run(
        "route",
        "assess",
        "exit",
        "--at",
        "2016-12-14T18:00+02:00",
        "--as",
        "negotiator",
        "-d",
        aleppo,
    )
    assert "km through areas controlled by Government forces" in en
    ar = _run(
        "route",
        "assess",
        "exit",
        "--version",
        "2",
        "--lang",
        "ar",
        "--at",
        "2016-12-14T18:00+02:00",
        "--as",
        "negotiator",
        "-d",
        aleppo,
    )
    assert "كم عبر مناطق خاضعة لسيطرة" in ar
    data = orjson.loads(
        _run(
            "route",
            "assess",
            "exit",
            "--version",
            "1",
            "--json",
            "--hostile",
            "government",
            "-d",
            aleppo,
        )
    )
    assert data["version"] == 1 and data["hostile_m"] < 100


def test_liaison_does_not_see_internal_control(aleppo: str) -> None:
    # The control areas are internal: a liaison assesses against no recorded control.
    data = orjson.loads(_run("route", "assess", "exit", "--json", "--as", "liaison", "-d", aleppo))
    assert data["by_party"] == []
    out = orjson.loads(_run("control", "export", "--as", "liaison", "-d", aleppo))
    assert out["features"] == []


def test_places_search_and_round_trip(aleppo: str, tmp_path: Path) -> None:
    hits = orjson.loads(_run("places", "search", "Ramousa", "--json", "-d", aleppo))
    assert hits[0]["place"] == "ramouseh" and hits[0]["match"] == "exact"
    assert "ramouseh" in _run("places", "search", "الراموسه", "-d", aleppo)
    geojson = tmp_path / "places.geojson"
    csv_file = tmp_path / "control.csv"
    _run("places", "export", "-o", str(geojson), "-d", aleppo)
    _run("control", "export", "-o", str(csv_file), "-d", aleppo)
    copy = make_system(f"sqlite:///{tmp_path / 'copy.db'}")
    open_operation(copy)
    register_parties(copy)
    copy_url = str(copy.engine.url)
    copy.dispose()
    assert "registered 15 places" in _run(
        "places", "import", str(geojson), "--operation", "op", "-d", copy_url
    )
    assert "recorded 3" in _run(
        "control", "import", str(csv_file), "--operation", "op", "-d", copy_url
    )
    assert "Government forces" in _run(
        "control", "who", "layramoun", "--at", "2016-12-14T18:00+02:00", "-d", copy_url
    )
    layer = orjson.loads(
        _run("control", "export", "--at", "2016-12-01T00:00+02:00", "-d", copy_url)
    )
    assert layer["features"] == []


def test_refusals_are_clear(aleppo: str) -> None:
    result = runner.invoke(app, ["route", "assess", "exit", "--version", "9", "-d", aleppo])
    assert result.exit_code != 0
    assert "no version 9" in str(result.exception)
    result = runner.invoke(
        app, ["route", "assess", "exit", "--at", "2016-12-14 18:00", "-d", aleppo]
    )
    assert "UTC offset" in str(result.exception)


def test_import_osm_and_plan(tmp_path: Path, sqlite_url: str) -> None:
    pbf = helsinki_pbf(tmp_path)
    system: Mamar = make_system(sqlite_url)
    open_operation(system)
    system.dispose()
    out = _run("import-osm", str(pbf), "--name", "helsinki", "-d", sqlite_url)
    assert "road graph 'helsinki'" in out
    options = orjson.loads(
        _run(
            "route", "plan", "24.937,60.165", "24.952,60.177", "-k", "2", "--json", "-d", sqlite_url
        )
    )
    assert options[0]["option"] == "shortest"
    assert options[0]["length_m"] > 1000
    assert len(options[0]["coordinates"]) > 10
