"""People on manifests, as the caller may see them: manifests with names, counts derived
from manifests, the boarded who have not arrived, and the spelling-tolerant search.

Names come from the vault; every read of them is journalled (``people.read``,
``people.searched``) in the caller's transaction, before anything is returned. A
vehicle's manifest is in the medical compartment of the organisation that recorded
it (and of those it shares the vehicle with): others see neither the people nor
anything derived from them, counts included.
"""

from __future__ import annotations

import base64
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, select

from mamar.access.viewer import Viewer, viewer_of
from mamar.audit.access import VAULT_READERS, audit_id, journal_read
from mamar.audit.events import PeopleRead, PeopleSearched
from mamar.db.tables import vault_terms
from mamar.domain.errors import NotFound, NotPermitted
from mamar.domain.model import Actor, EntityState
from mamar.domain.text import LocalText
from mamar.manifests.events import PersonStatus
from mamar.manifests.model import Entry, VehicleState
from mamar.manifests.names import name_words, pair, skeleton
from mamar.projections.entities import current, state_as_of
from mamar.reads.states import get_state, visible_states, with_access_of
from mamar.tracing.events import TracingStatus
from mamar.tracing.model import TracingState
from mamar.vault.store import Vault

Caller = Actor | Viewer
P = PersonStatus


def _seen(viewer: Viewer, state: EntityState) -> bool:
    return viewer.sees(state) and viewer.sees_part(state, "medical")


def vehicles(
    conn: Connection,
    *,
    viewer: Caller,
    operation: str,
    convoy: str | None = None,
    at_utc: str | None = None,
) -> list[VehicleState]:
    """The vehicles (with their manifests) of ``operation`` the viewer may see, now or as
    they were at ``at_utc`` (a vehicle registered later is absent, a person listed later
    too)."""
    seer = viewer_of(viewer)
    found = visible_states(conn, viewer=seer, operation=operation, kinds=["vehicle"], at_utc=at_utc)
    out = [v for v in found if isinstance(v, VehicleState) and _seen(seer, v)]
    if convoy is not None:
        out = [v for v in out if v.convoy == convoy]
    return sorted(out, key=lambda v: (v.convoy, v.label.original, v.id))


def _require_reader(viewer: Viewer) -> None:
    if viewer.role not in VAULT_READERS:
        raise NotPermitted(f"the role '{viewer.role.value}' may not read personal records")


def _words(text: Any) -> str | None:
    """The words of a text as the vault keeps it: plain words (kept so before the text said
    its language) or the text with its language."""
    if isinstance(text, dict):
        return str(text.get("original") or "") or None
    return str(text) if text else None


def _subject(vehicle: str, number: int) -> str:
    return f"{vehicle}#{number}"


@dataclass(frozen=True)
class Person:
    """One person of a manifest as the caller may see them (``details`` None: erased)."""

    vehicle: str
    convoy: str
    label: LocalText  # the vehicle's, in the words of who registered it
    entry: Entry
    details: dict[str, Any] | None
    score: int = 0

    def as_json(self) -> dict[str, Any]:
        return {
            "vehicle": self.vehicle,
            "convoy": self.convoy,
            "vehicle_label": self.label.model_dump(mode="json"),
            "number": self.entry.number,
            "group": self.entry.group,
            "group_kind": self.entry.group_kind.value,
            "child": self.entry.child.value if self.entry.child else None,
            "status": self.entry.status.value,
            "stop": self.entry.statuses[-1].stop,
            "since": self.entry.statuses[-1].at,
            "statuses": [s.model_dump(mode="json") for s in self.entry.statuses],
            "details": _shown(self.details),
            "erased": self.entry.erased,
            "triage": self.entry.triage.model_dump(mode="json") if self.entry.triage else None,
            "handed_to": self.entry.handed_to,
        }


def _shown(details: dict[str, Any] | None) -> dict[str, Any] | None:
    """A person's record as pages show it: whether there is a photo, never its reference."""
    if details is None:
        return None
    return {**details, "photo": bool(details.get("photo"))}


def _opened(
    vault: Vault | None, conn: Connection, entries: Iterable[Entry]
) -> dict[str, dict[str, Any] | None]:
    """The vault records of ``entries`` (not erased) by reference, read together."""
    refs = [e.vault_ref for e in entries if e.vault_ref is not None and not e.erased]
    if not refs:
        return {}
    if vault is None:
        raise NotPermitted("personal records cannot be read: no vault key is configured")
    return vault.get_many(conn, refs)


def _with_details(vault: Vault | None, conn: Connection, found: Sequence[Person]) -> list[Person]:
    records = _opened(vault, conn, (p.entry for p in found))
    return [
        Person(
            p.vehicle,
            p.convoy,
            p.label,
            p.entry,
            records.get(p.entry.vault_ref) if p.entry.vault_ref else None,
            p.score,
        )
        for p in found
    ]


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
    return _with_details(vault, conn, [Person(v.id, v.convoy, v.label, e, None) for v, e in shown])


def manifest(
    conn: Connection,
    vault: Vault | None,
    *,
    viewer: Caller,
    vehicle: str,
    purpose: str,
    at_utc: str | None = None,
) -> tuple[VehicleState, list[Person]]:
    """One vehicle and its people by name (the read journalled), now or as the manifest
    was at ``at_utc``. The vault keeps a person's record as it was written, or nothing once
    it is erased: a person erased since that moment is shown erased."""
    seer = viewer_of(viewer)
    state = get_state(conn, viewer=seer, kind="vehicle", entity_id=vehicle, at_utc=at_utc)
    assert isinstance(state, VehicleState)
    if not _seen(seer, state):
        raise NotFound("vehicle", vehicle)
    return state, named(
        conn, vault, viewer=seer, people=[(state, e) for e in state.entries], purpose=purpose
    )


def photo(
    conn: Connection,
    vault: Vault | None,
    *,
    viewer: Caller,
    vehicle: str,
    number: int,
    at_utc: str | None = None,
) -> tuple[bytes, str]:
    """The photo of a person on a manifest, and its media type; the read is journalled
    first. NotFound if the caller may not see the person, the person was not yet on the
    manifest at ``at_utc``, or there is no photo (erased)."""
    seer = viewer_of(viewer)
    _require_reader(seer)
    state = get_state(conn, viewer=seer, kind="vehicle", entity_id=vehicle, at_utc=at_utc)
    assert isinstance(state, VehicleState)
    entry = state.entry(number)
    if not _seen(seer, state) or entry is None:
        raise NotFound("vehicle", vehicle)
    if entry.erased or entry.vault_ref is None:
        raise NotFound("photo", _subject(vehicle, number))
    if vault is None:
        raise NotPermitted("personal records cannot be read: no vault key is configured")
    journal_read(
        conn,
        audit_id("people", seer.username),
        PeopleRead(
            subjects=(_subject(vehicle, number),),
            reader=seer.username,
            reader_role=seer.role,
            purpose="photo",
        ),
        actor=seer.username,
        operation=state.operation,
    )
    details = vault.get(conn, entry.vault_ref)
    ref = (details or {}).get("photo")
    record = vault.get(conn, str(ref)) if ref else None
    if record is None:
        raise NotFound("photo", _subject(vehicle, number))
    return base64.b64decode(record["image"]), str(record["media_type"])


# --- Search. ---

_PAIR, _PAIR_SKELETON, _WORD, _WORD_SKELETON = 8, 3, 4, 1
_YEAR, _YEAR_NEAR, _ORIGIN = 3, 1, 2
#: Candidates ranked by their name before the caller's view filters them.
_CANDIDATES = 300


@dataclass(frozen=True)
class _Query:
    """A search as index terms: name terms by weight, then year and origin terms."""

    pairs: dict[str, int]
    words: dict[str, int]
    others: dict[str, int]


def _query_terms(vault: Vault, name: str, year: int | None, origin: str | None) -> _Query:
    found = name_words(name)
    pairs: dict[str, int] = {}
    words: dict[str, int] = {}
    others: dict[str, int] = {}

    def add(into: dict[str, int], part: str, text: str, weight: int) -> None:
        key = vault.term_key(part, text)
        into[key] = max(into.get(key, 0), weight)

    for i, first in enumerate(found):
        add(words, "n", first, _WORD)
        add(words, "s", skeleton(first), _WORD_SKELETON)
        for second in found[i + 1 :]:
            add(pairs, "p", pair(first, second), _PAIR)
            add(pairs, "q", pair(skeleton(first), skeleton(second)), _PAIR_SKELETON)
    if year is not None:
        add(others, "y", str(year), _YEAR)
        for near in (year - 1, year + 1):
            add(others, "y", str(near), _YEAR_NEAR)
    for word in name_words(origin or ""):
        add(others, "o", word, _ORIGIN)
    return _Query(pairs, words, others)


def _scored(
    conn: Connection, weights: dict[str, int], operation: str | None
) -> dict[tuple[str, str], int]:
    t = vault_terms
    query = select(t.c.ref, t.c.subject, t.c.term).where(t.c.term.in_(sorted(weights)))
    if operation is not None:
        query = query.where(t.c.operation == operation)
    scores: dict[tuple[str, str], int] = defaultdict(int)
    for ref, subject, term in conn.execute(query):
        scores[(ref, subject)] += weights[term]
    return scores


def _ranked(conn: Connection, query: _Query, operation: str | None) -> list[tuple[str, str, int]]:
    """Records matching the name, best first: (ref, subject, score).

    Two words or more: the records sharing two of them (index rows of word pairs, which
    few people share); when none does, or for one word, those sharing a word. The year
    and origin then add to the score of those candidates only (looked up by their
    references), so a common name never reads thousands of index rows."""
    scores = _scored(conn, query.pairs, operation) if query.pairs else {}
    if not scores:
        scores = _scored(conn, query.words, operation)
    ranked = sorted(scores, key=lambda k: (-scores[k], k[1], k[0]))[:_CANDIDATES]
    if query.others and ranked:
        t = vault_terms
        refs = {key[0]: key for key in ranked}
        rows = conn.execute(
            select(t.c.ref, t.c.term).where(
                t.c.ref.in_(sorted(refs)), t.c.term.in_(sorted(query.others))
            )
        )
        for ref, term in rows:
            scores[refs[ref]] += query.others[term]
        ranked.sort(key=lambda k: (-scores[k], k[1], k[0]))
    return [(ref, subject, scores[(ref, subject)]) for ref, subject in ranked[:_CANDIDATES]]


def _vehicle_seen(
    conn: Connection, seer: Viewer, stream: str, at_utc: str | None
) -> VehicleState | None:
    """The vehicle ``stream`` if the viewer sees its manifest (as it was at ``at_utc``)."""
    got = current(conn, stream)
    now = got[0] if got is not None else None
    if not (isinstance(now, VehicleState) and _seen(seer, now)):
        return None
    past = now if at_utc is None else state_as_of(conn, stream, at_utc)
    shown = None if past is None else with_access_of(past, now)
    return shown if isinstance(shown, VehicleState) else None


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
    at_utc: str | None = None,
) -> list[Person]:
    """Possible matches across the manifests of every convoy the caller may see, best
    first (spelling-tolerant names, year of birth ± 1, origin), on the manifests as they
    were at ``at_utc`` (None: now); the search is journalled with whom it found."""
    seer = viewer_of(viewer)
    _require_reader(seer)
    if vault is None:
        raise NotPermitted("personal records cannot be read: no vault key is configured")
    query = _query_terms(vault, name, year_of_birth, origin)
    found: list[Person] = []
    if query.words:
        states: dict[str, VehicleState | None] = {}
        for ref, subject, score in _ranked(conn, query, operation):
            if subject not in states:
                states[subject] = _vehicle_seen(conn, seer, subject, at_utc)
            vehicle = states[subject]
            if vehicle is None:
                continue
            entry = next((e for e in vehicle.entries if e.vault_ref == ref), None)
            if entry is None or entry.erased:
                continue
            found.append(Person(vehicle.id, vehicle.convoy, vehicle.label, entry, None, score))
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
    return _with_details(vault, conn, found)


# --- New registrations checked against open missing-person reports. ---

#: What two records sharing a term of each kind says (see :func:`name_terms`).
_FIELD_WEIGHT = {"p": _PAIR, "q": _PAIR_SKELETON, "n": _WORD, "s": _WORD_SKELETON}
_FIELD_WEIGHT.update({"y": _YEAR, "o": _ORIGIN})


@dataclass(frozen=True)
class MissingMatch:
    """A person just registered who may be the one a relative reported missing."""

    person: Person
    tracing: str
    child: bool
    score: int

    def as_json(self) -> dict[str, Any]:
        return {
            **self.person.as_json(),
            "tracing": self.tracing,
            "sought_child": self.child,
            "score": self.score,
        }


def missing_matches(
    conn: Connection,
    vault: Vault | None,
    *,
    viewer: Caller,
    operation: str,
    people: Sequence[tuple[VehicleState, Entry]],
    purpose: str = "registration",
) -> list[MissingMatch]:
    """Which of ``people`` (just registered) may be someone an open tracing request the
    caller may see is looking for: two words of the name in common (spelling-tolerant,
    as the search), ranked with the year of birth and the origin. The check is journalled
    like a search, with whom it found; requests the caller may not see are not compared.

    It compares the keyed index terms of the records, not the records: nothing is
    decrypted but the names of the people found."""
    seer = viewer_of(viewer)
    _require_reader(seer)
    if vault is None:
        raise NotPermitted("personal records cannot be read: no vault key is configured")
    shown = {
        e.vault_ref: (v, e)
        for v, e in people
        if _seen(seer, v) and e.vault_ref is not None and not e.erased
    }
    open_requests = {
        s.sought_ref: s
        for s in visible_states(conn, viewer=seer, operation=operation, kinds=["tracing"])
        if isinstance(s, TracingState)
        and s.status is TracingStatus.OPEN
        and s.sought_ref is not None
        and _seen(seer, s)
    }
    shared: dict[tuple[str, str], dict[str, str]] = defaultdict(dict)  # term → its field
    if shown and open_requests:
        t = vault_terms
        sought: dict[str, list[str]] = defaultdict(list)  # term → sought records
        field_of: dict[str, str] = {}
        for ref, term, field in conn.execute(
            select(t.c.ref, t.c.term, t.c.field).where(t.c.ref.in_(sorted(open_requests)))
        ):
            sought[term].append(ref)
            field_of[term] = field
        if sought:
            rows = conn.execute(
                select(t.c.ref, t.c.term).where(
                    t.c.term.in_(sorted(sought)), t.c.operation == operation
                )
            )
            for ref, term in rows:
                if ref in shown:
                    for wanted in sought[term]:
                        shared[(ref, wanted)][term] = field_of[term]
    found: list[tuple[str, str, int]] = []
    for (ref, wanted), terms in shared.items():
        # Two words of the name in common, however spelt; then ranked as the search ranks.
        if {"p", "q"} & set(terms.values()):
            score = sum(_FIELD_WEIGHT.get(field, 0) for field in terms.values())
            found.append((ref, wanted, score))
    found.sort(key=lambda x: (-x[2], shown[x[0]][0].label.original, shown[x[0]][1].number))
    journal_read(
        conn,
        audit_id("people", seer.username),
        PeopleSearched(
            by=("registration",),
            found=tuple(
                dict.fromkeys(
                    name
                    for ref, wanted, _ in found
                    for name in (
                        _subject(shown[ref][0].id, shown[ref][1].number),
                        f"tracing:{open_requests[wanted].id}",
                    )
                )
            ),
            reader=seer.username,
            reader_role=seer.role,
            purpose=purpose,
        ),
        actor=seer.username,
        operation=operation,
    )
    if not found:
        return []
    named_people = _with_details(
        vault,
        conn,
        [
            Person(v.id, v.convoy, v.label, e, None)
            for v, e in (shown[ref] for ref in dict.fromkeys(r for r, _, _ in found))
        ],
    )
    by_ref = {p.entry.vault_ref: p for p in named_people}
    return [
        MissingMatch(by_ref[ref], open_requests[wanted].id, open_requests[wanted].child, score)
        for ref, wanted, score in found
    ]


def tracing_request(
    conn: Connection,
    vault: Vault | None,
    *,
    viewer: Caller,
    tracing: str,
    purpose: str,
    at_utc: str | None = None,
) -> tuple[TracingState, dict[str, Any] | None, dict[str, Any] | None]:
    """A tracing request (as it was at ``at_utc``) with who is sought and who asks (the
    read journalled)."""
    seer = viewer_of(viewer)
    _require_reader(seer)
    state = get_state(conn, viewer=seer, kind="tracing", entity_id=tracing, at_utc=at_utc)
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
    conn: Connection,
    vault: Vault | None,
    *,
    viewer: Caller,
    tracing: str,
    at_utc: str | None = None,
    purpose: str,
) -> tuple[TracingState, dict[str, Any] | None, dict[str, Any] | None, list[Person]]:
    """A tracing request and the possible matches for the one sought, across every
    manifest the caller may see (both reads journalled); as they were at ``at_utc``."""
    state, sought, relative = tracing_request(
        conn, vault, viewer=viewer, tracing=tracing, purpose=purpose, at_utc=at_utc
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
        origin=_words(sought.get("origin")),
        purpose=purpose,
        at_utc=at_utc,
    )
    return state, sought, relative, found
