"""``mamar export geojson|hxl|acled|cap|gpx|kml`` and ``mamar import incidents``: the files
partners read and write, each holding only what the ``--as`` account may see."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

import typer

from mamar.cli.main import (
    DatabaseOption,
    app,
    console,
    export_app,
    open_system,
    read_text,
    write_out,
)
from mamar.cli.reports import language_option, moment_option
from mamar.domain.time import utc_key
from mamar.exchange.exports import make_export
from mamar.exchange.imports import import_incidents
from mamar.system import Mamar
from mamar.web.i18n import ntr, tr

AsOption = Annotated[str, typer.Option("--as", help="Whose export: only what this account may see")]
OutputOption = Annotated[str, typer.Option("--output", "-o", help="File, or - for stdout")]
OperationOption = Annotated[
    str | None, typer.Option("--operation", help="Operation id (default: the first)")
]
LangOption = Annotated[str, typer.Option("--lang", help="ar or en: names and words")]
AtOption = Annotated[
    str | None, typer.Option("--at", help="As of this moment, ISO 8601 with offset")
]

import_app = typer.Typer(help="Import records from partners' files.", no_args_is_help=True)
app.add_typer(import_app, name="import")


def _operation(system: Mamar, as_user: str, operation: str | None, lang: str) -> str:
    if operation is not None:
        return operation
    from mamar import reads
    from mamar.domain.errors import SaidIn

    with system.reading() as conn:
        ops = reads.visible_states(
            conn, viewer=system.actor(as_user), operation=None, kinds=["operation"]
        )
    if not ops:
        raise SaidIn(
            "no_operation", tr(lang, "There is no operation yet"), language=lang, field="operation"
        )
    return ops[0].id


def _export(
    fmt: str,
    as_user: str,
    output: str,
    operation: str | None,
    lang: str,
    at: str | None,
    database: str | None,
    of: str = "incidents",
) -> None:
    lang = language_option(lang)
    moment = moment_option(at, "--at", lang)
    system = open_system(database)
    made = make_export(
        system,
        system.actor(as_user),
        fmt=fmt,
        operation=_operation(system, as_user, operation, lang),
        lang=lang,
        of=of,
        at_utc=utc_key(moment) if moment is not None else None,
    )
    write_out(made.content, output)


@export_app.command("geojson")
def export_geojson(
    as_user: AsOption,
    output: OutputOption = "-",
    operation: OperationOption = None,
    lang: LangOption = "en",
    at: AtOption = None,
    database: DatabaseOption = None,
) -> None:
    """GeoJSON (RFC 7946): places, control areas with their periods, front lines, routes
    (every version) and incidents; each feature's ``layer`` says which."""
    _export("geojson", as_user, output, operation, lang, at, database)


@export_app.command("hxl")
def export_hxl(
    as_user: AsOption,
    of: Annotated[
        Literal["incidents", "convoys", "movements"],
        typer.Option("--of", help="incidents, convoys or movements"),
    ] = "incidents",
    output: OutputOption = "-",
    operation: OperationOption = None,
    lang: LangOption = "en",
    at: AtOption = None,
    database: DatabaseOption = None,
) -> None:
    """CSV with HXL hashtags: incidents, convoys, or movements (every status a convoy took)."""
    _export("hxl", as_user, output, operation, lang, at, database, of=of)


def _file_command(fmt: str, summary: str, default_lang: str) -> None:
    """Register ``mamar export FMT``: one file of the operation, for one account."""

    def command(
        as_user: AsOption,
        output: OutputOption = "-",
        operation: OperationOption = None,
        lang: LangOption = default_lang,
        at: AtOption = None,
        database: DatabaseOption = None,
    ) -> None:
        _export(fmt, as_user, output, operation, lang, at, database)

    command.__doc__ = summary
    command.__name__ = f"export_{fmt}"
    export_app.command(fmt)(command)


_file_command("acled", "Incidents in ACLED's column layout (mapping: docs/exchange.md).", "en")
_file_command(
    "cap",
    "CAP 1.2 alerts (convoy movement notices, ceasefire windows, route closures), one XML "
    "file per alert in a ZIP archive.",
    "en",
)
_file_command("gpx", "Routes as GPX 1.1, one route per version, for navigation apps.", "ar")
_file_command(
    "kml",
    "Routes as KML 2.2, one placemark per version (only the current one shown at first).",
    "ar",
)


@import_app.command("incidents")
def import_incidents_command(
    file: Annotated[Path, typer.Argument(help="A CSV file in ACLED's layout or with HXL hashtags")],
    as_user: Annotated[str, typer.Option("--as", help="The account recording them")],
    fmt: Annotated[str, typer.Option("--format", help="acled or hxl")],
    operation: OperationOption = None,
    id_prefix: Annotated[
        str,
        typer.Option(
            "--id-prefix", help="Put before every id of the file (keeps a partner's ids apart)"
        ),
    ] = "",
    lang: Annotated[
        str, typer.Option("--lang", help="ar or en: the language of the messages")
    ] = "ar",
    visibility: Annotated[
        str | None,
        typer.Option(
            "--visibility",
            help="Who may see them: internal (your organisation) or shared (everyone; "
            "the default for a reported incident)",
        ),
    ] = None,
    database: DatabaseOption = None,
) -> None:
    """Record the incidents of a partner's file: all of them, or none (the first bad row is
    named by line and column)."""
    lang = language_option(lang)
    system = open_system(database)  # refused, when missing, before the file is read
    text = read_text(file, encoding="utf-8-sig")
    count = import_incidents(
        system,
        system.actor(as_user),
        fmt=fmt,
        text=text,
        operation=_operation(system, as_user, operation, lang),
        lang=lang,
        id_prefix=id_prefix,
        visibility=visibility,
    )
    console.print(ntr(lang, "%(n)s incident recorded", "%(n)s incidents recorded", count))
