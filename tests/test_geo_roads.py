"""OSM import and risk-aware routing on the real Helsinki extract, with control drawn for the test."""

from __future__ import annotations

import itertools
from datetime import datetime
from pathlib import Path

import numpy as np
import pytest
from shapely.geometry import Point, box

from mamar.domain.errors import DomainError
from mamar.geo.exposure import Incident, route_exposure
from mamar.geo.roads import RoadGraph, parse_bbox, read_osm
from mamar.geo.routing import Router, plan_options
from mamar.geo.territory import ControlRecord
from mamar.geodata.roadstore import list_graphs, load_graph, save_graph
from mamar.system import Mamar
from tests.geo_osm import helsinki_pbf

T = datetime.fromisoformat("2024-05-01T12:00+03:00")
A = (24.9370, 60.1650)  # south-west of the extract
B = (24.9520, 60.1770)  # north-east


@pytest.fixture(scope="module")
def pbf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return helsinki_pbf(tmp_path_factory.mktemp("osm"))


@pytest.fixture(scope="module")
def graph(pbf: Path) -> RoadGraph:
    return read_osm(pbf, name="helsinki")


def test_import_builds_a_road_graph(graph: RoadGraph) -> None:
    assert graph.node_count > 500 and graph.edge_count > 500
    assert 20_000 < graph.edge_length.sum() < 60_000
    # Each edge's stored length is its polyline's length.
    lines = graph.lines()
    assert graph.edge_coords[0][0] == pytest.approx(
        (graph.node_lon[graph.edge_source[0]], graph.node_lat[graph.edge_source[0]])
    )
    assert len(lines) == graph.edge_count
    assert (~graph.edge_backward).any()  # one-way streets are kept one-way
    assert {"footway", "cycleway"}.isdisjoint(graph.edge_highway)


def test_bbox_clips_the_graph(pbf: Path, graph: RoadGraph) -> None:
    bbox = parse_bbox("24.935,60.164,24.945,60.170")
    clipped = read_osm(pbf, name="small", bbox=bbox)
    assert 0 < clipped.edge_count < graph.edge_count
    assert clipped.node_lon.min() >= 24.935 and clipped.node_lat.max() <= 60.170
    with pytest.raises(DomainError, match="min_lon"):
        parse_bbox("1,2,3")


def test_graph_is_kept_in_the_database(system: Mamar, graph: RoadGraph) -> None:
    with system.writing() as conn:
        save_graph(conn, graph, source="Helsinki.osm.pbf", bbox=None)
        save_graph(conn, graph, source="Helsinki.osm.pbf", bbox=None)  # re-import replaces
    with system.reading() as conn:
        assert [g["name"] for g in list_graphs(conn)] == ["helsinki"]
        loaded = load_graph(conn)
    assert loaded.edge_count == graph.edge_count
    np.testing.assert_allclose(loaded.edge_length, graph.edge_length)
    np.testing.assert_array_equal(loaded.edge_forward, graph.edge_forward)
    np.testing.assert_allclose(loaded.edge_coords[7], graph.edge_coords[7])
    a, b = Router(graph), Router(loaded)
    assert a.shortest(*_ends(a)).length_m == pytest.approx(b.shortest(*_ends(b)).length_m)  # type: ignore[union-attr]


def _ends(router: Router) -> tuple[int, int]:
    return router.snap(*A)[0], router.snap(*B)[0]


def test_shortest_path_is_connected_and_respects_one_way(graph: RoadGraph) -> None:
    router = Router(graph)
    source, target = _ends(router)
    path = router.shortest(source, target)
    assert path is not None
    assert path.nodes[0] == source and path.nodes[-1] == target
    for (u, v), edge, back in zip(
        itertools.pairwise(path.nodes), path.edges, path.reversed, strict=True
    ):
        s, t = int(graph.edge_source[edge]), int(graph.edge_target[edge])
        assert (u, v) == ((t, s) if back else (s, t))
        assert graph.edge_backward[edge] if back else graph.edge_forward[edge]
    assert path.length_m == pytest.approx(graph.edge_length[list(path.edges)].sum())
    # No cheaper path exists: the reverse direction is a different problem on one-way streets,
    # but a detour through a third point is never shorter.
    middle = router.snap(24.9400, 60.1720)[0]
    detour = router.shortest(source, middle).length_m + router.shortest(middle, target).length_m  # type: ignore[union-attr]
    assert detour >= path.length_m - 1e-6


def test_required_waypoints_and_snapping(graph: RoadGraph) -> None:
    router = Router(graph)
    via = (24.9480, 60.1660)
    direct = router.through([A, B])
    through = router.through([A, via, B])
    node = router.snap(*via)[0]
    assert node in through.nodes
    assert through.length_m >= direct.length_m
    line = router.snap_line([A, B])
    assert line.coords[0] == pytest.approx(
        (graph.node_lon[direct.nodes[0]], graph.node_lat[direct.nodes[0]])
    )


def _hostile_across(graph: RoadGraph, router: Router) -> ControlRecord:
    """A hostile area drawn over the middle of the shortest path."""
    path = router.through([A, B])
    middle = path.line(graph).interpolate(0.5, normalized=True)
    return ControlRecord(
        area="drawn",
        party="hostile-party",
        geometry=box(middle.x - 0.002, middle.y - 0.001, middle.x + 0.002, middle.y + 0.001),
        valid_from=datetime.fromisoformat("2024-01-01T00:00+00:00"),
    )


def test_risk_aware_alternatives_reduce_hostile_length(graph: RoadGraph) -> None:
    router = Router(graph)
    hostile = _hostile_across(graph, router)
    options = plan_options(router, [A, B], T, k=3, areas=[hostile], hostile={"hostile-party"})
    labels = [label for label, _ in options]
    assert labels[0] == "shortest" and len(options) >= 2
    exposures = {
        label: route_exposure(path.line(graph), T, areas=[hostile], hostile={"hostile-party"})
        for label, path in options
    }
    shortest = exposures["shortest"]
    safest = min(exposures.values(), key=lambda e: e.hostile_m or 0.0)
    assert shortest.hostile_m and shortest.hostile_m > 50
    assert (safest.hostile_m or 0.0) < shortest.hostile_m / 2
    assert options[1][1].length_m >= options[0][1].length_m


def test_avoid_areas_and_recent_incidents(graph: RoadGraph) -> None:
    router = Router(graph)
    block = _hostile_across(graph, router).geometry
    options = plan_options(router, [A, B], T, k=2, avoid=[block])
    for _, path in options:
        assert not path.line(graph).intersects(block)
    # Incidents along the shortest path make the risk-aware route move away from it.
    shortest = router.through([A, B])
    line = shortest.line(graph)
    points = [line.interpolate(f, normalized=True) for f in (0.4, 0.5, 0.6)]
    incidents = [Incident(f"i{n}", p.x, p.y, T) for n, p in enumerate(points)]
    costs = router.risk_costs(T, incidents=incidents)
    assert costs.sum() > graph.edge_length.sum()
    safer = router.alternatives([A, B], costs, k=1)[0]
    assert safer.edges != shortest.edges


def test_unreachable_waypoints_are_refused(graph: RoadGraph) -> None:
    router = Router(graph)
    wall = Point(A).buffer(0.01)  # every road around the origin is closed
    costs = router.risk_costs(T, avoid=[wall])
    with pytest.raises(DomainError, match="no road connects"):
        router.through([A, B], costs)
