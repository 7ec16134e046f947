"""People on manifests, as the caller may see them: manifests with names, counts derived
from manifests, the boarded who have not arrived, and the spelling-tolerant search.

Names come from the vault; every read of them is journalled (``people.read``,
``people.searched``) in the caller's transaction, before anything is returned. A
vehicle's manifest is in the medical compartment of the organisation that recorded
it (and of those it shares the vehicle with): others see neither the people nor
anything derived from them, counts included.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, case, func, select

from mamar.access.viewer import Viewer, viewer_of
from mamar.audit.access import VAULT_READERS, audit_id, journal_read
from mamar.audit.events import PeopleRead, PeopleSearched
from mamar.db.tables import vault_terms
from mamar.domain.errors import NotFound, NotPermitted
from mamar.domain.model import Actor, EntityState
from mamar.manifests.events import PersonStatus
from mamar.manifests.model import Entry, VehicleState
from mamar.manifests.names import name_words, skeleton
from mamar.projections.entities import current
from mamar.reads.states import get_state, visible_states
from mamar.tracing.model import TracingState
from mamar.vault.store import Vault

Caller = Actor | Viewer
P = PersonStatus


def _seen(viewer: Viewer, state: EntityState) -> bool:
    return viewer.sees(state) and viewer.sees_part(state, "medical")


def vehicles(
    conn: Connection, *, viewer: Caller, operation: str, convoy: str | None = None
) -> list[VehicleState]:
    """The vehicles (with their manifests) of ``operation`` the viewer may see."""
    seer = viewer_of(viewer)
    found = visible_states(conn, viewer=seer, operation=operation, kinds=["vehicle"])
    out = [v for v in found if isinstance(v, VehicleState) and _seen(seer, v)]
    if convoy is not None:
        out = [v for v in out if v.convoy == convoy]
    return sorted(out, key=lambda v: (v.convoy, v.label, v.id))


def _require_reader(viewer: Viewer) -> None:
    if viewer.role not in VAULT_READERS:
        raise NotPermitted(f"the role '{viewer.role.value}' may not read personal records")


def _subject(vehicle: str, number: int) -> str:
    return f"{vehicle}#{number}"


@dataclass(frozen=True)
class Person:
    """One person of a manifest as the caller may see them (``details`` None: erased)."""

    vehicle: str
    convoy: str
    label: str
    entry: Entry
    details: dict[str, Any] | None
    score: int = 0

    def as_json(self) -> dict[str, Any]:
        return {
            "vehicle": self.vehicle,
            "convoy": self.convoy,
            "vehicle_label": self.label,
            "number": self.entry.number,
            "group": self.entry.group,
            "group_kind": self.entry.group_kind.value,
            "child": self.entry.child.value if self.entry.child else None,
            "status": self.entry.status.value,
            "stop": self.entry.statuses[-1].stop,
            "since": self.entry.statuses[-1].at,
            "statuses": [s.model_dump(mode="json") for s in self.entry.statuses],
            "details": self.details,
            "erased": self.entry.erased,
        }


def _open(vault: Vault | None, conn: Connection, entry: Entry) -> dict[str, Any] | None:
    if entry.vault_ref is None or entry.erased:
        return None
    if vault is None:
        raise NotPermitted("personal records cannot be read: no vault key is configured")
    return vault.get(conn, entry.vault_ref)


def named(
    conn: Connection,
    vault: Vault | None,
    *,
    viewer: Caller,
    people: Sequence[tuple[VehicleState, Entry]],
    purpose: str,
) -> list[Person]:
    """The people given with their names from the vault; the read is journalled first."""
    seer = viewer_of(viewer)
    _require_reader(seer)
    shown = [(v, e) for v, e in people if _seen(seer, v)]
    subjects = tuple(_subject(v.id, e.number) for v, e in shown if not e.erased)
    if subjects:
        journal_read(
            conn,
            audit_id("people", seer.username),
            PeopleRead(
                subjects=subjects, reader=seer.username, reader_role=seer.role, purpose=purpose
            ),
            actor=seer.username,
            operation=shown[0][0].operation,
        )
    return [Person(v.id, v.convoy, v.label, e, _open(vault, conn, e)) for v, e in shown]


def manifest(
    conn: Connection, vault: Vault | None, *, viewer: Caller, vehicle: str, purpose: str
) -> tuple[VehicleState, list[Person]]:
    """One vehicle and its people by name (the read journalled)."""
    seer = viewer_of(viewer)
    state = get_state(conn, viewer=seer, kind="vehicle", entity_id=vehicle)
    assert isinstance(state, VehicleState)
    if not _seen(seer, state):
        raise NotFound("vehicle", vehicle)
    return state, named(
        conn, vault, viewer=seer, people=[(state, e) for e in state.entries], purpose=purpose
    )


# --- Search. ---

_NAME_EXACT, _NAME_SKELETON, _YEAR, _YEAR_NEAR, _ORIGIN = 4, 1, 3, 1, 2
#: Candidates looked at before the caller's view filters them.
_CANDIDATES = 300


def _query_terms(
    vault: Vault, name: str, year: int | None, origin: str | None
) -> tuple[dict[str, int], set[str]]:
    weights: dict[str, int] = {}
    names: set[str] = set()

    def add(part: str, text: str, weight: int) -> str:
        key = vault.term_key(part, text)
        weights[key] = max(weights.get(key, 0), weight)
        return key

    for word in name_words(name):
        names.add(add("n", word, _NAME_EXACT))
        names.add(add("s", skeleton(word), _NAME_SKELETON))
    if year is not None:
        add("y", str(year), _YEAR)
        for near in (year - 1, year + 1):
            add("y", str(near), _YEAR_NEAR)
    for word in name_words(origin or ""):
        add("o", word, _ORIGIN)
    return weights, names


def search(
    conn: Connection,
    vault: Vault | None,
    *,
    viewer: Caller,
    operation: str | None,
    name: str,
    year_of_birth: int | None = None,
    origin: str | None = None,
    limit: int = 20,
    purpose: str = "web",
) -> list[Person]:
    """Possible matches across the manifests of every convoy the caller may see, best
    first (spelling-tolerant names, year of birth ± 1, origin); the search is journalled
    with whom it found."""
    seer = viewer_of(viewer)
    _require_reader(seer)
    if vault is None:
        raise NotPermitted("personal records cannot be read: no vault key is configured")
    weights, names = _query_terms(vault, name, year_of_birth, origin)
    found: list[Person] = []
    if names:
        t = vault_terms
        score = func.sum(case(*((t.c.term == k, w) for k, w in weights.items()), else_=0))
        name_hit = func.max(case((t.c.term.in_(sorted(names)), 1), else_=0))
        query = (
            select(t.c.ref, t.c.subject, score.label("score"))
            .where(t.c.term.in_(sorted(weights)))
            .group_by(t.c.ref, t.c.subject)
            .having(name_hit == 1)
            .order_by(score.desc(), t.c.subject, t.c.ref)
            .limit(_CANDIDATES)
        )
        if operation is not None:
            query = query.where(t.c.operation == operation)
        states: dict[str, VehicleState | None] = {}
        for row in conn.execute(query):
            if row.subject not in states:
                got = current(conn, row.subject)
                state = got[0] if got is not None else None
                seen = isinstance(state, VehicleState) and _seen(seer, state)
                states[row.subject] = state if seen else None  # type: ignore[assignment]
            vehicle = states[row.subject]
            if vehicle is None:
                continue
            entry = next((e for e in vehicle.entries if e.vault_ref == row.ref), None)
            if entry is None or entry.erased:
                continue
            found.append(
                Person(vehicle.id, vehicle.convoy, vehicle.label, entry, None, int(row.score))
            )
            if len(found) >= limit:
                break
    by = tuple(
        part
        for part, given in (("name", name), ("year_of_birth", year_of_birth), ("origin", origin))
        if given
    )
    journal_read(
        conn,
        audit_id("people", seer.username),
        PeopleSearched(
            by=by,
            found=tuple(_subject(p.vehicle, p.entry.number) for p in found),
            reader=seer.username,
            reader_role=seer.role,
            purpose=purpose,
        ),
        actor=seer.username,
        operation=operation,
    )
    return [
        Person(p.vehicle, p.convoy, p.label, p.entry, _open(vault, conn, p.entry), p.score)
        for p in found
    ]


def tracing_request(
    conn: Connection, vault: Vault | None, *, viewer: Caller, tracing: str, purpose: str
) -> tuple[TracingState, dict[str, Any] | None, dict[str, Any] | None]:
    """A tracing request with who is sought and who asks (the read journalled)."""
    seer = viewer_of(viewer)
    _require_reader(seer)
    state = get_state(conn, viewer=seer, kind="tracing", entity_id=tracing)
    assert isinstance(state, TracingState)
    refs = [r for r in (state.sought_ref, state.relative_ref) if r is not None]
    if refs:
        if vault is None:
            raise NotPermitted("personal records cannot be read: no vault key is configured")
        journal_read(
            conn,
            audit_id("people", seer.username),
            PeopleRead(
                subjects=(f"tracing:{tracing}",),
                reader=seer.username,
                reader_role=seer.role,
                purpose=purpose,
            ),
            actor=seer.username,
            operation=state.operation,
        )
    sought = vault.get(conn, state.sought_ref) if vault and state.sought_ref else None
    relative = vault.get(conn, state.relative_ref) if vault and state.relative_ref else None
    return state, sought, relative


def tracing_matches(
    conn: Connection, vault: Vault | None, *, viewer: Caller, tracing: str, purpose: str
) -> tuple[TracingState, dict[str, Any] | None, dict[str, Any] | None, list[Person]]:
    """A tracing request and the possible matches for the one sought, across every
    manifest the caller may see (both reads journalled)."""
    state, sought, relative = tracing_request(
        conn, vault, viewer=viewer, tracing=tracing, purpose=purpose
    )
    if sought is None:
        return state, sought, relative, []
    found = search(
        conn,
        vault,
        viewer=viewer,
        operation=state.operation,
        name=str(sought.get("full_name") or ""),
        year_of_birth=sought.get("year_of_birth"),
        origin=sought.get("origin"),
        purpose=purpose,
    )
    return state, sought, relative, found
