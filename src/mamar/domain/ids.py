"""Entity ids: caller-chosen slugs (``ramouseh-road``) or generated UUIDv7 strings."""

from __future__ import annotations

from typing import Annotated

from pydantic import StringConstraints
from uuid6 import uuid7

EntityId = Annotated[
    str,
    StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]{0,79}$", min_length=1, max_length=80),
]


def new_id() -> str:
    return str(uuid7())


def stream_name(kind: str, entity_id: str) -> str:
    return f"{kind}:{entity_id}"


def split_stream(stream: str) -> tuple[str, str]:
    kind, _, entity_id = stream.partition(":")
    return kind, entity_id
