"""Who a movement carries: evacuees, and people who are not evacuees, counted apart.

Detainees, prisoners of war, hostages and the dead (bodies) are moved and
exchanged too; they are never added to the people evacuated.
"""

from __future__ import annotations

from enum import StrEnum


class Group(StrEnum):
    EVACUEES = "evacuees"  # civilians leaving (the default)
    WOUNDED = "wounded"
    FIGHTERS = "fighters"
    DETAINEES = "detainees"
    PRISONERS_OF_WAR = "prisoners_of_war"
    HOSTAGES = "hostages"
    BODIES = "bodies"


#: The groups whose people are counted as evacuated.
EVACUATED: frozenset[Group] = frozenset({Group.EVACUEES, Group.WOUNDED, Group.FIGHTERS})
