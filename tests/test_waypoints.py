"""A route's waypoints as typed: places by any of their names, points, labels; each problem
named by its line."""

from __future__ import annotations

from mamar.web.pages._waypoints import Gazetteer, Problem, labels

PLACES = [
    {
        "id": "ramouseh-roundabout",
        "name": {"ar": "دوار الراموسة", "en": "Ramouseh roundabout"},
        "aliases": ["Ramousseh bridge"],
        "point": {"lat": 36.15, "lon": 37.138},
    },
    {"id": "rashidin", "name": {"ar": "الراشدين"}, "point": {"lat": 36.18, "lon": 37.075}},
    {"id": "rashidin-4", "name": {"ar": "الراشدين الرابعة"}, "point": {"lat": 36.17, "lon": 37.07}},
    {"id": "old-town", "name": {"ar": "البلدة القديمة"}},
    {"id": "north-square", "name": {"en": "The square"}, "point": {"lat": 1.0, "lon": 2.0}},
    {"id": "south-square", "name": {"en": "The square"}, "point": {"lat": 3.0, "lon": 4.0}},
]


def test_a_place_by_any_of_its_names_a_point_and_labels() -> None:
    places = Gazetteer(PLACES)
    typed = [
        "دوار الراموسة",
        "ramouseh ROUNDABOUT — the bridge",
        "Ramousseh bridge: قرب الجسر",
        "الراشدين الرابعة",  # the longer name wins over the shorter one inside it
        "الراشدين نقطة التفتيش",
        "٣٦٫١٧،٣٧٫١٣ نقطة التجمع",  # Arabic-Indic digits and separators
        "-12.5, 40 south",
        "rashidin",  # an identifier, as the API and the CLI give it
    ]
    points = places.read(typed, {}, "ar")
    assert not isinstance(points, Problem)
    assert [p.get("place") for p in points] == [
        "ramouseh-roundabout",
        "ramouseh-roundabout",
        "ramouseh-roundabout",
        "rashidin-4",
        "rashidin",
        None,
        None,
        "rashidin",
    ]
    assert [p.get("label", {}).get("original") for p in points] == [
        None,
        "the bridge",
        "قرب الجسر",
        None,
        "نقطة التفتيش",
        "نقطة التجمع",
        "south",
        None,
    ]
    assert points[5]["lat"] == 36.17 and points[5]["lon"] == 37.13
    assert points[6]["lat"] == -12.5 and points[0]["lat"] == 36.15


def test_each_problem_names_its_line() -> None:
    places = Gazetteer(PLACES)
    assert places.read(["الراشدين", "nowhere at all"], {}, "ar") == Problem(
        2, "unknown", "nowhere at all"
    )
    assert places.read(["36.1,"], {}, "ar") == Problem(1, "point")
    assert places.read(["البلدة القديمة"], {}, "ar") == Problem(1, "pointless", "البلدة القديمة")
    assert places.read(["the square — here"], {}, "en") == Problem(1, "ambiguous", "the square")
    # A line far too long (100,000 letters, words or one word) is read once, and only its
    # beginning is said back.
    for huge in ("كلمة " * 20000, "ب" * 100000, "الراشدين " + "x " * 50000):
        read = places.read([huge], {}, "ar")
        if huge.startswith("الراشدين"):
            assert not isinstance(read, Problem) and read[0]["place"] == "rashidin"
            assert len(read[0]["label"]["original"]) == 99999
        else:
            assert isinstance(read, Problem) and read.kind == "unknown"
            assert len(read.words) <= 60 and read.words.endswith("…")


def test_the_form_shows_names_in_the_pages_language_and_keeps_labels_as_recorded() -> None:
    places = Gazetteer(PLACES)
    label = {
        "original": "نقطة",
        "language": "ar",
        "translations": [{"text": "Point", "language": "en"}],
    }
    version = {
        "waypoints": [
            {"place": "ramouseh-roundabout", "lat": 36.15, "lon": 37.138, "label": label},
            {"lat": 36.17, "lon": 37.13},
        ]
    }
    assert places.text(version["waypoints"], "ar") == "دوار الراموسة — نقطة\n36.17,37.13"
    assert places.text(version["waypoints"], "en") == "Ramouseh roundabout — Point\n36.17,37.13"
    # A label that only repeats the place's name is not shown after it.
    same = {"original": "دوار الراموسة", "language": "ar"}
    named = [{"place": "ramouseh-roundabout", "lat": 36.15, "lon": 37.138, "label": same}]
    assert places.text(named, "ar") == "دوار الراموسة"
    assert places.text(named, "en") == "Ramouseh roundabout — دوار الراموسة"
    # Read back as shown, a label keeps the words and language it was recorded in.
    kept = labels(version, "en")
    again = places.read(places.text(version["waypoints"], "en").splitlines(), kept, "en")
    assert not isinstance(again, Problem)
    assert again[0]["label"] == label and again[0]["place"] == "ramouseh-roundabout"
