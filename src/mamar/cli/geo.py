"""``mamar route …``, ``mamar places …``, ``mamar control …`` and ``mamar import-osm``.

Reads act for an account (``--as``, default the local administrator) and show
only what that account's compartments allow.
"""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any

import orjson
import typer
from babel.lists import format_list
from rich.console import Console
from rich.table import Table
from rich.text import Text

from mamar.access.viewer import Viewer, viewer_of
from mamar.cli.creating import creates_database
from mamar.domain.errors import DomainError
from mamar.domain.model import Actor, Command
from mamar.domain.time import now_utc
from mamar.geo.roads import parse_bbox, read_osm, read_osm_places
from mamar.geo.routing import Router, plan_options
from mamar.geo.search import search_places
from mamar.geo.shapes import area_geometry
from mamar.geo.territory import control_layer, who_controls
from mamar.geo.wording import compare, distance, risk_statements, summary
from mamar.geodata import exchange
from mamar.geodata.roadstore import load_graph, save_graph
from mamar.geodata.service import Assessment, GeoView, assess, parse_route_ref
from mamar.services import commands
from mamar.system import Mamar
from mamar.web.i18n import ntr, number, tr

console = Console(markup=False, highlight=False)  # printed as written: see cli.main

# The same option as ``cli.main``'s; repeated so ``main`` can import this module at its top.
DatabaseOption = Annotated[
    str | None,
    typer.Option(
        "--database",
        "-d",
        help="Database URL or SQLite file (default: $MAMAR_DATABASE_URL, else mamar.db)",
    ),
]


def open_system(database: str | None) -> Mamar:
    from mamar.cli.main import open_system as open_main

    return open_main(database)


route_app = typer.Typer(help="Route exposure and risk-aware alternatives.", no_args_is_help=True)
places_app = typer.Typer(help="The gazetteer: search, import, export.", no_args_is_help=True)
control_app = typer.Typer(help="Control areas and front lines.", no_args_is_help=True)

AsOption = Annotated[str, typer.Option("--as", help="Account to act as (its compartments apply)")]
OperationOption = Annotated[str | None, typer.Option("--operation", help="Operation id")]
AtOption = Annotated[
    str | None, typer.Option("--at", help="Moment, ISO 8601 with offset (default: now)")
]
LangOption = Annotated[
    str | None,
    typer.Option("--lang", help="ar or en (default: mamar --lang, $MAMAR_LANG, else en)"),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON")]
FormatOption = Annotated[
    str | None, typer.Option("--format", help="geojson or csv (default: from the file name)")
]
OutputOption = Annotated[str, typer.Option("--output", "-o", help="File, or - for stdout")]


def _moment(text: str | None) -> datetime:
    if text is None:
        return now_utc()
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise DomainError("invalid_time", f"'{text}' is not an ISO 8601 time", field="at") from None
    if moment.tzinfo is None:
        raise DomainError(
            "invalid_time",
            "give the time with its UTC offset, e.g. 2016-12-14T18:00+02:00",
            field="at",
        )
    return moment


def _viewer(system: Mamar, username: str) -> tuple[Actor, Viewer]:
    actor = system.actor(username)
    return actor, viewer_of(actor)


def _lang(lang: str | None) -> str:
    from mamar.cli.main import cli_lang

    lang = lang or cli_lang()
    if lang not in ("ar", "en"):
        raise DomainError("invalid_language", "use --lang ar or --lang en", field="lang")
    return lang


def _format(fmt: str | None, path: str) -> str:
    chosen = (fmt or ("csv" if path.lower().endswith(".csv") else "geojson")).lower()
    if chosen not in ("geojson", "csv"):
        raise DomainError("invalid_format", "use --format geojson or --format csv", field="format")
    return chosen


def _write(text: str, output: str) -> None:
    if output == "-":
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
    else:
        try:
            Path(output).write_text(text, encoding="utf-8")
        except OSError as error:
            from mamar.cli.main import file_failure

            raise file_failure(error, output) from None


def _read(file: Path) -> str:
    from mamar.cli.main import read_text

    return read_text(file)


def _run_all(system: Mamar, actor: Actor, cmds: list[Command]) -> int:
    """All or nothing: one transaction for the whole import."""
    with system.writing() as conn:
        for cmd in cmds:
            commands.execute(conn, cmd, actor=actor, vault=system.vault)
    return len(cmds)


# --- route ---------------------------------------------------------------------------------


def _assessments(
    system: Mamar,
    username: str,
    refs: list[str],
    at: datetime,
    *,
    default_version: int | None,
    roads: bool,
    graph_name: str | None,
    speed: float,
    buffer: float,
    hours: float,
    hostile: list[str] | None,
    lang: str = "en",
) -> tuple[list[Assessment], GeoView]:
    actor, seer = _viewer(system, username)
    with system.reading() as conn:
        view = GeoView.load(conn, seer)
        graph = load_graph(conn, graph_name) if roads else None
        index, incidents = view.control_index(), view.incident_index()
        results = []
        for ref in refs:
            route_id, version = parse_route_ref(ref)
            results.append(
                assess(
                    conn,
                    seer,
                    route_id,
                    version if version is not None else default_version,
                    at,
                    view=view,
                    actor=actor,
                    hostile=set(hostile) if hostile else None,
                    graph=graph,
                    speed_kmh=speed,
                    buffer_m=buffer,
                    hours=hours,
                    index=index,
                    incidents=incidents,
                    lang=lang,
                )
            )
    return results, view


SpeedOption = Annotated[float, typer.Option("--speed", help="Convoy speed, km/h")]
BufferOption = Annotated[float, typer.Option("--buffer", help="Incident search distance, metres")]
HoursOption = Annotated[float, typer.Option("--hours", help="Incidents of the last N hours")]
HostileOption = Annotated[
    list[str] | None,
    typer.Option("--hostile", help="Party id to count as hostile (repeat); default: from --as"),
]
RoadsOption = Annotated[
    bool, typer.Option("--roads/--straight", help="Follow the imported road graph")
]
GraphOption = Annotated[str | None, typer.Option("--graph", help="Road graph name")]


@route_app.command("assess")
def route_assess(
    route: Annotated[str, typer.Argument(help="Route id (or id@version)")],
    version: Annotated[int | None, typer.Option("--version", help="Route version")] = None,
    at: AtOption = None,
    json_out: JsonOption = False,
    lang: LangOption = None,
    speed: SpeedOption = 20.0,
    buffer: BufferOption = 500.0,
    hours: HoursOption = 24.0,
    hostile: HostileOption = None,
    roads: RoadsOption = False,
    graph: GraphOption = None,
    as_user: AsOption = "system",
    database: DatabaseOption = None,
) -> None:
    """A route version's exposure at a moment: length in each party's control, front line, incidents."""
    lang = _lang(lang)
    system = open_system(database)
    (result,), view = _assessments(
        system,
        as_user,
        [route],
        _moment(at),
        default_version=version,
        roads=roads,
        graph_name=graph,
        speed=speed,
        buffer=buffer,
        hours=hours,
        hostile=hostile,
        lang=lang,
    )
    names = view.party_names(lang)
    statements = risk_statements(result.exposure, lang, names)
    if json_out:
        data = {
            "route": result.route,
            "version": result.version,
            "snapped_to_roads": result.snapped,
            **result.exposure.as_json(),
            "statements": statements,
        }
        sys.stdout.write(orjson.dumps(data, option=orjson.OPT_INDENT_2).decode() + "\n")
        return
    console.print(Text.assemble((result.label, "bold"), f": {summary(result.exposure, lang)}"))
    for line in statements:
        console.print(f"  • {line}")


@route_app.command("compare")
def route_compare(
    routes: Annotated[list[str], typer.Argument(help="Route ids (or id@version), two or more")],
    at: AtOption = None,
    json_out: JsonOption = False,
    lang: LangOption = None,
    speed: SpeedOption = 20.0,
    buffer: BufferOption = 500.0,
    hours: HoursOption = 24.0,
    hostile: HostileOption = None,
    roads: RoadsOption = False,
    graph: GraphOption = None,
    as_user: AsOption = "system",
    database: DatabaseOption = None,
) -> None:
    """Routes (or versions of one route) side by side."""
    lang = _lang(lang)
    system = open_system(database)
    results, view = _assessments(
        system,
        as_user,
        routes,
        _moment(at),
        default_version=None,
        roads=roads,
        graph_name=graph,
        speed=speed,
        buffer=buffer,
        hours=hours,
        hostile=hostile,
        lang=lang,
    )
    names = view.party_names(lang)
    table = compare([(r.label, r.exposure) for r in results], lang, names)
    if json_out:
        data = {
            "columns": list(table.columns),
            "rows": [{"measure": m, "values": list(v)} for m, v in table.rows],
            "best": table.best,
            "routes": [
                {
                    "route": r.route,
                    "version": r.version,
                    **r.exposure.as_json(),
                    "statements": risk_statements(r.exposure, lang, names),
                }
                for r in results
            ],
        }
        sys.stdout.write(orjson.dumps(data, option=orjson.OPT_INDENT_2).decode() + "\n")
        return
    grid = Table(title=tr(lang, "Routes compared"))
    grid.add_column("")
    for column in table.columns:
        grid.add_column(column + (" ✓" if column == table.best else ""))
    for measure, values in table.rows:
        grid.add_row(measure, *values)
    console.print(grid)
    if table.best in table.columns:  # a mark was printed: say what it means
        console.print(
            tr(
                lang,
                "✓ marks the least exposed route: the shortest distance through hostile "
                "control (through any party's control when none is counted as hostile).",
            )
        )


@route_app.command("plan")
def route_plan(
    points: Annotated[
        list[str],
        typer.Argument(help="Origin, required waypoints, destination: place ids or lon,lat"),
    ],
    k: Annotated[int, typer.Option("-k", help="Alternatives besides the shortest")] = 3,
    avoid: Annotated[
        list[str] | None, typer.Option("--avoid", help="Place or control area id to avoid")
    ] = None,
    at: AtOption = None,
    json_out: JsonOption = False,
    lang: LangOption = None,
    hostile: HostileOption = None,
    graph: GraphOption = None,
    as_user: AsOption = "system",
    database: DatabaseOption = None,
) -> None:
    """The shortest road route and alternatives that minimise exposure."""
    from mamar.geo.exposure import route_exposure

    lang = _lang(lang)
    moment = _moment(at)
    system = open_system(database)
    actor, seer = _viewer(system, as_user)
    with system.reading() as conn:
        view = GeoView.load(conn, seer)
        road_graph = load_graph(conn, graph)
    coords = [view.point_of(p) for p in points]
    avoid_shapes = [_avoid_shape(view, ref) for ref in avoid or []]
    hostile_set = set(hostile) if hostile else view.hostile_to(actor.party) or set()
    index, fronts, incidents = view.control_index(), view.front_records(), view.incident_index()
    router = Router(road_graph)
    options = plan_options(
        router,
        coords,
        moment,
        k=k,
        areas=index,
        hostile=hostile_set,
        fronts=fronts,
        incidents=incidents,
        avoid=avoid_shapes,
    )
    names = view.party_names(lang)
    rows = []
    for label, path in options:
        exposure = route_exposure(
            path.line(road_graph),
            moment,
            areas=index,
            fronts=fronts,
            incidents=incidents,
            hostile=hostile_set or None,
        )
        rows.append((label, path, exposure))
    if json_out:
        data = [
            {
                "option": label,
                "length_m": round(path.length_m, 1),
                "weighted_cost": round(path.cost, 1),
                "coordinates": [list(c) for c in path.line(road_graph).coords],
                **exposure.as_json(),
                "statements": risk_statements(exposure, lang, names),
            }
            for label, path, exposure in rows
        ]
        sys.stdout.write(orjson.dumps(data, option=orjson.OPT_INDENT_2).decode() + "\n")
        return
    table = compare([(_option_name(label, lang), e) for label, _, e in rows], lang, names)
    grid = Table(title=tr(lang, "Road routes"))
    grid.add_column("")
    for column in table.columns:
        grid.add_column(column)
    for measure, values in table.rows:
        grid.add_row(measure, *values)
    console.print(grid)


def _option_name(label: str, lang: str) -> str:
    """A planned option's name for people (``shortest``, ``safer-2``: the JSON's codes)."""
    kind, _, n = label.partition("-")
    if kind == "safer" and n.isdigit():
        return tr(lang, "Safer, option %(n)s", n=number(int(n), lang))
    return tr(lang, "Shortest")


def _avoid_shape(view: GeoView, ref: str) -> Any:
    for area in view.areas:
        if area.id == ref:
            return area_geometry(area.area)
    for place in view.places:
        if place.id == ref and place.polygon is not None:
            return area_geometry(place.polygon)
        if place.id == ref and place.point is not None:
            from shapely.geometry import Point

            # A point place: keep 200 m (about 0.002°) clear of it.
            return Point(place.point.lon, place.point.lat).buffer(0.002)
    raise DomainError("not_found", f"no control area or place '{ref}' to avoid", field="avoid")


# --- import-osm ----------------------------------------------------------------------------


@creates_database
def import_osm(
    file: Annotated[Path, typer.Argument(help="An OpenStreetMap extract (.osm.pbf)")],
    bbox: Annotated[
        str | None, typer.Option("--bbox", help="min_lon,min_lat,max_lon,max_lat")
    ] = None,
    name: Annotated[str, typer.Option("--name", help="Name of the road graph")] = "roads",
    database: DatabaseOption = None,
) -> None:
    """Build a routable road graph from an OpenStreetMap extract and keep it in the database,
    with its named places: the maps' offline base layer."""
    box = parse_bbox(bbox) if bbox else None
    graph = read_osm(file, name=name, bbox=box)
    places = read_osm_places(file, bbox=box)
    system = open_system(database)
    with system.writing() as conn:
        save_graph(conn, graph, source=file.name, bbox=box, places=places)
    lang = _lang(None)
    console.print(
        tr(
            lang,
            "road graph '%(name)s': %(junctions)s, %(roads)s (%(length)s), %(places)s",
            name=name,
            junctions=ntr(lang, "%(n)s junction", "%(n)s junctions", graph.node_count),
            roads=ntr(lang, "%(n)s road", "%(n)s roads", graph.edge_count),
            length=distance(float(graph.edge_length.sum()), lang),
            places=ntr(lang, "%(n)s named place", "%(n)s named places", len(places)),
        ),
        highlight=False,
    )


# --- places --------------------------------------------------------------------------------


@places_app.command("search")
def places_search(
    query: str,
    operation: OperationOption = None,
    limit: Annotated[int, typer.Option("--limit")] = 20,
    json_out: JsonOption = False,
    lang: LangOption = None,
    as_user: AsOption = "system",
    database: DatabaseOption = None,
) -> None:
    """Places by name or alias, spelling-tolerant (Arabic and Latin), best first."""
    system = open_system(database)
    _, seer = _viewer(system, as_user)
    with system.reading() as conn:
        view = GeoView.load(conn, seer, operation)
    hits = search_places(view.places, query, limit=limit, lang=_lang(lang))
    if json_out:
        data = [h.as_json() for h in hits]
        sys.stdout.write(orjson.dumps(data, option=orjson.OPT_INDENT_2).decode() + "\n")
        return
    if not hits:
        console.print(tr(_lang(lang), "no match"))
    for hit in hits:
        console.print(f"{hit.place}\t{hit.name}\t({hit.matched})", highlight=False)


@places_app.command("export")
def places_export(
    operation: OperationOption = None,
    fmt: FormatOption = None,
    output: OutputOption = "-",
    as_user: AsOption = "system",
    database: DatabaseOption = None,
) -> None:
    """Places as GeoJSON (default) or CSV."""
    system = open_system(database)
    _, seer = _viewer(system, as_user)
    with system.reading() as conn:
        places = GeoView.load(conn, seer, operation).places
    if _format(fmt, output) == "csv":
        _write(exchange.places_to_csv(places), output)
    else:
        _write(orjson.dumps(exchange.places_to_geojson(places)).decode(), output)


@places_app.command("import")
def places_import(
    file: Path,
    operation: Annotated[str, typer.Option("--operation", help="Operation id")],
    fmt: FormatOption = None,
    as_user: AsOption = "system",
    database: DatabaseOption = None,
) -> None:
    """Register the places of a GeoJSON or CSV file (all or none)."""
    system = open_system(database)  # refused, when missing, before the file is read
    text = _read(file)
    if _format(fmt, file.name) == "csv":
        cmds: list[Command] = list(exchange.places_from_csv(text, operation))
    else:
        cmds = list(exchange.places_from_geojson(orjson.loads(text), operation))
    count = _run_all(system, system.actor(as_user), cmds)
    console.print(ntr(_lang(None), "registered %(n)s place", "registered %(n)s places", count))


# --- control -------------------------------------------------------------------------------


@control_app.command("export")
def control_export(
    operation: OperationOption = None,
    fmt: FormatOption = None,
    output: OutputOption = "-",
    at: AtOption = None,
    as_user: AsOption = "system",
    database: DatabaseOption = None,
) -> None:
    """Control areas (every period) and front lines; with --at, the map layer at that moment."""
    system = open_system(database)
    _, seer = _viewer(system, as_user)
    with system.reading() as conn:
        view = GeoView.load(conn, seer, operation)
    if at is not None:
        layer = control_layer(
            view.control_records(),
            view.front_records(),
            _moment(at),
            party_names=view.party_names(),
        )
        _write(orjson.dumps(layer).decode(), output)
    elif _format(fmt, output) == "csv":
        _write(exchange.control_to_csv(view.areas, view.fronts), output)
    else:
        _write(orjson.dumps(exchange.control_to_geojson(view.areas, view.fronts)).decode(), output)


@control_app.command("import")
def control_import(
    file: Path,
    operation: Annotated[str, typer.Option("--operation", help="Operation id")],
    fmt: FormatOption = None,
    as_user: AsOption = "system",
    database: DatabaseOption = None,
) -> None:
    """Record the control areas (with transfers) and front lines of a file (all or none)."""
    system = open_system(database)  # refused, when missing, before the file is read
    text = _read(file)
    if _format(fmt, file.name) == "csv":
        cmds = exchange.control_from_csv(text, operation)
    else:
        cmds = exchange.control_from_geojson(orjson.loads(text), operation)
    count = _run_all(system, system.actor(as_user), cmds)
    console.print(
        ntr(
            _lang(None),
            "recorded %(n)s change of control",
            "recorded %(n)s changes of control",
            count,
        )
    )


@control_app.command("who")
def control_who(
    point: Annotated[str, typer.Argument(help="A place id, or lon,lat")],
    at: AtOption = None,
    as_user: AsOption = "system",
    database: DatabaseOption = None,
) -> None:
    """Who controlled a point at a moment."""
    system = open_system(database)
    _, seer = _viewer(system, as_user)
    with system.reading() as conn:
        view = GeoView.load(conn, seer)
    parties = who_controls(view.point_of(point), _moment(at), view.control_index())
    lang = _lang(None)
    names = view.party_names(lang)
    console.print(
        format_list([names.get(p, p) for p in parties], locale=lang)
        if parties
        else tr(lang, "no recorded control"),
        highlight=False,
    )
