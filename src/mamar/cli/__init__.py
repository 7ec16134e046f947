"""The ``mamar`` command line."""

from mamar.cli.main import app, main

__all__ = ["app", "main"]
