"""GeoJSON and CSV import and export of places, control areas and front lines.

Exports are built from states the caller has already filtered for the viewer;
imports produce commands, which the caller executes through the services
(so authorisation and validation happen as for any other change).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from datetime import datetime
from typing import Any

import orjson
from pydantic import ValidationError

from mamar.control.commands import (
    EndControlArea,
    EndFrontLine,
    RecordControlArea,
    RecordFrontLine,
    TransferControlArea,
)
from mamar.control.model import ControlAreaState, FrontLineState
from mamar.domain.errors import DomainError
from mamar.domain.model import Command
from mamar.domain.text import LocalName
from mamar.places.commands import RegisterPlace
from mamar.places.model import PlaceState

ALIAS_SEPARATOR = " | "
_EPOCH = datetime.fromisoformat("1970-01-01T00:00:00+00:00")

PLACE_COLUMNS = (
    "id",
    "name_ar",
    "name_en",
    "aliases",
    "kind",
    "lat",
    "lon",
    "precision",
    "notes",
    "notes_lang",
    "polygon",
    "visibility",
)
CONTROL_COLUMNS = (
    "layer",
    "id",
    "name_ar",
    "name_en",
    "party",
    "valid_from",
    "valid_to",
    "source",
    "source_lang",
    "confidence",
    "geometry",
    "visibility",
)


def _iso(moment: datetime | None) -> str | None:
    return None if moment is None else moment.isoformat()


def _name_fields(name: LocalName | None) -> dict[str, str | None]:
    return {"name_ar": name.ar if name else None, "name_en": name.en if name else None}


def _name_from(props: dict[str, Any]) -> dict[str, str] | None:
    name = {k: v for k, v in (("ar", props.get("name_ar")), ("en", props.get("name_en"))) if v}
    return name or None


def _refusal(where: str, exc: ValidationError) -> DomainError:
    first = exc.errors()[0]
    loc = ".".join(str(p) for p in first["loc"])
    return DomainError("invalid_import", f"{where}: {loc}: {first['msg']}", field=loc or None)


# --- places ------------------------------------------------------------------------------


def _notes(props: dict[str, Any]) -> Any:
    """A place's notes with their language, as this module writes them (a text with its
    language and translations in GeoJSON; the original words in ``notes`` and their language
    in ``notes_lang`` in CSV). Words without their language are taken as any text given
    without one is (Arabic)."""
    given = props.get("notes")
    if isinstance(given, dict):
        return given
    if not given:
        return None
    if props.get("notes_lang"):
        return {"original": given, "language": props["notes_lang"]}
    return given


def place_feature(state: PlaceState) -> dict[str, Any]:
    geometry: dict[str, Any] | None = None
    if state.point is not None:
        geometry = {"type": "Point", "coordinates": [state.point.lon, state.point.lat]}
    elif state.polygon is not None:
        geometry = state.polygon.model_dump(mode="json")
    properties: dict[str, Any] = {
        "id": state.id,
        **_name_fields(state.name),
        "aliases": list(state.aliases),
        "kind": state.kind.value,
        "precision": state.precision.value,
        "notes": state.notes.model_dump(mode="json") if state.notes else None,
        "visibility": state.visibility.value,
    }
    if state.point is not None and state.polygon is not None:
        properties["polygon"] = state.polygon.model_dump(mode="json")
    return {"type": "Feature", "id": state.id, "geometry": geometry, "properties": properties}


def places_to_geojson(states: Iterable[PlaceState]) -> dict[str, Any]:
    return {"type": "FeatureCollection", "features": [place_feature(s) for s in states]}


def _place_command(fields: dict[str, Any], operation: str, where: str) -> RegisterPlace:
    try:
        return RegisterPlace.model_validate({**fields, "operation": operation})
    except ValidationError as exc:
        raise _refusal(where, exc) from None


def places_from_geojson(data: dict[str, Any], operation: str) -> list[RegisterPlace]:
    commands = []
    for number, feature in enumerate(data.get("features", []), start=1):
        props = dict(feature.get("properties") or {})
        geometry = feature.get("geometry")
        fields: dict[str, Any] = {
            "id": props.get("id", feature.get("id")),
            "name": _name_from(props),
            "place_kind": props.get("kind", "other"),
            "aliases": tuple(props.get("aliases") or ()),
            "precision": props.get("precision", "exact"),
            "notes": _notes(props),
        }
        if props.get("visibility"):
            fields["visibility"] = props["visibility"]
        if geometry and geometry.get("type") == "Point":
            lon, lat = geometry["coordinates"][:2]
            fields["point"] = {"lat": lat, "lon": lon}
        elif geometry:
            fields["polygon"] = geometry
        if props.get("polygon"):
            fields["polygon"] = props["polygon"]
        commands.append(_place_command(fields, operation, f"feature {number}"))
    return commands


def places_to_csv(states: Iterable[PlaceState]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=PLACE_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for s in states:
        writer.writerow(
            {
                "id": s.id,
                **_name_fields(s.name),
                "aliases": ALIAS_SEPARATOR.join(s.aliases),
                "kind": s.kind.value,
                "lat": repr(s.point.lat) if s.point else "",
                "lon": repr(s.point.lon) if s.point else "",
                "precision": s.precision.value,
                "notes": s.notes.original if s.notes else "",
                "notes_lang": s.notes.language if s.notes else "",
                "polygon": orjson.dumps(s.polygon.model_dump(mode="json")).decode()
                if s.polygon
                else "",
                "visibility": s.visibility.value,
            }
        )
    return out.getvalue()


def places_from_csv(text: str, operation: str) -> list[RegisterPlace]:
    commands = []
    for number, row in enumerate(csv.DictReader(io.StringIO(text)), start=2):
        fields: dict[str, Any] = {
            "id": row.get("id"),
            "name": _name_from(row),
            "place_kind": row.get("kind") or "other",
            "aliases": tuple(a.strip() for a in (row.get("aliases") or "").split("|") if a.strip()),
            "precision": row.get("precision") or "exact",
            "notes": _notes(row),
        }
        if row.get("lat") and row.get("lon"):
            fields["point"] = {"lat": row["lat"], "lon": row["lon"]}
        if row.get("polygon"):
            fields["polygon"] = orjson.loads(row["polygon"])
        if row.get("visibility"):
            fields["visibility"] = row["visibility"]
        commands.append(_place_command(fields, operation, f"line {number}"))
    return commands


# --- control areas and front lines --------------------------------------------------------


def control_features(
    areas: Iterable[ControlAreaState], fronts: Iterable[FrontLineState]
) -> list[dict[str, Any]]:
    """One feature per control period (an area's history), one per front line."""
    features: list[dict[str, Any]] = []
    for area in areas:
        geometry = area.area.model_dump(mode="json")
        for period in area.periods:
            features.append(
                {
                    "type": "Feature",
                    "id": f"{area.id}@{period.valid_from.isoformat()}",
                    "geometry": geometry,
                    "properties": {
                        "layer": "control_area",
                        "id": area.id,
                        **_name_fields(area.name),
                        "party": period.party,
                        "valid_from": _iso(period.valid_from),
                        "valid_to": _iso(period.valid_to),
                        "source": period.source.model_dump(mode="json"),
                        "confidence": period.confidence.value,
                        "visibility": area.visibility.value,
                    },
                }
            )
    for front in fronts:
        features.append(
            {
                "type": "Feature",
                "id": front.id,
                "geometry": front.line.model_dump(mode="json"),
                "properties": {
                    "layer": "front_line",
                    "id": front.id,
                    **_name_fields(front.name),
                    "parties": list(front.parties),
                    "valid_from": _iso(front.valid_from),
                    "valid_to": _iso(front.valid_to),
                    "source": front.source.model_dump(mode="json"),
                    "confidence": front.confidence.value,
                    "visibility": front.visibility.value,
                },
            }
        )
    return features


def control_to_geojson(
    areas: Iterable[ControlAreaState], fronts: Iterable[FrontLineState]
) -> dict[str, Any]:
    return {"type": "FeatureCollection", "features": control_features(areas, fronts)}


def _parse_time(value: Any) -> datetime | None:
    if value in (None, ""):
        return None
    return value if isinstance(value, datetime) else datetime.fromisoformat(str(value))


def _make(cls: type[Command], data: dict[str, Any], where: str) -> Command:
    try:
        return cls.model_validate(data)
    except ValidationError as exc:
        raise _refusal(where, exc) from None
    except ValueError as exc:
        raise DomainError("invalid_import", f"{where}: {exc}") from None


def _time_of(value: Any, where: str) -> datetime | None:
    try:
        return _parse_time(value)
    except ValueError:
        raise DomainError("invalid_import", f"{where}: '{value}' is not an ISO 8601 time") from None


def _source(props: dict[str, Any]) -> Any:
    """Who said who controls what, with its language, as this module writes it (a text
    with its language in GeoJSON; the words and a ``source_lang`` column in CSV). Words
    without their language are taken as any text given without one is (Arabic)."""
    given = props.get("source")
    if isinstance(given, dict):
        return given
    if props.get("source_lang"):
        return {"original": given or "", "language": props["source_lang"]}
    return given or ""


def _control_commands(
    items: list[tuple[str, dict[str, Any], dict[str, Any]]], operation: str
) -> list[Command]:
    """Commands for (where, properties, geometry) items, grouped by area id, in time order."""
    areas: dict[str, list[tuple[str, dict[str, Any], dict[str, Any]]]] = {}
    commands: list[Command] = []
    for where, props, geometry in items:
        layer = props.get("layer") or (
            "front_line" if geometry.get("type") == "LineString" else "control_area"
        )
        if layer == "control_area":
            areas.setdefault(str(props.get("id")), []).append((where, props, geometry))
            continue
        data = {
            "id": props.get("id"),
            "operation": operation,
            "visibility": props.get("visibility") or None,
            "name": _name_from(props),
            "line": geometry,
            "parties": tuple(props.get("parties") or ()),
            "valid_from": _time_of(props.get("valid_from"), where),
            "valid_to": _time_of(props.get("valid_to"), where),
            "source": _source(props),
            "confidence": props.get("confidence") or "medium",
        }
        commands.append(_make(RecordFrontLine, data, where))
    for area_id, periods in areas.items():
        periods.sort(key=lambda item: _time_of(item[1].get("valid_from"), item[0]) or _EPOCH)
        where, first, geometry = periods[0]
        only = len(periods) == 1
        data = {
            "id": area_id,
            "operation": operation,
            "visibility": first.get("visibility") or None,
            "name": _name_from(first),
            "party": first.get("party"),
            "area": geometry,
            "valid_from": _time_of(first.get("valid_from"), where),
            "valid_to": _time_of(first.get("valid_to"), where) if only else None,
            "source": _source(first),
            "confidence": first.get("confidence") or "medium",
        }
        commands.append(_make(RecordControlArea, data, where))
        previous_end = _time_of(first.get("valid_to"), where)
        for number, (where, props, _) in enumerate(periods[1:], start=2):
            start = _time_of(props.get("valid_from"), where)
            if previous_end is not None and start is not None and previous_end < start:
                commands.append(EndControlArea(id=area_id, at=previous_end))
            data = {
                "id": area_id,
                "party": props.get("party"),
                "at": start,
                "source": _source(props),
                "confidence": props.get("confidence") or "medium",
            }
            commands.append(_make(TransferControlArea, data, where))
            previous_end = _time_of(props.get("valid_to"), where)
            if number == len(periods) and previous_end is not None:
                commands.append(EndControlArea(id=area_id, at=previous_end))
    # Front lines after the areas keeps the order stable for round trips.
    return [c for c in commands if not isinstance(c, RecordFrontLine | EndFrontLine)] + [
        c for c in commands if isinstance(c, RecordFrontLine | EndFrontLine)
    ]


def control_from_geojson(data: dict[str, Any], operation: str) -> list[Command]:
    items = [
        (f"feature {n}", dict(f.get("properties") or {}), dict(f.get("geometry") or {}))
        for n, f in enumerate(data.get("features", []), start=1)
    ]
    return _control_commands(items, operation)


def control_to_csv(areas: Iterable[ControlAreaState], fronts: Iterable[FrontLineState]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CONTROL_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for feature in control_features(areas, fronts):
        props = feature["properties"]
        party = props.get("party")
        if props["layer"] == "front_line":
            party = ALIAS_SEPARATOR.join(props.get("parties", []))
        writer.writerow(
            {
                "layer": props["layer"],
                "id": props["id"],
                "name_ar": props.get("name_ar") or "",
                "name_en": props.get("name_en") or "",
                "party": party or "",
                "valid_from": props.get("valid_from") or "",
                "valid_to": props.get("valid_to") or "",
                "source": (props.get("source") or {}).get("original") or "",
                "source_lang": (props.get("source") or {}).get("language") or "",
                "confidence": props.get("confidence") or "",
                "geometry": orjson.dumps(feature["geometry"]).decode(),
                "visibility": props.get("visibility") or "",
            }
        )
    return out.getvalue()


def control_from_csv(text: str, operation: str) -> list[Command]:
    items: list[tuple[str, dict[str, Any], dict[str, Any]]] = []
    for number, row in enumerate(csv.DictReader(io.StringIO(text)), start=2):
        where = f"line {number}"
        try:
            geometry = orjson.loads(row.get("geometry") or "{}")
        except orjson.JSONDecodeError:
            raise DomainError(
                "invalid_import", f"{where}: geometry is not GeoJSON", field="geometry"
            ) from None
        props: dict[str, Any] = {k: (v or None) for k, v in row.items()}
        if props.get("layer") == "front_line":
            props["parties"] = [p.strip() for p in (row.get("party") or "").split("|") if p.strip()]
        items.append((where, props, geometry))
    return _control_commands(items, operation)
