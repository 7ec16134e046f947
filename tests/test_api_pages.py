"""Lists over the API page by the last record seen (``after``/``next_after``) as by offset."""

from __future__ import annotations

from mamar.convoys.commands import PlanConvoy
from mamar.domain.visibility import Role
from mamar.services.commands import SYSTEM
from mamar.system import Mamar
from tests.api_support import make_api
from tests.helpers import at, open_operation


def test_a_list_walked_by_next_after_is_the_list_walked_by_offset(system: Mamar) -> None:
    op = open_operation(system)
    for n in range(7):
        system.execute(
            PlanConvoy(id=f"c{n}", operation=op, name={"en": f"Convoy {n}"}),
            actor=SYSTEM,
            occurred=at("2016-12-13T08:00+02:00"),
        )
    api = make_api(system)
    headers = api.headers(Role.COORDINATOR)
    path = f"/api/v1/operations/{op}/convoy"

    def walk(by: str) -> list[str]:
        seen: list[str] = []
        query = "limit=3"
        while True:
            response = api.client.get(f"{path}?{query}", headers=headers)
            assert response.status_code == 200, response.text
            page = response.json()
            seen += [item["id"] for item in page["items"]]
            if page[f"next_{by}"] is None:
                return seen
            query = f"limit=3&{by}={page[f'next_{by}']}"

    by_offset = walk("offset")
    assert by_offset == [f"c{n}" for n in range(7)]
    assert walk("after") == by_offset
    # After a record that does not exist: the records after it in the order.
    response = api.client.get(f"{path}?after=c3x", headers=headers)
    assert [item["id"] for item in response.json()["items"]] == ["c4", "c5", "c6"]


def test_the_timeline_in_journal_order_pages_by_next_after(system: Mamar) -> None:
    op = open_operation(system)
    for n in range(5):
        system.execute(
            PlanConvoy(id=f"c{n}", operation=op, name={"en": f"Convoy {n}"}),
            actor=SYSTEM,
            occurred=at(f"2016-12-13T0{8 - n}:00+02:00"),  # happened in the reverse order
        )
    api = make_api(system)
    headers = api.headers(Role.COORDINATOR)
    path = f"/api/v1/timeline?operation={op}&order=recorded&limit=2"
    seen: list[str] = []
    query = path
    while True:
        page = api.client.get(query, headers=headers).json()
        seen += [item["entity_id"] for item in page["items"]]
        if page["next_after"] is None:
            break
        query = f"{path}&after={page['next_after']}"
    assert seen == ["op", "c0", "c1", "c2", "c3", "c4"]
    # By when they happened there is no keyset: the offset pages.
    page = api.client.get(f"/api/v1/timeline?operation={op}&limit=2", headers=headers).json()
    assert (page["next_after"], page["next_offset"]) == (None, 2)
