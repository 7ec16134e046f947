"""Imports every feature package, so their event types, aggregates and commands register.

A feature package is any direct subpackage of ``mamar``; its modules named
``events``, ``model`` and ``commands`` (those that exist) are imported, in that order.
"""

from __future__ import annotations

import importlib
import importlib.util
import pkgutil

import mamar

_REGISTERING_MODULES = ("events", "model", "commands")


def load() -> list[str]:
    loaded: list[str] = []
    for package in sorted(pkgutil.iter_modules(mamar.__path__), key=lambda m: m.name):
        if not package.ispkg:
            continue
        for module in _REGISTERING_MODULES:
            name = f"mamar.{package.name}.{module}"
            if importlib.util.find_spec(name) is not None:
                importlib.import_module(name)
                loaded.append(name)
    return loaded


load()
