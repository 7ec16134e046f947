"""The forms of an agreement's page (roles, phases, fulfilment, convoys of a phase) and of a
convoy's page (wait for another convoy, stop waiting), over the invented two-towns
scenario: each records through the one door, picks every record by name, and a refused
form comes back with what was typed, the reason beside its field, and nothing recorded."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from mamar import reads
from mamar.journal import store
from mamar.scenarios import runner
from mamar.system import Mamar
from tests.arabic_text import visible_text
from tests.web_support import csrf, signed_in

OP = "two-towns"
AGREEMENT = f"/ops/{OP}/agreements/two-way-agreement"


@pytest.fixture
def towns(system: Mamar) -> Iterator[Mamar]:
    runner.run(system, runner.load(OP))
    yield system


def _size(system: Mamar) -> int:
    with system.reading() as conn:
        return store.count(conn)


def _agreement(system: Mamar) -> Any:
    with system.reading() as conn:
        return reads.get_state(
            conn,
            viewer=system.actor("relief-officer"),
            kind="agreement",
            entity_id="two-way-agreement",
        )


def test_fulfilment_is_recorded_with_evidence_picked_by_name(towns: Mamar) -> None:
    client = signed_in(towns, "relief-officer")
    form = client.get(f"{AGREEMENT}/fulfilment?term=nada-civilians&lang=ar")
    assert form.status_code == 200
    text = visible_text(form.text)
    # Terms and evidence are offered by name: never an id to type.
    assert "سيارات تل ندى الخاصة" in text and "انفجرت شاحنة صغيرة مفخخة" in text
    assert 'value="convoy:nada-cars-convoy"' in form.text and "nada-cars-convoy" not in text
    recorded = client.post(
        f"{AGREEMENT}/fulfilment",
        data={
            "csrf": csrf(client),
            "term": "nada-civilians",
            "status": "partial",
            "done": "٣٠٠",  # Arabic-Indic digits, as typed on an Arabic keyboard
            "evidence": ["convoy:nada-cars-convoy", "incident:ambulance-stopped"],
            "note": "عدّ المراقبون السيارات لا ركابها",
        },
    )
    assert recorded.status_code == 303, recorded.text[:500]
    assert recorded.headers["location"] == AGREEMENT
    report = _agreement(towns).fulfilment_of("nada-civilians")
    assert (report.status, report.done) == ("partial", 300)
    assert [(e.kind, e.id) for e in report.evidence] == [
        ("convoy", "nada-cars-convoy"),
        ("incident", "ambulance-stopped"),
    ]
    page = visible_text(client.get(f"{AGREEMENT}?lang=ar").text)
    assert "عدّ المراقبون السيارات لا ركابها" in page and "تسجيل مدى التنفيذ" in page


def test_a_refused_fulfilment_comes_back_as_typed(towns: Mamar) -> None:
    client = signed_in(towns, "relief-officer")
    before = _size(towns)
    refused = client.post(
        f"{AGREEMENT}/fulfilment?lang=ar",
        data={
            "csrf": csrf(client),
            "term": "qasr-wounded",
            "status": "partial",
            "done": "130",
            "evidence": ["note:release-handover-record"],
            "note": "رقم من الميدان",
        },
    )
    assert refused.status_code == 422
    assert 'id="done-error"' in refused.text and "أكثر من العدد المتفق عليه" in refused.text
    assert 'value="130"' in refused.text and "رقم من الميدان" in refused.text
    assert 'value="note:release-handover-record" selected' in refused.text
    assert _size(towns) == before


def test_roles_phases_and_convoys_of_a_phase(towns: Mamar) -> None:
    client = signed_in(towns, "relief-officer")
    token = csrf(client)
    roles = client.post(
        f"{AGREEMENT}/roles",
        data={
            "csrf": token,
            "guarantors": ["state-of-azra", "state-of-belen"],
            "facilitators": ["neutral-relief", "crescent-society"],
            "reason": "The mission withdrew its observers",
        },
    )
    assert roles.status_code == 303, roles.text[:500]
    held = _agreement(towns)
    assert held.observers == () and held.brokers == ()  # an emptied list names no one
    assert held.versions[-1].observers == ()
    before = _size(towns)
    twice = client.post(
        f"{AGREEMENT}/roles?lang=ar",
        data={
            "csrf": token,
            "facilitators": ["monitoring-mission"],
            "observers": ["monitoring-mission"],
        },
    )
    assert twice.status_code == 422 and "لا يتولى الطرف إلا دوراً واحداً" in twice.text
    assert _size(towns) == before
    convoys = client.post(
        f"{AGREEMENT}/convoys",
        data={
            "csrf": token,
            "phase": "2",
            "convoys": ["qasr-civilians-convoy", "nada-cars-convoy", "hills-fighters-convoy"],
        },
    )
    assert convoys.status_code == 303, convoys.text[:500]
    assert "hills-fighters-convoy" in _agreement(towns).phase_convoys["2"]
    done = client.post(
        f"{AGREEMENT}/phase", data={"csrf": token, "phase": "2", "status": "completed"}
    )
    assert done.status_code == 303, done.text[:500]
    again = client.post(
        f"{AGREEMENT}/phase?lang=ar", data={"csrf": token, "phase": "2", "status": "completed"}
    )
    assert again.status_code == 422 and "المرحلة في هذه الحالة بالفعل" in again.text
    page = visible_text(client.get(f"{AGREEMENT}?lang=ar").text)
    assert "مقاتلو فصيل التلال" in page and "hills-fighters-convoy" not in page


def test_a_convoy_waits_for_another_and_stops_waiting(towns: Mamar) -> None:
    client = signed_in(towns, "relief-operations")
    base = f"/ops/{OP}/convoys/hills-fighters-convoy"
    token = csrf(client)
    form = client.get(f"{base}/wait?lang=ar").text
    # The other convoys by name; not itself.
    assert "إعادة الجثامين" in visible_text(form) and 'value="bodies-return"' in form
    assert 'value="hills-fighters-convoy"' not in form
    refused = client.post(
        f"{base}/wait?lang=ar",
        data={"csrf": token, "until": "arrived", "link": "exchange", "note": "بعد الجثامين"},
    )
    assert refused.status_code == 422 and 'id="waits_for-error"' in refused.text
    assert "بعد الجثامين" in refused.text and 'value="exchange" selected' in refused.text
    waits = client.post(
        f"{base}/wait",
        data={"csrf": token, "waits_for": "bodies-return", "until": "arrived", "link": "exchange"},
    )
    assert waits.status_code == 303, waits.text[:500]
    page = visible_text(client.get(f"{base}?lang=ar").text)
    assert "تنتظر أن تبلغ إعادة الجثامين حالة «وصلت» (تبادل)" in page
    dashboard = visible_text(client.get(f"/ops/{OP}/dashboard?lang=ar").text)
    assert "مقاتلو فصيل التلال" in dashboard.split("قوافل تنتظر غيرها", 1)[1]
    stopped = client.post(
        f"{base}/stop-waiting",
        data={"csrf": token, "waits_for": "bodies-return", "reason": "ألغي الارتباط"},
    )
    assert stopped.status_code == 303, stopped.text[:500]
    page = visible_text(client.get(f"{base}?lang=ar").text)
    assert "لا تنتظر أي قافلة أخرى" in page
