"""Events of a person's record: only opaque references and non-identifying descriptions."""

from __future__ import annotations

from typing import ClassVar

from mamar.domain.text import LocalName, Name
from mamar.journal.registry import EventData, event_type


@event_type
class PersonRegistered(EventData):
    type_name = "person.registered"

    party: str | None = None
    role_title: LocalName | None = None  # "Russian general", "civil-defence chief"
    tags: tuple[Name, ...] = ()
    vault_ref: str | None = None


@event_type
class PersonErased(EventData):
    """The person's vault record is destroyed in the same transaction (see services)."""

    type_name = "person.erased"
    erases_vault_ref: ClassVar[bool] = True

    vault_ref: str | None = None
