"""``mamar witness``: witness keys, the log's list of witnesses, and a witness run remotely."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated
from urllib.error import URLError

import typer

from mamar.api.messages import domain_message
from mamar.cli.main import (
    DatabaseOption,
    app,
    cli_lang,
    console,
    err,
    fail,
    file_failure,
    open_system,
    red,
)
from mamar.domain.errors import DomainError
from mamar.evidence import log, witnesses
from mamar.evidence.note import COSIGNATURE_V1, NoteError, parse_signer, parse_verifier
from mamar.evidence.witness_client import WitnessRefusal, WitnessState, http, witness_once
from mamar.web.i18n import digits, ntr, tr

witness_app = typer.Typer(
    help="Witnesses: organisations that cosign the log's checkpoints (C2SP tlog-cosignature).",
    no_args_is_help=True,
)
app.add_typer(witness_app, name="witness")

StateOption = Annotated[
    Path, typer.Option("--state", help="The witness's own state file (what it last cosigned)")
]


@witness_app.command("new-key")
def new_key(
    name: Annotated[
        str, typer.Argument(help="The witness's key name, e.g. icrc.example/mamar-witness")
    ],
    output: Annotated[Path, typer.Option("--output", "-o", help="Key file to create (0600)")],
) -> None:
    """Make a witness's Ed25519 cosigning key; print the public key to register."""
    try:
        signer = log.create_key(output, name, kind=COSIGNATURE_V1)
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
            "Key written to %(path)s (mode 0600); register this public key:",
            path=output,
        ),
        highlight=False,
    )
    console.print(signer.verifier.encode(), soft_wrap=True)


@witness_app.command("add")
def add(
    organisation: Annotated[str, typer.Argument(help="The witness's organisation (its id)")],
    key: Annotated[str, typer.Argument(help="The witness's public key, <name>+<id>+<key>")],
    database: DatabaseOption = None,
) -> None:
    """Register an organisation's witness key with this log."""
    system = open_system(database)
    try:
        with system.writing() as conn:
            witness = witnesses.add(conn, organisation=organisation, key=key)
    except DomainError as error:
        raise fail(domain_message(error, cli_lang())) from None
    console.print(
        tr(
            cli_lang(),
            "Witness %(name)s of %(organisation)s registered",
            name=witness.name,
            organisation=witness.organisation,
        ),
        highlight=False,
    )


@witness_app.command("list")
def list_witnesses(database: DatabaseOption = None) -> None:
    """The witnesses registered with this log, with their keys."""
    system = open_system(database)
    with system.reading() as conn:
        for witness in witnesses.listed(conn):
            console.print(f"{witness.organisation}\t{witness.verifier.encode()}", soft_wrap=True)


@witness_app.command("init")
def init(
    log_key: Annotated[
        str, typer.Option("--log-key", help="The log's public key, as the operators gave it")
    ],
    state: StateOption,
) -> None:
    """Start a witness's state file: it trusts this log key and has cosigned nothing yet."""
    try:
        parse_verifier(log_key)
    except NoteError as error:
        raise fail(error.said(cli_lang())) from None
    if state.exists():
        raise fail(
            tr(cli_lang(), "%(path)s exists: a witness's state is never started again", path=state)
        )
    try:
        WitnessState(log_key=log_key.strip()).save(state)
    except OSError as error:  # said of the state file, not of its copy being written
        raise file_failure(error, state) from None
    console.print(tr(cli_lang(), "Witness state started in %(path)s", path=state), highlight=False)


def _check_state(path: Path) -> None:
    """The witness's state file is there, readable, and a state (``mamar witness init``)."""
    try:
        parse_verifier(WitnessState.load(path).log_key)
    except OSError as error:
        raise file_failure(error, path) from None
    except NoteError as error:
        raise fail(_not_a_state(path, error.said(cli_lang()))) from None
    except (ValueError, TypeError):  # not JSON, not text, or not the state's fields
        raise fail(_not_a_state(path, tr(cli_lang(), "it is not as Mamar writes it"))) from None


def _not_a_state(path: Path, why: str) -> str:
    return tr(
        cli_lang(),
        "the file %(path)s is not a witness's state (`mamar witness init` starts one): %(why)s",
        path=path,
        why=why,
    )


def _not_a_key(path: Path, why: str) -> str:
    return tr(cli_lang(), "the file %(path)s is not a signing key: %(why)s", path=path, why=why)


@witness_app.command("run")
def run(
    url: Annotated[str, typer.Option("--url", help="The Mamar server, e.g. https://mamar.example")],
    token: Annotated[
        str, typer.Option("--token", envvar="MAMAR_WITNESS_TOKEN", help="API token (write scope)")
    ],
    key: Annotated[Path, typer.Option("--key", help="The witness's signing key file")],
    state: StateOption,
    every: Annotated[
        float, typer.Option("--every", help="Seconds between rounds; 0: one round and stop")
    ] = 0.0,
) -> None:
    """Witness the log: check each new checkpoint against the last one cosigned, then cosign."""
    try:
        signer = parse_signer(key.read_text(encoding="utf-8"))
    except OSError as error:
        raise file_failure(error, key) from None
    except UnicodeDecodeError:
        raise fail(_not_a_key(key, tr(cli_lang(), "the file is not text"))) from None
    except NoteError as error:
        raise fail(_not_a_key(key, error.said(cli_lang()))) from None
    if signer.kind != COSIGNATURE_V1:
        raise fail(
            tr(
                cli_lang(),
                "The witness key is not a cosigning key (make one with `mamar witness new-key`)",
            )
        )
    _check_state(state)
    fetch = http(url, token, cli_lang())
    while True:
        try:
            done = witness_once(fetch, signer, state)
        except (URLError, TimeoutError, ConnectionError):  # tried again at the next round
            err.print(
                red(
                    tr(cli_lang(), "Error:"),
                    tr(cli_lang(), "The server at %(url)s could not be reached", url=url),
                )
            )
            if not every:
                raise typer.Exit(1) from None
        except OSError as error:  # the state file, or its copy being written
            raise file_failure(error, state) from None
        except WitnessRefusal as refusal:
            err.print(red(tr(cli_lang(), "Refused:"), refusal.said(cli_lang())))
            if refusal.code in ("rolled_back", "forked", "inconsistent", "bad_checkpoint"):
                raise typer.Exit(2) from None
            if not every:
                raise typer.Exit(1) from None
        else:
            console.print(
                ntr(
                    cli_lang(),
                    "Cosigned the checkpoint of %(n)s event (the last cosigned: %(last)s)",
                    "Cosigned the checkpoint of %(n)s events (the last cosigned: %(last)s)",
                    done.size,
                    last=digits(str(done.previous), cli_lang()),
                ),
                highlight=False,
            )
        if not every:
            return
        time.sleep(every)
