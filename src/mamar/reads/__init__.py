"""The read side: every read of states, events and history, through the caller's viewer.

- :mod:`.states`: one record, lists of records, as they stand now or stood then;
- :mod:`.timeline`: the events a viewer may see, in order;
- :mod:`.basemap`: the offline base map (imported roads and places) for a signed-in viewer;
- :mod:`.overviews`: an operation's overview, and :class:`.overviews.OverviewCache`.

Each function takes the caller as ``viewer`` (an acting account or its
:class:`~mamar.access.Viewer`); nothing here decides access itself but through it.
"""

from mamar.reads.basemap import base_bounds, base_map
from mamar.reads.overviews import OverviewCache, overview
from mamar.reads.states import get_entity, get_state, list_entities, visible_states
from mamar.reads.timeline import TimelineEntry, timeline, visible_events

__all__ = [
    "OverviewCache",
    "TimelineEntry",
    "base_bounds",
    "base_map",
    "get_entity",
    "get_state",
    "list_entities",
    "overview",
    "timeline",
    "visible_events",
    "visible_states",
]
