"""Imports every feature package, so their event types, aggregates and commands register.

A feature package is a direct subpackage of ``mamar`` that has a ``model`` module
and is not one of the surfaces or infrastructure packages below; its modules
named ``events``, ``model`` and ``commands`` (those that exist) are imported, in
that order.
"""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path

import mamar

_REGISTERING_MODULES = ("events", "model", "commands")
_NOT_FEATURES = frozenset(
    {
        "access",
        "api",
        "cli",
        "db",
        "domain",
        "i18n",
        "journal",
        "projections",
        "reports",
        "scenarios",
        "services",
        "vault",
        "web",
    }
)


def load() -> list[str]:
    loaded: list[str] = []
    for root in mamar.__path__:
        for package in sorted(pkgutil.iter_modules([root]), key=lambda m: m.name):
            folder = Path(root) / package.name
            if (
                not package.ispkg
                or package.name in _NOT_FEATURES
                or not (folder / "model.py").exists()
            ):
                continue
            # Look at files, not specs: finding a spec would import the package itself.
            for module in _REGISTERING_MODULES:
                if (folder / f"{module}.py").exists():
                    name = f"mamar.{package.name}.{module}"
                    importlib.import_module(name)
                    loaded.append(name)
    # Every record kind can be shared: one command per kind, once all kinds are known.
    from mamar.sharing.commands import register_share_commands

    register_share_commands()
    # Every record kind with free text can have it translated: one command per kind.
    from mamar.translating.commands import register_translate_commands

    register_translate_commands()
    return loaded


load()
