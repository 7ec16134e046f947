"""A route's waypoints on its form: rows of places picked by name, or points; labels in
their language; each row's problem said beside it; the rows shown, and how they grow."""

from __future__ import annotations

from mamar.web.pages import _waypoints as waypoints

PLACES = {
    "ramouseh-roundabout": {
        "id": "ramouseh-roundabout",
        "name": {"ar": "دوار الراموسة", "en": "Ramouseh roundabout"},
        "point": {"lat": 36.15, "lon": 37.138},
    },
    "rashidin": {
        "id": "rashidin",
        "name": {"ar": "الراشدين"},
        "point": {"lat": 36.18, "lon": 37.075},
    },
    "old-town": {"id": "old-town", "name": {"ar": "البلدة القديمة"}},
}


def _in(language: str):  # type: ignore[no-untyped-def]
    return lambda name: language


def test_rows_in_order_skip_the_empty_ones_and_keep_each_labels_language() -> None:
    form = {
        "waypoints.0.place": "ramouseh-roundabout",
        "waypoints.0.label": "the bridge",
        "waypoints.1.place": "",
        "waypoints.1.point": "",
        "waypoints.2.point": "٣٦٫١٧،٣٧٫١٣",  # Arabic-Indic digits and separators
        "waypoints.2.label": "نقطة التجمع",
        "waypoints.3.place": "rashidin",
    }
    languages = {"waypoints.0.label": "en", "waypoints.2.label": "ar"}
    read = waypoints.read(form, 4, PLACES, {}, languages.__getitem__)
    assert read.problems == {} and read.rows == [0, 2, 3]
    assert read.waypoints == [
        {
            "place": "ramouseh-roundabout",
            "lat": 36.15,
            "lon": 37.138,
            "label": {"original": "the bridge", "language": "en"},
        },
        {"lat": 36.17, "lon": 37.13, "label": {"original": "نقطة التجمع", "language": "ar"}},
        {"place": "rashidin", "lat": 36.18, "lon": 37.075},
    ]
    # The command's second waypoint was typed in row 2: its refusal is said there.
    assert read.given_by() == {
        "waypoints.0": "waypoints.0",
        "waypoints.1": "waypoints.2",
        "waypoints.2": "waypoints.3",
    }


def test_each_rows_problem_is_said_beside_it() -> None:
    form = {
        "waypoints.0.point": "36.1,",
        "waypoints.1.place": "old-town",
        "waypoints.2.place": "nowhere",
        "waypoints.3.place": "rashidin",
        "waypoints.3.point": "36.1,37.1",
        "waypoints.4.label": "هنا",
        "waypoints.5.place": "rashidin",
    }
    read = waypoints.read(form, 6, PLACES, {}, _in("ar"))
    assert read.problems == {
        (0, "point"): "point",
        (1, "place"): "pointless",
        (2, "place"): "unknown",
        (3, "point"): "both",
        (4, "place"): "neither",
    }
    assert read.rows == [5]
    given = read.given_by()
    assert given["waypoints.0"] == "waypoints.5" and given["waypoints.row3"] == "waypoints.3"
    assert waypoints.problem_key(3, "point") == "waypoints.row3.point"
    # A point not on the Earth; too few rows: the first row left empty is required.
    far = waypoints.read({"waypoints.1.point": "200,-500"}, 3, PLACES, {}, _in("ar"))
    assert far.problems == {(1, "point"): "range", (0, ""): "required"}
    one = waypoints.read({"waypoints.2.place": "rashidin"}, 3, PLACES, {}, _in("ar"))
    assert one.problems == {(0, ""): "required"} and one.given_by()["waypoints.row0"] == (
        "waypoints.0"
    )


def test_the_rows_show_names_in_the_pages_language_and_keep_labels_as_recorded() -> None:
    label = {
        "original": "نقطة",
        "language": "ar",
        "translations": [{"text": "Point", "language": "en"}],
    }
    same = {"original": "الراشدين", "language": "ar"}
    version = {
        "waypoints": [
            {"place": "ramouseh-roundabout", "lat": 36.15, "lon": 37.138, "label": label},
            {"lat": 36.17, "lon": 37.13},
            {"place": "rashidin", "lat": 36.18, "lon": 37.075, "label": same},
        ]
    }
    rows = waypoints.shown(version["waypoints"], PLACES, "en")
    assert rows == [
        waypoints.Shown("ramouseh-roundabout", "", "Point", "en"),
        waypoints.Shown("", "36.17,37.13"),
        waypoints.Shown("rashidin", ""),  # a label that only repeats the name says nothing
    ]
    # Sent back as shown, a label keeps the words and language it was recorded in.
    form = {"waypoints.0.place": "ramouseh-roundabout", "waypoints.0.label": "Point"}
    again = waypoints.read(form, 1, PLACES, waypoints.labels(version, "en"), _in("en"))
    assert again.waypoints[0]["label"] == label
    # Its language changed beside it, it is new words in that language.
    changed = waypoints.read(form, 1, PLACES, waypoints.labels(version, "en"), _in("fr"))
    assert changed.waypoints[0]["label"] == {"original": "Point", "language": "fr"}


def test_the_form_shows_rows_as_sent_or_the_current_ones_and_one_more_when_asked() -> None:
    assert waypoints.row_count({}, 0, False) == waypoints.FIRST_ROWS
    assert waypoints.row_count({}, 5, False) == 6  # the current waypoints and an empty row
    sent = {"waypoints.0.place": "", "waypoints.3.point": "", "note": ""}
    assert waypoints.row_count(sent, 0, False) == 4
    assert waypoints.row_count(sent, 0, True) == 5
    # A row number sent far beyond what a form shows is not read.
    assert waypoints.row_count({"waypoints.100000.place": "x"}, 0, True) == 4
    assert waypoints.point_of("-12.5, 40") == {"lat": -12.5, "lon": 40.0}
    assert waypoints.point_of("12.5 40") is None
