"""What a viewer may see of a state: fields of compartments they lack are removed."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from mamar.domain.visibility import Visibility


def _compartment(model: type[BaseModel], field: str) -> str | None:
    info = model.model_fields.get(field)
    extra = info.json_schema_extra if info is not None else None
    if isinstance(extra, dict):
        value = extra.get("compartment")
        return value if isinstance(value, str) else None
    return None


def can_see(state: Any, allowed: frozenset[Visibility]) -> bool:
    return Visibility(state.visibility) in allowed


def redacted(state: BaseModel, allowed: frozenset[Visibility]) -> dict[str, Any]:
    """The state as JSON data, without fields whose compartment is not in ``allowed``."""
    data = state.model_dump(mode="json")
    for field in type(state).model_fields:
        compartment = _compartment(type(state), field)
        if compartment is not None and Visibility(compartment) not in allowed:
            data.pop(field, None)
    return data
