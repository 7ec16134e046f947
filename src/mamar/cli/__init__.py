"""The ``mamar`` command line."""

from mamar.cli import records  # noqa: F401  (registers the record commands)
from mamar.cli.main import app, main

__all__ = ["app", "main"]
