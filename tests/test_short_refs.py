"""Short references for radio and phone ("قافلة ٣", "INC-14"): given from the journal
alone (a rebuild gives the same), counted only over records shared with every
organisation (so a number tells nothing of records a viewer cannot see), shown on the
record's page, first in pick-lists, and read back by ``mamar show``."""

from __future__ import annotations

import json

from sqlalchemy import text
from typer.testing import CliRunner

from mamar import reads
from mamar.cli import app
from mamar.i18n.refs import read_ref, short_ref
from mamar.incidents.commands import ReportIncident
from mamar.projections.entities import dump, rebuild
from mamar.scenarios import runner
from mamar.system import Mamar
from tests.web_support import OP, make_web

KINDS = ["convoy", "incident", "route", "escalation", "task", "guarantee"]


def _refs(system: Mamar, role: str = "coordinator") -> dict[str, int | None]:
    with system.reading() as conn:
        seen = reads.visible_states(conn, viewer=system.actor(role), operation=OP, kinds=KINDS)
    return {s.id: s.ref for s in seen}


def _incident_refs(system: Mamar) -> dict[str, int | None]:
    with system.reading() as conn:
        seen = reads.visible_states(
            conn, viewer=system.actor("coordinator"), operation=OP, kinds=("incident",)
        )
    return {s.id: s.ref for s in seen}


def _incident(system: Mamar, visibility: str, role: str) -> str:
    recorded = system.execute(
        ReportIncident.model_validate(
            {
                "operation": OP,
                "visibility": visibility,
                "event_type": "explosions_remote_violence",
                "description": {"original": "قصف", "language": "ar"},
                "source": {"kind": "own_team", "text": "فريق"},
            }
        ),
        actor=system.actor(role),
    )
    return recorded[0].stream.partition(":")[2]


def test_shared_records_are_numbered_per_kind_and_a_rebuild_gives_the_same(
    sqlite_system: Mamar,
) -> None:
    system = sqlite_system
    runner.run(system, runner.load("aleppo-2016"))
    refs = _refs(system)
    assert refs["first-wounded"] == 1 and refs["buses-15-december"] == 2
    assert refs["exit-route"] == 1 and refs["return-fire"] is None  # internal: none
    before_new = _incident_refs(system)
    # An internal record of another organisation does not move the count anyone sees.
    _incident(system, "internal", "operations")
    new = _incident(system, "shared", "coordinator")
    # Next after the scenario's shared incidents, whatever else exists.
    assert _refs(system)[new] == max(n for n in before_new.values() if n is not None) + 1
    with system.reading() as conn:
        before = dump(conn)
        # The column the next number is read from holds each record's reference.
        columns = {
            row.stream: (row.ref, json.loads(row.state).get("ref"))
            for row in conn.execute(text("SELECT stream, ref, state FROM entities"))
        }
    assert all(column == state for column, state in columns.values())
    assert sum(1 for column, _ in columns.values() if column is not None) > 5
    with system.writing() as conn:
        rebuild(conn)
    with system.reading() as conn:
        assert dump(conn) == before


def test_references_read_as_typed_in_both_languages() -> None:
    assert short_ref("convoy", 3, "ar") == "قافلة 3" and short_ref("incident", 14, "en") == "INC-14"
    assert read_ref("قافلة ٣") == ("convoy", 3) and read_ref("INC-14") == ("incident", 14)
    assert read_ref("حادثة ١٤") == ("incident", 14) and read_ref("convoy 3") == ("convoy", 3)
    assert read_ref("حادث ١٤") == ("incident", 14)  # as written before the native read
    assert read_ref("3") == (None, 3) and read_ref("الدفعة الأولى") is None


def test_pages_and_pick_lists_show_the_reference(system: Mamar) -> None:
    web = make_web(system)
    client = web.client("operations")
    page = client.get(f"/ops/{OP}/convoys/buses-15-december?lang=ar").text
    assert 'class="badge ref"' in page and "قافلة 2" in page
    english = client.get(f"/ops/{OP}/incidents/sniper-civil-defence-chief?lang=en").text
    assert "INC-3" in english
    form = client.get(f"/ops/{OP}/incidents?lang=ar").text  # its convoy pick-list
    assert '<option value="first-wounded">قافلة 1 — ' in form


def test_mamar_show_finds_a_record_by_its_reference(sqlite_system: Mamar) -> None:
    runner.run(sqlite_system, runner.load("aleppo-2016"))
    url = sqlite_system.settings.database_url
    cli = CliRunner()
    for typed in ("قافلة ٢", "convoy:2", "Convoy 2"):
        shown = cli.invoke(app, ["show", typed, "-d", url, "--operation", OP, "--json"])
        assert shown.exit_code == 0, shown.output
        assert json.loads(shown.output)["id"] == "buses-15-december"
    incident = cli.invoke(app, ["show", "INC-3", "-d", url, "--json"])
    assert incident.exit_code == 0 and json.loads(incident.output)["id"] == (
        "sniper-civil-defence-chief"
    )
    said = cli.invoke(app, ["show", "INC-3", "-d", url, "--lang", "en"])  # for people: its ref
    assert "Reference: INC-3" in said.output and "sniper-civil" not in said.output
    missing = cli.invoke(app, ["show", "قافلة ٩", "-d", url])
    assert missing.exit_code != 0
