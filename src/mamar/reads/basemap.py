"""The offline base map for a signed-in viewer: the imported extracts' roads and places.

Public geography, but read only on behalf of an account (the route's rule signs it in).
The extracts are loaded once per database and import, and kept in memory.
"""

from __future__ import annotations

import threading
from typing import Any

from sqlalchemy import Connection

from mamar.access.viewer import Viewer, viewer_of
from mamar.domain.model import Actor
from mamar.geo.basemap import BaseMap
from mamar.geo.roads import BBox
from mamar.geodata.roadstore import base_signature, load_base_map

_lock = threading.Lock()
_cache: dict[str, tuple[tuple[tuple[str, str], ...], BaseMap]] = {}


def _base(conn: Connection) -> BaseMap:
    key = str(conn.engine.url)
    signature = base_signature(conn)
    with _lock:
        kept = _cache.get(key)
        if kept is not None and kept[0] == signature:
            return kept[1]
    loaded = load_base_map(conn) if signature else BaseMap.build([], [])
    with _lock:
        _cache[key] = (signature, loaded)
    return loaded


def base_map(
    conn: Connection, *, viewer: Actor | Viewer, bbox: BBox, zoom: int, lang: str
) -> dict[str, Any]:
    """The base map within ``bbox`` at ``zoom``, labelled in ``lang`` where the extract can."""
    viewer_of(viewer)  # an account reads it: there is no anonymous base map
    return _base(conn).view(bbox, zoom, lang)


def base_bounds(conn: Connection, *, viewer: Actor | Viewer) -> BBox | None:
    """The box of every imported extract, or None when none is."""
    viewer_of(viewer)
    return _base(conn).bounds()
