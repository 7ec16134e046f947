"""The command line's own words in the reader's language: its help and its usage errors.

Typer writes help and parsing errors with words of its own, in English only. Mamar writes
them itself instead, from the catalogues, in the language chosen by ``--lang`` (anywhere on
the line) or ``$MAMAR_LANG``: the descriptions of commands and options are catalogue
messages like any other, and so is what an argument stands for (``ENTITY``, in Arabic
«القيد»). What a person types (commands, ``--options``) is code and stays as it is.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from babel.lists import format_list
from typer._click import exceptions as failures
from typer._click.core import Command, Parameter
from typer.core import TyperArgument, TyperGroup, TyperOption

from mamar.web.i18n import LANGUAGES, N_, ptr, tr

PROGRAM = "mamar"
HELP = "--help"
#: The catalogues' context of an argument's placeholder (a word that stands for a value).
PLACEHOLDER = "placeholder"

#: What each argument stands for, by its name (or metavar): its placeholder in the usage
#: line, the help and the usage errors.
PLACEHOLDERS = {
    "entities": N_("ENTITIES"),
    "entity": N_("ENTITY"),
    "file": N_("FILE"),
    "id": N_("ID"),
    "key": N_("KEY"),
    "name": N_("NAME"),
    "organisation": N_("ORGANISATION"),
    "origin": N_("ORIGIN"),
    "point": N_("POINT"),
    "points": N_("POINTS"),
    "query": N_("QUERY"),
    "route": N_("ROUTE"),
    "routes": N_("ROUTES"),
    "scenario": N_("SCENARIO"),
    "size": N_("SIZE"),
    "token_id": N_("TOKEN_ID"),
    "username": N_("USERNAME"),
}


#: The language ``--lang`` asked for on the command line being run (set by ``main``).
_ASKED: ContextVar[str | None] = ContextVar("asked_language", default=None)


def ask(lang: str) -> None:
    """Say the language the command line asked for (``--lang``), for every message."""
    _ASKED.set(lang)


def cli_lang() -> str:
    """The language of the command line's own messages: the one ``--lang`` asked for, else
    ``MAMAR_LANG`` (ar or en), else en."""
    lang = _ASKED.get() or os.environ.get("MAMAR_LANG", "en")
    return lang if lang in LANGUAGES else "en"


def requested(argv: Sequence[str]) -> str:
    """The language asked for by ``--lang X`` / ``--lang=X``, else ``$MAMAR_LANG``, else en."""
    lang = os.environ.get("MAMAR_LANG", "en")
    for i, token in enumerate(argv):
        if token == "--lang" and i + 1 < len(argv):
            lang = argv[i + 1]
        elif token.startswith("--lang="):
            lang = token.partition("=")[2]
    return lang if lang in LANGUAGES else "en"


@dataclass(frozen=True)
class Asked:
    """What the command line asks for, as far as words go: a command's help, or a command
    that does not exist."""

    path: tuple[str, ...]
    command: Command
    unknown: str | None = None


def _takes_value(command: Command, token: str) -> bool:
    for param in command.params:
        if isinstance(param, TyperOption) and token in param.opts and not param.is_flag:
            return not param.count
    return False


def asked(root: Command, argv: Sequence[str]) -> Asked | None:
    """The help to show instead of running (``--help``, or a group without its
    subcommand), or the unknown command named; ``None`` when the line is to be run."""
    command: Command = root
    path: tuple[str, ...] = (PROGRAM,)
    skip = False
    for token in argv:
        if skip:
            skip = False
            continue
        if token == HELP:
            return Asked(path, command)
        if token.startswith("-"):
            skip = "=" not in token and _takes_value(command, token)
            continue
        if not isinstance(command, TyperGroup):
            continue  # an argument of the command
        sub = command.commands.get(token)
        if sub is None:
            return Asked(path, command, unknown=token)
        command, path = sub, (*path, token)
    if isinstance(command, TyperGroup):
        return Asked(path, command)
    return None


def _target(root: Command, argv: Sequence[str]) -> Command:
    """The command the line runs (the deepest one its words name)."""
    command: Command = root
    skip = False
    for token in argv:
        if skip:
            skip = False
            continue
        if token.startswith("-"):
            skip = "=" not in token and _takes_value(command, token)
            continue
        if not isinstance(command, TyperGroup) or token not in command.commands:
            break
        command = command.commands[token]
    return command


def lang_anywhere(root: Command, argv: Sequence[str]) -> list[str]:
    """The line with ``--lang`` placed where it is taken: a command that has no ``--lang``
    of its own (``mamar status --lang ar``) gets it as the program's, before the command."""
    target = _target(root, argv)
    if any("--lang" in p.opts for p in target.params if isinstance(p, TyperOption)):
        return list(argv)
    rest: list[str] = []
    moved: list[str] = []
    tokens = iter(argv)
    for token in tokens:
        if token == "--lang":
            moved = ["--lang", next(tokens, "")]
        elif token.startswith("--lang="):
            moved = ["--lang", token.partition("=")[2]]
        else:
            rest.append(token)
    return [*moved, *rest]


def _said(lang: str, text: str | None) -> str:
    return tr(lang, text.strip()) if text else ""


def _summary(lang: str, command: Command) -> str:
    """A command's first paragraph, in ``lang``: its line in its group's list."""
    return _said(lang, command.help).split("\n\n")[0].replace("\n", " ")


def placeholder(lang: str, param: Parameter) -> str:
    """What an argument stands for, in ``lang`` (its name in capitals where the catalogues
    have no word for it)."""
    name = param.metavar or param.name or ""
    message = PLACEHOLDERS.get(name.lower())
    return ptr(lang, PLACEHOLDER, message) if message else name.upper()


def _names(lang: str, param: Parameter) -> str:
    if isinstance(param, TyperOption):
        names = ", ".join(param.opts)
        return f"{names} / {', '.join(param.secondary_opts)}" if param.secondary_opts else names
    return placeholder(lang, param)


def _default(param: Parameter) -> Any:
    if not isinstance(param, TyperOption) or param.is_flag or not param.show_default:
        return None
    value = param.default
    if isinstance(value, bool) or not isinstance(value, str | int | float) or value == "":
        return None
    return value


def _rows(lang: str, command: Command) -> tuple[list[tuple[str, str]], ...]:
    arguments, options = [], []
    for param in command.params:
        if getattr(param, "hidden", False):
            continue
        words = _said(lang, getattr(param, "help", None))
        default = _default(param)
        if default is not None:
            words = f"{words} {tr(lang, '[default: %(value)s]', value=default)}".strip()
        if param.required:
            words = f"{words} {tr(lang, '[required]')}".strip()
        if isinstance(param, TyperOption):
            options.append((_names(lang, param), words))
        else:
            arguments.append((_names(lang, param), words))
    options.append((HELP, tr(lang, "Show this help and stop.")))
    commands = []
    if isinstance(command, TyperGroup):
        commands = [
            (name, _summary(lang, sub))
            for name, sub in command.commands.items()
            if not getattr(sub, "hidden", False)
        ]
    return arguments, options, commands


def _table(title: str, rows: list[tuple[str, str]]) -> list[str]:
    if not rows:
        return []
    width = max(len(name) for name, _ in rows)
    return ["", title, *(f"  {name.ljust(width)}  {words}".rstrip() for name, words in rows)]


def help_text(lang: str, found: Asked) -> str:
    """The whole help of ``found.command`` in ``lang``."""
    command = found.command
    arguments, options, commands = _rows(lang, command)
    usage = [*found.path, tr(lang, "[OPTIONS]")]
    usage += [
        _names(lang, p) if p.required else f"[{_names(lang, p)}]"
        for p in command.params
        if isinstance(p, TyperArgument)
    ]
    if isinstance(command, TyperGroup):
        usage.append(tr(lang, "COMMAND"))
    lines = [tr(lang, "Usage: %(command)s", command=" ".join(usage))]
    if command.help:
        lines += ["", _said(lang, command.help)]
    lines += _table(tr(lang, "Arguments:"), arguments)
    lines += _table(tr(lang, "Options:"), options)
    lines += _table(tr(lang, "Commands:"), commands)
    return "\n".join(lines) + "\n"


def unknown_command(lang: str, found: Asked) -> str:
    assert found.unknown is not None
    return tr(
        lang,
        "There is no command %(name)s in %(path)s. %(help)s lists them.",
        name=found.unknown,
        path=" ".join(found.path),
        help=" ".join((*found.path, HELP)),
    )


def _param_name(lang: str, error: failures.BadParameter) -> str:
    if error.param is not None:
        return _names(lang, error.param)
    hint = error.param_hint
    return hint if isinstance(hint, str) else " / ".join(hint or ())


def choices(lang: str, values: Sequence[Any]) -> str:
    """``a, b or c`` the language's way (CLDR's list patterns)."""
    return format_list([str(getattr(v, "value", v)) for v in values], style="or", locale=lang)


def _allowed(lang: str, param: Parameter | None) -> str:
    """What a parameter accepts, in words, from its type."""
    if not isinstance(param, TyperArgument | TyperOption):
        return ""
    kind = param.type_descriptor
    if kind.choices is not None:
        return tr(lang, "one of: %(choices)s", choices=choices(lang, kind.choices))
    if kind.annotation is int:
        return tr(lang, "a whole number")
    if kind.annotation is float:
        return tr(lang, "a number")
    if kind.is_path or kind.is_file:
        return tr(lang, "the path of a file that exists")
    if kind.is_datetime:
        return tr(lang, "a date and time (2016-12-15T14:05)")
    if kind.annotation is bool:
        return tr(lang, "yes or no (true, false)")
    return ""


def usage_error(lang: str, error: failures.UsageError, path: str) -> str:
    """A parsing error in ``lang``, from what the error knows, never from its English text."""
    again = tr(lang, "%(help)s explains the command.", help=f"{path} {HELP}")
    if isinstance(error, failures.MissingParameter):
        said = tr(lang, "%(name)s is required.", name=_param_name(lang, error))
    elif isinstance(error, failures.NoSuchOption):
        said = tr(lang, "There is no option %(name)s.", name=error.option_name)
        if error.possibilities:
            said += " " + tr(
                lang, "Did you mean %(names)s?", names=", ".join(sorted(error.possibilities))
            )
    elif isinstance(error, failures.BadOptionUsage):
        said = tr(lang, "%(name)s needs a value.", name=error.option_name)
    elif isinstance(error, failures.BadParameter):
        allowed = _allowed(lang, error.param)
        if allowed:
            said = tr(
                lang,
                "%(name)s does not accept this value: it takes %(allowed)s.",
                name=_param_name(lang, error),
                allowed=allowed,
            )
        else:  # raised by Mamar itself, already in the reader's words
            said = f"{_param_name(lang, error)}: {error.message}".lstrip(": ")
    else:
        said = tr(lang, "The command was not understood as written.")
    return f"{said} {again}"
