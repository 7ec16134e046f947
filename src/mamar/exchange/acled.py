"""Incidents in ACLED's column layout (the Armed Conflict Location & Event Data codebook),
and incidents from a file in that layout.

Our categories are ACLED's own event and sub-event types, so they map one to one
(:data:`EVENT_TYPES`, :data:`SUB_EVENT_TYPES`); the rest of the mapping (actors' types,
dates, precision, fatalities, what goes into ``tags``) is documented in
docs/exchange.md and checked by tests/test_exchange.py.
"""

from __future__ import annotations

import csv
import io
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from mamar.domain.text import said
from mamar.domain.time import Precision
from mamar.exchange.incident_rows import (
    ImportRefused,
    Names,
    Row,
    csv_lines,
    decimal,
    moment,
    require_columns,
    unknown_place,
    whole,
)
from mamar.exchange.records import Records
from mamar.incidents.categories import EventType, SubEventType
from mamar.incidents.events import Allegation
from mamar.incidents.model import IncidentState
from mamar.web.i18n import tr

COLUMNS = (
    "event_id_cnty",
    "event_date",
    "year",
    "time_precision",
    "disorder_type",
    "event_type",
    "sub_event_type",
    "actor1",
    "assoc_actor_1",
    "inter1",
    "actor2",
    "assoc_actor_2",
    "inter2",
    "interaction",
    "civilian_targeting",
    "iso",
    "region",
    "country",
    "admin1",
    "admin2",
    "admin3",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "source_scale",
    "notes",
    "fatalities",
    "tags",
    "timestamp",
)

E, S = EventType, SubEventType
EVENT_TYPES: dict[EventType, str] = {
    E.BATTLES: "Battles",
    E.EXPLOSIONS_REMOTE_VIOLENCE: "Explosions/Remote violence",
    E.VIOLENCE_AGAINST_CIVILIANS: "Violence against civilians",
    E.PROTESTS: "Protests",
    E.RIOTS: "Riots",
    E.STRATEGIC_DEVELOPMENTS: "Strategic developments",
}
SUB_EVENT_TYPES: dict[SubEventType, str] = {
    S.ARMED_CLASH: "Armed clash",
    S.GOVERNMENT_REGAINS_TERRITORY: "Government regains territory",
    S.NON_STATE_ACTOR_OVERTAKES_TERRITORY: "Non-state actor overtakes territory",
    S.CHEMICAL_WEAPON: "Chemical weapon",
    S.AIR_DRONE_STRIKE: "Air/drone strike",
    S.SUICIDE_BOMB: "Suicide bomb",
    S.SHELLING_ARTILLERY_MISSILE_ATTACK: "Shelling/artillery/missile attack",
    S.REMOTE_EXPLOSIVE_LANDMINE_IED: "Remote explosive/landmine/IED",
    S.GRENADE: "Grenade",
    S.SEXUAL_VIOLENCE: "Sexual violence",
    S.ATTACK: "Attack",
    S.ABDUCTION_FORCED_DISAPPEARANCE: "Abduction/forced disappearance",
    S.PEACEFUL_PROTEST: "Peaceful protest",
    S.PROTEST_WITH_INTERVENTION: "Protest with intervention",
    S.EXCESSIVE_FORCE_AGAINST_PROTESTERS: "Excessive force against protesters",
    S.VIOLENT_DEMONSTRATION: "Violent demonstration",
    S.MOB_VIOLENCE: "Mob violence",
    S.AGREEMENT: "Agreement",
    S.ARRESTS: "Arrests",
    S.CHANGE_TO_GROUP_ACTIVITY: "Change to group/activity",
    S.DISRUPTED_WEAPONS_USE: "Disrupted weapons use",
    S.HEADQUARTERS_OR_BASE_ESTABLISHED: "Headquarters or base established",
    S.LOOTING_PROPERTY_DESTRUCTION: "Looting/property destruction",
    S.NON_VIOLENT_TRANSFER_OF_TERRITORY: "Non-violent transfer of territory",
    S.OTHER: "Other",
}
#: ACLED's disorder type of each event type (sub-event types that differ are below).
DISORDER: dict[EventType, str] = {
    E.BATTLES: "Political violence",
    E.EXPLOSIONS_REMOTE_VIOLENCE: "Political violence",
    E.VIOLENCE_AGAINST_CIVILIANS: "Political violence",
    E.PROTESTS: "Demonstrations",
    E.RIOTS: "Political violence",
    E.STRATEGIC_DEVELOPMENTS: "Strategic developments",
}
DISORDER_OF_SUB: dict[SubEventType, str] = {
    S.VIOLENT_DEMONSTRATION: "Demonstrations",
    S.EXCESSIVE_FORCE_AGAINST_PROTESTERS: "Political violence; Demonstrations",
}
#: ACLED's actor types ("inter" codes, as named since 2024) of our kinds of party.
ACTOR_TYPES: dict[str, str] = {
    "state_forces": "State forces",
    "armed_group": "Rebel group",
    "militia": "Political militia",
    "guarantor_state": "External/Other forces",
    "humanitarian_organisation": "Civilians",
    "civil_defence": "Civilians",
    "medical": "Civilians",
    "civilian_body": "Civilians",
    "other": "External/Other forces",
}
#: Our kinds of source, as ACLED's source scale.
SOURCE_SCALES: dict[str, str] = {
    "witness": "Local partner",
    "own_team": "Local partner",
    "partner": "Local partner",
    "media": "New media",
    "other": "Other",
}
#: ACLED's time precision: 1 the day is known, 2 the week, 3 the month.
TIME_PRECISION = {"exact": 1, "minute": 1, "hour": 1, "day": 1, "approximate": 2}


def _label_lookup(labels: dict[Any, str]) -> dict[str, Any]:
    return {label.casefold(): value for value, label in labels.items()}


EVENT_TYPE_OF = _label_lookup(EVENT_TYPES)
SUB_EVENT_TYPE_OF = _label_lookup(SUB_EVENT_TYPES)


def _english(incident: IncidentState) -> str:
    return said(incident.description, "en").words


def _geo_precision(incident: IncidentState, records: Records) -> int:
    if incident.point is not None:
        return 1
    place = next((p for p in records.places if p.id == incident.place), None)
    if place is None:
        return 3
    return 1 if place.point is not None else 2


def _party_words(allegation: Allegation, records: Records) -> str:
    words = f"{records.party_name(allegation.party)} ({allegation.confidence.value}"
    if allegation.alleged_by:
        words += f", alleged by {records.party_name(allegation.alleged_by)}"
    return words + ")"


def row(incident: IncidentState, records: Records) -> dict[str, Any]:
    """One incident as an ACLED row."""
    zone = ZoneInfo(records.operation.timezone)
    occurred = datetime.fromisoformat(incident.occurred_at).astimezone(zone)
    # ACLED has one actor: the one named on the report, else the most confident allegation;
    # every other party alleged (mutual blame) is named in the tags.
    main = incident.main_allegation()
    perpetrator = next((p for p in records.parties if main and p.id == main.party), None)
    inter1 = ACTOR_TYPES.get(perpetrator.kind.value, "") if perpetrator else ""
    civilians = incident.event_type is E.VIOLENCE_AGAINST_CIVILIANS
    actor2, inter2 = ("Civilians", "Civilians") if civilians else ("", "")
    interaction = (
        f"{inter1}-{inter2}" if inter1 and inter2 else (f"{inter1} only" if inter1 else "")
    )
    point = records.incident_point(incident)
    casualties = incident.casualties
    tags = [f"verification: {incident.verification.value}"]
    confidence = main.confidence if main else incident.perpetrator_confidence
    if confidence.value != "unknown":
        tags.append(f"perpetrator confidence: {confidence.value}")
    for other in incident.perpetrators()[1:]:
        tags.append(f"also alleged: {_party_words(other, records)}")
    for impact in incident.humanitarian:
        tags.append(f"humanitarian: {impact.value}")
    if casualties.killed is None:
        tags.append("fatalities unknown")
    if casualties.injured is not None:
        tags.append(f"injured: {casualties.injured.total}")
    if incident.weapon is not None:
        tags.append(f"weapon: {incident.weapon.value}")
    sub = incident.sub_event_type
    return {
        "event_id_cnty": incident.id,
        "event_date": occurred.date().isoformat(),
        "year": occurred.year,
        "time_precision": TIME_PRECISION.get(records.precision.get(incident.id, "exact"), 1),
        "disorder_type": DISORDER_OF_SUB.get(sub, DISORDER[incident.event_type])
        if sub
        else DISORDER[incident.event_type],
        "event_type": EVENT_TYPES[incident.event_type],
        "sub_event_type": SUB_EVENT_TYPES[sub] if sub else "",
        "actor1": perpetrator.name.display("en") if perpetrator else "",
        "assoc_actor_1": "",
        "inter1": inter1,
        "actor2": actor2,
        "assoc_actor_2": "",
        "inter2": inter2,
        "interaction": interaction,
        "civilian_targeting": "Civilian targeting" if civilians else "",
        "iso": "",
        "region": "",
        "country": "",
        "admin1": records.operation.area or "",
        "admin2": "",
        "admin3": "",
        "location": records.place_name(incident.place) if incident.place else "",
        "latitude": point[1] if point else "",
        "longitude": point[0] if point else "",
        "geo_precision": _geo_precision(incident, records),
        "source": said(incident.source.text, "en").words,  # ACLED's columns are English
        "source_scale": SOURCE_SCALES[incident.source.kind.value],
        "notes": _english(incident),
        "fatalities": casualties.killed.total if casualties.killed else 0,
        "tags": "; ".join(tags),
        "timestamp": int(datetime.fromisoformat(incident.created_at).timestamp()),
    }


def incidents_csv(records: Records) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for incident in records.incidents:
        writer.writerow(row(incident, records))
    return out.getvalue()


# --- incidents from a file in ACLED's layout ---------------------------------------


def _tags(text: str) -> dict[str, str]:
    out = {}
    for part in text.split(";"):
        name, _, value = part.partition(":")
        if name.strip():
            out[name.strip().casefold()] = value.strip()
    return out


_SOURCE_KINDS = {"new media": "media", "other": "other"}


def incident_rows(text: str, records: Records, lang: str) -> list[Row]:
    """The incidents of an ACLED-layout CSV (a header row of ACLED's column names)."""
    lines = list(csv_lines(text))
    if not lines:
        raise ImportRefused(lang, None, None, tr(lang, "The file is empty"))
    header_line, header = lines[0]
    index = {name.strip().casefold(): i for i, name in enumerate(header)}
    require_columns(
        index, ("event_id_cnty", "event_date", "event_type", "notes"), lang, header_line
    )
    names = Names(records)
    zone = ZoneInfo(records.operation.timezone)
    rows: list[Row] = []
    for line, cells in lines[1:]:
        if not any(c.strip() for c in cells):
            continue

        def cell(name: str, cells: list[str] = cells) -> str:
            at = index.get(name)
            return cells[at].strip() if at is not None and at < len(cells) else ""

        row = Row(line)
        row.put("id", cell("event_id_cnty").lower(), "event_id_cnty")
        row.occurred = moment(cell("event_date"), lang, line, "event_date", zone)
        if cell("time_precision") in ("2", "3"):
            row.occurred = row.occurred.model_copy(update={"precision": Precision.APPROXIMATE})
        for column, lookup, name in (
            ("event_type", EVENT_TYPE_OF, "event_type"),
            ("sub_event_type", SUB_EVENT_TYPE_OF, "sub_event_type"),
        ):
            value = cell(column)
            if not value:
                continue
            found = lookup.get(value.casefold())
            if found is None:
                raise ImportRefused(
                    lang,
                    line,
                    column,
                    tr(lang, "“%(value)s” is not one of ACLED's categories", value=value),
                )
            row.put(name, found.value, column)
        actor = cell("actor1")
        if actor:
            row.put("alleged_perpetrator", names.known_party(actor, lang, line, "actor1"), "actor1")
        location = cell("location")
        lat, lon = cell("latitude"), cell("longitude")
        place = names.place(location) if location else None
        if place is not None:
            row.put("place", place, "location")
        elif lat or lon:
            row.put(
                "point",
                {
                    "lat": decimal(lat, lang, line, "latitude"),
                    "lon": decimal(lon, lang, line, "longitude"),
                },
                "latitude",
            )
        elif location:
            raise unknown_place(location, lang, line, "location")
        tags = _tags(cell("tags"))
        casualties: dict[str, Any] = {}
        fatalities = whole(cell("fatalities"), lang, line, "fatalities")
        if fatalities is not None and "fatalities unknown" not in tags:
            casualties["killed"] = {"total": fatalities}
        if tags.get("injured"):
            casualties["injured"] = {"total": whole(tags["injured"], lang, line, "tags")}
        row.put("casualties", casualties, "fatalities")
        if tags.get("perpetrator confidence"):
            row.put("perpetrator_confidence", tags["perpetrator confidence"], "tags")
        if tags.get("weapon"):
            row.put("weapon", tags["weapon"], "tags")
        row.put("description", {"original": cell("notes"), "language": "en"}, "notes")
        scale = cell("source_scale").casefold()
        row.put(
            "source",
            {
                "text": {"original": cell("source") or "-", "language": "en"},
                "kind": _SOURCE_KINDS.get(scale, "partner"),
            },
            "source",
        )
        rows.append(row)
    return rows
