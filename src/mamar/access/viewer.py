"""The viewer: who is reading, and what of a record they may see.

The rule, for a record owned by organisation O, shared with organisations S:

- ``shared``: every organisation of the installation sees the record;
- ``internal``: O and S see it;
- ``medical`` / ``negotiation``: the accounts of O and S whose role holds that
  compartment see it.

Parts of a record (fields, events) may belong to a sub-compartment although the
record does not (a bottom line in a position): only the accounts of O and S whose
role holds it see them, and they change nothing the others can observe (the
record's ``updated_at`` moves only for those who see the part).

The installation's administrators also see every organisation's accounts and
organisations (to administer them), and nothing more of theirs.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from pydantic import BaseModel
from sqlalchemy import ColumnElement, Table, and_, exists, false, or_, select

from mamar.domain.model import Actor, EntityState, aggregates
from mamar.domain.visibility import INSTALLATION, SUB_COMPARTMENTS, Role, Visibility, visible_to

# Record kinds the installation's administrators administer, by state class name
# (the access package stands above the noun packages but needs no import of them).
_ADMINISTERED = frozenset({"AccountState", "OrganisationState"})
# Compartments by name: looked up once per event a timeline or an export reads, where
# calling the enum costs more than the rest of the decision.
_COMPARTMENTS: dict[Visibility | str, Visibility] = {v.value: v for v in Visibility}


@dataclass(frozen=True)
class Viewer:
    """An account reading: its organisation, its role there and the compartments the
    role holds. Everything :meth:`sees` depends on is in :attr:`key`."""

    username: str
    role: Role
    organisation: str
    compartments: frozenset[Visibility]
    party: str | None = None

    @property
    def administers_installation(self) -> bool:
        return self.role is Role.ADMIN and self.organisation == INSTALLATION

    @property
    def key(self) -> tuple[str, tuple[str, ...], bool]:
        """Viewers with equal keys see exactly the same (caches share entries by it)."""
        return (
            self.organisation,
            tuple(sorted(c.value for c in self.compartments)),
            self.administers_installation,
        )

    @property
    def speaks_only_for_own_party(self) -> bool:
        """A guarantor's liaison officer records only what its own party (:attr:`party`)
        gives, answers or acknowledges; the other roles record for any party."""
        return self.role is Role.LIAISON

    @property
    def speaks_for(self) -> str | None:
        """The party whose word this account records, if it may record no other's."""
        return self.party if self.speaks_only_for_own_party else None

    def member_of(self, state: EntityState) -> bool:
        """The record is the viewer's organisation's, or shared with it by name."""
        return state.owner == self.organisation or self.organisation in state.shared_with

    def sees(self, state: EntityState) -> bool:
        """May the viewer see that this record exists, and its common fields?"""
        visibility = state.visibility
        if visibility is Visibility.SHARED:
            return True
        if self.administers_installation and type(state).__name__ in _ADMINISTERED:
            return True
        if not self.member_of(state):
            return False
        return visibility in self.compartments

    def sees_rows(self, records: Table, members: Table) -> ColumnElement[bool]:
        """:meth:`sees` as an SQL condition on the rows of ``records`` (the read model's
        ``entities``: ``stream``, ``kind``, ``visibility``), with ``members`` (``stream``,
        ``organisation``: a record's owner and every organisation it is shared with).

        The same rule, clause by clause, so that lists page in the database and a
        viewer's pages, counts and order are made of what it sees and nothing else
        (``tests/test_access_sql.py`` holds the two equal over many records and viewers).
        """
        seen: list[ColumnElement[bool]] = [records.c.visibility == Visibility.SHARED.value]
        if self.administers_installation:
            seen.append(records.c.kind.in_(administered_kinds()))
        # One lookup of the members' key (stream, organisation) per record that needs it.
        # ``OFFSET 0`` changes no answer; it keeps PostgreSQL from answering the EXISTS
        # instead with a hash of every member row of the organisation, which it prefers
        # once it expects thousands of records: at 1,000,000 events that is every one
        # of 350,000 people read to check a few thousand convoys and incidents.
        member = exists(
            select(members.c.stream)
            .where(
                members.c.stream == records.c.stream,
                members.c.organisation == self.organisation,
            )
            .offset(0)
        )
        compartments = sorted(c.value for c in self.compartments)
        seen.append(
            and_(records.c.visibility.in_(compartments), member) if compartments else false()
        )
        return or_(*seen)

    def sees_part(self, state: EntityState, compartment: Visibility | str | None) -> bool:
        """May the viewer, who sees ``state``, see a part of it in ``compartment``
        (a field, or an event on it)? Assumes :meth:`sees`."""
        if compartment is None:
            return True
        part = _COMPARTMENTS.get(compartment)
        if part is None:  # as Visibility() would: an unknown compartment is an error
            raise ValueError(f"{compartment!r} is not a compartment")
        if part not in SUB_COMPARTMENTS or part == state.visibility:
            return True
        return self.member_of(state) and part in self.compartments

    def sees_event(self, state: EntityState | None, visibility: str) -> bool:
        """May the viewer see an event of compartment ``visibility`` on the record
        whose current state is ``state``? (Who sees a record sees its history.)"""
        return state is not None and self.sees(state) and self.sees_part(state, visibility)

    def redact(self, state: EntityState) -> dict[str, Any]:
        """The state as JSON data, as this viewer may see it (assumes :meth:`sees`):
        without fields of compartments it lacks, with the update time of what it
        sees, and without the share list unless the record is its organisation's."""
        data = state.model_dump(mode="json")
        if data.get("ref") is None:  # only shared records of some kinds have a short reference
            data.pop("ref", None)
        for name, compartment in _field_compartments(type(state)):
            if not self.sees_part(state, compartment):
                data.pop(name, None)
        updated = data.pop("updated_in", None) or {}
        for compartment, moment in updated.items():
            if self.sees_part(state, compartment) and moment > data.get("updated_at", ""):
                data["updated_at"] = moment
        if state.owner != self.organisation:
            data.pop("shared_with", None)
        return data


def administered_kinds() -> list[str]:
    """The kinds of record whose state is one of those administrators administer."""
    return sorted(
        kind for kind, spec in aggregates().items() if spec.state_type.__name__ in _ADMINISTERED
    )


def members_of(state: EntityState) -> list[str]:
    """The organisations :meth:`Viewer.member_of` holds members of ``state``: its owner
    and those it is shared with (the rows the read model keeps for :meth:`Viewer.sees_rows`)."""
    return sorted({state.owner, *state.shared_with})


@cache
def _field_compartments(model: type[BaseModel]) -> tuple[tuple[str, str], ...]:
    """The fields of ``model`` that belong to a compartment, with it (worked out once
    per model: reading pydantic's field table costs more than redacting a state)."""
    found = ((name, _compartment_of(model, name)) for name in model.model_fields)
    return tuple((name, c) for name, c in found if c is not None)


def _compartment_of(model: type[BaseModel], field: str) -> str | None:
    info = model.model_fields.get(field)
    extra = info.json_schema_extra if info is not None else None
    if isinstance(extra, dict):
        value = extra.get("compartment")
        return value if isinstance(value, str) else None
    return None


def viewer_of(actor: Actor | Viewer) -> Viewer:
    """The viewer of an acting account."""
    if isinstance(actor, Viewer):
        return actor
    return Viewer(
        username=actor.username,
        role=actor.role,
        organisation=actor.organisation,
        compartments=visible_to(actor.role),
        party=actor.party,
    )
