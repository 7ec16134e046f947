"""Commands on gazetteer places and the decisions on them."""

from __future__ import annotations

from typing import ClassVar

from mamar.domain.errors import DomainError
from mamar.domain.model import Command, Context, CreateCommand, decides
from mamar.domain.text import LocalName, Name, Prose
from mamar.domain.visibility import Visibility
from mamar.geo.shapes import require_valid_area
from mamar.geo.values import AreaShape, GeoPoint, Precision
from mamar.journal.registry import EventData
from mamar.places.events import PlaceAliasAdded, PlaceKind, PlaceRegistered, PlaceUpdated
from mamar.places.model import PlaceState


class RegisterPlace(CreateCommand):
    """``place_kind`` (not ``kind``): ``kind`` names the entity kind of every command."""

    command_name: ClassVar[str] = "place.register"
    kind: ClassVar[str] = "place"
    default_visibility: ClassVar[Visibility] = Visibility.SHARED

    name: LocalName
    place_kind: PlaceKind
    aliases: tuple[Name, ...] = ()
    point: GeoPoint | None = None
    polygon: AreaShape | None = None
    precision: Precision = Precision.EXACT
    notes: Prose | None = None


class UpdatePlace(Command):
    command_name: ClassVar[str] = "place.update"
    kind: ClassVar[str] = "place"

    name: LocalName | None = None
    place_kind: PlaceKind | None = None
    point: GeoPoint | None = None
    polygon: AreaShape | None = None
    precision: Precision | None = None
    notes: Prose | None = None


class AddPlaceAlias(Command):
    command_name: ClassVar[str] = "place.add_alias"
    kind: ClassVar[str] = "place"

    alias: Name


def _refuse_duplicate_aliases(names: tuple[str, ...], aliases: tuple[str, ...]) -> None:
    seen = {n.casefold() for n in names}
    for alias in aliases:
        if alias.casefold() in seen:
            raise DomainError(
                "duplicate_alias", f"'{alias}' is already a name of this place", field="aliases"
            )
        seen.add(alias.casefold())


@decides(RegisterPlace)
def register(state: None, cmd: RegisterPlace, ctx: Context) -> list[EventData]:
    if cmd.polygon is not None:
        require_valid_area(cmd.polygon, "polygon")
    own = tuple(n for n in (cmd.name.ar, cmd.name.en) if n)
    _refuse_duplicate_aliases(own, cmd.aliases)
    return [
        PlaceRegistered(
            name=cmd.name,
            kind=cmd.place_kind,
            aliases=cmd.aliases,
            point=cmd.point,
            polygon=cmd.polygon,
            precision=cmd.precision,
            notes=cmd.notes,
        )
    ]


@decides(UpdatePlace)
def update(state: PlaceState, cmd: UpdatePlace, ctx: Context) -> list[EventData]:
    if cmd.polygon is not None:
        require_valid_area(cmd.polygon, "polygon")

    def changed(new: object, old: object) -> object:
        return new if new is not None and new != old else None

    event = PlaceUpdated.model_validate(
        {
            "name": changed(cmd.name, state.name),
            "kind": changed(cmd.place_kind, state.kind),
            "point": changed(cmd.point, state.point),
            "polygon": changed(cmd.polygon, state.polygon),
            "precision": changed(cmd.precision, state.precision),
            "notes": changed(cmd.notes, state.notes),
        }
    )
    if event == PlaceUpdated():
        raise DomainError("unchanged", "nothing to change: every field given is as recorded")
    return [event]


@decides(AddPlaceAlias)
def add_alias(state: PlaceState, cmd: AddPlaceAlias, ctx: Context) -> list[EventData]:
    _refuse_duplicate_aliases(state.names(), (cmd.alias,))
    return [PlaceAliasAdded(alias=cmd.alias)]
