"""Entity ids: caller-chosen slugs (``ramouseh-road``) or generated UUIDv7 strings."""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import AfterValidator, StringConstraints, ValidationInfo
from pydantic_core import PydanticCustomError
from uuid6 import uuid7

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


def new_id() -> str:
    return str(uuid7())


def stream_name(kind: str, entity_id: str) -> str:
    return f"{kind}:{entity_id}"


def split_stream(stream: str) -> tuple[str, str]:
    kind, _, entity_id = stream.partition(":")
    return kind, entity_id
