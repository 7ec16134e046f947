"""A new registration (the family form, an imported list) is checked against the open
missing-person reports its registrar may see: possible matches are shown to them, to no
one else, and each check is journalled like a search."""

from __future__ import annotations

from collections.abc import Iterator

import orjson
import pytest
from sqlalchemy import select

from mamar.db.tables import journal
from mamar.manifests.commands import ListGroup, RegisterVehicle
from mamar.manifests.model import VehicleState
from mamar.reads import people
from mamar.system import Mamar
from mamar.tracing.commands import CloseTracing
from tests.helpers import account_in
from tests.test_manifests import setup
from tests.test_tracing import report
from tests.web_support import ACCOUNTS, PASSWORD, Web, csrf, make_web

OP = "aleppo-2016"


def _checks(system: Mamar) -> list[dict[str, object]]:
    with system.reading() as conn:
        rows = conn.execute(select(journal.c.body).where(journal.c.type == "people.searched"))
        return [orjson.loads(bytes(r.body))["data"] for r in rows]


def _listed(system: Mamar, actor: object, vehicle: str) -> list[tuple[VehicleState, object]]:
    with system.reading() as conn:
        state = next(
            v
            for v in people.vehicles(conn, viewer=actor, operation="op")
            if v.id == vehicle  # type: ignore[arg-type]
        )
    return [(state, e) for e in state.entries]


def test_a_child_registered_is_matched_with_the_report_of_a_relative(system: Mamar) -> None:
    medic, other = setup(system)
    report(system, medic)  # "يوسف حسن", born 2011, reported by his father
    family = [
        {"details": {"full_name": "يوسف الحسن", "year_of_birth": 2010}},  # spelt otherwise
        {"details": {"full_name": "يوسف العلي", "year_of_birth": 2011}},  # one word only
        {"details": {"full_name": "فاطمة أحمد"}},
    ]
    system.execute(ListGroup(id="bus-1", people=family), actor=medic)  # type: ignore[arg-type]
    with system.writing() as conn:
        found = people.missing_matches(
            conn,
            system.vault,
            viewer=medic,
            operation="op",
            people=_listed(system, medic, "bus-1"),  # type: ignore[arg-type]
        )
    assert [(m.person.entry.number, m.tracing, m.child) for m in found] == [(1, "t1", True)]
    assert found[0].person.details is not None
    assert found[0].person.details["full_name"] == "يوسف الحسن"
    check = _checks(system)[-1]
    assert check["purpose"] == "registration" and check["reader"] == "sarc-medic"
    assert check["found"] == ["bus-1#1", "tracing:t1"] and check["by"] == ["registration"]

    # Another organisation's registrar does not see the report: nothing is compared.
    system.execute(
        RegisterVehicle(
            id="icrc-1",
            operation="op",
            convoy="c1",
            label={"original": "ICRC 1", "language": "en"},
        ),
        actor=other,
    )
    system.execute(
        ListGroup(id="icrc-1", people=[family[0]]),  # type: ignore[list-item]
        actor=other,
    )
    with system.writing() as conn:
        theirs = people.missing_matches(
            conn,
            system.vault,
            viewer=other,
            operation="op",
            people=_listed(system, other, "icrc-1"),  # type: ignore[arg-type]
        )
    assert theirs == [] and _checks(system)[-1]["found"] == []

    # A closed report is looked for no longer.
    coordinator = account_in(system, "sarc-coord", "coordinator", "sarc")
    system.execute(CloseTracing(id="t1", reason="found elsewhere"), actor=coordinator)
    with system.writing() as conn:
        closed = people.missing_matches(
            conn,
            system.vault,
            viewer=medic,
            operation="op",
            people=_listed(system, medic, "bus-1"),  # type: ignore[arg-type]
        )
    assert closed == []


# --- On the pages, over the aleppo-2016 demo. ---


@pytest.fixture
def web(system: Mamar) -> Iterator[Web]:
    from mamar.accounts.credentials import set_password

    built = make_web(system)
    with system.writing() as conn:
        set_password(conn, "sarc-registrar", PASSWORD)
        set_password(conn, "icrc-delegate", PASSWORD)
    ACCOUNTS["registrar"] = "sarc-registrar"
    ACCOUNTS["icrc"] = "icrc-delegate"
    yield built


def _report(client: object) -> None:
    reported = client.post(  # type: ignore[attr-defined]
        f"/ops/{OP}/tracing",
        data={
            "csrf": csrf(client),  # type: ignore[arg-type]
            "sought.full_name": "سلمى عبد الله الحلبي",
            "sought.year_of_birth": "2009",
            "relative.full_name": "عبد الله الحلبي",
            "relative.relation": "أب",
            "child": "yes",
        },
    )
    assert reported.status_code == 303, reported.text


def test_the_family_form_and_an_import_show_possible_matches_to_their_registrar(
    web: Web,
) -> None:
    client = web.client("registrar")
    _report(client)
    added = client.post(
        f"/ops/{OP}/manifests",
        data={"csrf": csrf(client), "convoy": "first-wounded", "label": "إسعاف ٢١"},
    )
    vehicle = added.headers["location"].rsplit("/", 1)[1]
    sent = client.post(
        f"/ops/{OP}/vehicles/{vehicle}/family",
        data={"csrf": csrf(client), "name.0": "سلمى عبدالله حلبي", "year.0": "2009"},
    )
    page = client.get(sent.headers["location"])
    assert "قد يكون شخصاً أبلغ أحد أقاربه عن فقده" in page.text
    assert "سلمى عبدالله حلبي" in page.text and "افتح طلب البحث عن المفقود" in page.text
    assert f"/ops/{OP}/tracing/" in page.text
    assert _checks(web.system)[-1]["purpose"] == "registration"
    # No one of another organisation is shown it, even at the same address.
    for other in ("coordinator", "icrc", "liaison"):
        seen = web.client(other).get(sent.headers["location"])
        assert seen.status_code in (403, 404) and "سلمى" not in seen.text, other
    # Someone on no manifest arriving at reception is checked too.
    arrival = client.post(
        f"/ops/{OP}/reception/arrival?convoy=first-wounded",
        data={"csrf": csrf(client), "arriving": vehicle, "name.0": "سلمى الحلبي عبد الله"},
    )
    assert arrival.status_code == 303 and "&done=2-2" in arrival.headers["location"]
    at_reception = client.get(arrival.headers["location"]).text
    section = at_reception.split('id="h-missing-matches"', 1)[1].split("</section>", 1)[0]
    assert "سلمى الحلبي عبد الله" in section and "سلمى عبدالله حلبي" not in section
    csv = "name,year_of_birth,vehicle\nسلمى عبد الله الحلبى,2009,باص ٣٠\nمحمود سعيد,1970,باص ٣٠\n"
    imported = client.post(
        f"/ops/{OP}/convoys/first-wounded/import",
        data={"csrf": csrf(client)},
        files={"list": ("list.csv", csv.encode(), "text/csv")},
    )
    assert imported.status_code == 200, imported.text
    section = imported.text.split('id="h-missing-matches"', 1)[1].split("</section>", 1)[0]
    assert "سلمى عبد الله الحلبى" in section and "محمود سعيد" not in section
