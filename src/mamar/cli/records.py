"""CLI commands that read the record: status, timeline, show, scenario, demo, users."""

from __future__ import annotations

import secrets
from datetime import datetime
from typing import Annotated, NoReturn

import orjson
import typer
from rich.table import Table

from mamar import reads
from mamar.accounts.credentials import set_password
from mamar.accounts.model import AccountState, CreateAccount, DisableAccount
from mamar.api.messages import domain_message
from mamar.cli import language
from mamar.cli.creating import creates_database
from mamar.cli.main import (
    DEMO_DATABASE,
    DatabaseOption,
    app,
    cli_lang,
    console,
    err,
    open_system,
    progress_bar,
    red,
)
from mamar.cli.render import Clock, entity_lines
from mamar.cli.zones import reading_zone
from mamar.domain.errors import DomainError, SaidIn
from mamar.domain.model import Actor, kind_of
from mamar.domain.refs import REF_KINDS
from mamar.domain.text import LocalName, LocalText
from mamar.domain.time import utc_key
from mamar.domain.visibility import INSTALLATION, Role
from mamar.i18n.labels import RECORD_KINDS, organisation_kind_label, precision_label
from mamar.i18n.refs import read_ref
from mamar.i18n.sentences import speaker_for, told, when_happened
from mamar.organisations.model import OrganisationKind, OrganisationState, RegisterOrganisation
from mamar.scenarios import runner
from mamar.services.commands import SYSTEM
from mamar.system import Mamar
from mamar.web.i18n import DAY_ONLY, LANGUAGES, ntr, number, tr
from mamar.web.render import local

AsOption = Annotated[
    str, typer.Option("--as", help="Read as this account (its compartments apply)")
]
AtOption = Annotated[
    datetime | None,
    typer.Option("--at", help="As of this moment, ISO 8601 with offset", formats=None),
]
LangOption = Annotated[
    str | None,
    typer.Option("--lang", help="ar or en (default: mamar --lang, $MAMAR_LANG, else en)"),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Machine-readable JSON")]


def _viewer(system: Mamar, username: str) -> Actor:
    return system.actor(username)


def _parse_at(text: str | None) -> datetime | None:
    if text is None:
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise typer.BadParameter(
            tr(cli_lang(), "%(text)s is not an ISO 8601 time", text=text), param_hint="--at"
        ) from None
    if moment.tzinfo is None:
        raise typer.BadParameter(
            tr(cli_lang(), "give a UTC offset, e.g. 2016-12-14T02:00+02:00"), param_hint="--at"
        )
    return moment


def _default_operation(system: Mamar, viewer: Actor) -> str:
    with system.reading() as conn:
        ops = reads.visible_states(conn, viewer=viewer, operation=None, kinds=["operation"])
    if not ops:
        raise typer.BadParameter(
            tr(cli_lang(), "there is no operation yet"), param_hint="--operation"
        )
    return ops[0].id


def _print_json(value: object) -> None:
    console.print_json(orjson.dumps(value, option=orjson.OPT_NON_STR_KEYS).decode())


scenario_app = typer.Typer(help="Scenarios of timestamped commands.", no_args_is_help=True)
app.add_typer(scenario_app, name="scenario")


@scenario_app.command("run")
@creates_database
def scenario_run(
    name: Annotated[str, typer.Argument(help="A built-in scenario name or a YAML file")],
    database: DatabaseOption = None,
) -> None:
    """Run a scenario through the application services, step by step."""
    system = open_system(database)
    try:
        scenario = runner.load(name)
        total = len(runner.plan(scenario))
        with progress_bar() as bar:
            task = bar.add_task(scenario.name, total=total)
            count = runner.run(system, scenario, progress=lambda _p: bar.advance(task))
    except runner.ScenarioError as exc:
        lang = cli_lang()
        stopped = tr(lang, "the scenario stopped at %(where)s:", where=exc.said_where(lang))
        err.print(red(stopped, exc.said_reason(lang)))
        raise typer.Exit(2) from None
    lang = cli_lang()
    console.print(
        tr(
            lang,
            "scenario %(name)s: %(commands)s, %(events)s recorded",
            name=scenario.name,
            commands=ntr(lang, "%(n)s command", "%(n)s commands", total),
            events=ntr(lang, "%(n)s event", "%(n)s events", count),
        ),
        highlight=False,
    )


@app.command()
def status(
    database: DatabaseOption = None,
    operation: Annotated[str | None, typer.Option(help="Operation id")] = None,
    at: Annotated[str | None, typer.Option("--at", help="ISO 8601 time with offset")] = None,
    as_: AsOption = "system",
    json: JsonOption = False,
) -> None:
    """The operation overview now, or as of any past moment."""
    system = open_system(database)
    viewer = _viewer(system, as_)
    moment = _parse_at(at)
    op = operation or _default_operation(system, viewer)
    with system.reading() as conn:
        data = reads.overview(conn, viewer=viewer, operation=op, at=moment)
    if json:
        _print_json(data)
        return
    from mamar.cli.render import print_overview

    print_overview(console, data, cli_lang())


@app.command()
def timeline(
    database: DatabaseOption = None,
    operation: Annotated[str | None, typer.Option(help="Operation id")] = None,
    entity: Annotated[str | None, typer.Option(help="Only this entity: kind:id")] = None,
    type_: Annotated[
        list[str] | None, typer.Option("--type", help="Event type, or a prefix ending in '.'")
    ] = None,
    party: Annotated[str | None, typer.Option(help="Only events naming this party")] = None,
    order: Annotated[str, typer.Option(help="occurred or recorded")] = "occurred",
    lang: LangOption = None,
    as_: AsOption = "system",
    json: JsonOption = False,
) -> None:
    """The record in time order, one sentence per event (the web timeline's): when it happened
    (day, time and zone, with precision) or, with --order recorded, when it was recorded and
    then when it happened."""
    if order not in ("occurred", "recorded"):
        raise typer.BadParameter(
            tr(
                cli_lang(),
                "use one of: %(choices)s",
                choices=language.choices(cli_lang(), ("occurred", "recorded")),
            ),
            param_hint="--order",
        )
    lang = lang or cli_lang()
    if lang not in ("ar", "en"):
        raise typer.BadParameter(
            tr(
                cli_lang(),
                "use one of: %(choices)s",
                choices=language.choices(cli_lang(), LANGUAGES),
            ),
            param_hint="--lang",
        )
    system = open_system(database)
    viewer = _viewer(system, as_)
    with system.reading() as conn:
        entries = list(
            reads.timeline(
                conn,
                viewer=viewer,
                operation=operation,
                entity=entity,
                types=type_,
                party=party,
                order=order,
            )
        )
        if json:
            _print_json([e.as_dict() for e in entries])
            return
        # One zone for every line, an organisation's or an account's too (see reading_zone).
        named = [operation] if operation else [e.operation for e in entries]
        speaker = speaker_for(conn, viewer, lang, reading_zone(conn, viewer, named))
        for e in entries:
            phrase = local(e.phrase, lang)
            qualifier = tr(lang, ", ").join(
                x
                for x in (
                    precision_label(e.precision, lang),
                    tr(lang, "“%(text)s”", text=phrase) if phrase else "",
                )
                if x
            )
            happened = when_happened(e, speaker) if order == "recorded" else None
            line = str(told(e, speaker, order, full=True))
            if happened:
                line += f" · {happened}"
            if qualifier:
                line += f" ({qualifier})"
            console.print(line, soft_wrap=True, highlight=False)


def _by_ref(
    system: Mamar, viewer: Actor, text: str, operation: str | None
) -> tuple[str, str] | None:
    """(kind, id) of the record whose short reference is ``text`` ("قافلة ٣", "INC-14",
    "convoy:3"), among those the viewer sees; None if ``text`` is not a reference."""
    kind, _, rest = text.partition(":")
    found = read_ref(rest) if rest and kind in REF_KINDS else read_ref(text)
    if found is None:
        return None
    wanted, n = found
    if rest and kind in REF_KINDS:
        wanted = kind
    kinds = [wanted] if wanted else sorted(REF_KINDS)
    with system.reading() as conn:
        matches = [
            (kind_of(s), s.id)
            for s in reads.visible_states(conn, viewer=viewer, operation=operation, kinds=kinds)
            if s.ref == n
        ]
    if len(matches) != 1:
        lang = cli_lang()
        raise typer.BadParameter(
            (
                ntr(
                    lang,
                    "%(n)s record has the reference %(ref)s",
                    "%(n)s records have the reference %(ref)s",
                    len(matches),
                    ref=text,
                )
                + ("" if operation else " " + tr(lang, "(give --operation)"))
            )
            if matches
            else tr(lang, "no record you may see has the reference %(ref)s", ref=text)
        )
    return matches[0]


@app.command()
def show(
    entity: Annotated[
        str,
        typer.Argument(
            help='kind:id (convoy:first-wounded) or a short reference ("قافلة ٣", INC-14, convoy:3)'
        ),
    ],
    database: DatabaseOption = None,
    at: Annotated[str | None, typer.Option("--at", help="ISO 8601 time with offset")] = None,
    as_: AsOption = "system",
    operation: Annotated[
        str | None, typer.Option("--operation", help="The operation of a short reference")
    ] = None,
    lang: LangOption = None,
    json: JsonOption = False,
) -> None:
    """One entity's state, now or as of a moment: each field named in --lang (or JSON)."""
    lang = lang or cli_lang()
    if lang not in ("ar", "en"):
        raise typer.BadParameter("use 'ar' or 'en'", param_hint="--lang")
    system = open_system(database)
    viewer = _viewer(system, as_)
    referenced = _by_ref(system, viewer, entity, operation)
    if referenced is not None:
        kind, entity_id = referenced
    else:
        kind, _, entity_id = entity.partition(":")
    if not entity_id:
        raise typer.BadParameter(tr(cli_lang(), "write it as kind:id, e.g. convoy:first-wounded"))
    moment = _parse_at(at)
    at_utc = utc_key(moment) if moment else None
    with system.reading() as conn:
        try:
            data = reads.get_entity(
                conn, viewer=viewer, kind=kind, entity_id=entity_id, at_utc=at_utc
            )
        except DomainError as exc:
            if exc.code != "not_found" or kind not in RECORD_KINDS:
                raise
            said = tr(
                lang,
                "No %(kind)s with this reference: %(ref)s",
                kind=tr(lang, RECORD_KINDS[kind]),
                ref=entity_id,
            )
            raise SaidIn("not_found", said, language=lang) from None
        if json:
            _print_json(data)
            return
        speaker = speaker_for(conn, viewer, lang, at_utc=at_utc)
        clock = Clock(
            zone=reading_zone(conn, viewer, [data.get("operation")]),
            day_only=frozenset(
                e.occurred_at
                for e in reads.timeline(
                    conn, viewer=viewer, entity=f"{kind}:{entity_id}", until_utc=at_utc
                )
                if e.precision in DAY_ONLY
            ),
        )

    def name(kind: str, entity_id: str) -> str | None:
        if speaker.record(kind, entity_id) is None:
            return None
        return str(speaker.name(kind, entity_id))

    lines = entity_lines(data, lang, name=name, clock=clock)
    console.print(lines, highlight=False, markup=False, soft_wrap=True)


user_app = typer.Typer(help="Accounts.", no_args_is_help=True)
app.add_typer(user_app, name="user")


@user_app.command("add")
@creates_database
def user_add(
    username: str,
    role: Annotated[Role, typer.Option(help="The account's role")],
    organisation: Annotated[
        str, typer.Option(help="The organisation the account belongs to (its id)")
    ] = INSTALLATION,
    display_name: Annotated[str | None, typer.Option(help="Name shown in the record")] = None,
    party: Annotated[str | None, typer.Option(help="The party the account acts for")] = None,
    password: Annotated[
        str | None, typer.Option(help="Password (default: generated and printed)")
    ] = None,
    database: DatabaseOption = None,
) -> None:
    """Create an account of an organisation (recorded in the journal) with a password."""
    system = open_system(database)
    secret = password or secrets.token_urlsafe(12)
    with system.writing() as conn:
        from mamar.services.commands import execute

        execute(
            conn,
            CreateAccount(
                id=username,
                display_name=display_name or username,
                role=role,
                organisation=organisation,
                party=party,
            ),
            actor=SYSTEM,
        )
        set_password(conn, username, secret)
    lang = cli_lang()
    console.print(
        tr(
            lang,
            "account %(name)s created (%(role)s, %(organisation)s)",
            name=username,
            role=tr(lang, role.value),
            organisation=organisation,
        ),
        highlight=False,
    )
    if password is None:
        console.print(tr(lang, "password: %(secret)s", secret=secret), highlight=False)


@user_app.command("disable")
def user_disable(
    username: str,
    reason: Annotated[str | None, typer.Option(help="Why")] = None,
    database: DatabaseOption = None,
) -> None:
    """Disable an account; it stays in the record."""
    system = open_system(database)
    # What is typed is in the language the command line speaks.
    said = LocalText(original=reason, language=cli_lang()) if reason else None
    system.execute(DisableAccount(id=username, reason=said), actor=SYSTEM)
    console.print(tr(cli_lang(), "account %(name)s disabled", name=username), highlight=False)


@user_app.command("list")
def user_list(database: DatabaseOption = None) -> None:
    """Every account, its organisation, role and party."""
    system = open_system(database)
    with system.reading() as conn:
        states = reads.visible_states(
            conn, viewer=SYSTEM, operation=None, kinds=["account", "organisation", "party"]
        )
    lang = cli_lang()
    # Organisations and parties by their names in the reader's language (the id where none).
    names = {
        (kind_of(state), state.id): name.display(lang)
        for state in states
        if isinstance(name := getattr(state, "name", None), LocalName)
    }
    headings = ("Account", "Name", "Organisation", "Role", "Party", "Status")
    table = Table(*(tr(lang, h) for h in headings))
    for a in (state for state in states if isinstance(state, AccountState)):
        organisation = getattr(a, "organisation", "") or ""
        party = getattr(a, "party", "") or ""
        table.add_row(
            a.id,
            getattr(a, "display_name", "") or "",
            names.get(("organisation", organisation), organisation),
            tr(lang, str(getattr(a, "role", ""))),
            names.get(("party", party), party),
            tr(lang, "disabled") if getattr(a, "disabled", False) else tr(lang, "in use"),
        )
    console.print(table)


org_app = typer.Typer(help="Organisations.", no_args_is_help=True)
app.add_typer(org_app, name="organisation")


@org_app.command("add")
@creates_database
def organisation_add(
    organisation_id: Annotated[str, typer.Argument(metavar="ID", help="A short id, a-z 0-9 -")],
    kind: Annotated[OrganisationKind, typer.Option("--kind", help="What kind it is")],
    name_ar: Annotated[str | None, typer.Option("--name-ar", help="Its name in Arabic")] = None,
    name_en: Annotated[str | None, typer.Option("--name-en", help="Its name in English")] = None,
    party: Annotated[str | None, typer.Option(help="The party it speaks for, if any")] = None,
    database: DatabaseOption = None,
) -> None:
    """Register an organisation that takes part (the installation's administrators do)."""
    system = open_system(database)
    system.execute(
        RegisterOrganisation(
            id=organisation_id,
            name={"ar": name_ar, "en": name_en},
            organisation_kind=kind,
            party=party,
        ),
        actor=SYSTEM,
    )
    console.print(
        tr(cli_lang(), "organisation %(name)s registered", name=organisation_id), highlight=False
    )


@org_app.command("list")
def organisation_list(database: DatabaseOption = None) -> None:
    """Every organisation and its accounts."""
    system = open_system(database)
    with system.reading() as conn:
        states = reads.visible_states(
            conn, viewer=SYSTEM, operation=None, kinds=["organisation", "account"]
        )
    members: dict[str, int] = {}
    for state in states:
        if isinstance(state, AccountState):
            members[state.organisation] = members.get(state.organisation, 0) + 1
    lang = cli_lang()
    table = Table(*(tr(lang, h) for h in ("Identifier", "Kind", "Name", "Accounts")))
    for state in states:
        if isinstance(state, OrganisationState):
            table.add_row(
                state.id,
                organisation_kind_label(state.kind.value, lang),
                state.name.display(lang),
                number(members.get(state.id, 0), lang),
            )
    console.print(table)


@app.command()
@creates_database
def demo(
    scenario: Annotated[
        str,
        typer.Argument(
            help="The scenario to load: a built-in one (aleppo-2016, two-towns) or a YAML file"
        ),
    ] = "aleppo-2016",
    database: Annotated[
        str, typer.Option("--database", "-d", help="SQLite file for the demo (recreated)")
    ] = "mamar-demo.db",
    port: Annotated[int, typer.Option(help="Port to serve on")] = 8000,
    host: Annotated[str, typer.Option(help="Address to serve on")] = "127.0.0.1",
    serve: Annotated[bool, typer.Option(help="Serve after loading")] = True,
    synthetic: Annotated[
        int | None,
        typer.Option(
            min=100,
            help="Instead, a synthetic operation of about N events "
            "(350,000 people and 1,000 convoys per million; see bench/scale.py)",
        ),
    ] = None,
) -> None:
    """A fresh SQLite database with a scenario (aleppo-2016 unless named) and one demo
    account per role."""
    from pathlib import Path

    from mamar.cli.serving import refuse_a_taken_port

    if serve:  # before the last demo's database is removed
        refuse_a_taken_port(host, port)
    if synthetic is None:
        try:  # an unknown scenario leaves the last demo's database as it was
            runner.resolve(scenario)
        except runner.ScenarioError as exc:
            _could_not_load(exc)
    path = Path(database)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    system = open_system(f"sqlite:///{path}")
    if synthetic is not None:
        name, count, accounts = _load_synthetic(system, synthetic)
    else:
        name, count, accounts = _load_scenario(system, scenario)
    with system.reading() as conn:
        names = {
            o["id"]: local(o["name"], cli_lang()) or o["id"]
            for o in reads.list_entities(
                conn, viewer=SYSTEM, operation=None, kind="organisation", limit=10000
            )
        }
    # Accounts and passwords never shrink or wrap (they are typed in); names may wrap.
    lang = cli_lang()
    table = Table(title=tr(lang, "Demo accounts"))
    table.add_column(tr(lang, "Account"), no_wrap=True)
    table.add_column(tr(lang, "Password"), no_wrap=True, min_width=16)
    table.add_column(tr(lang, "Role"), no_wrap=True)
    table.add_column(tr(lang, "Organisation"))
    with system.writing() as conn:
        for account in accounts:
            secret = secrets.token_urlsafe(12)
            set_password(conn, account.username, secret)
            table.add_row(
                account.username,
                secret,
                tr(lang, account.role.value),
                names.get(account.organisation, account.organisation),
            )
    console.print(
        tr(
            lang,
            "loaded %(name)s into %(path)s: %(events)s",
            name=name,
            path=path,
            events=ntr(lang, "%(n)s event", "%(n)s events", count),
        ),
        highlight=False,
    )
    console.print(table)
    found_here = path.resolve() == DEMO_DATABASE.resolve()  # read without --database
    console.print(
        tr(
            cli_lang(),
            "The command line reads this database when run from this folder (e.g. "
            "`mamar timeline --lang ar`); from elsewhere, add --database sqlite:///%(path)s "
            "or set MAMAR_DATABASE_URL to it.",
            path=path.resolve(),
        )
        if found_here
        else tr(
            cli_lang(),
            "The command line reads this database when given --database %(path)s (e.g. "
            "`mamar timeline --lang ar --database %(path)s`), or with MAMAR_DATABASE_URL "
            "set to sqlite:///%(path)s.",
            path=path.resolve(),
        ),
        highlight=False,
        soft_wrap=True,
    )
    if serve:
        from mamar.cli.serving import serve_app

        serve_app(system, host=host, port=port)


def _could_not_load(exc: runner.ScenarioError | DomainError) -> NoReturn:
    lang = cli_lang()
    if isinstance(exc, runner.ScenarioError):
        why = tr(
            lang, "%(where)s: %(reason)s", where=exc.said_where(lang), reason=exc.said_reason(lang)
        )
    else:
        why = domain_message(exc, lang)
    err.print(red(tr(lang, "the demo could not load:"), why))
    raise typer.Exit(2) from None


def _load_scenario(system: Mamar, name: str) -> tuple[str, int, list[Actor]]:
    try:
        scenario = runner.load(name)
        total = len(runner.plan(scenario))
        with progress_bar() as bar:
            task = bar.add_task(f"loading {scenario.name}", total=total)
            count = runner.run(system, scenario, progress=lambda _p: bar.advance(task))
    except (runner.ScenarioError, DomainError) as exc:
        _could_not_load(exc)
    accounts = [
        Actor(username=a.username, role=a.role, party=a.party, organisation=a.organisation)
        for a in scenario.accounts
    ]
    return scenario.name, count, accounts


def _load_synthetic(system: Mamar, events: int) -> tuple[str, int, list[Actor]]:
    from mamar.scenarios import synthetic

    coordinator = Actor(username="coordinator", role=Role.COORDINATOR)
    system.execute(
        CreateAccount(id=coordinator.username, display_name="منسق", role=coordinator.role),
        actor=SYSTEM,
    )
    with progress_bar() as bar:
        task = bar.add_task(f"loading {synthetic.OPERATION}", total=events)
        count = synthetic.generate(
            system, events, progress=lambda done: bar.update(task, completed=done)
        )
    return synthetic.OPERATION, count, [coordinator]
