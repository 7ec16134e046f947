"""The ``mamar`` command line."""

from mamar.cli import (
    records,  # noqa: F401  (registers the record commands)
    security,  # noqa: F401  (registers serve, token, vault, audit)
)
from mamar.cli.main import app, main

__all__ = ["app", "main"]
