"""CLI for serving and security: serve, token create|revoke|list, vault rotate-key, audit access."""

from __future__ import annotations

import os
import re
from datetime import timedelta
from typing import Annotated

import typer
from rich.table import Table

from mamar.accounts.tokens import Scope, create_token, list_tokens, revoke_token
from mamar.audit.access import accesses
from mamar.cli.creating import creates_database
from mamar.cli.main import DatabaseOption, app, cli_lang, console, file_failure, open_system
from mamar.cli.render import format_moment
from mamar.domain.errors import DomainError
from mamar.vault.rotate import rotate
from mamar.vault.store import Vault, generate_key, parse_key
from mamar.web.i18n import ntr, number, tr


@app.command()
@creates_database
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on")] = 8000,
    database: DatabaseOption = None,
    workers: Annotated[
        int, typer.Option(min=1, max=64, help="Server processes (each with its own caches)")
    ] = 1,
) -> None:
    """Serve the API (and pages, when installed) with uvicorn."""
    from mamar.cli.serving import refuse_a_taken_port, serve_app

    refuse_a_taken_port(host, port)
    serve_app(open_system(database), host=host, port=port, workers=workers)


token_app = typer.Typer(help="API tokens.", no_args_is_help=True)
app.add_typer(token_app, name="token")

_DURATION = re.compile(r"^(\d+)([mhd])$")


def parse_duration(text: str) -> timedelta | None:
    """``30d``, ``12h``, ``15m``; ``never`` for no expiry."""
    if text == "never":
        return None
    match = _DURATION.match(text)
    if match is None:
        raise typer.BadParameter(
            tr(cli_lang(), "use e.g. 30d, 12h, 15m or never"), param_hint="--expires-in"
        )
    amount, unit = int(match.group(1)), match.group(2)
    return {"m": timedelta(minutes=amount), "h": timedelta(hours=amount)}.get(
        unit, timedelta(days=amount)
    )


@token_app.command("create")
def token_create(
    username: str,
    scope: Annotated[Scope, typer.Option(help="read, or write (which includes read)")] = Scope.READ,
    expires_in: Annotated[str, typer.Option(help="e.g. 30d, 12h, 15m, or never")] = "30d",
    database: DatabaseOption = None,
) -> None:
    """Create an API token for an account; the token is printed once and stored only hashed."""
    lifetime = parse_duration(expires_in)
    system = open_system(database)
    system.actor(username)  # refuses unknown and disabled accounts
    with system.writing() as conn:
        token_id, token = create_token(conn, username, scope=scope, expires_in=lifetime)
    lang = cli_lang()
    console.print(tr(lang, "token id: %(id)s", id=token_id), highlight=False)
    console.print(tr(lang, "token: %(token)s", token=token), soft_wrap=True, highlight=False)
    console.print(tr(lang, "keep it now: it is not stored and cannot be shown again"))


@token_app.command("revoke")
def token_revoke(token_id: str, database: DatabaseOption = None) -> None:
    """Revoke an API token by its id; it stops working at once."""
    system = open_system(database)
    with system.writing() as conn:
        revoke_token(conn, token_id)
    console.print(tr(cli_lang(), "token %(id)s revoked", id=token_id), highlight=False)


@token_app.command("list")
def token_list(database: DatabaseOption = None) -> None:
    """Active (unrevoked) tokens: id, account, scope, expiry."""
    system = open_system(database)
    with system.reading() as conn:
        tokens = list_tokens(conn)
    lang = cli_lang()
    table = Table(*(tr(lang, h) for h in ("Identifier", "Account", "Scope", "Expires")))
    for t in tokens:
        expires = format_moment(str(t.expires_at), "UTC", lang) if t.expires_at else None
        table.add_row(t.id, t.username, tr(lang, t.scope.value), expires or tr(lang, "never"))
    console.print(table)


vault_app = typer.Typer(help="The encrypted store of personal data.", no_args_is_help=True)
app.add_typer(vault_app, name="vault")


@vault_app.command("new-key")
def vault_new_key() -> None:
    """Print a fresh random key (for MAMAR_VAULT_KEY or MAMAR_SECRET_KEY)."""
    console.print(generate_key(), highlight=False)


@vault_app.command("rotate-key")
def vault_rotate_key(
    database: DatabaseOption = None,
    new_key: Annotated[
        str | None,
        typer.Option(help="The new key (default: generated)", envvar="MAMAR_NEW_VAULT_KEY"),
    ] = None,
) -> None:
    """Re-encrypt every live personal record under a new key, in one transaction."""
    system = open_system(database)
    if system.vault is None:
        raise DomainError("no_vault", "no vault key is configured: nothing to rotate")
    text = new_key or generate_key()
    fresh = Vault(parse_key(text))
    key_file = system.settings.key_file()
    try:
        with system.writing() as conn:
            count = rotate(conn, system.vault, fresh)
            if key_file is not None:
                # Written before the commit: if the commit fails, the old key is in .old.
                key_file.replace(key_file.with_name(key_file.name + ".old"))
                key_file.write_text(text)
                os.chmod(key_file, 0o600)
    except OSError as error:  # nothing re-encrypted: the transaction is rolled back
        raise file_failure(error) from None
    lang = cli_lang()
    console.print(
        ntr(
            lang,
            "re-encrypted %(n)s personal record under key %(key)s",
            "re-encrypted %(n)s personal records under key %(key)s",
            count,
            key=fresh.key_id,
        ),
        highlight=False,
    )
    if key_file is not None:
        console.print(
            tr(
                lang,
                "the new key is in %(file)s (the previous one in %(old)s)",
                file=key_file,
                old=f"{key_file}.old",
            ),
            highlight=False,
        )
    elif new_key is None:
        console.print(tr(lang, "set MAMAR_VAULT_KEY to this new key before restarting:"))
        console.print(text, highlight=False)


retention_app = typer.Typer(
    help="Erasing personal data when its period runs out.", no_args_is_help=True
)
app.add_typer(retention_app, name="retention")


@retention_app.command("apply")
def retention_apply(database: DatabaseOption = None) -> None:
    """Erase now the personal data whose operation's retention period has run out
    (``mamar serve`` also does every MAMAR_RETENTION_INTERVAL seconds); each erasure is journalled."""
    from mamar.services.retention import erase_expired

    count = erase_expired(open_system(database))
    console.print(
        ntr(
            cli_lang(),
            "erased %(n)s personal record whose retention period had run out",
            "erased %(n)s personal records whose retention period had run out",
            count,
        )
    )


audit_app = typer.Typer(help="Audit of sensitive reads.", no_args_is_help=True)
app.add_typer(audit_app, name="audit")


@audit_app.command("access")
def audit_access(database: DatabaseOption = None) -> None:
    """Every read of a personal record: when, who (and their role), whose record."""
    system = open_system(database)
    with system.reading() as conn:
        rows = list(accesses(conn))
    lang = cli_lang()
    headings = ("Position", "Recorded", "Reader", "Role", "Record", "Through")
    table = Table(*(tr(lang, h) for h in headings))
    for a in rows:
        table.add_row(
            number(a.position, lang),
            format_moment(str(a.at), "UTC", lang),
            a.reader,
            tr(lang, a.reader_role),
            a.subject,
            a.purpose,
        )
    console.print(table)
    console.print(ntr(lang, "%(n)s read", "%(n)s reads", len(rows)))
