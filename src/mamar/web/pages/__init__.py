"""Page families, one module each; every module here with ``add_routes(app, book)`` is installed.

Discovery keeps parallel work apart: a new page family is a new module.
"""

from __future__ import annotations

import importlib
import pkgutil

from fastapi import FastAPI

from mamar.access.rules import RuleBook


def install_pages(app: FastAPI, book: RuleBook) -> None:
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{__name__}.{info.name}")
        add_routes = getattr(module, "add_routes", None)
        if add_routes is not None:
            add_routes(app, book)
