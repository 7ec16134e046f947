"""Loading and running scenarios.

A scenario is validated whole before anything runs (shape, command names,
each command's fields), so a malformed file changes nothing. Then each command
runs in its own transaction through the same services as every other surface;
the first refusal stops the run, naming the step and the reason.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import Any, Union

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from mamar.api.messages import domain_message, validation_message
from mamar.domain.errors import DomainError
from mamar.domain.model import Actor, Command, command_type
from mamar.domain.text import LocalName, PhraseText, Prose
from mamar.domain.time import AwareDatetime, OccurredAt, Precision
from mamar.domain.visibility import INSTALLATION, Role
from mamar.i18n.said import Said, said
from mamar.organisations.model import OrganisationKind, RegisterOrganisation
from mamar.services.commands import SYSTEM
from mamar.system import Mamar
from mamar.web.i18n import N_, tr

BUILT_IN = Path(__file__).parent


#: Words said in the language given (a :class:`~mamar.i18n.said.Said`, or a refusal's).
Words = Callable[[str], str]


class ScenarioError(Exception):
    """Where a scenario stops and why: ``where`` and ``reason`` in English for the logs,
    ``said_where`` and ``said_reason`` in any language, from the catalogues."""

    def __init__(self, where: str | Words, reason: str, said_reason: Words) -> None:
        self.said_where: Words = where if callable(where) else (lambda _lang: where)
        self.said_reason = said_reason
        self.where = self.said_where("en")
        self.reason = reason
        super().__init__(f"{self.where}: {reason}")


class CommandSpec(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    do: str
    with_: dict[str, Any] = Field(default_factory=dict, alias="with")
    as_: str | None = Field(default=None, alias="as")
    at: AwareDatetime | None = None
    precision: Precision | None = None
    phrase: PhraseText | None = None


class Step(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    step: str
    title: str | None = None
    at: AwareDatetime
    precision: Precision = Precision.APPROXIMATE
    phrase: PhraseText | None = None
    as_: str = Field(default="system", alias="as")
    do: str | None = None
    with_: dict[str, Any] | None = Field(default=None, alias="with")
    commands: list[CommandSpec] = Field(default_factory=list)

    def specs(self) -> list[CommandSpec]:
        if self.do is not None:
            return [CommandSpec(do=self.do, **{"with": self.with_ or {}}), *self.commands]
        return self.commands


class OrganisationSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str
    name: LocalName
    kind: OrganisationKind
    party: str | None = None
    description: Prose | None = None


class AccountSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")

    username: str
    display_name: str
    role: Role
    organisation: str = INSTALLATION
    party: str | None = None


class Scenario(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str
    title: LocalName
    description: str | None = None
    operation: str
    organisations: list[OrganisationSpec] = Field(default_factory=list)
    setup: list[Step] = Field(default_factory=list)
    accounts: list[AccountSpec] = Field(default_factory=list)
    steps: list[Step]


@dataclass(frozen=True)
class Planned:
    label: str
    actor: str
    command: Command
    occurred: OccurredAt
    said_label: Words | None = None  # the label in any language (``label`` is its English)


def resolve(name_or_file: str) -> Path:
    path = Path(name_or_file)
    if path.suffix in (".yaml", ".yml") and path.exists():
        return path
    built_in = BUILT_IN / f"{name_or_file}.yaml"
    if built_in.exists():
        return built_in
    names = ", ".join(sorted(p.stem for p in BUILT_IN.glob("*.yaml")))
    raise ScenarioError(
        name_or_file,
        f"no such scenario file or built-in scenario ({names})",
        said(N_("no such scenario file or built-in scenario (%(names)s)"), names=names),
    )


def load(name_or_file: str) -> Scenario:
    path = resolve(name_or_file)
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        why = said(N_("the file is not valid YAML"))
        if mark is not None:
            why = said(
                N_("the file is not valid YAML (line %(line)s, column %(column)s)"),
                line=mark.line + 1,
                column=mark.column + 1,
            )
        raise ScenarioError(str(path), f"not valid YAML: {exc}", why) from exc
    try:
        return Scenario.model_validate(raw)
    except ValidationError as exc:
        raise _where_in_file(path, raw, exc) from exc


def step_label(number: int, step: str, title: str | None, *, setup: bool = False) -> Said:
    """``step 18 (S18: Exit via the Ramouseh road)``: the step's number in its section
    (from 1) and its name, so an error can be found in the file either way."""
    named = f"{step}: {title}" if title else step
    if setup:
        return said(N_("setup step %(number)s (%(name)s)"), number=number, name=named)
    return said(N_("step %(number)s (%(name)s)"), number=number, name=named)


def _where_in_file(path: Path, raw: Any, exc: ValidationError) -> ScenarioError:
    """Where the first error is (a step by number and name, where it is in a step) and
    every error explained, its location given from inside the step."""
    first = exc.errors()[0]["loc"]
    where: str | Words = str(path)
    skip = 0
    if len(first) >= 2 and first[0] in ("setup", "steps") and isinstance(first[1], int):
        section, index = str(first[0]), first[1]
        items = raw.get(section) if isinstance(raw, dict) else None
        item = items[index] if isinstance(items, list) and index < len(items) else {}
        item = item if isinstance(item, dict) else {}
        label = step_label(
            index + 1, str(item.get("step", "?")), item.get("title"), setup=section == "setup"
        )
        where = said(N_("%(file)s: %(step)s"), file=str(path), step=label)
        skip = 2
    return ScenarioError(where, *_explain(exc, Scenario, skip=skip))


def _models_in(annotation: Any) -> list[type[BaseModel]]:
    """The pydantic models an annotation may hold (through Optional, unions, tuples, lists)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _models_in(typing.get_args(annotation)[0])
    if origin in (Union, types.UnionType, tuple, list, dict) or origin is not None:
        found: list[type[BaseModel]] = []
        for arg in typing.get_args(annotation):
            found.extend(_models_in(arg))
        return found
    return []


def _allowed_fields(model: type[BaseModel], loc: tuple[Any, ...]) -> list[str] | None:
    """The fields allowed where an unknown field ``loc[-1]`` was given (None: not known)."""
    current: list[type[BaseModel]] = [model]
    for part in loc[:-1]:
        if isinstance(part, int):
            continue
        following: list[type[BaseModel]] = []
        for m in current:
            field = m.model_fields.get(str(part)) or next(
                (f for f in m.model_fields.values() if f.alias == part), None
            )
            if field is not None:
                following.extend(_models_in(field.annotation))
        if not following:
            return None
        current = following
    names = {f.alias or name for m in current for name, f in m.model_fields.items()}
    return sorted(names) or None


def _explain(
    exc: ValidationError, model: type[BaseModel] | None = None, skip: int = 0
) -> tuple[str, Words]:
    """The first errors, each where it is in the file: in English (Pydantic's sentences,
    for the logs) and in the catalogues' words."""
    parts = []
    said_parts: list[Words] = []
    for error in exc.errors()[:5]:
        loc = tuple(error["loc"])
        where = ".".join(str(p) for p in loc[skip:])
        message = error["msg"]
        words: Words = partial(validation_message, error["type"], message, context=error.get("ctx"))
        if error["type"] == "extra_forbidden" and model is not None:
            allowed = _allowed_fields(model, loc)
            message = f"unknown field '{loc[-1]}'"
            words = said(N_("unknown field “%(field)s”"), field=str(loc[-1]))
            if allowed:
                message += f"; the fields allowed here are: {', '.join(allowed)}"
                words = said(
                    N_("unknown field “%(field)s”; the fields allowed here are: %(allowed)s"),
                    field=str(loc[-1]),
                    allowed=", ".join(allowed),
                )
        parts.append(f"{where or '(the whole)'}: {message}")
        said_parts.append(
            said(N_("%(where)s: %(why)s"), where=where, why=words)
            if where
            else said(N_("the whole file: %(why)s"), why=words)
        )

    def reason(lang: str) -> str:
        return tr(lang, "; ").join(part(lang) for part in said_parts)

    return "; ".join(parts), reason


def plan(scenario: Scenario) -> list[Planned]:
    """Turn every step into validated commands, refusing the whole file on the first problem."""
    planned: list[Planned] = _organisation_commands(scenario)
    for section, steps in (("setup", scenario.setup), ("steps", scenario.steps)):
        for index, step in enumerate(steps, start=1):
            specs = step.specs()
            name = step_label(index, step.step, step.title, setup=section == "setup")
            if not specs:
                raise ScenarioError(
                    name,
                    "has no command (give 'do' or 'commands')",
                    said(N_("has no command (give “do” or “commands”)")),
                )
            for number, spec in enumerate(specs, start=1):
                label = name
                if len(specs) > 1:
                    label = said(
                        N_("%(step)s command %(number)s (%(command)s)"),
                        step=name,
                        number=number,
                        command=spec.do,
                    )
                try:
                    cls = command_type(spec.do)
                except KeyError:
                    raise ScenarioError(
                        label,
                        f"unknown command '{spec.do}'",
                        said(N_("unknown command “%(command)s”"), command=spec.do),
                    ) from None
                payload = dict(spec.with_)
                if cls.creates and "operation" in cls.model_fields and "operation" not in payload:
                    payload["operation"] = scenario.operation
                try:
                    command = cls.model_validate(payload)
                except ValidationError as exc:
                    english, words = _explain(exc, cls)
                    raise ScenarioError(label, f"{spec.do}: {english}", words) from exc
                # A command that sets its own time is not described by the step's words
                # ("after midnight" is said of the step's moment, not of the command's).
                own_time = spec.at is not None
                occurred = OccurredAt(
                    at=spec.at or step.at,
                    precision=spec.precision or step.precision,
                    phrase=spec.phrase if own_time else (spec.phrase or step.phrase),
                )
                actor = spec.as_ or step.as_
                planned.append(Planned(str(label), actor, command, occurred, label))
        if section == "setup":
            planned.extend(_account_commands(scenario))
    return planned


def _organisation_commands(scenario: Scenario) -> list[Planned]:
    """The organisations that take part, registered by the installation before anything."""
    first = scenario.setup[0].at if scenario.setup else datetime.now().astimezone()
    return [
        Planned(
            f"organisation {o.id}",
            SYSTEM.username,
            RegisterOrganisation(
                id=o.id,
                name=o.name,
                organisation_kind=o.kind,
                party=o.party,
                description=o.description,
            ),
            OccurredAt(at=first, precision=Precision.DAY),
            said(N_("organisation %(id)s"), id=o.id),
        )
        for o in scenario.organisations
    ]


def _account_commands(scenario: Scenario) -> list[Planned]:
    from mamar.accounts.model import CreateAccount

    first = scenario.steps[0].at if scenario.steps else datetime.now().astimezone()
    return [
        Planned(
            f"account {a.username}",
            SYSTEM.username,
            CreateAccount(
                id=a.username,
                display_name=a.display_name,
                role=a.role,
                organisation=a.organisation,
                party=a.party,
            ),
            OccurredAt(at=first, precision=Precision.APPROXIMATE),
            said(N_("account %(id)s"), id=a.username),
        )
        for a in scenario.accounts
    ]


def run(
    system: Mamar,
    scenario: Scenario,
    *,
    progress: Callable[[Planned], None] | None = None,
) -> int:
    """Run every command in order; return how many events were recorded."""
    planned = plan(scenario)
    recorded = 0
    actors: dict[str, Actor] = {}
    for item in planned:
        try:
            actor = actors.get(item.actor) or system.actor(item.actor)
            actors[item.actor] = actor
            recorded += len(system.execute(item.command, actor=actor, occurred=item.occurred))
        except DomainError as exc:
            name = item.command.command_name

            def refused(lang: str, name: str = name, exc: DomainError = exc) -> str:
                from mamar.web.pages._commandwords import command_words

                return tr(
                    lang,
                    "%(command)s (%(name)s) refused: %(reason)s",
                    command=command_words(name, lang),
                    name=name,
                    reason=domain_message(exc, lang),
                )

            raise ScenarioError(
                item.said_label or item.label, f"{name} refused: {exc}", refused
            ) from exc
        if progress is not None:
            progress(item)
    return recorded
