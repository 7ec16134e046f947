"""Routing on the road graph with SciPy's csgraph: shortest paths, snapping, risk-aware
alternatives through required waypoints and around areas to avoid.

Alternatives come from the penalty method: after each path is found, the cost
of its edges is raised and the search repeated. Unlike k-shortest-paths (which
returns near-copies that differ by one side street), this gives routes that
genuinely differ, which is what a negotiator can put on the table.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import numpy as np
import shapely
from numpy.typing import NDArray
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import connected_components, dijkstra
from scipy.spatial import cKDTree
from shapely import STRtree
from shapely.geometry import LineString
from shapely.geometry.base import BaseGeometry

from mamar.domain.errors import DomainError
from mamar.geo.exposure import Incident, IncidentIndex
from mamar.geo.roads import RoadGraph
from mamar.geo.territory import ControlIndex, ControlRecord, FrontRecord, fronts_at

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]


@dataclass(frozen=True)
class Path:
    """A path on the graph: node sequence, the edges taken and whether each was driven backward."""

    nodes: tuple[int, ...]
    edges: tuple[int, ...]
    reversed: tuple[bool, ...]
    length_m: float
    cost: float

    def line(self, graph: RoadGraph) -> LineString:
        parts: list[FloatArray] = []
        for edge, backward in zip(self.edges, self.reversed, strict=True):
            coords = graph.edge_coords[edge]
            coords = coords[::-1] if backward else coords
            parts.append(coords if not parts else coords[1:])
        if not parts:
            lon, lat = graph.node_lon[self.nodes[0]], graph.node_lat[self.nodes[0]]
            return LineString([(lon, lat), (lon, lat)])
        return LineString(np.concatenate(parts))

    def joined(self, other: Path) -> Path:
        return Path(
            nodes=self.nodes + other.nodes[1:],
            edges=self.edges + other.edges,
            reversed=self.reversed + other.reversed,
            length_m=self.length_m + other.length_m,
            cost=self.cost + other.cost,
        )


@dataclass(frozen=True)
class RiskWeights:
    """How much each kind of exposure adds to a metre of road, when choosing routes.

    ``hostile``: extra cost per metre inside hostile control (4 means a hostile
    kilometre counts as five); ``front``: extra cost per metre at the front line,
    fading to nothing at ``front_radius_m``; ``incident``: extra cost per metre
    for each recent incident within ``incident_radius_m`` (at most ``incident_cap``).
    """

    hostile: float = 4.0
    front: float = 2.0
    front_radius_m: float = 1000.0
    incident: float = 0.5
    incident_radius_m: float = 300.0
    incident_hours: float = 24.0
    incident_cap: int = 5


@dataclass
class Router:
    graph: RoadGraph
    _arc_edge: IntArray = field(init=False)
    _arc_from: IntArray = field(init=False)
    _arc_to: IntArray = field(init=False)
    _arc_back: NDArray[np.bool_] = field(init=False)
    _snap_tree: cKDTree = field(init=False)
    _snap_nodes: IntArray = field(init=False)
    _edge_tree: STRtree | None = field(init=False, default=None)
    _length_matrix: tuple[csr_matrix, IntArray, IntArray] | None = field(init=False, default=None)

    def __post_init__(self) -> None:
        g = self.graph
        fwd = np.flatnonzero(g.edge_forward)
        bwd = np.flatnonzero(g.edge_backward)
        self._arc_edge = np.concatenate([fwd, bwd]).astype(np.int64)
        self._arc_from = np.concatenate([g.edge_source[fwd], g.edge_target[bwd]]).astype(np.int64)
        self._arc_to = np.concatenate([g.edge_target[fwd], g.edge_source[bwd]]).astype(np.int64)
        self._arc_back = np.concatenate([np.zeros(len(fwd), bool), np.ones(len(bwd), bool)])
        # Snap only to the largest strongly connected part, so every snapped pair is routable.
        matrix, _ = self._matrix(g.edge_length)
        _, labels = connected_components(matrix, directed=True, connection="strong")
        biggest = np.bincount(labels).argmax()
        self._snap_nodes = np.flatnonzero(labels == biggest).astype(np.int64)
        x, y = g.plane().forward(g.node_lon[self._snap_nodes], g.node_lat[self._snap_nodes])
        self._snap_tree = cKDTree(np.column_stack([x, y]))

    # -- the graph as a sparse matrix -------------------------------------------------------

    def _matrix(self, edge_cost: FloatArray) -> tuple[csr_matrix, IntArray]:
        """A CSR matrix of arc costs (cheapest of parallel arcs) and each entry's arc."""
        cost = edge_cost[self._arc_edge]
        usable = np.isfinite(cost)
        arcs = np.flatnonzero(usable)
        n = self.graph.node_count
        keys = self._arc_from[arcs] * n + self._arc_to[arcs]
        order = np.lexsort((cost[arcs], keys))
        keys, arcs = keys[order], arcs[order]
        first = np.ones(len(keys), bool)
        first[1:] = keys[1:] != keys[:-1]
        keys, arcs = keys[first], arcs[first]
        # csgraph reads explicit zeros as missing edges: keep every cost positive.
        data = np.maximum(cost[arcs], 1e-6)
        matrix = csr_matrix((data, (keys // n, keys % n)), shape=(n, n))
        # Arc ids in the same (row-major, sorted) order as the matrix entries.
        return matrix, arcs.astype(np.int64)

    def _prepared(self, edge_cost: FloatArray | None) -> tuple[csr_matrix, IntArray, IntArray]:
        """The matrix for ``edge_cost`` (None: plain length, built once), its arcs and their keys."""
        if edge_cost is None and self._length_matrix is not None:
            return self._length_matrix
        matrix, arcs = self._matrix(self.graph.edge_length if edge_cost is None else edge_cost)
        keys = self._arc_from[arcs] * self.graph.node_count + self._arc_to[arcs]
        prepared = (matrix, arcs, keys)
        if edge_cost is None:
            self._length_matrix = prepared
        return prepared

    # -- queries ----------------------------------------------------------------------------

    def snap(self, lon: float, lat: float) -> tuple[int, float]:
        """The nearest routable node to (lon, lat), and how far it is in metres."""
        x, y = self.graph.plane().forward(np.array([lon]), np.array([lat]))
        distance, i = self._snap_tree.query([x[0], y[0]])
        return int(self._snap_nodes[i]), float(distance)

    def shortest(
        self, source: int, target: int, edge_cost: FloatArray | None = None
    ) -> Path | None:
        """The cheapest path (by length, or by ``edge_cost`` per edge), or None if unreachable."""
        matrix, arcs, keys = self._prepared(edge_cost)
        return self._shortest(matrix, arcs, keys, source, target)

    def _shortest(
        self, matrix: csr_matrix, arcs: IntArray, keys: IntArray, source: int, target: int
    ) -> Path | None:
        dist, pred = dijkstra(matrix, directed=True, indices=source, return_predecessors=True)
        if not np.isfinite(dist[target]):
            return None
        nodes = [target]
        step = target
        while step != source:
            step = pred[step]
            nodes.append(step)
        nodes.reverse()
        node_array = np.array(nodes, dtype=np.int64)
        wanted = node_array[:-1] * self.graph.node_count + node_array[1:]
        taken = arcs[np.searchsorted(keys, wanted)]
        edges = self._arc_edge[taken]
        return Path(
            nodes=tuple(node_array.tolist()),
            edges=tuple(edges.tolist()),
            reversed=tuple(self._arc_back[taken].tolist()),
            length_m=float(self.graph.edge_length[edges].sum()),
            cost=float(dist[target]),
        )

    def through(
        self, points: Sequence[tuple[float, float]], edge_cost: FloatArray | None = None
    ) -> Path:
        """The cheapest path visiting (lon, lat) ``points`` in order (snapped to the roads)."""
        if len(points) < 2:
            raise DomainError("too_few_waypoints", "a route needs at least two points")
        nodes = [self.snap(lon, lat)[0] for lon, lat in points]
        matrix, arcs, keys = self._prepared(edge_cost)
        path: Path | None = None
        for number, (a, b) in enumerate(itertools.pairwise(nodes), start=1):
            leg = self._shortest(matrix, arcs, keys, a, b) if a != b else _stay(a)
            if leg is None:
                raise DomainError(
                    "no_route",
                    f"no road connects waypoint {number} to waypoint {number + 1} "
                    "without entering an area to avoid",
                    field="waypoints",
                )
            path = leg if path is None else path.joined(leg)
        assert path is not None
        return path

    def snap_line(self, points: Sequence[tuple[float, float]]) -> LineString:
        """A route drawn as waypoints, following the roads (shortest between waypoints)."""
        return self.through(points).line(self.graph)

    # -- risk -------------------------------------------------------------------------------

    def edge_tree(self) -> STRtree:
        if self._edge_tree is None:
            self._edge_tree = STRtree(self.graph.lines())
        return self._edge_tree

    def risk_costs(
        self,
        at: datetime,
        *,
        areas: ControlIndex | Iterable[ControlRecord] = (),
        hostile: Iterable[str] = (),
        fronts: Iterable[FrontRecord] = (),
        incidents: IncidentIndex | Sequence[Incident] = (),
        avoid: Iterable[BaseGeometry] = (),
        weights: RiskWeights = RiskWeights(),
    ) -> FloatArray:
        """Each edge's cost: its length plus weighted exposure at ``at``; avoided edges: inf."""
        g = self.graph
        plane = g.plane()
        length = g.edge_length
        cost = length.copy()
        metric = g.metric_lines()
        tree = self.edge_tree()

        index = areas if isinstance(areas, ControlIndex) else ControlIndex(list(areas))
        hostile_set = set(hostile)
        if hostile_set and index.records:
            chosen = [
                r.geometry
                for r, ok in zip(index.records, index.valid_mask(at), strict=True)
                if ok and r.party in hostile_set
            ]
            if chosen:
                polys = np.array(chosen, dtype=object)
                poly_i, edge_i = tree.query(polys, predicate="intersects")
                inside = np.zeros(g.edge_count)
                pieces = shapely.intersection(metric[edge_i], plane.to_metric(polys)[poly_i])
                np.add.at(inside, edge_i, shapely.length(pieces))
                cost += weights.hostile * np.minimum(inside, length)

        front = fronts_at(fronts, at)
        if front is not None and weights.front:
            d = shapely.distance(metric, plane.to_metric(front))
            closeness = np.clip(1.0 - d / weights.front_radius_m, 0.0, 1.0)
            cost += weights.front * length * closeness

        events = (
            incidents if isinstance(incidents, IncidentIndex) else IncidentIndex(list(incidents))
        )
        if len(events) and weights.incident:
            t = at.timestamp()
            recent = (events.times <= t) & (
                events.times >= (at - timedelta(hours=weights.incident_hours)).timestamp()
            )
            if recent.any():
                x, y = plane.forward(events.lon[recent], events.lat[recent])
                points = shapely.points(x, y)
                metric_tree = self._metric_tree()
                _, edge_i = metric_tree.query(
                    points, predicate="dwithin", distance=weights.incident_radius_m
                )
                counts = np.minimum(
                    np.bincount(edge_i, minlength=g.edge_count), weights.incident_cap
                )
                cost += weights.incident * length * counts

        avoid_list = list(avoid)
        if avoid_list:
            _, edge_i = tree.query(np.array(avoid_list, dtype=object), predicate="intersects")
            cost[edge_i] = np.inf
        result: FloatArray = cost
        return result

    def _metric_tree(self) -> STRtree:
        if "metric_tree" not in self.graph._cache:
            self.graph._cache["metric_tree"] = STRtree(self.graph.metric_lines())
        tree: STRtree = self.graph._cache["metric_tree"]
        return tree

    def alternatives(
        self,
        points: Sequence[tuple[float, float]],
        edge_cost: FloatArray,
        *,
        k: int = 3,
        penalty: float = 1.5,
    ) -> list[Path]:
        """Up to ``k`` distinct paths through ``points``, least weighted exposure first.

        Each path's cost is reported under ``edge_cost`` (not the penalised costs used
        to find the next one), so the paths can be compared.
        """
        found: list[Path] = []
        seen: set[tuple[int, ...]] = set()
        working = edge_cost.copy()
        for _ in range(max(k, 1) * 3):
            if len(found) >= k:
                break
            try:
                path = self.through(points, working)
            except DomainError:
                break
            working[list(path.edges)] *= penalty
            if path.edges in seen:
                continue
            seen.add(path.edges)
            true_cost = float(edge_cost[list(path.edges)].sum())
            found.append(Path(path.nodes, path.edges, path.reversed, path.length_m, true_cost))
        if not found:
            self.through(points, edge_cost)  # raises the clear "no_route" refusal
        found.sort(key=lambda p: (p.cost, p.length_m))
        return found


def _stay(node: int) -> Path:
    return Path(nodes=(node,), edges=(), reversed=(), length_m=0.0, cost=0.0)


def plan_options(
    router: Router,
    points: Sequence[tuple[float, float]],
    at: datetime,
    *,
    k: int = 3,
    **risk: Any,
) -> list[tuple[str, Path]]:
    """The shortest route, then up to ``k`` alternatives minimising weighted exposure."""
    avoid = list(risk.get("avoid", ()))
    plain = router.graph.edge_length.copy()
    if avoid:
        _, blocked = router.edge_tree().query(np.array(avoid, dtype=object), predicate="intersects")
        plain[blocked] = np.inf
    options: list[tuple[str, Path]] = [("shortest", router.through(points, plain))]
    costs = router.risk_costs(at, **risk)
    for number, path in enumerate(router.alternatives(points, costs, k=k), start=1):
        if all(path.edges != other.edges for _, other in options):
            options.append((f"safer-{number}", path))
    return options
