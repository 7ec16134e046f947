"""Compartments, roles and organisations: the values access is decided on.

The rule itself (who may see what) lives in one place, :mod:`mamar.access`.
"""

from __future__ import annotations

from enum import StrEnum

#: The organisation that runs the installation. Its administrators administer every
#: organisation's accounts (and nothing else of theirs). Accounts and records of
#: journals written before organisations existed belong to it: the whole
#: installation was then one organisation.
INSTALLATION = "installation"


class Visibility(StrEnum):
    """A record's compartment. ``internal``: the owning organisation (and those it
    shares the record with); ``shared``: every organisation of the operation;
    ``medical`` and ``negotiation``: inside the owner (and those it shares with),
    only accounts whose role holds that compartment."""

    INTERNAL = "internal"
    SHARED = "shared"
    MEDICAL = "medical"  # manifests, casualties by name
    NEGOTIATION = "negotiation"  # bottom lines and red lines


#: The compartments inside an organisation that only some roles hold.
SUB_COMPARTMENTS = frozenset({Visibility.MEDICAL, Visibility.NEGOTIATION})


class Role(StrEnum):
    ADMIN = "admin"
    COORDINATOR = "coordinator"
    NEGOTIATOR = "negotiator"
    OPERATIONS = "operations"
    MEDICAL = "medical"
    MONITOR = "monitor"
    LIAISON = "liaison"
    OBSERVER = "observer"


_ALL = frozenset(Visibility)
_BASE = frozenset({Visibility.INTERNAL, Visibility.SHARED})

#: The compartments each role holds, inside its own organisation (and in records
#: other organisations share with it).
ROLE_VISIBILITY: dict[Role, frozenset[Visibility]] = {
    Role.ADMIN: _ALL,
    Role.COORDINATOR: _ALL,
    Role.NEGOTIATOR: _BASE | {Visibility.NEGOTIATION},
    Role.OPERATIONS: _BASE,
    Role.MEDICAL: _BASE | {Visibility.MEDICAL},
    Role.MONITOR: _BASE,
    Role.LIAISON: _BASE,
    Role.OBSERVER: _BASE,
}


def visible_to(role: Role) -> frozenset[Visibility]:
    return ROLE_VISIBILITY[role]
