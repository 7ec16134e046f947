"""The ``mamar`` command line."""

from mamar.cli import (
    checkpoints,  # noqa: F401  (registers checkpoint)
    evidence,  # noqa: F401  (registers evidence)
    exchange,  # noqa: F401  (registers export geojson|hxl|..., import incidents)
    records,  # noqa: F401  (registers the record commands)
    reports,  # noqa: F401  (registers report)
    security,  # noqa: F401  (registers serve, token, vault, audit)
    witness,  # noqa: F401  (registers witness)
)
from mamar.cli.main import app, main

__all__ = ["app", "main"]
