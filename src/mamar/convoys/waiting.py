"""Commands linking movements: a convoy waits for another, or stops waiting."""

from __future__ import annotations

from typing import Annotated, ClassVar

from mamar.convoys.events import ConvoyStatus
from mamar.convoys.links import PROGRESS, ConvoyWaitEnded, ConvoyWaitRecorded, LinkKind
from mamar.convoys.model import ConvoyState
from mamar.domain.errors import DomainError
from mamar.domain.ids import EntityId, RefersTo
from mamar.domain.model import Command, Context, decides
from mamar.domain.text import Prose
from mamar.journal.registry import EventData

#: A convoy that has left (or ended) waits for nothing any more.
_GONE = frozenset({ConvoyStatus.ARRIVED, ConvoyStatus.CANCELLED})


class WaitFor(Command):
    """This convoy waits until the other has reached ``until`` (two-way evacuations:
    each waits for the other)."""

    command_name: ClassVar[str] = "convoy.wait_for"
    kind: ClassVar[str] = "convoy"

    waits_for: Annotated[EntityId, RefersTo("convoy")]
    until: ConvoyStatus = ConvoyStatus.DEPARTED
    link: LinkKind = LinkKind.SIMULTANEOUS
    note: Prose | None = None


class StopWaiting(Command):
    command_name: ClassVar[str] = "convoy.stop_waiting"
    kind: ClassVar[str] = "convoy"

    waits_for: Annotated[EntityId, RefersTo("convoy")]
    reason: Prose | None = None


@decides(WaitFor)
def wait_for(state: ConvoyState, cmd: WaitFor, ctx: Context) -> list[EventData]:
    if cmd.waits_for == state.id:
        raise DomainError("self_wait", "a convoy cannot wait for itself", field="waits_for")
    if cmd.until not in PROGRESS:
        allowed = ", ".join(s.value for s in PROGRESS)
        raise DomainError("bad_until", f"a convoy waits for another to be {allowed}", field="until")
    if state.status in _GONE:
        raise DomainError(
            "not_waiting", f"the convoy is {state.status.value}; it waits for nothing"
        )
    if any(w.waits_for == cmd.waits_for for w in state.waits_for):
        raise DomainError(
            "already_waiting", "the convoy already waits for that one", field="waits_for"
        )
    ctx.require("convoy", cmd.waits_for, "waits_for")
    return [
        ConvoyWaitRecorded(waits_for=cmd.waits_for, until=cmd.until, link=cmd.link, note=cmd.note)
    ]


@decides(StopWaiting)
def stop_waiting(state: ConvoyState, cmd: StopWaiting, ctx: Context) -> list[EventData]:
    if not any(w.waits_for == cmd.waits_for for w in state.waits_for):
        raise DomainError("not_waiting", "the convoy does not wait for that one", field="waits_for")
    return [ConvoyWaitEnded(waits_for=cmd.waits_for, reason=cmd.reason)]
