"""``mamar``: init, demo, scenario, verify, rebuild, timeline, show, status, export, users."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated, Any, NoReturn

import orjson
import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
from rich.text import Text
from sqlalchemy import inspect, make_url
from typer._click.exceptions import UsageError
from typer.exceptions import Abort

from mamar import reads
from mamar.api.messages import domain_message
from mamar.cli import language
from mamar.cli.creating import creates_database, may_create
from mamar.cli.findings import difference_words, failure_words, organisation_words
from mamar.cli.geo import control_app, import_osm, places_app, route_app
from mamar.cli.language import cli_lang as cli_lang
from mamar.config import Settings
from mamar.db.engine import make_engine
from mamar.domain.errors import DomainError, SaidIn
from mamar.evidence.checkpoint import open_checkpoint
from mamar.evidence.note import NoteError, parse_verifier
from mamar.i18n.files import file_trouble, not_text
from mamar.journal import store
from mamar.journal.verify import Anchor, TreeAnchor, record_checkpoint, verify
from mamar.projections.check import compare
from mamar.projections.entities import rebuild
from mamar.system import Mamar
from mamar.web.i18n import LANGUAGES, ntr, tr

app = typer.Typer(
    help="Mamar: coordination and evidence record for safe passage.", no_args_is_help=True
)
#: What the command line prints is printed as written: a name a person typed
#: ("[bold]x[/bold]", "[red") is never read as rich's markup, nor coloured as code. Colour
#: is given by :func:`red` (a :class:`~rich.text.Text` with its style), never by markup.
console = Console(markup=False, highlight=False)
err = Console(stderr=True, markup=False, highlight=False)

DatabaseOption = Annotated[
    str | None,
    typer.Option(
        "--database",
        "-d",
        help="Database URL or SQLite file (default: $MAMAR_DATABASE_URL, else mamar.db)",
    ),
]


DEMO_DATABASE = Path("mamar-demo.db")


def database_url(database: str | None) -> str:
    """``--database``, else ``$MAMAR_DATABASE_URL``, else ``./mamar.db``; when only the demo's
    database is in this folder (``mamar demo`` made it), that one, saying so."""
    if database:  # a URL, or a SQLite file's path (``-d mamar-demo.db``, as ``demo`` takes)
        return database if "://" in database else f"sqlite:///{Path(database).resolve()}"
    if os.environ.get("MAMAR_DATABASE_URL"):
        return Settings().database_url
    if not Path("mamar.db").exists() and DEMO_DATABASE.exists():
        err.print(
            tr(
                cli_lang(),
                "Reading the demo's database %(path)s (--database chooses another).",
                path=DEMO_DATABASE,
            ),
            highlight=False,
        )
        return f"sqlite:///{DEMO_DATABASE}"
    return "sqlite:///mamar.db"


def _there(settings: Settings) -> bool:
    """Whether the installation's database is there: its SQLite file, or on PostgreSQL its
    schema (the migrations' own table)."""
    path = settings.sqlite_path()
    if path is not None:
        return path.exists()
    if settings.database_url.startswith("sqlite"):
        return True  # in memory: made by whoever opens it
    engine = make_engine(settings.database_url)
    try:
        with engine.connect() as conn:
            return inspect(conn).has_table("alembic_version")
    finally:
        engine.dispose()


def open_system(database: str | None) -> Mamar:
    """The installation at ``database``. Unless the running command may create it
    (:func:`~mamar.cli.creating.creates_database`), a database that is not there is refused
    before anything is made: no database file, no vault key beside it."""
    settings = Settings().model_copy(update={"database_url": database_url(database)})
    if not may_create() and not _there(settings):
        where = settings.sqlite_path() or make_url(settings.database_url).render_as_string(
            hide_password=True
        )
        raise fail(
            tr(
                cli_lang(),
                "There is no database at %(path)s: nothing was created. Give its place with "
                "--database (mamar demo makes mamar-demo.db unless told another), or create "
                "one with mamar init.",
                path=where,
            )
        )
    system = Mamar(settings)
    system.init()
    return system


@app.callback()
def _language(
    lang: Annotated[
        str | None,
        typer.Option(
            "--lang", help="ar or en: the language of the messages (default $MAMAR_LANG, else en)"
        ),
    ] = None,
) -> None:
    """Mamar: coordination and evidence record for safe passage."""
    _fit_to_terminal()
    if lang is not None:
        if lang not in LANGUAGES:
            raise typer.BadParameter(
                tr(
                    cli_lang(),
                    "use one of: %(choices)s",
                    choices=language.choices(cli_lang(), LANGUAGES),
                )
            )
        os.environ["MAMAR_LANG"] = lang


def _fit_to_terminal() -> None:
    """Tables as wide as this run's terminal ($COLUMNS when set), not as the terminal of
    whatever first imported the module (a process that runs several commands)."""
    columns = os.environ.get("COLUMNS", "")
    width = int(columns) if columns.isdigit() else None
    for each in (console, err):
        each.width = width  # type: ignore[assignment]  # None: measured from the terminal


def progress_bar() -> Progress:
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        console=err,
        transient=True,
    )


def red(label: str, rest: str = "") -> Text:
    """``label`` in red, then ``rest``, each printed as written."""
    return Text.assemble((label, "red"), f" {rest}" if rest else "")


def fail(message: str, code: int = 1) -> typer.Exit:
    """Say the error (``message`` printed as written, never as markup); the exit to raise."""
    err.print(red(tr(cli_lang(), "Error:"), message))
    return typer.Exit(code)


def file_failure(error: OSError, path: str | os.PathLike[str] | None = None) -> typer.Exit:
    """A file that could not be read or written, said from the catalogues: which file and
    what is wrong (never the operating system's English)."""
    return fail(file_trouble(error, path)(cli_lang()))


def read_text(path: Path, encoding: str = "utf-8") -> str:
    """The text of a file the command was given, or the command stops saying what is wrong
    with it (missing, not readable, a folder, not text)."""
    try:
        return path.read_text(encoding=encoding)
    except OSError as error:
        raise file_failure(error, path) from None
    except UnicodeDecodeError:
        raise fail(not_text(path)(cli_lang())) from None


@app.command()
@creates_database
def init(database: DatabaseOption = None) -> None:
    """Create the database schema, or upgrade it."""
    system = open_system(database)
    url = system.engine.url.render_as_string(hide_password=True)
    console.print(tr(cli_lang(), "database ready: %(url)s", url=url), highlight=False)


def _anchor(value: str | None, log_key: str | None) -> Anchor | TreeAnchor | None:
    """``POSITION:SHA256HEX``, or a signed checkpoint file checked with ``log_key``."""
    if value is None:
        return None
    path = Path(value)
    if ":" not in value or path.is_file():
        if not path.is_file():
            raise _not_an_anchor(value)
        if log_key is None:
            raise typer.BadParameter(
                tr(
                    cli_lang(),
                    "a signed checkpoint is checked with the log's public key: give --log-key "
                    "(as the operators handed it out, not read from this server)",
                ),
                param_hint="--log-key",
            )
        try:
            checkpoint, _note = open_checkpoint(read_text(path), parse_verifier(log_key))
        except NoteError as exc:
            raise typer.BadParameter(exc.said(cli_lang()), param_hint="--against") from None
        return TreeAnchor(checkpoint.size, checkpoint.root)
    try:
        return Anchor.parse(value)
    except ValueError:  # its English is for the logs: said from the catalogue
        raise _not_an_anchor(value) from None


def _not_an_anchor(value: str) -> typer.BadParameter:
    return typer.BadParameter(
        tr(
            cli_lang(), "%(value)s is neither POSITION:SHA256HEX nor a checkpoint file", value=value
        ),
        param_hint="--against",
    )


@app.command("verify")
def verify_command(
    database: DatabaseOption = None,
    checkpoint: Annotated[
        bool, typer.Option(help="Record the verified head as a checkpoint")
    ] = True,
    against: Annotated[
        str | None,
        typer.Option(
            help="POSITION:SHA256HEX kept outside the database (as a previous run printed "
            "it), or a signed checkpoint file: the journal must still hold exactly what "
            "it covers"
        ),
    ] = None,
    log_key: Annotated[
        str | None,
        typer.Option(
            help="The log's public key (<name>+<id>+<key>), to check a checkpoint "
            "file given to --against"
        ),
    ] = None,
    read_models: Annotated[
        bool,
        typer.Option(
            "--read-models",
            help="Also replay the journal in memory and name the first entity whose "
            "read-model rows differ",
        ),
    ] = False,
) -> None:
    """Recompute the hash chain; name the first position that does not match, and why.

    The database alone can be rewritten consistently; keep the printed head elsewhere
    and give it to --against to catch that.
    """
    anchor = _anchor(against, log_key)
    system = open_system(database)
    with system.reading() as conn:
        total = store.count(conn)
    with progress_bar() as bar, system.reading() as conn:
        task = bar.add_task(tr(cli_lang(), "verifying"), total=total)
        result = verify(conn, progress=lambda n: bar.advance(task, n), against=anchor)
    if not result.ok:
        err.print(Text(failure_words(result, cli_lang()), style="red"))
        raise typer.Exit(2)
    if read_models:
        with progress_bar() as bar, system.reading() as conn:
            task = bar.add_task(tr(cli_lang(), "replaying"), total=total)
            difference = compare(conn, progress=lambda n: bar.advance(task, n))
        if difference is not None:
            lang = cli_lang()
            named = None
            if difference.organisation is not None:
                with system.reading() as conn:
                    named = organisation_words(conn, difference.organisation, lang)
            err.print(red(tr(lang, "Error:"), difference_words(difference, lang, named)))
            raise typer.Exit(2)
    if checkpoint:
        with system.writing() as conn:
            record_checkpoint(conn, result.head_position, result.head_hash)
    lang = cli_lang()
    console.print(ntr(lang, "ok: %(n)s event", "ok: %(n)s events", result.count))
    if read_models:
        console.print(tr(lang, "read models: as the journal gives them"))
    console.print(
        tr(
            lang,
            "head: %(position)s %(hash)s",
            position=result.head_position,
            hash=result.head_hash.hex(),
        ),
        highlight=False,
    )
    console.print(
        tr(
            lang,
            "keep outside the database: %(option)s",
            option=f"--against {result.head_position}:{result.head_hash.hex()}",
        ),
        soft_wrap=True,
        highlight=False,
    )


@app.command("rebuild")
def rebuild_command(database: DatabaseOption = None) -> None:
    """Replay the journal into fresh read models."""
    system = open_system(database)
    with system.reading() as conn:
        total = store.count(conn)
    with progress_bar() as bar, system.writing() as conn:
        task = bar.add_task(tr(cli_lang(), "replaying"), total=total)
        replayed = rebuild(conn, progress=lambda n: bar.advance(task, n))
    # Every read model rewritten: the planner's view of them refreshed (PostgreSQL:
    # the old rows vacuumed away too).
    system.after_bulk_write()
    console.print(
        ntr(
            cli_lang(),
            "rebuilt read models from %(n)s event",
            "rebuilt read models from %(n)s events",
            replayed,
        )
    )


export_app = typer.Typer(help="Export records.", no_args_is_help=True)
app.add_typer(export_app, name="export")
app.add_typer(route_app, name="route")
app.add_typer(places_app, name="places")
app.add_typer(control_app, name="control")
app.command("import-osm")(import_osm)


@export_app.command("journal")
def export_journal(
    database: DatabaseOption = None,
    output: Annotated[str, typer.Option("--output", "-o", help="File, or - for stdout")] = "-",
    as_user: Annotated[
        str | None,
        typer.Option("--as", help="Only what this account may see (its organisation and role)"),
    ] = None,
    every_organisation: Annotated[
        bool,
        typer.Option(
            "--every-organisation",
            help="Every event of every organisation, for the installation's operator",
        ),
    ] = False,
) -> None:
    """The journal as JSON Lines, one event per line, with hashes.

    Say whose export it is: ``--as ACCOUNT`` (what that account may see), or
    ``--every-organisation`` (the whole record, every organisation's internal,
    medical and negotiation records included: only the chain of the whole record
    can be checked from the file alone).
    """
    if (as_user is None) == (not every_organisation):
        raise DomainError(
            "export_for_whom",
            "say whose export this is: --as ACCOUNT, or --every-organisation",
            field="as",
        )
    system = open_system(database)
    try:
        out = sys.stdout.buffer if output == "-" else open(output, "wb")  # noqa: SIM115
    except OSError as error:
        raise file_failure(error, output) from None
    try:
        with system.reading() as conn:
            events = (
                store.read_all(conn)
                if as_user is None
                else reads.visible_events(conn, viewer=system.actor(as_user))
            )
            for event in events:
                out.write(orjson.dumps(event.exported()) + b"\n")
    finally:
        if out is not sys.stdout.buffer:
            out.close()


class _Pipe:
    """Standard output, its text and its bytes (``buffer``), that once its reader is gone
    (``mamar timeline | head``, ``mamar export journal … | head -1``) quietly drops the rest
    instead of failing: the command then ends with status 0. Every output path goes through
    it (``console``, ``sys.stdout.write``, ``sys.stdout.buffer.write``, :func:`write_out`)."""

    def __init__(self, stream: Any, text: _Pipe | None = None) -> None:
        self._stream = stream
        self._text = text or self  # the one state of both layers: the text stream's
        self.closed_by_reader = False
        inner = getattr(stream, "buffer", None)
        if text is None and inner is not None:
            self.buffer = _Pipe(inner, self)

    def write(self, data: Any) -> int:
        if not self._text.closed_by_reader:
            try:
                return int(self._stream.write(data))
            except BrokenPipeError:
                self._gone()
        return len(data)

    def flush(self) -> None:
        if not self._text.closed_by_reader:
            try:
                self._stream.flush()
            except BrokenPipeError:
                self._gone()

    def _gone(self) -> None:
        """What is still buffered, and anything written later, goes nowhere."""
        self._text.closed_by_reader = True
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, self._stream.fileno())
        os.close(devnull)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


def write_out(content: bytes, output: str) -> None:
    """A made file (an export, a report) to ``output``, or to standard output for ``-``."""
    if output == "-":
        sys.stdout.buffer.write(content)
        sys.stdout.buffer.flush()
    else:
        try:
            Path(output).write_bytes(content)
        except OSError as error:
            raise file_failure(error, output) from None


def _refusal(lang: str, code: str, words: str) -> str:
    """A refusal as printed: "Refused: <why>"; a record that is not there is not refused,
    it is not found: its sentence alone."""
    return words if code == "not_found" else tr(lang, "Refused: %(reason)s", reason=words)


def _stop(message: str, lang: str, code: int) -> NoReturn:
    err.print(red(tr(lang, "Error:"), message))
    sys.exit(code)


def main() -> None:
    sys.stdout = _Pipe(sys.stdout)
    argv = sys.argv[1:]
    lang = language.requested(argv)
    language.ask(lang)  # every message of this run, not only the command's own output
    root = typer.main.get_command(app)
    argv = language.lang_anywhere(root, argv)
    found = language.asked(root, argv)
    if found is not None and found.unknown is not None:
        _stop(language.unknown_command(lang, found), lang, code=2)
    if found is not None:
        sys.stdout.write(language.help_text(lang, found))
        sys.exit(0)
    try:
        code = root.main(args=argv, prog_name=language.PROGRAM, standalone_mode=False)
    except UsageError as exc:  # in the reader's words, not Typer's
        path = exc.ctx.command_path if exc.ctx is not None else language.PROGRAM
        _stop(language.usage_error(lang, exc, path), lang, code=exc.exit_code)
    except Abort:
        _stop(tr(lang, "Stopped before the end."), lang, code=1)
    except OSError as exc:  # a file no command said more of: which file, what is wrong
        _stop(file_trouble(exc)(cli_lang()), cli_lang(), code=1)
    except SaidIn as exc:  # already in the user's words: say it as it is
        err.print(_refusal(exc.language, exc.code, exc.message), highlight=False)
        sys.exit(2)
    except DomainError as exc:  # the catalogue's sentence for the refusal, in --lang
        lang = cli_lang()
        err.print(_refusal(lang, exc.code, domain_message(exc, lang)), highlight=False)
        sys.exit(2)
    sys.exit(code if isinstance(code, int) else 0)
