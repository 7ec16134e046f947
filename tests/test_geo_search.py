"""Name normalisation (Arabic script and Latin transliteration) and ranked place search."""

from __future__ import annotations

import pytest

from mamar.domain.text import LocalName
from mamar.geo.arabic import fold, normalise_arabic
from mamar.geo.search import Tier, search_places
from mamar.places.model import PlaceState
from tests.geo_builders import GAZETTEER


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("الراموسة", "الراموسه"),  # taa marbuta / haa
        ("الإذاعة", "الاذاعه"),  # hamza under alef
        ("إدلب", "ادلب"),
        ("أحمد", "احمد"),
        ("آمنة", "امنه"),
        ("مستشفى", "مستشفي"),  # alef maqsura / yaa
        ("المُشْهَد", "المشهد"),  # diacritics
        ("حلـــب", "حلب"),  # tatweel
        ("مسؤول", "مسوول"),  # hamza on waw
        ("الراموسة", "راموسة"),  # the article
    ],
)
def test_arabic_spellings_fold_together(a: str, b: str) -> None:
    assert fold(a) == fold(b)


def test_normalise_arabic_removes_marks_but_keeps_letters() -> None:
    assert normalise_arabic("صَلاحُ الدِّين") == "صلاح الدين"
    assert normalise_arabic("كفر حمرة") == "كفر حمره"


@pytest.mark.parametrize(
    "group",
    [
        ["Ramouseh", "Ramousa", "Ramousah", "Ramouse", "Ramoussa", "al-Ramouseh", "El-Ramousa"],
        ["Ameriyeh", "Ameriyah", "Amiriya", "Al-Amiriyah"],
        ["Saif al-Dawla", "Sayf al-Dawla", "Seif ad-Dawla"],
        ["Jisr al-Haj", "Jisr al-Hajj"],
        ["Izaa'a", "Idha'a", "Iza'a"],  # dh / z
        ["Idlib", "Idleb", "Edlib"],
        ["Layramoun", "Lairamoun", "Layramon"],
        ["Khan al-Asal", "Khan al-Assal"],
        ["Sukkari", "Sukari", "as-Sukkari"],
    ],
)
def test_latin_transliterations_fold_together(group: list[str]) -> None:
    assert {fold(name) for name in group} == {fold(group[0])}


def test_different_names_stay_apart() -> None:
    assert fold("Ramouseh") != fold("Rashidin")
    assert fold("الراموسة") != fold("الراشدين")


def _gazetteer() -> list[PlaceState]:
    return [
        PlaceState(
            id=pid,
            name=LocalName(ar=ar, en=en),
            kind=kind,
            aliases=aliases,
            point={"lat": lat, "lon": lon},
        )
        for pid, ar, en, aliases, kind, lat, lon, _ in GAZETTEER
    ]


@pytest.mark.parametrize(
    "query", ["Ramouseh", "Ramousa", "ramousah", "Ramouse", "الراموسة", "الراموسه"]
)
def test_every_spelling_finds_ramouseh_first(query: str) -> None:
    hits = search_places(_gazetteer(), query)
    assert hits[0].place == "ramouseh"
    assert hits[0].tier is Tier.EXACT


def test_exact_outranks_prefix_outranks_fuzzy() -> None:
    hits = search_places(_gazetteer(), "Ramouseh")
    tiers = {h.place: h.tier for h in hits}
    assert tiers["ramouseh"] is Tier.EXACT
    # "Ramouseh roundabout" starts with the name: a prefix match, ranked after.
    assert tiers["ramouseh-roundabout"] is Tier.PREFIX
    assert [h.place for h in hits][:2] == ["ramouseh", "ramouseh-roundabout"]


def test_arabic_prefix_and_article() -> None:
    hits = search_places(_gazetteer(), "دوار")
    assert {h.place for h in hits} >= {"ramouseh-roundabout", "jisr-al-hajj", "layramoun"}
    assert all(h.tier is Tier.PREFIX for h in hits)


def test_fuzzy_tolerates_a_spelling_not_in_the_aliases() -> None:
    hits = search_places(_gazetteer(), "Liramoun")
    assert hits[0].place == "layramoun"
    assert hits[0].tier is Tier.FUZZY
    hits = search_places(_gazetteer(), "Salahedin")
    assert hits[0].place == "salah-al-din"


def test_verbatim_match_ranks_above_folded_match() -> None:
    places = [
        PlaceState(id="a", name=LocalName(en="Ramousa"), kind="other"),
        PlaceState(id="b", name=LocalName(en="Ramouseh"), kind="other"),
    ]
    assert [h.place for h in search_places(places, "Ramouseh")] == ["b", "a"]


def test_nothing_matches_nonsense() -> None:
    assert search_places(_gazetteer(), "Zzyzx") == []
