"""Cursors instead of journal positions (issue 11, point 4): what a viewer is given to
say "after this event" tells it nothing of what it may not see."""

from __future__ import annotations

from uuid import UUID

import pytest

from mamar.access.cursors import BadCursor, Cursors
from mamar.access.viewer import Viewer
from mamar.domain.visibility import Role, visible_to
from mamar.system import Mamar
from tests.api_support import created, make_api, post


def _viewer(organisation: str, role: Role = Role.COORDINATOR) -> Viewer:
    return Viewer("someone", role, organisation, visible_to(role))


def test_a_cursor_opens_to_its_position_only_for_its_kind_of_viewer() -> None:
    cursors = Cursors(b"k" * 32)
    sarc, icrc = _viewer("sarc"), _viewer("icrc")
    sealed = cursors.seal(sarc, 42)
    assert cursors.open(sarc, sealed) == 42
    # Equal keys see the same: a colleague of the same role opens it; another
    # organisation, or the same organisation without the same compartments, does not.
    assert cursors.open(Viewer("other", Role.COORDINATOR, "sarc", sarc.compartments), sealed) == 42
    for other in (icrc, _viewer("sarc", Role.OBSERVER)):
        with pytest.raises(BadCursor):
            cursors.open(other, sealed)
    # Another installation's secret does not open it either.
    with pytest.raises(BadCursor):
        Cursors(b"j" * 32).open(sarc, sealed)


def test_a_cursor_shows_nothing_of_its_position() -> None:
    cursors = Cursors(b"k" * 32)
    viewer = _viewer("sarc")
    sealed = [cursors.seal(viewer, p) for p in (1, 2, 3, 1_000_000, 2**40)]
    assert len({len(c) for c in sealed}) == 1
    assert len(set(sealed)) == len(sealed)
    assert not any(str(p) in c for p, c in zip((1_000_000, 2**40), sealed[3:], strict=True))
    # Deterministic: the same event keeps its cursor for the same kind of viewer.
    assert cursors.seal(viewer, 3) == sealed[2]
    assert cursors.seal(_viewer("icrc"), 3) != sealed[2]


@pytest.mark.parametrize("cursor", ["", "abc", "A" * 40, "!!!!", "x" * 199])
def test_altered_or_made_up_cursors_are_refused(cursor: str) -> None:
    cursors = Cursors(b"k" * 32)
    viewer = _viewer("sarc")
    with pytest.raises(BadCursor):
        cursors.open(viewer, cursor)
    real = cursors.seal(viewer, 7)
    flipped = real[:-2] + ("A" if real[-2] != "A" else "B") + real[-1]
    with pytest.raises(BadCursor):
        cursors.open(viewer, flipped)


def test_the_api_gives_cursors_never_positions_or_versions(sqlite_system: Mamar) -> None:
    api = make_api(sqlite_system)
    operation = created(
        post(
            api,
            "/api/v1/operation/open",
            {"name": {"en": "Operation"}, "timezone": "Asia/Damascus"},
        )
    )
    receipt = post(
        api,
        "/api/v1/party/register",
        {"operation": operation, "name": {"en": "A"}, "party_kind": "armed_group"},
    )
    event = receipt["events"][0]
    assert {"position", "version", "stream"}.isdisjoint(event)
    assert event["kind"] == "party" and UUID(event["id"]).version == 4
    headers = api.headers(Role.COORDINATOR)
    page = api.client.get("/api/v1/timeline?order=recorded", headers=headers).json()
    assert all("position" not in item for item in page["items"])
    cursors = [item["cursor"] for item in page["items"]]
    assert event["cursor"] in cursors
    # Reading after a cursor gives what was recorded after it, and nothing else.
    first = cursors[0]
    after = api.client.get(
        "/api/v1/timeline", params={"order": "recorded", "after": first}, headers=headers
    ).json()
    assert [i["cursor"] for i in after["items"]] == cursors[1:]
    # A cursor made up, altered or given to another kind of viewer is refused in words.
    refused = api.client.get(
        "/api/v1/timeline",
        params={"after": first[:-1] + ("A" if first[-1] != "A" else "B")},
        headers={**headers, "Accept-Language": "ar"},
    )
    assert refused.status_code == 422
    assert refused.json()["error"]["code"] == "bad_cursor"
    assert refused.json()["error"]["field"] == "after"
    observer = api.client.get(
        "/api/v1/timeline", params={"after": first}, headers=api.headers(Role.OBSERVER)
    )
    assert observer.status_code == 422
