"""Events of control areas and front lines."""

from __future__ import annotations

from mamar.domain.text import LocalName, Prose
from mamar.domain.time import AwareDatetime
from mamar.geo.values import AreaShape, Confidence, LineShape
from mamar.journal.registry import EventData, event_type


@event_type
class ControlAreaRecorded(EventData):
    """An area and the party controlling it from ``valid_from`` (until ``valid_to``, if known)."""

    type_name = "control_area.recorded"

    name: LocalName | None = None
    party: str
    area: AreaShape
    valid_from: AwareDatetime
    valid_to: AwareDatetime | None = None
    source: Prose
    confidence: Confidence


@event_type
class ControlAreaTransferred(EventData):
    """Territory change: from ``at`` the area is controlled by ``party``."""

    type_name = "control_area.transferred"

    party: str
    previous: str
    at: AwareDatetime
    source: Prose
    confidence: Confidence


@event_type
class ControlAreaEnded(EventData):
    """The last recorded control of the area ends at ``at``."""

    type_name = "control_area.ended"

    at: AwareDatetime
    reason: Prose | None = None


@event_type
class FrontLineRecorded(EventData):
    type_name = "front_line.recorded"

    name: LocalName | None = None
    line: LineShape
    parties: tuple[str, ...] = ()  # the parties facing each other along it, when known
    valid_from: AwareDatetime
    valid_to: AwareDatetime | None = None
    source: Prose
    confidence: Confidence


@event_type
class FrontLineEnded(EventData):
    type_name = "front_line.ended"

    at: AwareDatetime
    reason: Prose | None = None
