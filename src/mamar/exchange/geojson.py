"""GeoJSON (RFC 7946) of what one reader may see: places, control areas with their periods,
front lines, routes with every version, and incidents.

RFC 7946: WGS 84 longitude, latitude (in that order), no ``crs`` member, and polygons
by the right-hand rule (exterior rings counter-clockwise, holes clockwise), which
:func:`right_handed` enforces whatever order the shapes were drawn in.
"""

from __future__ import annotations

from typing import Any

import shapely.geometry
from shapely.geometry.polygon import orient

from mamar.exchange.records import Records
from mamar.geodata.exchange import control_features, place_feature
from mamar.incidents.model import IncidentState
from mamar.routes.model import RouteState


def _lists(value: Any) -> Any:
    if isinstance(value, tuple | list):
        return [_lists(v) for v in value]
    return value


def right_handed(geometry: dict[str, Any] | None) -> dict[str, Any] | None:
    """The geometry with its polygons' rings in RFC 7946 order (others as they are)."""
    if geometry is None or geometry.get("type") not in ("Polygon", "MultiPolygon"):
        return geometry
    shape = shapely.geometry.shape(geometry)
    if shape.geom_type == "Polygon":
        fixed: Any = orient(shape, sign=1.0)
    else:
        fixed = shapely.geometry.MultiPolygon([orient(p, sign=1.0) for p in shape.geoms])
    mapped = dict(shapely.geometry.mapping(fixed))
    return {"type": mapped["type"], "coordinates": _lists(mapped["coordinates"])}


def route_features(route: RouteState, records: Records) -> list[dict[str, Any]]:
    """One LineString per version of the route, each with its own approvals and rejections."""
    features = []
    for version in route.versions:
        approvals = [a for a in route.approvals if a.version == version.version]
        rejections = [r for r in route.rejections if r.version == version.version]
        features.append(
            {
                "type": "Feature",
                "id": f"{route.id}@{version.version}",
                "geometry": {
                    "type": "LineString",
                    "coordinates": [[w.lon, w.lat] for w in version.waypoints],
                },
                "properties": {
                    "layer": "route",
                    "id": route.id,
                    "name_ar": route.name.ar,
                    "name_en": route.name.en,
                    "version": version.version,
                    "current": version.version == route.current_version,
                    "status": route.status.value
                    if version.version == route.current_version
                    else None,
                    "proposed_at": version.at,
                    "note": version.note.model_dump(mode="json") if version.note else None,
                    "waypoints": [
                        {
                            "place": w.place,
                            "label": w.label.model_dump(mode="json") if w.label else None,
                        }
                        for w in version.waypoints
                    ],
                    "approved_by": [
                        {"party": a.party, "party_name": records.party_name(a.party), "at": a.at}
                        for a in approvals
                    ],
                    "rejected_by": [
                        {
                            "party": r.party,
                            "party_name": records.party_name(r.party),
                            "reasons": [x.model_dump(mode="json") for x in r.reasons],
                            "at": r.at,
                        }
                        for r in rejections
                    ],
                    "visibility": route.visibility.value,
                },
            }
        )
    return features


def incident_feature(incident: IncidentState, records: Records) -> dict[str, Any]:
    point = records.incident_point(incident)
    casualties = incident.casualties
    return {
        "type": "Feature",
        "id": incident.id,
        "geometry": None if point is None else {"type": "Point", "coordinates": list(point)},
        "properties": {
            "layer": "incident",
            "id": incident.id,
            "occurred_at": incident.occurred_at,
            "precision": records.precision.get(incident.id),
            "event_type": incident.event_type.value,
            "sub_event_type": incident.sub_event_type.value if incident.sub_event_type else None,
            "weapon": incident.weapon.value if incident.weapon else None,
            "weapon_detail": incident.weapon_detail.model_dump(mode="json")
            if incident.weapon_detail
            else None,
            "place": incident.place,
            "place_name": records.place_name(incident.place) if incident.place else None,
            "alleged_perpetrator": incident.alleged_perpetrator,
            "alleged_perpetrator_name": records.party_name(incident.alleged_perpetrator)
            if incident.alleged_perpetrator
            else None,
            "perpetrator_confidence": incident.perpetrator_confidence.value,
            # Every party alleged, the one named on the report first (mutual blame kept).
            "alleged_perpetrators": [
                {
                    "party": a.party,
                    "name": records.party_name(a.party),
                    "confidence": a.confidence.value,
                    "alleged_by": a.alleged_by,
                    "alleged_by_name": records.party_name(a.alleged_by) if a.alleged_by else None,
                }
                for a in incident.perpetrators()
            ],
            "humanitarian": [h.value for h in incident.humanitarian],
            "killed": casualties.killed.total if casualties.killed else None,
            "injured": casualties.injured.total if casualties.injured else None,
            "description": incident.description.model_dump(mode="json"),
            "source": incident.source.model_dump(mode="json"),
            "verification": incident.verification.value,
            "visibility": incident.visibility.value,
        },
    }


def operation_geojson(records: Records) -> dict[str, Any]:
    """Everything geographic the reader may see of the operation, one FeatureCollection;
    each feature's ``layer`` says what it is."""
    features: list[dict[str, Any]] = []
    for place in records.places:
        feature = place_feature(place)
        feature["properties"] = {"layer": "place", **feature["properties"]}
        features.append(feature)
    features += control_features(records.areas, records.fronts)
    for route in records.routes:
        features += route_features(route, records)
    features += [incident_feature(i, records) for i in records.incidents]
    for feature in features:
        feature["geometry"] = right_handed(feature["geometry"])
        extra = feature["properties"].get("polygon")
        if extra is not None:
            feature["properties"]["polygon"] = right_handed(extra)
    return {"type": "FeatureCollection", "features": features}
