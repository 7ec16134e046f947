"""``mamar report sitrep``: a situation report, as one account may see it, in Arabic or English."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import typer

from mamar.cli.main import DatabaseOption, app, err, open_system, write_out
from mamar.domain.errors import SaidIn
from mamar.domain.time import now_utc
from mamar.reports.making import SitrepRequest, make_sitrep
from mamar.web.i18n import LANGUAGES, tr

report_app = typer.Typer(help="Situation reports.", no_args_is_help=True)
app.add_typer(report_app, name="report")


def moment_option(text: str | None, option: str, lang: str) -> datetime | None:
    """An ISO 8601 time with its offset, or a refusal naming the option, in ``lang``."""
    if text is None:
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None:
        raise SaidIn(
            "invalid_time",
            tr(
                lang,
                "%(option)s: give a time with its UTC offset, e.g. 2016-12-15T18:00+02:00",
                option=option,
            ),
            language=lang,
            field=option.lstrip("-"),
        )
    return moment


def language_option(lang: str) -> str:
    if lang not in LANGUAGES:
        raise SaidIn(
            "invalid_language",
            tr("ar", "Use --lang ar or --lang en"),
            language="ar",
            field="lang",
        )
    return lang


@report_app.command("sitrep")
def sitrep(
    as_user: Annotated[
        str, typer.Option("--as", help="Whose report: only what this account may see")
    ],
    output: Annotated[str, typer.Option("--output", "-o", help="File, or - for stdout")],
    at: Annotated[
        str | None,
        typer.Option("--at", help="As of this moment, ISO 8601 with offset (default: now)"),
    ] = None,
    since: Annotated[
        str | None,
        typer.Option("--from", help="Start of the period the report covers (default: all)"),
    ] = None,
    until: Annotated[
        str | None, typer.Option("--to", help="End of the period (the same as --at)")
    ] = None,
    lang: Annotated[str, typer.Option("--lang", help="ar or en")] = "ar",
    fmt: Annotated[str, typer.Option("--format", help="pdf or html")] = "pdf",
    operation: Annotated[
        str | None, typer.Option("--operation", help="Operation id (default: the first)")
    ] = None,
    database: DatabaseOption = None,
) -> None:
    """A situation report of an operation, as of a moment or over a period, as HTML or PDF."""
    lang = language_option(lang)
    if fmt not in ("pdf", "html"):
        raise SaidIn(
            "invalid_format",
            tr(lang, "Use --format pdf or --format html"),
            language=lang,
            field="format",
        )
    moment = moment_option(at, "--at", lang)
    end = moment_option(until, "--to", lang)
    if moment is not None and end is not None and moment != end:
        raise SaidIn(
            "invalid_period", tr(lang, "Give --at or --to, not both"), language=lang, field="to"
        )
    start = moment_option(since, "--from", lang)
    system = open_system(database)
    request = SitrepRequest(
        operation=operation,
        at=end or moment or now_utc(),
        since=start,
        lang=lang,
        format=fmt,
    )
    made = make_sitrep(system, system.actor(as_user), request)
    write_out(made.content, output)
    if output != "-":
        err.print(tr(lang, "Situation report written to %(path)s", path=output))
