"""Events of a person's record: only opaque references and non-identifying descriptions."""

from __future__ import annotations

from enum import StrEnum
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


class ErasureReason(StrEnum):
    """Why a person's data was erased: chosen from a list, never free text, so the reason
    kept in the journal can never carry the personal data it erased."""

    REQUESTED_BY_PERSON = "requested_by_person"
    REQUESTED_BY_FAMILY = "requested_by_family"
    PROTECTION_RISK = "protection_risk"
    RECORDED_IN_ERROR = "recorded_in_error"
    DUPLICATE = "duplicate"


@event_type
class PersonErased(EventData):
    """The person's vault record is destroyed in the same transaction (see services)."""

    type_name = "person.erased"
    erases_vault_ref: ClassVar[bool] = True

    vault_ref: str | None = None
    reason: ErasureReason | None = None  # None: erased before reasons were asked
