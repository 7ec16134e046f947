"""A person's state: party, role title, tags and the vault reference."""

from __future__ import annotations

from mamar.domain.model import EntityState, EventMeta, aggregate, base_fields, touched
from mamar.domain.text import LocalName
from mamar.journal.registry import EventData
from mamar.persons.events import PersonErased, PersonRegistered


class PersonState(EntityState):
    party: str | None = None
    role_title: LocalName | None = None
    tags: tuple[str, ...] = ()
    vault_ref: str | None = None
    erased: bool = False


@aggregate("person", PersonState)
def evolve(state: PersonState | None, event: EventData, meta: EventMeta) -> PersonState:
    if isinstance(event, PersonRegistered):
        return PersonState(
            **base_fields(meta),
            party=event.party,
            role_title=event.role_title,
            tags=event.tags,
            vault_ref=event.vault_ref,
        )
    assert state is not None
    if isinstance(event, PersonErased):
        return touched(state, meta, erased=True)
    return state
