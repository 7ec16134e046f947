"""Small builders shared by tests."""

from __future__ import annotations

from datetime import datetime

from mamar.domain.time import OccurredAt, Precision
from mamar.operations.model import OpenOperation
from mamar.services.commands import SYSTEM
from mamar.system import Mamar


def at(text: str, precision: Precision = Precision.MINUTE, phrase: str | None = None) -> OccurredAt:
    return OccurredAt(at=datetime.fromisoformat(text), precision=precision, phrase=phrase)


def open_operation(system: Mamar, operation: str = "op") -> str:
    system.execute(
        OpenOperation(id=operation, name={"en": "Test operation"}, timezone="Asia/Damascus"),
        actor=SYSTEM,
        occurred=at("2016-12-12T08:00+02:00"),
    )
    return operation
