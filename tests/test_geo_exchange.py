"""GeoJSON and CSV round trips of places and of control areas (with their history)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import orjson
import pytest

from mamar.access.viewer import viewer_of
from mamar.control.commands import EndControlArea, RecordFrontLine, TransferControlArea
from mamar.domain.errors import DomainError
from mamar.geodata import exchange
from mamar.geodata.service import GeoView
from mamar.services.commands import SYSTEM, execute
from mamar.system import Mamar
from tests.conftest import make_system
from tests.geo_builders import aleppo_control, register_parties, register_places
from tests.helpers import open_operation


def _view(system: Mamar) -> GeoView:
    with system.reading() as conn:
        return GeoView.load(conn, viewer_of(SYSTEM))


def _facts(states: list[Any]) -> list[dict[str, Any]]:
    drop = {"created_at", "updated_at"}
    return sorted(
        ({k: v for k, v in s.model_dump(mode="json").items() if k not in drop} for s in states),
        key=lambda d: d["id"],
    )


def _load(system: Mamar, cmds: list[Any]) -> None:
    with system.writing() as conn:
        for cmd in cmds:
            execute(conn, cmd, actor=SYSTEM)


@pytest.fixture
def ground(system: Mamar) -> Mamar:
    open_operation(system)
    register_parties(system)
    register_places(system)
    aleppo_control(system)
    t = datetime.fromisoformat
    system.execute(
        TransferControlArea(
            id="jisr-east",
            party="militias",
            at=t("2016-12-14T02:00+02:00"),
            source="report",
            confidence="low",
        ),
        actor=SYSTEM,
    )
    system.execute(EndControlArea(id="jisr-east", at=t("2016-12-20T00:00+02:00")), actor=SYSTEM)
    system.execute(
        RecordFrontLine(
            id="front",
            operation="op",
            name={"ar": "خط الجبهة", "en": "Front"},
            line={"type": "LineString", "coordinates": [[37.128, 36.196], [37.158, 36.196]]},
            parties=("factions", "government"),
            valid_from=t("2016-12-13T18:00+02:00"),
            valid_to=t("2016-12-16T18:00+02:00"),
            source="account",
            confidence="low",
        ),
        actor=SYSTEM,
    )
    return system


@pytest.mark.parametrize("fmt", ["geojson", "csv"])
def test_round_trip(ground: Mamar, fmt: str, tmp_path) -> None:  # type: ignore[no-untyped-def]
    view = _view(ground)
    if fmt == "geojson":
        places_text = orjson.dumps(exchange.places_to_geojson(view.places)).decode()
        control_text = orjson.dumps(exchange.control_to_geojson(view.areas, view.fronts)).decode()
        place_cmds = exchange.places_from_geojson(orjson.loads(places_text), "op")
        control_cmds = exchange.control_from_geojson(orjson.loads(control_text), "op")
    else:
        places_text = exchange.places_to_csv(view.places)
        control_text = exchange.control_to_csv(view.areas, view.fronts)
        place_cmds = exchange.places_from_csv(places_text, "op")
        control_cmds = exchange.control_from_csv(control_text, "op")
    fresh = make_system(f"sqlite:///{tmp_path / 'copy.db'}")
    try:
        open_operation(fresh)
        register_parties(fresh)
        _load(fresh, [*place_cmds, *control_cmds])
        copy = _view(fresh)
        assert _facts(copy.places) == _facts(view.places)
        assert _facts(copy.areas) == _facts(view.areas)
        assert _facts(copy.fronts) == _facts(view.fronts)
    finally:
        fresh.dispose()


def test_exported_places_say_which_are_approximate(ground: Mamar) -> None:
    data = exchange.places_to_geojson(_view(ground).places)
    by_id = {f["id"]: f for f in data["features"]}
    assert by_id["ramouseh"]["properties"]["precision"] == "approximate"
    assert by_id["kafr-hamra"]["properties"]["precision"] == "exact"
    assert by_id["ramouseh"]["geometry"] == {"type": "Point", "coordinates": [37.145, 36.158]}
    assert "Ramousa" in by_id["ramouseh"]["properties"]["aliases"]


def test_bad_import_names_the_line_and_changes_nothing(ground: Mamar) -> None:
    text = (
        "id,name_en,kind,lat,lon\nok-place,Fine,village,36.1,37.1\nbad-place,Bad,village,123,37.1\n"
    )
    with pytest.raises(DomainError, match=r"line 3: point\.lat"):
        exchange.places_from_csv(text, "op")
    with pytest.raises(DomainError, match="feature 1"):
        exchange.control_from_geojson(
            {
                "features": [
                    {
                        "properties": {"id": "x", "party": "factions"},
                        "geometry": {"type": "Polygon"},
                    }
                ]
            },
            "op",
        )
