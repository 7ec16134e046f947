"""``mamar checkpoint``: the installation's signing key and its signed checkpoints."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from mamar.cli.main import DatabaseOption, app, cli_lang, console, fail, file_failure, open_system
from mamar.config import Settings
from mamar.evidence import log
from mamar.evidence.note import NoteError, Signer, check_name
from mamar.web.i18n import tr

checkpoint_app = typer.Typer(
    help="Signed checkpoints of the journal's Merkle tree (C2SP tlog-checkpoint).",
    no_args_is_help=True,
)
app.add_typer(checkpoint_app, name="checkpoint")


@checkpoint_app.command("new-key")
def new_key(
    origin: Annotated[
        str, typer.Argument(help="The log's name, a schema-less URL, e.g. mamar.example/aleppo")
    ],
    output: Annotated[Path, typer.Option("--output", "-o", help="Key file to create (0600)")],
) -> None:
    """Make the installation's Ed25519 checkpoint signing key; print its public key."""
    try:
        signer = log.create_key(output, check_name(origin))
    except FileExistsError:
        raise fail(
            tr(cli_lang(), "%(path)s exists: a signing key is never overwritten", path=output)
        ) from None
    except OSError as error:
        raise file_failure(error, output) from None
    except NoteError as error:
        raise fail(error.said(cli_lang())) from None
    console.print(
        tr(
            cli_lang(),
            "Key written to %(path)s (mode 0600); set MAMAR_LOG_KEY_FILE=%(path)s",
            path=output,
        ),
        highlight=False,
    )
    console.print(signer.verifier.encode(), soft_wrap=True)


def _signer(settings: Settings) -> Signer:
    try:
        return log.load_signer(settings)
    except (log.NoSigningKey, NoteError) as error:
        raise fail(error.said(cli_lang())) from None
    except OSError as error:
        raise file_failure(error) from None


@checkpoint_app.command("public-key")
def public_key(database: DatabaseOption = None) -> None:
    """Print the log's public key (give it to witnesses and to whoever checks bundles)."""
    system = open_system(database)
    console.print(_signer(system.settings).verifier.encode(), soft_wrap=True)


@checkpoint_app.command("sign")
def sign(database: DatabaseOption = None) -> None:
    """Sign a checkpoint of the journal as it stands now, keep it and print it."""
    system = open_system(database)
    signer = _signer(system.settings)
    try:
        with system.writing() as conn:
            stored = log.sign_now(conn, signer)
    except NoteError as error:
        raise fail(error.said(cli_lang()), code=2) from None
    console.print(stored.note, end="", soft_wrap=True, highlight=False)


@checkpoint_app.command("show")
def show(
    size: Annotated[int | None, typer.Argument(help="Tree size (default: the latest)")] = None,
    database: DatabaseOption = None,
) -> None:
    """Print a kept checkpoint with its cosignatures."""
    system = open_system(database)
    with system.reading() as conn:
        stored = log.latest(conn) if size is None else log.at_size(conn, size)
        if stored is None:
            raise fail(tr(cli_lang(), "No checkpoint of that size has been signed"))
        note = log.with_cosignatures(conn, stored)
    console.print(note, end="", soft_wrap=True, highlight=False)
