"""What verifying the journal found wrong, named rather than said: why, which column, which
positions. The person reads it in their language (``mamar.cli.findings`` says it from the
catalogues); ``str`` is its English, for the logs.

Standard library only: the chain walk's worker processes import it (``journal.chain``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum
from typing import Any


class Why(Enum):
    """Each kind of finding; its value is its catalogue message, whose ``%(column)s`` is a
    column in words and whose other placeholders are positions or counts."""

    NOT_BYTES = "%(column)s is not stored as bytes: the row was altered"
    NOT_JSON = "the event's body cannot be read any more: the body was altered"
    COLUMN_DIFFERS = "the copy of %(column)s kept beside the event differs from its hashed body"
    RENUMBERED = "the body names another position: rows were renumbered"
    MISSING = "event missing (the next one present is at position %(next)s)"
    MISSING_AT_END = "event missing (the journal ends at position %(end)s)"
    PREVIOUS_HASH = (
        "the hash it keeps of the event before it is not that event's hash "
        "(an event was removed, inserted or reordered)"
    )
    HASH = "its hash does not match its body: the body or the hash was altered"
    CHECKPOINT = "its hash differs from the checkpoint recorded for this position"
    CHECKPOINT_AFTER_END = (
        "the journal ends at position %(last)s, but a checkpoint was recorded at position "
        "%(checkpoint)s: events after %(last)s were removed"
    )
    HEAD_MISSING = (
        "the chain head is missing, but the journal holds %(count)s events: the head was deleted"
    )
    HEAD_DIFFERS = (
        "the chain head says position %(head)s, but the journal ends at %(last)s: events "
        "were removed or the head was altered"
    )
    ANCHOR_AFTER_END = (
        "the journal ends at position %(last)s, but position %(anchored)s was recorded "
        "outside the database: events were removed"
    )
    ANCHOR_HASH = (
        "its hash differs from the one kept outside the database for this position: the "
        "record up to here was rewritten"
    )
    TREE_AFTER_END = (
        "the journal ends at position %(last)s, but the signed checkpoint kept outside the "
        "database covers %(size)s events: events were removed"
    )
    TREE_ROOT = (
        "the Merkle root of the first %(size)s events differs from the signed checkpoint kept "
        "outside the database: the record up to here was rewritten"
    )


@dataclass(frozen=True)
class Finding:
    """Why a position does not verify: ``column`` names the column concerned (a journal
    column's name, for the reader's words to describe), ``figures`` the other positions or
    counts the sentence names."""

    why: Why
    column: str | None = None
    figures: Mapping[str, int] = field(default_factory=dict)

    def __str__(self) -> str:
        return self.why.value % {"column": f"column '{self.column}'", **self.figures}

    def to_json(self) -> dict[str, Any]:
        return {"why": self.why.name, "column": self.column, "figures": dict(self.figures)}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Finding:
        figures = {str(k): int(v) for k, v in data["figures"].items()}
        return cls(Why[data["why"]], data["column"], figures)


def named(why: Why, column: str | None = None, /, **figures: int) -> Finding:
    return Finding(why, column, figures)
