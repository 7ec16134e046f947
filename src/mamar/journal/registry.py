"""Registered event types: stable names (``incident.reported``), schema versions, upcasters.

An event's type name is part of the record and never changes when code moves.
Older shapes are upcast, one version at a time, when they are read.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar, TypeVar

from pydantic import BaseModel, ConfigDict

from mamar.domain.text import RECORDED
from mamar.domain.visibility import Visibility


class EventData(BaseModel):
    """Base of every event body's ``data``. Subclasses set ``type_name`` and ``schema_version``."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    type_name: ClassVar[str]
    schema_version: ClassVar[int] = 1
    # A compartment that this event always belongs to, whatever its entity's visibility
    # (a bottom line is always ``negotiation``; a manifest entry always ``medical``).
    compartment: ClassVar[Visibility | None] = None
    # Appending this event destroys the vault record its ``vault_ref`` names.
    erases_vault_ref: ClassVar[bool] = False


Upcaster = Callable[[dict[str, Any]], dict[str, Any]]

_TYPES: dict[str, type[EventData]] = {}
_UPCASTERS: dict[tuple[str, int], Upcaster] = {}

E = TypeVar("E", bound=type[EventData])


def event_type(cls: E) -> E:
    """Class decorator: register an event type under its stable name."""
    name = cls.type_name
    if name in _TYPES and _TYPES[name] is not cls:
        raise ValueError(f"event type {name!r} registered twice")
    _TYPES[name] = cls
    return cls


def upcaster(type_name: str, from_version: int) -> Callable[[Upcaster], Upcaster]:
    """Register a function turning version ``from_version`` data into ``from_version + 1``."""

    def register(fn: Upcaster) -> Upcaster:
        _UPCASTERS[(type_name, from_version)] = fn
        return fn

    return register


def type_for(name: str) -> type[EventData]:
    try:
        return _TYPES[name]
    except KeyError:
        raise KeyError(f"unknown event type {name!r}") from None


def registered_types() -> dict[str, type[EventData]]:
    return dict(_TYPES)


def decode(name: str, schema_version: int, data: dict[str, Any]) -> EventData:
    """Build the current event class from stored data, upcasting older shapes."""
    cls = type_for(name)
    version = schema_version
    while version < cls.schema_version:
        step = _UPCASTERS.get((name, version))
        if step is None:
            raise ValueError(f"no upcaster for {name} v{version} -> v{version + 1}")
        data = step(data)
        version += 1
    # Rules made stricter since it was recorded do not stop it being read (domain.text).
    return cls.model_validate(data, context=RECORDED)
