"""How do we reach X: a path of channels, each with the last time it worked.

A channel joins its two ends through its intermediaries; it is used either way (a line
that carries a call carries the answer). Broken channels are not used. Among the
shortest paths (fewest channels), the one whose weakest link worked most recently wins.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable

from mamar.channels.events import ChannelStatus
from mamar.channels.model import ChannelState
from mamar.domain.model import Value
from mamar.parties.refs import PartyOrPerson


class Hop(Value):
    """One channel of the path, crossed from ``start`` to ``end``."""

    channel: str
    start: PartyOrPerson
    end: PartyOrPerson
    via: tuple[PartyOrPerson, ...] = ()
    status: ChannelStatus
    last_worked: str | None = None  # the last time it was active, noted or carried a contact


def _key(who: PartyOrPerson) -> str:
    return f"{who.kind.value}:{who.id}"


def last_worked(channel: ChannelState, contact_times: Iterable[str]) -> str | None:
    """The latest of: became active, a note on it, a contact held over it."""
    times = [h.at for h in channel.history if h.status is ChannelStatus.ACTIVE]
    times += [n.at for n in channel.notes]
    times += list(contact_times)
    return max(times) if times else None


def reach(
    channels: Iterable[ChannelState],
    start: PartyOrPerson,
    goal: PartyOrPerson,
    contacts_by_channel: dict[str, list[str]] | None = None,
) -> list[Hop] | None:
    """The path of channels from ``start`` to ``goal``; [] when they are the same; None
    when no working channel leads there."""
    if start == goal:
        return []
    held = contacts_by_channel or {}
    edges: dict[str, list[tuple[str, Hop]]] = {}
    for channel in channels:
        if channel.status is ChannelStatus.BROKEN:
            continue
        worked = last_worked(channel, held.get(channel.id, ()))
        for a, b, via in (
            (channel.source, channel.target, channel.via),
            (channel.target, channel.source, tuple(reversed(channel.via))),
        ):
            hop = Hop(
                channel=channel.id,
                start=a,
                end=b,
                via=via,
                status=channel.status,
                last_worked=worked,
            )
            edges.setdefault(_key(a), []).append((_key(b), hop))
    # Breadth first, level by level, keeping for each node the best path found at its level.
    best: dict[str, list[Hop]] = {_key(start): []}
    frontier = deque([_key(start)])
    while frontier:
        level: dict[str, list[Hop]] = {}
        for _ in range(len(frontier)):
            node = frontier.popleft()
            for neighbour, hop in edges.get(node, ()):
                if neighbour in best:
                    continue
                path = [*best[node], hop]
                held_path = level.get(neighbour)
                if held_path is None or _weakest(path) > _weakest(held_path):
                    level[neighbour] = path
        for node, path in sorted(level.items()):
            best[node] = path
            frontier.append(node)
        if _key(goal) in best:
            return best[_key(goal)]
    return None


def _weakest(path: list[Hop]) -> str:
    """The oldest "last worked" of a path ("" when a link never worked)."""
    return min((hop.last_worked or "" for hop in path), default="")
