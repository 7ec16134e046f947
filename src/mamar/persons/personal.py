"""A person's personal data: only ever stored encrypted in the vault."""

from __future__ import annotations

from typing import Annotated

from pydantic import StringConstraints

from mamar.domain.model import Value
from mamar.domain.text import FreeText, Name

PhoneNumber = Annotated[str, StringConstraints(pattern=r"^\+?[0-9][0-9 ()-]{2,29}$")]


class PersonalRecord(Value):
    full_name: Name
    phones: tuple[PhoneNumber, ...] = ()
    injuries: FreeText | None = None
    notes: FreeText | None = None
