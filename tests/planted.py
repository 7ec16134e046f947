"""A scenario with markup planted in every text field its commands set.

Which fields are text is read from the command models themselves (``LocalName``,
``LocalText``, and strings validated as ``Name`` or ``FreeText``), not from a
hand-made list, so a field added later is planted too.
"""

from __future__ import annotations

from typing import Any

from pydantic import AfterValidator, BaseModel

from mamar.domain import text
from mamar.domain.text import LocalName, LocalText
from mamar.scenarios import runner
from mamar.system import Mamar

#: Markup that, if a page or script ever parsed it as HTML, leaves a trace: a custom
#: element (counted in the DOM) and an inline handler (sets ``window.__planted``).
PAYLOAD = '<mamar-planted></mamar-planted><img src=x onerror="window.__planted=1">'
PLANTED_SELECTOR = "mamar-planted, img[src='x']"

#: The checks behind the public text types (``Name``, ``FreeText``): a field so checked is text.
_TEXT_VALIDATORS = {
    m.func
    for alias in (text.Name, text.FreeText)
    for m in alias.__metadata__
    if isinstance(m, AfterValidator)
}


def _is_text(annotation: Any) -> bool:
    """Whether ``annotation`` is (or holds: ``X | None``, ``tuple[X, ...]``) a checked text."""
    metadata = getattr(annotation, "__metadata__", ())
    if any(isinstance(m, AfterValidator) and m.func in _TEXT_VALIDATORS for m in metadata):
        return True
    return any(_is_text(arg) for arg in getattr(annotation, "__args__", ()))


def _planted(value: str, limit: int) -> str:
    return (value + " " + PAYLOAD)[:limit] if len(value) + len(PAYLOAD) + 1 <= limit else value


def plant(model: Any) -> Any:
    """``model`` (a command, or any value inside one) with the payload after every text."""
    if isinstance(model, LocalName):
        return LocalName(
            ar=_planted(model.ar, 200) if model.ar else None,
            en=_planted(model.en, 200) if model.en else None,
        )
    if isinstance(model, LocalText):
        return model.model_copy(
            update={
                "original": _planted(model.original, 20000),
                "translations": tuple(
                    t.model_copy(update={"text": _planted(t.text, 20000)})
                    for t in model.translations
                ),
            }
        )
    if isinstance(model, tuple | list):
        return type(model)(plant(item) for item in model)
    if not isinstance(model, BaseModel):
        return model
    changes: dict[str, Any] = {}
    for name, info in type(model).model_fields.items():
        value = getattr(model, name)
        textual = _is_text(info.annotation) or any(
            isinstance(m, AfterValidator) and m.func in _TEXT_VALIDATORS for m in info.metadata
        )
        if isinstance(value, str) and textual:
            changes[name] = _planted(value, 200)
        elif isinstance(value, tuple | list) and value and isinstance(value[0], str) and textual:
            changes[name] = type(value)(_planted(v, 200) for v in value)
        else:
            planted = plant(value)
            if planted is not value:
                changes[name] = planted
    if not changes:
        return model
    # Validated again, as the scenario runner validates: the planted command is a legal one.
    return type(model).model_validate({**model.model_dump(), **changes})


def run_planted(system: Mamar, scenario: runner.Scenario) -> int:
    """Run ``scenario`` with every text field planted; the number of commands planted."""
    changed = 0
    actors: dict[str, Any] = {}
    for item in runner.plan(scenario):
        command = plant(item.command)
        changed += command is not item.command
        actor = actors.get(item.actor) or system.actor(item.actor)
        actors[item.actor] = actor
        system.execute(command, actor=actor, occurred=item.occurred)
    return changed


def load_planted(database_url: str, env: dict[str, str]) -> dict[str, str]:
    """:func:`tests.live_server.load_demo` with the scenario's text fields planted."""
    from tests.live_server import load_demo

    return load_demo(database_url, env, run=run_planted)
