"""A local metric plane: azimuthal equidistant, centred on the area of interest.

Spherical formulas give directions and distances from the centre; scaling east
by the WGS84 prime-vertical radius and north by the meridional radius at the
centre puts the result within about 1e-4 of geodesic distances over the tens
of kilometres an evacuation route spans, with plain NumPy (fast enough to run
per request; no projection library needed).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import shapely
from numpy.typing import NDArray

_A = 6378137.0
_E2 = 6.69437999014e-3

FloatArray = NDArray[np.float64]


def radii(lat: float) -> tuple[float, float]:
    """Meridional (north) and prime-vertical (east) radii of curvature at ``lat``, in metres."""
    s = math.sin(math.radians(lat))
    w = 1.0 - _E2 * s * s
    return _A * (1.0 - _E2) / w**1.5, _A / math.sqrt(w)


class LocalPlane:
    """Metres east and north of (lon0, lat0)."""

    def __init__(self, lon0: float, lat0: float) -> None:
        self.lon0 = lon0
        self.lat0 = lat0
        self._phi0 = math.radians(lat0)
        self._sin0 = math.sin(self._phi0)
        self._cos0 = math.cos(self._phi0)
        self.m, self.n = radii(lat0)

    @classmethod
    def around(cls, geometry: Any) -> LocalPlane:
        xmin, ymin, xmax, ymax = shapely.bounds(geometry)
        return cls((xmin + xmax) / 2.0, (ymin + ymax) / 2.0)

    def forward(self, lon: FloatArray, lat: FloatArray) -> tuple[FloatArray, FloatArray]:
        phi = np.radians(lat)
        dlam = np.radians(lon - self.lon0)
        sin_phi, cos_phi = np.sin(phi), np.cos(phi)
        cos_dlam = np.cos(dlam)
        cos_c = np.clip(self._sin0 * sin_phi + self._cos0 * cos_phi * cos_dlam, -1.0, 1.0)
        c = np.arccos(cos_c)
        sin_c = np.sin(c)
        k = np.where(sin_c > 1e-12, c / np.where(sin_c > 1e-12, sin_c, 1.0), 1.0)
        x = self.n * k * cos_phi * np.sin(dlam)
        y = self.m * k * (self._cos0 * sin_phi - self._sin0 * cos_phi * cos_dlam)
        return x, y

    def inverse(self, x: FloatArray, y: FloatArray) -> tuple[FloatArray, FloatArray]:
        u = x / self.n
        v = y / self.m
        c = np.hypot(u, v)
        sin_c, cos_c = np.sin(c), np.cos(c)
        safe = np.where(c > 1e-15, c, 1.0)
        phi = np.arcsin(np.clip(cos_c * self._sin0 + v * sin_c * self._cos0 / safe, -1.0, 1.0))
        lam = np.arctan2(u * sin_c, c * self._cos0 * cos_c - v * self._sin0 * sin_c)
        lat = np.where(c > 1e-15, np.degrees(phi), self.lat0)
        lon = np.where(c > 1e-15, self.lon0 + np.degrees(lam), self.lon0)
        return lon, lat

    def to_metric(self, geometry: Any, densify_deg: float | None = 0.002) -> Any:
        """A Shapely geometry (or array of them) in lon/lat, moved to this plane.

        Lines drawn straight on a lon/lat map are not straight in the plane: long
        segments are first cut to ``densify_deg`` (about 200 m) so they keep their shape.
        """
        if densify_deg:
            geometry = shapely.segmentize(geometry, densify_deg)

        def move(coords: FloatArray) -> FloatArray:
            x, y = self.forward(coords[:, 0], coords[:, 1])
            return np.column_stack([x, y])

        return shapely.transform(geometry, move)

    def to_lonlat(self, geometry: Any) -> Any:
        def move(coords: FloatArray) -> FloatArray:
            lon, lat = self.inverse(coords[:, 0], coords[:, 1])
            return np.column_stack([lon, lat])

        return shapely.transform(geometry, move)


def segment_lengths(lon: FloatArray, lat: FloatArray) -> FloatArray:
    """Lengths in metres of the segments between consecutive points (short segments)."""
    mid = np.radians((lat[1:] + lat[:-1]) / 2.0)
    s2 = np.sin(mid) ** 2
    w = 1.0 - _E2 * s2
    m = _A * (1.0 - _E2) / w**1.5
    n = _A / np.sqrt(w)
    dy = m * np.radians(np.diff(lat))
    dx = n * np.cos(mid) * np.radians(np.diff(lon))
    result: FloatArray = np.hypot(dx, dy)
    return result


def metres_to_degrees(metres: float, lat: float) -> float:
    """A distance in degrees that is at least ``metres`` in every direction near ``lat``."""
    m, n = radii(lat)
    per_degree = math.radians(1.0) * min(m, n * max(math.cos(math.radians(abs(lat) + 1.0)), 1e-6))
    return metres / per_degree
