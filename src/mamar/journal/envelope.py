"""Events before and after they are appended."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from mamar.domain.time import OccurredAt
from mamar.domain.visibility import Visibility
from mamar.journal.registry import EventData, decode


@dataclass(frozen=True)
class PendingEvent:
    """An event decided by the domain, not yet in the journal."""

    stream: str
    version: int
    data: EventData
    occurred: OccurredAt
    actor: str
    visibility: Visibility
    operation: str | None = None


@dataclass(frozen=True)
class RecordedEvent:
    """An event as stored: its place in the chain and the canonical bytes that were hashed."""

    position: int
    event_id: str
    stream: str
    version: int
    type: str
    schema_version: int
    operation: str | None
    occurred_at: str
    occurred_utc: str
    precision: str
    # The words used for the time as stored: ``{original, language, translations}``, or
    # plain words in journals from before (language not known: ``domain.text.as_text``).
    phrase: str | dict[str, Any] | None
    recorded_at: str
    actor: str
    visibility: str
    data: dict[str, Any]
    body: bytes = field(repr=False)
    prev_hash: bytes = field(repr=False)
    hash: bytes = field(repr=False)
    # The data object it was appended from, when known: saves validating it again.
    source: EventData | None = field(default=None, repr=False, compare=False)

    def decoded(self) -> EventData:
        """The event's data as the current event class (old shapes upcast)."""
        if self.source is not None:
            return self.source
        return decode(self.type, self.schema_version, self.data)

    def exported(self) -> dict[str, Any]:
        """The event as ``export journal`` writes it: :meth:`summary` and the hashed body.

        ``body`` is the canonical bytes as UTF-8 text, exactly what was hashed:
        ``hash = SHA-256(prev_hash ‖ body)``; the other fields are read from it.
        """
        return {**self.summary(), "occurred_utc": self.occurred_utc, "body": self.body.decode()}

    def summary(self) -> dict[str, Any]:
        return {
            "position": self.position,
            "event_id": self.event_id,
            "stream": self.stream,
            "version": self.version,
            "type": self.type,
            "schema_version": self.schema_version,
            "operation": self.operation,
            "occurred_at": self.occurred_at,
            "precision": self.precision,
            "phrase": self.phrase,
            "recorded_at": self.recorded_at,
            "actor": self.actor,
            "visibility": self.visibility,
            "data": self.data,
            "hash": self.hash.hex(),
            "prev_hash": self.prev_hash.hex(),
        }
