"""Entity ids.

A record's id is generated when it is created (:func:`new_record_id`, a random UUID:
it tells nothing of when, by whom or of how many other records). People never type
one: they pick and read names. Scenarios and the operator's command line may still
name records with slugs (``ramouseh-road``); a client that creates records offline
gives a UUID it generated itself (:data:`ClientId`), never a slug, so that no id it
chooses can collide with a record it may not see.
"""

from __future__ import annotations

import os
import re
import threading
import time
from typing import Annotated, Any
from uuid import uuid4

from pydantic import AfterValidator, GetJsonSchemaHandler, StringConstraints, ValidationInfo
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema, PydanticCustomError

from mamar.domain.text import is_recorded

EntityId = Annotated[
    str,
    StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]{0,79}$", min_length=1, max_length=80),
]


_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,79}$")
_KIND = re.compile(r"^[a-z][a-z_]{0,39}$")


def _reference(value: str, info: ValidationInfo) -> str:
    if is_recorded(info) or _ID.fullmatch(value):
        return value
    raise PydanticCustomError(
        "reference_invalid",
        "is not a record's id (lower-case letters, digits and hyphens, e.g. ramouseh-road)",
    )


def _kind(value: str, info: ValidationInfo) -> str:
    if is_recorded(info) or _KIND.fullmatch(value):
        return value
    raise PydanticCustomError("kind_invalid", "is not a kind of record (e.g. convoy, place)")


#: Another record's id, in a command or a value (checked like ``EntityId`` when given;
#: read back as recorded, so an old journal always replays).
Reference = Annotated[str, AfterValidator(_reference)]
#: A kind of record (``convoy``, ``control_area``).
KindName = Annotated[str, AfterValidator(_kind)]

#: The keyword of a field's JSON schema naming the kinds of record it refers to.
REFERS_TO = "x-refers-to"


class RefersTo:
    """What a reference names: a record of one of ``kinds``, declared on the field's type
    (``place: Annotated[Reference, RefersTo("place")] | None``; in a list, on its items).

    The one declaration forms read: it is said in the field's JSON schema
    (``"x-refers-to": ["place"]``), and a form offers the records of those kinds the
    viewer sees, by name, where an id would otherwise be typed. A value naming its kind
    (:class:`mamar.parties.refs.PartyOrPerson`, ``EntityRef``) is picked among several.
    """

    __slots__ = ("kinds",)

    def __init__(self, *kinds: str) -> None:
        if not kinds:
            raise ValueError("a reference names at least one kind of record")
        self.kinds: tuple[str, ...] = kinds

    def __repr__(self) -> str:
        return f"RefersTo{self.kinds!r}"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, RefersTo) and other.kinds == self.kinds

    def __hash__(self) -> int:
        return hash(self.kinds)

    def __get_pydantic_json_schema__(
        self, core: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        schema: dict[str, Any] = handler(core)
        return {**schema, REFERS_TO: list(self.kinds)}


_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


def _client_id(value: str) -> str:
    if _UUID.fullmatch(value):
        return value
    raise PydanticCustomError(
        "client_id",
        "ids are generated: leave the id out (a client creating records offline may "
        "give a UUID it generated itself, e.g. 0b7e3c1a-5f2d-4c9e-8a61-3d2f9b4e7c10)",
    )


#: An id a client generated for a record it creates: a UUID, lower-case, hyphenated.
ClientId = Annotated[str, AfterValidator(_client_id)]


_last_ms = 0
_clock = threading.Lock()


def new_id() -> str:
    """A time-ordered id for what is written in order (events, vault records, tokens).

    A UUID version 7 (RFC 9562): 48 bits of Unix time in milliseconds, the version,
    12 random bits, the variant, 62 random bits. The ids of one process only go
    forward: an id made within the millisecond of the last one (or after the clock
    went back) takes the millisecond after it. Written out here rather than through
    a ``uuid.UUID`` object: one is made for every event appended, and the object
    cost several times what the id does.
    """
    global _last_ms
    with _clock:
        ms = time.time_ns() // 1_000_000
        if ms <= _last_ms:
            ms = _last_ms + 1
        _last_ms = ms
    rand = int.from_bytes(os.urandom(10))
    value = (
        (ms & 0xFFFF_FFFF_FFFF) << 80
        | 0x7 << 76
        | (rand >> 68 & 0xFFF) << 64
        | 0b10 << 62
        | rand & 0x3FFF_FFFF_FFFF_FFFF
    )
    h = f"{value:032x}"
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def new_record_id() -> str:
    """A new record's id: random, so that it says nothing of other records."""
    return str(uuid4())


def stream_name(kind: str, entity_id: str) -> str:
    return f"{kind}:{entity_id}"


def split_stream(stream: str) -> tuple[str, str]:
    kind, _, entity_id = stream.partition(":")
    return kind, entity_id
