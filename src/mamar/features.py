"""Imports every feature package, so their event types, aggregates and commands register.

A feature package is any direct subpackage of ``mamar``; its modules named
``events``, ``model`` and ``commands`` (those that exist) are imported, in that order.
"""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path

import mamar

_REGISTERING_MODULES = ("events", "model", "commands")


def load() -> list[str]:
    loaded: list[str] = []
    for root in mamar.__path__:
        for package in sorted(pkgutil.iter_modules([root]), key=lambda m: m.name):
            if not package.ispkg:
                continue
            # Look at files, not specs: finding a spec would import the package itself.
            for module in _REGISTERING_MODULES:
                if (Path(root) / package.name / f"{module}.py").exists():
                    name = f"mamar.{package.name}.{module}"
                    importlib.import_module(name)
                    loaded.append(name)
    return loaded


load()
