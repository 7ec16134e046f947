"""Text value types that refuse invisible tricks: bidi overrides, zero-width and control characters."""

from __future__ import annotations

import re
import unicodedata
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, model_validator

_BIDI_CONTROLS = {chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x200E, 0x200F)}
_ZERO_WIDTH = {"\u200b", "\u200c", "\u200d", "\u2060", "\ufeff"}


# Everything _clean refuses, as one character class: most text has none of it, and
# one regular-expression search is far cheaper than looking at every character.
_SUSPECT = re.compile("[" + "".join(sorted(_BIDI_CONTROLS | _ZERO_WIDTH)) + "\x00-\x1f\x7f-\x9f]")


def _clean(value: str, *, allow_newlines: bool) -> str:
    if not unicodedata.is_normalized("NFC", value):
        value = unicodedata.normalize("NFC", value)
    value = value.strip()
    if _SUSPECT.search(value) is None:
        return value
    for ch in value:
        if ch in _BIDI_CONTROLS:
            raise ValueError(f"contains a bidirectional control character (U+{ord(ch):04X})")
        if ch in _ZERO_WIDTH:
            raise ValueError(f"contains a zero-width character (U+{ord(ch):04X})")
        if unicodedata.category(ch) == "Cc" and not (allow_newlines and ch in "\n\t"):
            raise ValueError(f"contains a control character (U+{ord(ch):04X})")
    return value


def _name(value: str) -> str:
    value = _clean(value, allow_newlines=False)
    if not value:
        raise ValueError("must not be empty")
    if len(value) > 200:
        raise ValueError("is longer than 200 characters")
    return value


def _free_text(value: str) -> str:
    value = _clean(value, allow_newlines=True)
    if len(value) > 20000:
        raise ValueError("is longer than 20000 characters")
    return value


Name = Annotated[str, AfterValidator(_name)]
FreeText = Annotated[str, AfterValidator(_free_text)]


class LocalName(BaseModel):
    """A name in Arabic and/or English; at least one is required."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    ar: Name | None = None
    en: Name | None = None

    @model_validator(mode="after")
    def _one_present(self) -> LocalName:
        if self.ar is None and self.en is None:
            raise ValueError("give the name in Arabic (ar) or English (en), or both")
        return self

    def display(self, lang: str = "ar") -> str:
        first, second = (self.ar, self.en) if lang == "ar" else (self.en, self.ar)
        return first or second or ""


class LocalText(BaseModel):
    """A text as originally said, in its language, and optionally translated."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    original: FreeText
    language: Annotated[str, AfterValidator(_name)] = "ar"
    translation: FreeText | None = None
    translation_language: str | None = None
