"""A person's personal data: only ever stored encrypted in the vault."""

from __future__ import annotations

from typing import Annotated

from pydantic import StringConstraints

from mamar.domain.model import Value
from mamar.domain.text import Name, Prose

#: Digits (spaces, brackets and dashes between them), a ``+`` before a country code.
PHONE_PATTERN = r"^\+?[0-9][0-9 ()-]{2,29}$"
PhoneNumber = Annotated[str, StringConstraints(pattern=PHONE_PATTERN)]


class PersonalRecord(Value):
    """The name as the person writes it (None: not known, as for many people an account
    names only by their role); what is noted of them kept with its language (a record
    sealed before that was kept loads as words of unknown language)."""

    full_name: Name | None = None
    phones: tuple[PhoneNumber, ...] = ()
    injuries: Prose | None = None
    notes: Prose | None = None
