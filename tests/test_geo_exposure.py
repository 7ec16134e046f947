"""Exposure numbers on hand-made polygons, wording, comparison, and the local projection."""

from __future__ import annotations

import math
import time
from datetime import datetime, timedelta

import numpy as np
import pytest
from shapely.geometry import LineString, box

from mamar.geo.exposure import Incident, IncidentIndex, route_exposure
from mamar.geo.projection import LocalPlane, radii, segment_lengths
from mamar.geo.territory import ControlIndex, ControlRecord, FrontRecord
from mamar.geo.wording import compare, risk_statements

T = datetime.fromisoformat("2016-12-14T18:00+02:00")
EARLIER = datetime.fromisoformat("2016-12-01T00:00+02:00")
LAT = 36.2
# One degree of longitude at 36.2°N on WGS84, in metres (N·cos φ·π/180).
_N = 6378137.0 / math.sqrt(1 - 6.69437999014e-3 * math.sin(math.radians(LAT)) ** 2)
M_PER_DEG_LON = _N * math.cos(math.radians(LAT)) * math.pi / 180


def _record(area: str, party: str, lon0: float, lon1: float, **kw) -> ControlRecord:  # type: ignore[no-untyped-def]
    return ControlRecord(
        area=area,
        party=party,
        geometry=box(lon0, LAT - 0.05, lon1, LAT + 0.05),
        valid_from=EARLIER,
        **kw,
    )


def test_lengths_per_party_along_an_east_west_route() -> None:
    route = LineString([(37.00, LAT), (37.10, LAT)])
    areas = [
        _record("a", "government", 37.02, 37.05),
        _record("b", "government", 37.05, 37.06),  # adjoins a: one stretch
        _record("c", "factions", 37.08, 37.09),
        _record("old", "militias", 37.00, 37.10, valid_to=T - timedelta(hours=1)),
    ]
    e = route_exposure(route, T, areas=areas, hostile={"government"}, speed_kmh=30)
    total = 0.1 * M_PER_DEG_LON
    assert e.length_m == pytest.approx(total, rel=1e-4)
    gov = e.party("government")
    assert gov is not None and gov.length_m == pytest.approx(0.04 * M_PER_DEG_LON, rel=1e-3)
    assert len(gov.stretches) == 1
    assert gov.stretches[0].start_m == pytest.approx(0.02 * M_PER_DEG_LON, rel=1e-3)
    assert gov.duration_s == pytest.approx(gov.length_m / (30 / 3.6))
    assert e.party("factions").length_m == pytest.approx(0.01 * M_PER_DEG_LON, rel=1e-3)  # type: ignore[union-attr]
    assert e.party("militias") is None  # its control ended before T
    assert e.hostile_m == pytest.approx(gov.length_m)
    assert e.uncontrolled_m == pytest.approx(0.05 * M_PER_DEG_LON, rel=1e-3)
    assert e.duration_s == pytest.approx(total / (30 / 3.6), rel=1e-6)


def test_front_line_distances() -> None:
    route = LineString([(37.00, LAT), (37.10, LAT)])
    # A front parallel to the route, 0.01° of latitude north of it.
    front = FrontRecord(
        id="f", geometry=LineString([(36.9, LAT + 0.01), (37.2, LAT + 0.01)]), valid_from=EARLIER
    )
    e = route_exposure(route, T, fronts=[front])
    north = radii(LAT + 0.005)[0] * math.radians(0.01)
    assert e.front_min_m == pytest.approx(north, rel=1e-3)
    assert e.front_mean_m == pytest.approx(north, rel=1e-3)
    assert e.front_closest_along_m is not None
    gone = route_exposure(route, EARLIER - timedelta(days=1), fronts=[front])
    assert gone.front_min_m is None


def test_incidents_within_buffer_and_time_window() -> None:
    route = LineString([(37.00, LAT), (37.10, LAT)])
    near = 200 / 111_000  # about 200 m north
    far = 2000 / 111_000
    incidents = [
        Incident("recent-near", 37.05, LAT + near, T - timedelta(hours=2)),
        Incident("old-near", 37.05, LAT + near, T - timedelta(hours=30)),
        Incident("recent-far", 37.05, LAT + far, T - timedelta(hours=1)),
        Incident("future", 37.02, LAT, T + timedelta(hours=1)),
        Incident("recent-on-route", 37.02, LAT, T - timedelta(minutes=5)),
    ]
    e = route_exposure(route, T, incidents=incidents, buffer_m=500, hours=24)
    assert [i.id for i in e.incidents] == ["recent-on-route", "recent-near"]
    assert e.incidents[1].distance_m == pytest.approx(200, rel=0.02)
    assert e.incidents[0].along_m == pytest.approx(0.02 * M_PER_DEG_LON, rel=1e-3)


def test_statements_in_both_languages_and_comparison() -> None:
    route = LineString([(37.00, LAT), (37.10, LAT)])
    areas = [_record("a", "government", 37.02, 37.06), _record("b", "government", 37.07, 37.08)]
    e = route_exposure(route, T, areas=areas, hostile={"government"})
    names_en = {"government": "Government forces"}
    en = risk_statements(e, "en", names_en)
    assert en[0].startswith("4.5 km through areas controlled by Government forces")
    assert "longest continuous stretch 3.6 km, from km 1.8 to km 5.4" in en[0]
    ar = risk_statements(e, "ar", {"government": "القوات الحكومية"})
    assert ar[0].startswith("4.5 كم عبر مناطق خاضعة لسيطرة القوات الحكومية")
    safe = route_exposure(
        LineString([(37.00, LAT + 0.2), (37.05, LAT + 0.2)]), T, areas=areas, hostile={"government"}
    )
    table = compare([("through", e), ("around", safe)], "en", names_en)
    assert table.best == "around"
    rows = dict(table.rows)
    assert rows["in hostile control"] == ("4.5 km", "0 m")
    assert rows["length"] == ("9.0 km", "4.5 km")


def test_local_plane_matches_geodesic_distances() -> None:
    # Reference geodesic distances (WGS84, Karney) between Aleppo points.
    plane = LocalPlane(37.14, 36.19)
    pairs = [
        ((37.145, 36.158), (37.083, 36.250), 11632.008),
        ((37.0, 36.0), (37.3, 36.4), 51942.108),
    ]
    for (lon0, lat0), (lon1, lat1), expected in pairs:
        x, y = plane.forward(np.array([lon0, lon1]), np.array([lat0, lat1]))
        assert math.hypot(x[1] - x[0], y[1] - y[0]) == pytest.approx(expected, rel=1e-4)
    assert segment_lengths(np.array([37.0, 37.001]), np.array([36.0, 36.0007]))[0] == pytest.approx(
        119.0053, rel=1e-6
    )
    lon, lat = plane.inverse(*plane.forward(np.array([37.3]), np.array([36.5])))
    assert (lon[0], lat[0]) == pytest.approx((37.3, 36.5))


def test_exposure_at_scale_uses_the_indexes() -> None:
    rng = np.random.default_rng(7)
    records = []
    for i in range(100):
        for j in range(100):
            lon, lat = 37.0 + i * 0.003, 36.1 + j * 0.003
            records.append(
                ControlRecord(
                    area=f"c{i}-{j}",
                    party=f"p{(i * 7 + j) % 5}",
                    geometry=box(lon, lat, lon + 0.003, lat + 0.003),
                    valid_from=EARLIER,
                )
            )
    index = ControlIndex(records)
    n = 100_000
    times = T.timestamp() - rng.uniform(0, 72 * 3600, n)
    incidents = IncidentIndex.from_arrays(
        [f"i{k}" for k in range(n)], rng.uniform(37.0, 37.3, n), rng.uniform(36.1, 36.4, n), times
    )
    route = LineString([(37.01, 36.11), (37.12, 36.2), (37.25, 36.31)])
    elapsed = []
    for _ in range(5):
        start = time.perf_counter()
        e = route_exposure(route, T, areas=index, incidents=incidents, hostile={"p1", "p2"})
        elapsed.append(time.perf_counter() - start)
    assert sum(p.length_m for p in e.by_party) == pytest.approx(e.length_m, rel=1e-6)
    assert e.uncontrolled_m == pytest.approx(0, abs=1)
    assert len(e.incidents) > 100
    # The benchmark holds the 50 ms target; here only a loose bound against slow paths.
    assert sorted(elapsed)[2] < 1.5
