"""A sentence of the catalogues kept with its particulars, said later in the reader's language.

Some refusals are raised where no reader's language is known (a scenario file, a signed
note or a key): they keep their catalogue message and its particulars, and the surface that
shows them says them in its language. Their English (``str``) is for the logs.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from mamar.web.i18n import number, tr


@dataclass(frozen=True)
class Said:
    """``message`` (marked with ``N_`` where it is written) with its ``params``: a number is
    written in the reader's digits, a :class:`Said` (or any function of the language) is
    said in the same language, and a :class:`Word` is a catalogue word; anything else (what
    a person wrote) stays as it is. No parameter is called ``message`` or ``lang``."""

    message: str
    params: Mapping[str, object] = field(default_factory=dict)

    def __call__(self, lang: str) -> str:
        return tr(lang, self.message, **{k: _said(v, lang) for k, v in self.params.items()})

    def __str__(self) -> str:
        return self("en")


class Word(str):
    """A particular that is itself a catalogue message (e.g. "public key")."""


def said(message: str, /, **params: object) -> Said:
    return Said(message, params)


def _said(value: object, lang: str) -> str:
    if callable(value):  # a Said, or any words said in the language given
        return str(value(lang))
    if isinstance(value, Word):
        return tr(lang, value)
    if isinstance(value, int) and not isinstance(value, bool):
        return number(value, lang)
    return str(value)
