"""The shape every feature model follows: commands decided against state, events evolving it.

A feature package (``mamar.convoys`` …) declares:

- its state (a subclass of :class:`EntityState`) and events (``EventData`` subclasses),
- commands (subclasses of :class:`Command`) and, for each, a pure ``decide`` function
  registered with :func:`decides`,
- one ``evolve`` function registered with :func:`aggregate`.

``decide`` raises :class:`~mamar.domain.errors.DomainError` to refuse; ``evolve`` never fails.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, ClassVar, Generic, Protocol, TypeVar, cast

from pydantic import BaseModel, ConfigDict, Field

from mamar.domain.ids import EntityId, new_record_id
from mamar.domain.visibility import INSTALLATION, SUB_COMPARTMENTS, Role, Visibility
from mamar.journal.registry import EventData


class Value(BaseModel):
    """An immutable value inside a state or an event."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class EntityState(BaseModel):
    """Common fields of every entity's state.

    ``owner`` is the organisation whose account recorded the entity; ``shared_with``
    the organisations it has shared it with (changed only by ``access.changed``
    events). ``updated_at`` moves with events every viewer of the record may see;
    an event of a sub-compartment (a bottom line in a position everyone in the
    organisation sees) moves ``updated_in[compartment]`` instead, so that it changes
    nothing a viewer without that compartment can observe.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str
    operation: str | None = None
    visibility: Visibility = Visibility.INTERNAL
    owner: str = INSTALLATION
    shared_with: tuple[str, ...] = ()
    created_at: str = ""
    updated_at: str = ""
    updated_in: dict[str, str] = Field(default_factory=dict)
    #: The short reference for radio and phone ("قافلة ٣"): the record's number among the
    #: records of its kind in its operation shared with every organisation, given by the
    #: projection when it is first shared (see docs/short-references.md).
    ref: int | None = None


@dataclass(frozen=True)
class EventMeta:
    """What ``evolve`` may know about an event besides its data."""

    entity_id: str
    operation: str | None
    visibility: Visibility
    occurred_at: str
    actor: str
    organisation: str = INSTALLATION  # the actor's


S = TypeVar("S", bound=EntityState)


class Lookup(Protocol):
    """Read-only access to other entities' current state, for cross-entity rules."""

    def get(self, kind: str, entity_id: str) -> EntityState | None: ...


@dataclass(frozen=True)
class Actor:
    """An account acting: its role inside its organisation, and the party it speaks for."""

    username: str
    role: Role
    party: str | None = None
    organisation: str = INSTALLATION
    #: The name shown for the account (None: not known, the username is shown). Not part
    #: of who acts: two actors of the same account are the same whatever their names.
    display_name: str | None = field(default=None, compare=False)

    @property
    def name(self) -> str:
        """What people see for the account: its display name, else its username."""
        return self.display_name or self.username


@dataclass(frozen=True)
class Context:
    """Everything a decision may consult, besides the target's state and the command."""

    actor: Actor
    occurred_at: datetime
    lookup: Lookup

    def require(self, kind: str, entity_id: str, field: str) -> EntityState:
        from mamar.domain.errors import NotFound

        state = self.lookup.get(kind, entity_id)
        if state is None:
            raise NotFound(kind, entity_id, field=field)
        return state


_MANAGERS = frozenset({Role.ADMIN, Role.COORDINATOR})
FIELD_TEAMS = frozenset({Role.NEGOTIATOR, Role.OPERATIONS, Role.MEDICAL, Role.MONITOR}) | _MANAGERS


class Command(BaseModel):
    """A request to change one entity. ``command_name`` is stable (``convoy.change_status``)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    command_name: ClassVar[str]
    kind: ClassVar[str]
    creates: ClassVar[bool] = False
    roles: ClassVar[frozenset[Role]] = FIELD_TEAMS
    default_visibility: ClassVar[Visibility] = Visibility.INTERNAL
    # The field holding personal data, moved into the vault before deciding (persons).
    personal_field: ClassVar[str | None] = None
    # Fields holding items (or tuples of items) with personal data in ``details`` (a
    # family's people, a missing person and the relative asking): each moved into a vault
    # record of its own, the item keeping its ``vault_ref``.
    personal_items: ClassVar[tuple[str, ...]] = ()

    id: EntityId


class CreateCommand(Command):
    """A command that creates an entity inside an operation; its id is generated
    unless given (see :mod:`mamar.domain.ids`)."""

    creates: ClassVar[bool] = True

    id: EntityId = Field(default_factory=new_record_id)
    operation: EntityId
    visibility: Visibility | None = None


def generates_id(cmd_type: type[Command]) -> bool:
    """The command creates a record whose id is generated (not an account or an
    organisation, which are named by whoever creates them)."""
    return cmd_type.creates and cmd_type.model_fields["id"].default_factory is not None


@dataclass(frozen=True)
class Aggregate(Generic[S]):
    kind: str
    state_type: type[S]
    evolve: Callable[[S | None, EventData, EventMeta], S]


Decider = Callable[[Any, Any, Context], list[EventData]]

_AGGREGATES: dict[str, Aggregate[Any]] = {}
#: Events that change a record of any kind the same way (a translation added to one of
#: its texts), applied by one function whatever the kind (see :func:`evolves_every_kind`).
_EVERY_KIND: dict[type[EventData], Callable[[Any, Any, EventMeta], Any]] = {}
_COMMANDS: dict[str, type[Command]] = {}
_DECIDERS: dict[type[Command], Decider] = {}


def aggregate(
    kind: str, state_type: type[S]
) -> Callable[
    [Callable[[S | None, EventData, EventMeta], S]], Callable[[S | None, EventData, EventMeta], S]
]:
    """Register ``evolve`` for entities of ``kind`` with state ``state_type``."""

    def register(
        fn: Callable[[S | None, EventData, EventMeta], S],
    ) -> Callable[[S | None, EventData, EventMeta], S]:
        if kind in _AGGREGATES:
            raise ValueError(f"aggregate {kind!r} registered twice")

        def evolve(state: S | None, event: EventData, meta: EventMeta) -> S:
            shared = _EVERY_KIND.get(type(event))
            if shared is not None and state is not None:
                return cast(S, shared(state, event, meta))
            return fn(state, event, meta)

        _AGGREGATES[kind] = Aggregate(kind, state_type, evolve)
        return fn

    return register


E = TypeVar("E", bound=EventData)


def evolves_every_kind(
    event: type[E],
) -> Callable[[Callable[[Any, E, EventMeta], Any]], Callable[[Any, E, EventMeta], Any]]:
    """Register the one function applying ``event`` to a record of any kind."""

    def register(fn: Callable[[Any, E, EventMeta], Any]) -> Callable[[Any, E, EventMeta], Any]:
        _EVERY_KIND[event] = fn
        return fn

    return register


C = TypeVar("C", bound=Command)


def decides(command: type[C]) -> Callable[[Callable[[Any, C, Context], list[EventData]]], Any]:
    """Register the pure decision function for ``command``."""

    def register(fn: Callable[[Any, C, Context], list[EventData]]) -> Any:
        if command.command_name in _COMMANDS:
            raise ValueError(f"command {command.command_name!r} registered twice")
        _COMMANDS[command.command_name] = command
        _DECIDERS[command] = fn
        return fn

    return register


def aggregate_for(kind: str) -> Aggregate[Any]:
    return _AGGREGATES[kind]


def aggregates() -> dict[str, Aggregate[Any]]:
    return dict(_AGGREGATES)


def command_type(name: str) -> type[Command]:
    try:
        return _COMMANDS[name]
    except KeyError:
        raise KeyError(f"unknown command {name!r}") from None


def commands() -> dict[str, type[Command]]:
    return dict(_COMMANDS)


def decider_for(command: type[Command]) -> Decider:
    return _DECIDERS[command]


def base_fields(meta: EventMeta) -> dict[str, Any]:
    """The common fields of a newly created entity's state."""
    return {
        "id": meta.entity_id,
        "operation": meta.operation,
        "visibility": meta.visibility,
        "owner": meta.organisation,
        "created_at": meta.occurred_at,
        "updated_at": meta.occurred_at,
    }


def touched(state: S, meta: EventMeta, **changes: Any) -> S:
    """A copy of ``state`` with ``changes`` and the update time set (that of the
    event's sub-compartment, if the event is in one the record as a whole is not)."""
    if meta.visibility in SUB_COMPARTMENTS and meta.visibility != state.visibility:
        moved = {**state.updated_in, meta.visibility.value: meta.occurred_at}
        return state.model_copy(update={**changes, "updated_in": moved})
    return state.model_copy(update={**changes, "updated_at": meta.occurred_at})


def kind_of(state: EntityState) -> str:
    """The aggregate kind of a state object."""
    for kind, spec in _AGGREGATES.items():
        if type(state) is spec.state_type:
            return kind
    raise KeyError(f"no aggregate for {type(state).__name__}")
