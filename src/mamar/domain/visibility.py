"""Compartments: who may see a record."""

from __future__ import annotations

from enum import StrEnum


class Visibility(StrEnum):
    INTERNAL = "internal"  # own side
    SHARED = "shared"  # also the operation's outside liaisons
    MEDICAL = "medical"  # manifests, casualties by name
    NEGOTIATION = "negotiation"  # bottom lines and red lines


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

ROLE_VISIBILITY: dict[Role, frozenset[Visibility]] = {
    Role.ADMIN: _ALL,
    Role.COORDINATOR: _ALL,
    Role.NEGOTIATOR: _BASE | {Visibility.NEGOTIATION},
    Role.OPERATIONS: _BASE,
    Role.MEDICAL: _BASE | {Visibility.MEDICAL},
    Role.MONITOR: _BASE,
    Role.LIAISON: frozenset({Visibility.SHARED}),
    Role.OBSERVER: _BASE,
}


def visible_to(role: Role) -> frozenset[Visibility]:
    return ROLE_VISIBILITY[role]
