"""Imports every feature package, so their event types, aggregates and commands register."""

from __future__ import annotations

import importlib

FEATURE_MODULES = (
    "mamar.accounts.model",
    "mamar.operations.model",
    "mamar.convoys.model",
    "mamar.convoys.commands",
)


def load() -> None:
    for name in FEATURE_MODULES:
        importlib.import_module(name)


load()
