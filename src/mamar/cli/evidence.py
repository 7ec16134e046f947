"""``mamar evidence``: bundles of events with their proofs, made for a recipient, and checked."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import orjson
import typer

from mamar.api.messages import domain_message
from mamar.cli import language
from mamar.cli.main import (
    DatabaseOption,
    app,
    cli_lang,
    console,
    err,
    fail,
    file_failure,
    open_system,
)
from mamar.domain.errors import DomainError
from mamar.evidence import bundle, log
from mamar.evidence.check import Failure, check, parse_trusted
from mamar.evidence.note import NoteError
from mamar.evidence.wording import failure_text, report_lines
from mamar.web.i18n import LANGUAGES, ntr, tr

evidence_app = typer.Typer(
    help="Evidence bundles: chosen events with their proofs, checkable offline.",
    no_args_is_help=True,
)
app.add_typer(evidence_app, name="evidence")


@evidence_app.command("export")
def export(
    entities: Annotated[
        list[str], typer.Argument(help="Records as kind:id, e.g. incident:shelling-1")
    ],
    output: Annotated[Path, typer.Option("--output", "-o", help="The bundle file to write")],
    recipient: Annotated[
        str, typer.Option("--as", help="The account the bundle is for (only what it may see)")
    ],
    database: DatabaseOption = None,
) -> None:
    """Write a bundle of these records' events (and what they link to) with their proofs."""
    system = open_system(database)
    try:
        viewer = system.actor(recipient)
        signer = log.load_signer(system.settings)
        with system.writing() as conn:
            made = bundle.make(conn, viewer=viewer, refs=bundle.parse_refs(entities), signer=signer)
    except DomainError as error:
        raise fail(domain_message(error, cli_lang())) from None
    except (log.NoSigningKey, NoteError) as error:
        raise fail(error.said(cli_lang())) from None
    except OSError as error:  # the signing key's file
        raise file_failure(error) from None
    try:
        output.write_bytes(orjson.dumps(made, option=orjson.OPT_INDENT_2) + b"\n")
    except OSError as error:
        raise file_failure(error, output) from None
    lang = cli_lang()
    console.print(
        ntr(
            lang,
            "Written to %(path)s: %(events)s of %(n)s record",
            "Written to %(path)s: %(events)s of %(n)s records",
            len(made["records"]),
            path=output,
            events=ntr(lang, "%(n)s event", "%(n)s events", len(made["events"])),
        ),
        highlight=False,
    )


@evidence_app.command("verify")
def verify_bundle(
    file: Annotated[Path, typer.Argument(help="The bundle file")],
    trust: Annotated[
        Path | None,
        typer.Option("--trust", help="Trusted public keys, one a line: [organisation ]key"),
    ] = None,
    lang: Annotated[str, typer.Option("--lang", help="ar or en")] = "ar",
) -> None:
    """Check a bundle with no database and no network; say what it proves or what failed."""
    if lang not in ("ar", "en"):
        raise typer.BadParameter(
            tr(
                cli_lang(),
                "use one of: %(choices)s",
                choices=language.choices(cli_lang(), LANGUAGES),
            ),
            param_hint="--lang",
        )
    try:
        data = json.loads(file.read_text(encoding="utf-8"))
        trusted = parse_trusted(trust.read_text(encoding="utf-8")) if trust else None
        report = check(data, trusted)
    except (OSError, UnicodeDecodeError, ValueError):
        err.print(failure_text(Failure("not_a_bundle"), lang), highlight=False)
        raise typer.Exit(2) from None
    except Failure as failure:
        err.print(failure_text(failure, lang), highlight=False, soft_wrap=True)
        raise typer.Exit(2) from None
    for line in report_lines(report, lang):
        console.print(line, highlight=False, soft_wrap=True)
