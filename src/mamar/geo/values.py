"""Geometry values kept in events and states: GeoJSON-shaped, lon/lat, range-checked.

Only pydantic here, so domain code can use them; Shapely checks validity in ``geo.shapes``.
"""

from __future__ import annotations

import math
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import AfterValidator, Field, model_validator
from pydantic_core import PydanticCustomError

from mamar.domain.model import Value


def _latitude(value: float) -> float:
    if not math.isfinite(value) or not -90.0 <= value <= 90.0:
        raise PydanticCustomError(
            "latitude_range",
            "latitude must be between -90 and 90 degrees (got {value})",
            {"value": value},
        )
    return value


def _longitude(value: float) -> float:
    if not math.isfinite(value) or not -180.0 <= value <= 180.0:
        raise PydanticCustomError(
            "longitude_range",
            "longitude must be between -180 and 180 degrees (got {value})",
            {"value": value},
        )
    return value


Latitude = Annotated[float, AfterValidator(_latitude)]
Longitude = Annotated[float, AfterValidator(_longitude)]
# GeoJSON order: longitude first.
Position = tuple[Longitude, Latitude]


def _ring(value: tuple[Position, ...]) -> tuple[Position, ...]:
    if len(value) < 4:
        raise PydanticCustomError(
            "ring_invalid", "a polygon ring needs at least 4 positions (the first repeated last)"
        )
    if value[0] != value[-1]:
        raise PydanticCustomError("ring_invalid", "a polygon ring must end where it starts")
    return value


Ring = Annotated[tuple[Position, ...], AfterValidator(_ring)]


class Precision(StrEnum):
    """How well a location is known: the demo's estimated coordinates are approximate."""

    EXACT = "exact"
    APPROXIMATE = "approximate"


class Confidence(StrEnum):
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


class GeoPoint(Value):
    lat: Latitude
    lon: Longitude


class PolygonShape(Value):
    """A GeoJSON Polygon: the exterior ring, then holes."""

    type: Literal["Polygon"] = "Polygon"
    coordinates: tuple[Ring, ...] = Field(min_length=1)


class MultiPolygonShape(Value):
    type: Literal["MultiPolygon"] = "MultiPolygon"
    coordinates: tuple[tuple[Ring, ...], ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _non_empty(self) -> MultiPolygonShape:
        if any(not polygon for polygon in self.coordinates):
            raise PydanticCustomError("exterior_missing", "every polygon needs an exterior ring")
        return self


AreaShape = Annotated[PolygonShape | MultiPolygonShape, Field(discriminator="type")]


class LineShape(Value):
    """A GeoJSON LineString (a front line)."""

    type: Literal["LineString"] = "LineString"
    coordinates: tuple[Position, ...] = Field(min_length=2)
