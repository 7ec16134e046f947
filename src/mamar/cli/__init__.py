"""The ``mamar`` command line."""

from mamar.cli import (
    checkpoints,  # noqa: F401  (registers checkpoint)
    evidence,  # noqa: F401  (registers evidence)
    records,  # noqa: F401  (registers the record commands)
    security,  # noqa: F401  (registers serve, token, vault, audit)
    witness,  # noqa: F401  (registers witness)
)
from mamar.cli.main import app, main

__all__ = ["app", "main"]
