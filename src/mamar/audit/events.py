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
