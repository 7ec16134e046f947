"""Builders for the geography tests: the Aleppo gazetteer, parties, hand-drawn control areas."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from mamar.control.commands import RecordControlArea
from mamar.parties.commands import RegisterParty
from mamar.places.commands import RegisterPlace
from mamar.services.commands import SYSTEM
from mamar.system import Mamar
from tests.helpers import at

# (id, ar, en, aliases, kind, lat, lon, estimated) from the demo facts.
GAZETTEER: list[tuple[str, str, str, tuple[str, ...], str, float, float, bool]] = [
    ("aleppo", "حلب", "Aleppo", ("Halab",), "city", 36.217, 37.167, False),
    (
        "sukkari",
        "السكري",
        "Al-Sukkari",
        ("Sukkari", "Sukari", "al-Sakri"),
        "neighbourhood",
        36.177,
        37.152,
        True,
    ),
    (
        "amiriyah",
        "العامرية",
        "Al-Amiriyah",
        ("Ameriyeh", "Ameriyah", "Amiriya"),
        "neighbourhood",
        36.172,
        37.141,
        True,
    ),
    (
        "mashhad",
        "المشهد",
        "Al-Mashhad",
        ("Mashhad", "Mashad"),
        "neighbourhood",
        36.183,
        37.143,
        True,
    ),
    (
        "idaa",
        "الإذاعة",
        "Al-Idaa'a",
        ("Izaa'a", "Idha'a", "Iza'a"),
        "neighbourhood",
        36.189,
        37.143,
        True,
    ),
    (
        "saif-al-dawla",
        "سيف الدولة",
        "Saif al-Dawla",
        ("Sayf al-Dawla", "Seif al-Dawla"),
        "neighbourhood",
        36.193,
        37.135,
        True,
    ),
    (
        "salah-al-din",
        "صلاح الدين",
        "Salah al-Din",
        ("Salaheddine", "Salahaddin"),
        "neighbourhood",
        36.186,
        37.130,
        True,
    ),
    (
        "ramouseh",
        "الراموسة",
        "Al-Ramouseh",
        ("Ramousah", "Ramousa", "Ramouse", "Ramoussa"),
        "neighbourhood",
        36.158,
        37.145,
        True,
    ),
    (
        "ramouseh-roundabout",
        "دوار الراموسة",
        "Ramouseh roundabout",
        ("Ramousseh bridge",),
        "roundabout",
        36.150,
        37.138,
        True,
    ),
    (
        "jisr-al-hajj",
        "دوار جسر الحج",
        "Jisr al-Hajj roundabout",
        ("Jisr al-Haj",),
        "roundabout",
        36.186,
        37.154,
        True,
    ),
    (
        "layramoun",
        "دوار الليرمون",
        "Layramoun roundabout",
        ("Layramoun", "Lairamoun", "Lermon", "Layramon"),
        "roundabout",
        36.233,
        37.128,
        True,
    ),
    (
        "kafr-hamra",
        "كفر حمرة",
        "Kafr Hamra",
        ("Kafr Hamrah", "Kfar Hamra"),
        "village",
        36.250,
        37.083,
        False,
    ),
    (
        "rashidin",
        "الراشدين",
        "Al-Rashidin",
        ("Rashideen", "Rashidin"),
        "neighbourhood",
        36.180,
        37.075,
        True,
    ),
    (
        "khan-al-asal",
        "خان العسل",
        "Khan al-Asal",
        ("Khan al-Assal",),
        "village",
        36.167,
        37.039,
        False,
    ),
    ("idlib", "إدلب", "Idlib", ("Idleb", "Edlib"), "city", 35.933, 36.633, False),
]

T0 = "2016-12-13T18:00+02:00"


def register_places(system: Mamar, operation: str = "op") -> None:
    for pid, ar, en, aliases, kind, lat, lon, estimated in GAZETTEER:
        system.execute(
            RegisterPlace(
                id=pid,
                operation=operation,
                name={"ar": ar, "en": en},
                place_kind=kind,
                aliases=aliases,
                point={"lat": lat, "lon": lon},
                precision="approximate" if estimated else "exact",
            ),
            actor=SYSTEM,
            occurred=at("2016-12-12T09:00+02:00"),
        )


def register_parties(system: Mamar, operation: str = "op") -> None:
    for pid, en, kind in (
        ("factions", "Besieged factions", "armed_group"),
        ("government", "Government forces", "state_forces"),
        ("militias", "Allied militias", "militia"),
    ):
        system.execute(
            RegisterParty(id=pid, operation=operation, name={"en": en}, party_kind=kind),
            actor=SYSTEM,
            occurred=at("2016-12-12T09:00+02:00"),
        )


def box(lon0: float, lat0: float, lon1: float, lat1: float) -> dict[str, Any]:
    return {
        "type": "Polygon",
        "coordinates": [[[lon0, lat0], [lon1, lat0], [lon1, lat1], [lon0, lat1], [lon0, lat0]]],
    }


def record_area(
    system: Mamar,
    area_id: str,
    party: str,
    area: dict[str, Any],
    valid_from: str = T0,
    operation: str = "op",
    **extra: Any,
) -> None:
    system.execute(
        RecordControlArea(
            id=area_id,
            operation=operation,
            party=party,
            area=area,
            valid_from=datetime.fromisoformat(valid_from),
            source="test drawing",
            confidence="medium",
            **extra,
        ),
        actor=SYSTEM,
        occurred=at("2016-12-13T18:00+02:00"),
    )


def aleppo_control(system: Mamar, operation: str = "op") -> None:
    """Approximate, hand-drawn: the besieged pocket (south-east of the centre) held by the
    factions; the ground west and north of it by the government side; the Ramouseh
    road corridor to the south-west open (no control recorded)."""
    # The pocket: Sukkari, Amiriyah, Mashhad, Idaa'a, Saif al-Dawla, part of Salah al-Din.
    record_area(
        system, "pocket", "factions", box(37.128, 36.165, 37.158, 36.196), operation=operation
    )
    # Government-held neighbourhoods north and west of the pocket, up to Layramoun.
    record_area(
        system,
        "west-aleppo",
        "government",
        box(37.090, 36.196, 37.170, 36.245),
        operation=operation,
    )
    # Government-held ground around the Jisr al-Hajj road, east of the pocket.
    record_area(
        system, "jisr-east", "government", box(37.158, 36.165, 37.180, 36.196), operation=operation
    )
