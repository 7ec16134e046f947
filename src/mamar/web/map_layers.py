"""The map's layers as GeoJSON, for one viewer, one operation and one moment.

One service call feeds both the map page and its JSON twins, so the layers a
page draws are exactly what the API returns. What is drawn at moment T:

- control areas and front lines: what is known now about who held what at T
  (a period recorded later about an earlier time is shown at that time);
- routes, incidents and convoys: as they stood at T (events that happened
  after T are not yet there);
- places: the gazetteer as it is now, labelled in the page's language.

Everything is read through the viewer's compartments first (``can_see``).
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import shapely
from sqlalchemy import Connection

from mamar import reads
from mamar.access.viewer import viewer_of
from mamar.domain.errors import DomainError
from mamar.domain.model import Actor, EntityState
from mamar.domain.text import LocalName, LocalText, Said, said
from mamar.domain.time import utc_key
from mamar.geo.shapes import area_geometry
from mamar.geo.territory import control_layer
from mamar.geodata.service import GeoView
from mamar.geodata.states import control_records, front_records, incidents_of, place_points
from mamar.web.render import called_text, translator_note

LAYERS = ("control", "front", "routes", "incidents", "convoys", "places")
Feature = dict[str, Any]
Collection = dict[str, Any]


@dataclass(frozen=True)
class TimeRange:
    """The moments the operation's records span (occurred times), for the slider."""

    start: datetime
    end: datetime

    def clamp(self, at: datetime) -> datetime:
        return min(max(at, self.start), self.end)


def _moment(text: str) -> datetime | None:
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else None


def _moments(states: Iterable[EntityState]) -> Iterable[datetime]:
    for state in states:
        for text in (state.created_at, state.updated_at):
            moment = _moment(text)
            if moment is not None:
                yield moment
        for period in getattr(state, "periods", ()):
            yield period.valid_from
            if period.valid_to is not None:
                yield period.valid_to
        valid_from = getattr(state, "valid_from", None)
        if isinstance(valid_from, datetime):
            yield valid_from


def time_range(opened: str, states: Iterable[EntityState]) -> TimeRange | None:
    """From the operation's opening to the latest moment any record names.

    Records about earlier times (a contact years before) do not stretch the slider.
    """
    start = _moment(opened)
    found = list(_moments(states))
    if start is None:
        if not found:
            return None
        start = min(found)
    return TimeRange(start, max([start, *found]))


def collection(features: list[Feature], **extra: Any) -> Collection:
    return {"type": "FeatureCollection", **extra, "features": features}


def _point(lon: float, lat: float) -> dict[str, Any]:
    return {"type": "Point", "coordinates": [lon, lat]}


def party_sides(states: Iterable[EntityState]) -> dict[str, str]:
    """Each party's side (coalition): named when the side was formed, or on the party."""
    sides: dict[str, str] = {}
    for state in states:
        for member in getattr(state, "members", ()):
            sides.setdefault(member, state.id)
    for state in states:
        side = getattr(state, "side", None)
        if isinstance(side, str) and hasattr(state, "kind"):
            sides[state.id] = side
    return sides


def colour_key(party: str | None, sides: dict[str, str]) -> str:
    """What decides an area's colour: the party's side if it has one, else the party."""
    if party is None:
        return ""
    return sides.get(party, party)


def colour_index(key: str) -> int:
    """A stable palette slot for a side or party (the same in every page and language)."""
    return zlib.crc32(key.encode()) % 8 if key else 8


def _label(name: Any, lang: str, fallback: str) -> str:
    display = getattr(name, "display", None)
    return str(display(lang)) if display is not None else fallback


def _label_lang(name: Any, lang: str) -> str:
    """The language a name (``LocalName``) is shown in when it is not ``lang`` (the map marks
    that label or popup line with it); "" when it is shown in ``lang`` or is not a name."""
    if not isinstance(name, LocalName) or getattr(name, lang, None):
        return ""
    return "ar" if name.ar else "en"


class MapLayers:
    """The layers of one operation as seen by one viewer."""

    def __init__(self, conn: Connection, viewer: Actor, operation: str, lang: str = "ar") -> None:
        self.conn = conn
        self.viewer = viewer
        self.operation = operation
        self.lang = lang
        seer = viewer_of(viewer)
        # Raises NotFound for an operation the viewer may not see.
        self.op = reads.get_state(conn, viewer=viewer, kind="operation", entity_id=operation)
        self.geo = GeoView.load(conn, seer, operation=operation)
        self.now_states = reads.visible_states(conn, viewer=viewer, operation=operation)
        self.range = time_range(self.op.created_at, self.now_states)
        self.sides = party_sides(self.now_states)
        self.party_names = {p.id: p.name.display(lang) for p in self.geo.parties}
        self.party_langs = {p.id: _label_lang(p.name, lang) for p in self.geo.parties}
        self.places = place_points(self.geo.places)

    @property
    def timezone(self) -> str:
        return str(getattr(self.op, "timezone", "UTC"))

    def moment(self, at: datetime | None) -> datetime | None:
        """``at`` within the operation's range; None (the present) stays None."""
        if at is None or self.range is None:
            return at
        return self.range.clamp(at)

    def _as_of(self, at: datetime | None, kind: str) -> list[EntityState]:
        at_utc = utc_key(at) if at is not None else None
        return reads.visible_states(
            self.conn, viewer=self.viewer, operation=self.operation, at_utc=at_utc, kinds=[kind]
        )

    def _control_moment(self, at: datetime | None) -> datetime:
        if at is not None:
            return at
        if self.range is not None:
            return self.range.end
        return datetime.fromisoformat(self.op.updated_at or self.op.created_at)

    def control(self, at: datetime | None) -> Collection:
        moment = self._control_moment(at)
        names = {a.id: _label(a.name, self.lang, a.id) for a in self.geo.areas}
        langs = {a.id: _label_lang(a.name, self.lang) for a in self.geo.areas}
        data = control_layer(
            control_records(self.geo.areas), (), moment, party_names=self.party_names
        )
        features = data["features"]
        for feature in features:
            props = feature["properties"]
            props["name"] = names.get(props["area"], props["area"])
            props["name_lang"] = langs.get(props["area"], "")
            props["party_name_lang"] = self.party_langs.get(props["party"], "")
            key = colour_key(props["party"], self.sides)
            props["side"] = self.sides.get(props["party"])
            props["colour"] = colour_index(key)
        return collection(features, layer="control", at=moment.isoformat())

    def front(self, at: datetime | None) -> Collection:
        moment = self._control_moment(at)
        names = {f.id: _label(f.name, self.lang, f.id) for f in self.geo.fronts}
        langs = {f.id: _label_lang(f.name, self.lang) for f in self.geo.fronts}
        data = control_layer((), front_records(self.geo.fronts), moment)
        for feature in data["features"]:
            props = feature["properties"]
            props["name"] = names.get(props["front_line"], props["front_line"])
            props["name_lang"] = langs.get(props["front_line"], "")
            props["party_names"] = [self.party_names.get(p, p) for p in props["parties"]]
        return collection(data["features"], layer="front", at=moment.isoformat())

    def routes(self, at: datetime | None) -> Collection:
        features: list[Feature] = []
        for route in self._as_of(at, "route"):
            current = int(getattr(route, "current_version", 1))
            name = _label(getattr(route, "name", None), self.lang, route.id)
            for version in getattr(route, "versions", ()):
                number = int(version.version)
                coords = [[float(w.lon), float(w.lat)] for w in version.waypoints]
                if len(coords) < 2:
                    continue
                approvals = [
                    self.party_names.get(a.party, a.party)
                    for a in getattr(route, "approvals", ())
                    if int(a.version) == number
                ]
                rejections = [
                    {
                        "party": self.party_names.get(r.party, r.party),
                        "reasons": [x.model_dump(mode="json") for x in r.reasons],
                    }
                    for r in getattr(route, "rejections", ())
                    if int(r.version) == number
                ]
                features.append(
                    {
                        "type": "Feature",
                        "id": f"{route.id}@{number}",
                        "geometry": {"type": "LineString", "coordinates": coords},
                        "properties": {
                            "layer": "route",
                            "route": route.id,
                            "name": name,
                            "name_lang": _label_lang(getattr(route, "name", None), self.lang),
                            "version": number,
                            "current": number == current,
                            "status": str(getattr(route, "status", "")),
                            "approved_by": approvals,
                            "rejected_by": rejections,
                        },
                    }
                )
        # Current versions last, so they are drawn on top.
        features.sort(key=lambda f: (f["properties"]["current"], f["id"]))
        return collection(features, layer="routes")

    def _said(self, value: Any) -> Said:
        """A free text as this viewer's language shows it (:func:`mamar.domain.text.said`)."""
        if isinstance(value, LocalText):
            return said(value, self.lang)
        return Said("" if value is None else str(value), None)

    def _name_of(self, kind: str, entity_id: str | None) -> Any:
        """What a record is called, read through the viewer ("—" if it may not see it)."""
        try:
            found = reads.get_entity(
                self.conn, viewer=self.viewer, kind=kind, entity_id=entity_id or ""
            )
        except DomainError:
            return "—"
        return called_text(found, self.lang)

    def incidents(self, at: datetime | None) -> Collection:
        states = {s.id: s for s in self._as_of(at, "incident")}
        features: list[Feature] = []
        for located in incidents_of(states.values(), self.places):
            state = states[located.id]
            perpetrator = getattr(state, "alleged_perpetrator", None)
            described = self._said(getattr(state, "description", None))
            features.append(
                {
                    "type": "Feature",
                    "id": state.id,
                    "geometry": _point(located.lon, located.lat),
                    "properties": {
                        "layer": "incident",
                        "incident": state.id,
                        "event_type": str(getattr(state, "event_type", "")),
                        "weapon": str(getattr(state, "weapon", "") or ""),
                        "occurred_at": getattr(state, "occurred_at", ""),
                        "description": described.words,
                        "description_lang": described.language or "",
                        "description_note": translator_note(described, self.lang, self._name_of)
                        if described.translation
                        else "",
                        "alleged_perpetrator": self.party_names.get(perpetrator, perpetrator)
                        if perpetrator
                        else None,
                        "verification": str(getattr(state, "verification", "")),
                        "convoy": getattr(state, "convoy", None),
                    },
                }
            )
        return collection(features, layer="incidents")

    def _convoy_point(
        self, convoy: Any, incidents: dict[str, tuple[float, float]]
    ) -> tuple[tuple[float, float], str] | None:
        """The convoy's last known place, and what it is known from."""
        for entry in reversed(tuple(getattr(convoy, "history", ()))):
            if str(entry.status) == "arrived" and convoy.destination in self.places:
                return self.places[convoy.destination], "destination"
            if entry.place and entry.place in self.places:
                return self.places[entry.place], "status"
            if entry.incident and entry.incident in incidents:
                return incidents[entry.incident], "incident"
        if convoy.origin and convoy.origin in self.places:
            return self.places[convoy.origin], "origin"
        return None

    def convoys(self, at: datetime | None) -> Collection:
        incidents = {
            i.id: (i.lon, i.lat) for i in incidents_of(self._as_of(at, "incident"), self.places)
        }
        features: list[Feature] = []
        for convoy in self._as_of(at, "convoy"):
            found = self._convoy_point(convoy, incidents)
            if found is None:
                continue
            (lon, lat), known_from = found
            counts = getattr(convoy, "counts", None)
            features.append(
                {
                    "type": "Feature",
                    "id": convoy.id,
                    "geometry": _point(lon, lat),
                    "properties": {
                        "layer": "convoy",
                        "convoy": convoy.id,
                        "name": _label(getattr(convoy, "name", None), self.lang, convoy.id),
                        "name_lang": _label_lang(getattr(convoy, "name", None), self.lang),
                        "status": str(getattr(convoy, "status", "")),
                        "place_from": known_from,
                        "route": getattr(convoy, "route", None),
                        "route_version": getattr(convoy, "route_version", None),
                        "counts": counts.model_dump(mode="json") if counts is not None else {},
                    },
                }
            )
        return collection(features, layer="convoys")

    def places_layer(self) -> Collection:
        features: list[Feature] = []
        for place in self.geo.places:
            if place.id not in self.places:
                continue
            lon, lat = self.places[place.id]
            geometry = (
                shapely.geometry.mapping(area_geometry(place.polygon))
                if place.polygon is not None and place.point is None
                else _point(lon, lat)
            )
            features.append(
                {
                    "type": "Feature",
                    "id": place.id,
                    "geometry": geometry,
                    "properties": {
                        "layer": "place",
                        "place": place.id,
                        "label": place.name.display(self.lang),
                        "label_lang": _label_lang(place.name, self.lang),
                        "name_ar": place.name.ar,
                        "name_en": place.name.en,
                        "kind": str(place.kind),
                        "precision": str(place.precision),
                        "label_point": [lon, lat],
                    },
                }
            )
        return collection(features, layer="places")

    def layer(self, name: str, at: datetime | None) -> Collection:
        if name == "places":
            return self.places_layer()
        built: Collection = getattr(self, name)(at)
        return built

    def all(self, at: datetime | None) -> dict[str, Any]:
        """Every layer at ``at`` (None: now), with the operation's range for the slider
        and its area (where a map of it opens)."""
        moment = self.moment(at)
        layers = {name: self.layer(name, moment) for name in LAYERS}
        return {
            "operation": self.operation,
            "timezone": self.timezone,
            "lang": self.lang,
            "at": moment.isoformat() if moment is not None else None,
            "range": {"start": self.range.start.isoformat(), "end": self.range.end.isoformat()}
            if self.range is not None
            else None,
            "area": operation_area(layers),
            "layers": layers,
        }


#: Where an operation's map opens: where things happen, else its areas, else its places.
AREA_LAYERS = (("front", "routes", "incidents", "convoys"), ("control",), ("places",))


def operation_area(layers: dict[str, Collection]) -> list[float] | None:
    """The box ``[min_lon, min_lat, max_lon, max_lat]`` of the operation's own records."""
    for names in AREA_LAYERS:
        shapes = [
            shapely.geometry.shape(f["geometry"])
            for name in names
            for f in layers[name]["features"]
            if f.get("geometry")
        ]
        if shapes:
            bounds = shapely.total_bounds(shapes)
            return [round(float(v), 6) for v in bounds]
    return None
