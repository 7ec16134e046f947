"""The command-line reference (docs/cli.md), generated from the commands themselves.

A test compares the file with what this produces, so the reference cannot drift
from the code: run ``python -m mamar.cli.reference > docs/cli.md`` after a change.
"""

from __future__ import annotations

from typing import Any

import typer

from mamar.cli import app


def _param_line(param: Any) -> str:
    if param.param_type_name == "option":
        names = ", ".join(f"`{o}`" for o in (*param.opts, *param.secondary_opts))
        help_text = param.help or ""
        default = param.default
        if default not in (None, False, (), "") and not param.is_flag:
            help_text += f" (default: `{default}`)"
        return f"- {names}: {help_text}".rstrip()
    return f"- `{(param.name or '').upper()}` (argument){': ' + param.help if getattr(param, 'help', None) else ''}"


def _command(lines: list[str], path: str, command: Any) -> None:
    if hasattr(command, "commands"):
        for name in sorted(command.commands):
            _command(lines, f"{path} {name}", command.commands[name])
        return
    lines.append(f"## `{path}`")
    lines.append("")
    lines.append((command.help or "").strip().split("\n\n")[0].replace("\n", " "))
    if getattr(command.callback, "creates_database", False):
        lines += ["", "Creates the database when it is not there."]
    params = [p for p in command.params if p.name != "help"]
    if params:
        lines.append("")
        lines.extend(_param_line(p) for p in params)
    lines.append("")


def render() -> str:
    root: Any = typer.main.get_command(app)
    lines = [
        "# Command-line reference",
        "",
        "Generated from the commands by `python -m mamar.cli.reference`; a test keeps it current.",
        "Every command that opens the database takes `--database URL` (default",
        "`$MAMAR_DATABASE_URL`, else `sqlite:///mamar.db`, else the demo's `mamar-demo.db`",
        "when only that one is in the folder, as `mamar demo` says). A database that is not",
        "there is refused, in the reader's language, and nothing is created (no database file,",
        "no key beside it), except by the commands that say they create it.",
        "Output into a pipe whose reader stops early (`mamar export journal … | head -1`) ends",
        "with status 0.",
        "",
        "The same help, and every usage error, in Arabic: `mamar --lang ar COMMAND --help`",
        "(or `MAMAR_LANG=ar`). Only what is typed (commands, options, formats) stays in Latin.",
        "",
    ]
    for name in sorted(root.commands):
        _command(lines, f"mamar {name}", root.commands[name])
    return "\n".join(lines).rstrip() + "\n"


if __name__ == "__main__":
    print(render(), end="")
