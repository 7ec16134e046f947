"""Events of an incident's life, and the values they carry."""

from __future__ import annotations

import re
from enum import StrEnum
from typing import Annotated

from pydantic import AfterValidator, Field, JsonValue, model_validator
from pydantic_core import PydanticCustomError

from mamar.domain.ids import EntityId, Reference, RefersTo
from mamar.domain.model import Value
from mamar.domain.text import LocalText, Prose
from mamar.incidents.categories import EventType, HumanitarianImpact, SubEventType, Weapon
from mamar.journal.registry import EventData, event_type
from mamar.routes.coordinates import Latitude, Longitude

_SHA256 = re.compile(r"^[0-9a-f]{64}$")


def _sha256(value: str) -> str:
    value = value.strip().lower()
    if not _SHA256.fullmatch(value):
        raise PydanticCustomError(
            "sha256_invalid", "is not a SHA-256 digest: expected 64 hexadecimal characters"
        )
    return value


#: The SHA-256 of a photo, recording or document kept outside the journal.
EvidenceHash = Annotated[str, AfterValidator(_sha256)]

Count = Annotated[int, Field(ge=0, le=1_000_000)]


class Confidence(StrEnum):
    """How sure the reporter is of the alleged perpetrator."""

    CONFIRMED = "confirmed"
    LIKELY = "likely"
    POSSIBLE = "possible"
    UNKNOWN = "unknown"


class SourceKind(StrEnum):
    WITNESS = "witness"
    OWN_TEAM = "own_team"
    PARTNER = "partner"
    MEDIA = "media"
    OTHER = "other"


class VerificationStatus(StrEnum):
    UNVERIFIED = "unverified"
    CORROBORATED = "corroborated"
    VERIFIED = "verified"
    DISPUTED = "disputed"
    RETRACTED = "retracted"


class Point(Value):
    lat: Latitude
    lon: Longitude


class Breakdown(Value):
    """Who the casualties were, as far as known; categories left out are not known."""

    civilians: Count | None = None
    fighters: Count | None = None
    medical: Count | None = None
    civil_defence: Count | None = None
    unknown: Count | None = None
    aid_workers: Count | None = None  # humanitarian staff (Red Crescent, ICRC, UN, NGOs)


class Tally(Value):
    total: Count
    breakdown: Breakdown | None = None
    # Of the total, whatever their category: children (under 18), as far as known.
    children: Count | None = None

    @model_validator(mode="after")
    def _breakdown_fits(self) -> Tally:
        if self.children is not None and self.children > self.total:
            raise PydanticCustomError(
                "children_exceed",
                "{children} children is more than the total of {total}",
                {"children": self.children, "total": self.total},
            )
        if self.breakdown is not None:
            parts = sum(v for v in self.breakdown.model_dump().values() if v is not None)
            if parts > self.total:
                raise PydanticCustomError(
                    "breakdown_exceeds",
                    "the breakdown adds up to {parts}, more than the total of {total}",
                    {"parts": parts, "total": self.total},
                )
        return self


class Casualties(Value):
    """Killed and injured; ``None`` means not known, which is not the same as zero."""

    killed: Tally | None = None
    injured: Tally | None = None


class Source(Value):
    text: Prose
    kind: SourceKind


class Allegation(Value):
    """One party alleged to be the perpetrator, how sure, and who alleges it (mutual blame
    is two allegations, each party alleging the other)."""

    party: Annotated[Reference, RefersTo("party")]
    confidence: Confidence = Confidence.POSSIBLE
    # The party making the allegation.
    alleged_by: Annotated[Reference, RefersTo("party")] | None = None
    note: Prose | None = None


class Breach(Value):
    """The incident breaches term ``term`` (0-based) of a version of agreement ``agreement``."""

    agreement: EntityId
    agreement_version: int | None = None  # None: the agreement had no concluded version yet
    term: int = Field(ge=0)


@event_type
class IncidentReported(EventData):
    type_name = "incident.reported"

    event_type: EventType
    sub_event_type: SubEventType | None = None
    weapon: Weapon | None = None
    weapon_detail: Prose | None = None
    place: str | None = None
    point: Point | None = None
    description: LocalText
    alleged_perpetrator: str | None = None
    perpetrator_confidence: Confidence = Confidence.UNKNOWN
    casualties: Casualties = Casualties()
    source: Source
    evidence: tuple[EvidenceHash, ...] = ()
    convoy: str | None = None
    own_side: bool = False
    allegations: tuple[Allegation, ...] = ()
    humanitarian: tuple[HumanitarianImpact, ...] = ()


@event_type
class IncidentVerificationChanged(EventData):
    type_name = "incident.verification_changed"

    status: VerificationStatus
    previous: VerificationStatus
    reason: Prose | None = None


@event_type
class IncidentEvidenceAdded(EventData):
    type_name = "incident.evidence_added"

    hashes: tuple[EvidenceHash, ...]
    note: Prose | None = None


@event_type
class IncidentCorrected(EventData):
    """Some facts were wrong: the new values, and the values they replace, both kept."""

    type_name = "incident.corrected"

    changes: dict[str, JsonValue]
    previous: dict[str, JsonValue]
    reason: Prose


@event_type
class IncidentBreachLinked(EventData):
    type_name = "incident.breach_linked"

    breach: Breach
    note: Prose | None = None


@event_type
class IncidentAllegationAdded(EventData):
    """Another party is alleged to be the perpetrator (earlier allegations stand)."""

    type_name = "incident.allegation_added"

    allegation: Allegation
