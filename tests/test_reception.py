"""Reception: discrepancies as arrivals are checked against the manifests (boarded but
not arrived, arrived on no manifest, arrived on another vehicle), named only to who sees
the manifests, counted (never named) in the situation report."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from mamar.domain.errors import DomainError
from mamar.manifests.commands import ListGroup, RecordStatus, RegisterVehicle
from mamar.manifests.reception import discrepancy, discrepancy_counts, reception_summary
from mamar.reads import people
from mamar.system import Mamar
from tests.test_manifests import FAMILY, setup
from tests.web_support import ACCOUNTS, PASSWORD, Web, csrf, make_web

OP = "aleppo-2016"


def test_each_kind_of_discrepancy_is_named_as_it_happens(system: Mamar) -> None:
    medic, other = setup(system)
    system.execute(
        RegisterVehicle(id="bus-2", operation="op", convoy="c1", label="حافلة ٢"), actor=medic
    )
    system.execute(ListGroup(id="bus-1", people=FAMILY), actor=medic)  # type: ignore[arg-type]
    system.execute(
        RecordStatus(id="bus-1", people=(1, 2, 3), stop="origin", status="boarded"), actor=medic
    )
    # No. 1 arrives on bus 1 as listed; no. 2 arrives on bus 2; no. 3 has not arrived.
    system.execute(
        RecordStatus(id="bus-1", people=(1,), stop="destination", status="arrived"), actor=medic
    )
    system.execute(
        RecordStatus(
            id="bus-1", people=(2,), stop="destination", status="arrived", on_vehicle="bus-2"
        ),
        actor=medic,
    )
    # Someone on no manifest steps off bus 2.
    system.execute(
        ListGroup(
            id="bus-2",
            stop="destination",
            arrived=True,
            group_kind="alone",
            people=[{"details": {"full_name": "سمير ناصر"}}],  # type: ignore[list-item]
        ),
        actor=medic,
    )
    with system.reading() as conn:
        seen = {v.id: v for v in people.vehicles(conn, viewer=medic, operation="op")}
        outsider = people.vehicles(conn, viewer=other, operation="op")
    bus1, bus2 = seen["bus-1"], seen["bus-2"]
    kinds = [discrepancy(e) for e in bus1.entries]
    assert kinds == [None, "other_vehicle", "not_arrived"]
    assert bus1.entries[1].statuses[-1].on_vehicle == "bus-2"
    assert [discrepancy(e) for e in bus2.entries] == ["not_on_manifest"]
    assert bus2.entries[0].status.value == "arrived"
    assert discrepancy_counts([bus1, bus2]) == {
        "not_arrived": 1,
        "not_on_manifest": 1,
        "other_vehicle": 1,
    }
    summary = reception_summary([bus1, bus2])
    assert summary[0]["discrepancies"]["other_vehicle"] == 1
    assert outsider == [] and reception_summary(outsider) == []


def test_a_mismatch_is_only_an_arrival_and_only_at_the_destination(system: Mamar) -> None:
    medic, other = setup(system)
    system.execute(ListGroup(id="bus-1", people=FAMILY), actor=medic)  # type: ignore[arg-type]
    with pytest.raises(DomainError) as refused:
        system.execute(
            RecordStatus(
                id="bus-1", people=(1,), stop="origin", status="boarded", on_vehicle="bus-1x"
            ),
            actor=medic,
        )
    assert refused.value.field == "on_vehicle"
    with pytest.raises(DomainError) as refused:
        system.execute(
            ListGroup(
                id="bus-1",
                arrived=True,
                people=[{"details": {"full_name": "سمير"}}],  # type: ignore[list-item]
            ),
            actor=medic,
        )
    assert refused.value.code == "arrival_only_at_destination"
    # Another organisation's vehicle is not one to arrive on: it does not exist for them.
    system.execute(
        RegisterVehicle(
            id="icrc-bus",
            operation="op",
            convoy="c1",
            label={"original": "ICRC 1", "language": "en"},
        ),
        actor=other,
    )
    with pytest.raises(DomainError) as refused:
        system.execute(
            RecordStatus(
                id="bus-1",
                people=(1,),
                stop="destination",
                status="arrived",
                on_vehicle="icrc-bus",
            ),
            actor=medic,
        )
    assert refused.value.field == "on_vehicle"


# --- The reception page, on the aleppo-2016 demo. ---


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


def changes(web: Web) -> int:
    """Events recorded, apart from the journalled reads of the vault."""
    from sqlalchemy import func, select

    from mamar.db.tables import journal

    with web.system.reading() as conn:
        query = select(func.count()).where(~journal.c.type.like("people.%"))
        return int(conn.execute(query).scalar_one())


def _vehicle(client: object, label: str) -> str:
    added = client.post(  # type: ignore[attr-defined]
        f"/ops/{OP}/manifests",
        data={"csrf": csrf(client), "convoy": "first-wounded", "label": label},  # type: ignore[arg-type]
    )
    assert added.status_code == 303, added.text
    return str(added.headers["location"].rsplit("/", 1)[1])


def test_reception_names_a_vehicle_mismatch_and_an_arrival_on_no_manifest(web: Web) -> None:
    client = web.client("registrar")
    first, second = _vehicle(client, "إسعاف ١١"), _vehicle(client, "إسعاف ١٢")
    client.post(
        f"/ops/{OP}/vehicles/{first}/family",
        data={"csrf": csrf(client), "name.0": "محمد خليل", "name.1": "منى خليل"},
    )
    client.post(
        f"/ops/{OP}/vehicles/{first}/status",
        data={"csrf": csrf(client), "number": ["1", "2"], "stop": "origin", "status": "boarded"},
    )
    reception = f"/ops/{OP}/reception?convoy=first-wounded&vehicle={second}"
    page = client.get(reception)
    assert page.status_code == 200 and "المركبة الواصلة" in page.text
    found = client.post(reception, data={"csrf": csrf(client), "name": "منى"})
    assert "وصل في المركبة الواصلة" in found.text
    assert f'name="on_vehicle" value="{second}"' in found.text
    arrived = client.post(
        f"/ops/{OP}/vehicles/{first}/status",
        data={
            "csrf": csrf(client),
            "number": "2",
            "stop": "destination",
            "status": "arrived",
            "on_vehicle": second,
            "back": reception,
        },
    )
    assert arrived.status_code == 303 and arrived.headers["location"] == reception
    before = changes(web)
    refused = client.post(
        f"/ops/{OP}/reception/arrival?convoy=first-wounded",
        data={"csrf": csrf(client), "arriving": second, "name.0": "سمير ناصر", "year.0": "عام"},
    )
    assert refused.status_code == 422 and 'value="سمير ناصر"' in refused.text
    assert 'id="year-0-error"' in refused.text and 'id="name-0-error"' not in refused.text
    assert changes(web) == before
    listed = client.post(
        f"/ops/{OP}/reception/arrival?convoy=first-wounded",
        data={"csrf": csrf(client), "arriving": second, "name.0": "سمير ناصر", "year.0": "1990"},
    )
    assert listed.status_code == 303, listed.text
    after = client.get(reception).text
    wrong = after.split('id="h-wrong"', 1)[1].split("</section>", 1)[0]
    assert "وصل في مركبة أخرى" in wrong and "منى خليل" in wrong and "وصل في إسعاف ١٢" in wrong
    assert "وصل دون أن يكون في أي قائمة ركاب" in wrong and "سمير ناصر" in wrong
    assert "صعد ولم يصل" in wrong and "محمد خليل" in wrong
    # The latest first: the arrival on no manifest, then the mismatch, then who has not arrived.
    assert wrong.index("سمير ناصر") < wrong.index("منى خليل") < wrong.index("محمد خليل")
    for other in ("icrc", "liaison", "coordinator"):
        seen = web.client(other).get(reception)
        assert "سمير ناصر" not in seen.text and "منى خليل" not in seen.text, other
    from mamar.domain.time import now_utc
    from mamar.reports.making import SitrepRequest, make_sitrep

    def sitrep(username: str) -> str:
        request = SitrepRequest(operation=OP, at=now_utc(), lang="ar", format="html")
        made = make_sitrep(web.system, web.system.actor(username), request)
        return made.content.decode()

    mine = sitrep("sarc-registrar")
    summary = mine.split("ملخص الاستقبال", 1)[1]
    assert "وصل في مركبة أخرى 1" in summary and "وصل دون أن يكون في أي قائمة ركاب 1" in summary
    assert "سمير" not in mine and "منى" not in mine  # counts, never names
    assert "وصل في مركبة أخرى" not in sitrep("icrc-delegate")
