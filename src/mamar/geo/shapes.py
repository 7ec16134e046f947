"""Shapely geometries from the stored values, and the validity check commands use."""

from __future__ import annotations

from typing import Any

import shapely
from shapely.geometry import LineString, MultiPolygon, Point, Polygon, shape

from mamar.domain.errors import DomainError
from mamar.geo.values import AreaShape, GeoPoint, LineShape, MultiPolygonShape, PolygonShape


def area_geometry(area: AreaShape) -> Polygon | MultiPolygon:
    geometry: Polygon | MultiPolygon = shape(area.model_dump(mode="json"))
    return geometry


def line_geometry(line: LineShape) -> LineString:
    geometry: LineString = shape(line.model_dump(mode="json"))
    return geometry


def point_geometry(point: GeoPoint) -> Point:
    return Point(point.lon, point.lat)


def area_value(geometry: Any) -> AreaShape:
    """The stored value for a GeoJSON mapping or a Shapely (multi)polygon."""
    data = geometry if isinstance(geometry, dict) else shapely.geometry.mapping(geometry)
    if data.get("type") == "MultiPolygon":
        return MultiPolygonShape.model_validate(data)
    return PolygonShape.model_validate(data)


def require_valid_area(area: AreaShape, field: str) -> None:
    """Refuse self-intersecting or empty polygons, saying where the problem is."""
    geometry = area_geometry(area)
    if not geometry.is_valid:
        reason = shapely.is_valid_reason(geometry)
        raise DomainError("invalid_geometry", f"the polygon is not valid: {reason}", field=field)
    if geometry.is_empty or geometry.area == 0:
        raise DomainError("invalid_geometry", "the polygon has no area", field=field)


def require_valid_line(line: LineShape, field: str) -> None:
    geometry = line_geometry(line)
    if geometry.length == 0:
        raise DomainError("invalid_geometry", "the line has no length", field=field)
