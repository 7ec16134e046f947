"""Road graphs kept in the database (tables ``road_graphs``, ``road_nodes``, ``road_edges``).

The one module of ``geo`` that touches the database.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from sqlalchemy import Connection, delete, insert, select

from mamar.db.tables import osm_places, road_edges, road_graphs, road_nodes
from mamar.domain.errors import DomainError
from mamar.domain.time import now_utc, utc_key
from mamar.geo.basemap import BaseMap
from mamar.geo.roads import BBox, OsmPlace, RoadGraph

_BATCH = 5000


def save_graph(
    conn: Connection,
    graph: RoadGraph,
    *,
    source: str,
    bbox: BBox | None,
    places: Sequence[OsmPlace] = (),
) -> None:
    """Store ``graph`` (and the extract's named ``places``) under its name, replacing an
    earlier import of that name."""
    for table in (road_edges, road_nodes, osm_places):
        conn.execute(delete(table).where(table.c.graph == graph.name))
    conn.execute(delete(road_graphs).where(road_graphs.c.name == graph.name))
    conn.execute(
        insert(road_graphs).values(
            name=graph.name,
            source=source,
            bbox=None if bbox is None else ",".join(f"{v:g}" for v in bbox),
            imported_at=utc_key(now_utc()),
            node_count=graph.node_count,
            edge_count=graph.edge_count,
        )
    )
    nodes = [
        {"graph": graph.name, "node": i, "osm_id": int(osm), "lon": float(lon), "lat": float(lat)}
        for i, (osm, lon, lat) in enumerate(
            zip(graph.node_osm, graph.node_lon, graph.node_lat, strict=True)
        )
    ]
    edges = [
        {
            "graph": graph.name,
            "edge": i,
            "source": int(graph.edge_source[i]),
            "target": int(graph.edge_target[i]),
            "length_m": float(graph.edge_length[i]),
            "forward": bool(graph.edge_forward[i]),
            "backward": bool(graph.edge_backward[i]),
            "osm_way": int(graph.edge_way[i]),
            "highway": graph.edge_highway[i],
            "name": graph.edge_name[i],
            "geometry": np.ascontiguousarray(graph.edge_coords[i], dtype="<f8").tobytes(),
        }
        for i in range(graph.edge_count)
    ]
    named = [
        {
            "graph": graph.name,
            "osm_id": p.osm_id,
            "kind": p.kind,
            "name": p.name,
            "name_ar": p.name_ar,
            "name_en": p.name_en,
            "lon": p.lon,
            "lat": p.lat,
        }
        for p in {p.osm_id: p for p in places}.values()
    ]
    for table, rows in ((road_nodes, nodes), (road_edges, edges), (osm_places, named)):
        for start in range(0, len(rows), _BATCH):
            conn.execute(insert(table), rows[start : start + _BATCH])


def list_graphs(conn: Connection) -> list[dict[str, Any]]:
    rows = conn.execute(select(road_graphs).order_by(road_graphs.c.name))
    return [dict(r._mapping) for r in rows]


def load_graph(conn: Connection, name: str | None = None) -> RoadGraph:
    """The stored graph ``name`` (or the only one), as arrays ready for routing."""
    if name is None:
        names = [g["name"] for g in list_graphs(conn)]
        if len(names) != 1:
            raise DomainError(
                "no_graph" if not names else "which_graph",
                "no road graph imported yet: run 'mamar import-osm FILE.osm.pbf'"
                if not names
                else f"several road graphs ({', '.join(names)}): name one",
                field="graph",
            )
        name = names[0]
    n = road_nodes
    node_rows = conn.execute(
        select(n.c.osm_id, n.c.lon, n.c.lat).where(n.c.graph == name).order_by(n.c.node)
    ).all()
    if not node_rows:
        raise DomainError("not_found", f"no road graph named '{name}'", field="graph")
    e = road_edges
    edge_rows = conn.execute(
        select(
            e.c.source,
            e.c.target,
            e.c.length_m,
            e.c.forward,
            e.c.backward,
            e.c.osm_way,
            e.c.highway,
            e.c.name,
            e.c.geometry,
        )
        .where(e.c.graph == name)
        .order_by(e.c.edge)
    ).all()
    return RoadGraph(
        name=name,
        node_osm=np.array([r.osm_id for r in node_rows], dtype=np.int64),
        node_lon=np.array([r.lon for r in node_rows], dtype=float),
        node_lat=np.array([r.lat for r in node_rows], dtype=float),
        edge_source=np.array([r.source for r in edge_rows], dtype=np.int64),
        edge_target=np.array([r.target for r in edge_rows], dtype=np.int64),
        edge_length=np.array([r.length_m for r in edge_rows], dtype=float),
        edge_forward=np.array([bool(r.forward) for r in edge_rows], dtype=bool),
        edge_backward=np.array([bool(r.backward) for r in edge_rows], dtype=bool),
        edge_way=np.array([r.osm_way for r in edge_rows], dtype=np.int64),
        edge_highway=[r.highway for r in edge_rows],
        edge_name=[r.name for r in edge_rows],
        edge_coords=[
            np.frombuffer(bytes(r.geometry), dtype="<f8").reshape(-1, 2).astype(float)
            for r in edge_rows
        ],
    )


def base_signature(conn: Connection) -> tuple[tuple[str, str], ...]:
    """Which extracts are imported, and when: changes whenever the base map does."""
    rows = conn.execute(select(road_graphs.c.name, road_graphs.c.imported_at))
    return tuple(sorted((r.name, r.imported_at) for r in rows))


def load_base_map(conn: Connection) -> BaseMap:
    """Every imported extract's roads and named places, for the base map."""
    e = road_edges
    roads = [
        (r.highway, r.name, np.frombuffer(bytes(r.geometry), dtype="<f8").reshape(-1, 2))
        for r in conn.execute(select(e.c.highway, e.c.name, e.c.geometry))
    ]
    p = osm_places
    places = [
        OsmPlace(r.osm_id, r.kind, r.name, r.name_ar, r.name_en, r.lon, r.lat)
        for r in conn.execute(
            select(p.c.osm_id, p.c.kind, p.c.name, p.c.name_ar, p.c.name_en, p.c.lon, p.c.lat)
        )
    ]
    return BaseMap.build(roads, places)
