"""Which commands may create the database they are given.

A command that only reads (and one that changes records that must already be there) refuses
a database that is not there, and creates nothing: no database file, no key beside it. Only
the commands marked :func:`creates_database` (``init``, ``demo``, ``scenario run``, ``serve``
and those that record the first things of an installation) make one when it is missing.
``open_system`` asks :func:`may_create`; a new command refuses unless it is marked.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from contextvars import ContextVar
from typing import Any, TypeVar

F = TypeVar("F", bound=Callable[..., Any])

#: Set while a command marked ``creates_database`` runs.
_CREATING: ContextVar[bool] = ContextVar("creating_database", default=False)


def creates_database(command: F) -> F:
    """Mark a command that may create a missing database (the mark is also kept as the
    function's ``creates_database`` attribute, for the tests that walk every command)."""

    @functools.wraps(command)
    def run(*args: Any, **kwargs: Any) -> Any:
        token = _CREATING.set(True)
        try:
            return command(*args, **kwargs)
        finally:
            _CREATING.reset(token)

    run.creates_database = True  # type: ignore[attr-defined]
    return run  # type: ignore[return-value]


def may_create() -> bool:
    """Whether the command running may create the database it opens."""
    return _CREATING.get()
