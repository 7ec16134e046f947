"""Audit events: who read whose personal record. Never the record itself."""

from __future__ import annotations

from typing import ClassVar

from mamar.domain.visibility import Role, Visibility
from mamar.journal.registry import EventData, event_type


@event_type
class VaultAccessed(EventData):
    type_name = "vault.accessed"
    # Who has a vault record is itself sensitive: kept with the medical compartment.
    compartment: ClassVar[Visibility | None] = Visibility.MEDICAL

    subject_kind: str
    subject_id: str
    reader: str
    reader_role: Role
    purpose: str


@event_type
class PeopleRead(EventData):
    """Personal records of people on manifests read together (a list, a reception check).

    ``subjects`` name each person as ``vehicle-id#number``; never a name."""

    type_name = "people.read"
    compartment: ClassVar[Visibility | None] = Visibility.MEDICAL

    subjects: tuple[str, ...]
    reader: str
    reader_role: Role
    purpose: str


@event_type
class PeopleSearched(EventData):
    """A search of the manifests for people: what was searched by (never the words),
    and whom it found (``vehicle-id#number``)."""

    type_name = "people.searched"
    compartment: ClassVar[Visibility | None] = Visibility.MEDICAL

    by: tuple[str, ...]  # "name", "year_of_birth", "origin"
    found: tuple[str, ...]
    reader: str
    reader_role: Role
    purpose: str
