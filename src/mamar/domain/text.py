"""The one text type: every free text a person types goes through it.

It refuses what makes text lie about itself: characters that change the
direction text is shown in (an override can make "1-0" read "0-1"), characters
that show nothing (so two names look the same and differ, or a name looks empty),
and control characters. Arabic letters and punctuation are all accepted. The
refusal names the character, and the field (from where the type is used).
"""

from __future__ import annotations

import re
import unicodedata
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, ValidationInfo, model_validator
from pydantic_core import PydanticCustomError

#: Validation context under which recorded data is read back (events replayed, read
#: models loaded): what was accepted when it was recorded stays readable, so a rule
#: made stricter later never stops an old journal from replaying.
RECORDED = {"recorded": True}


def is_recorded(info: ValidationInfo) -> bool:
    """True while reading back what was already recorded (see ``RECORDED``)."""
    return bool(info.context and info.context.get("recorded"))


# Characters that change the direction text is displayed in, or show nothing at all.
# U+200C and U+200D (zero-width non-joiner / joiner) are among them: the product
# stores Arabic without them (they only change how letters join on screen).
REFUSED_RANGES: tuple[tuple[int, int], ...] = (
    (0x00AD, 0x00AD),  # soft hyphen
    (0x061C, 0x061C),  # Arabic letter mark
    (0x115F, 0x1160),  # Hangul choseong / jungseong fillers
    (0x180E, 0x180E),  # Mongolian vowel separator
    (0x200B, 0x200F),  # zero-width space, non-joiner, joiner; left-to-right / right-to-left marks
    (0x2028, 0x2029),  # line and paragraph separators
    (0x202A, 0x202E),  # embeddings and overrides
    (0x2060, 0x2064),  # word joiner, invisible operators
    (0x2066, 0x2069),  # isolates
    (0x3164, 0x3164),  # Hangul filler
    (0xFEFF, 0xFEFF),  # zero-width no-break space (byte-order mark)
    (0xFFA0, 0xFFA0),  # halfwidth Hangul filler
    (0xE0000, 0xE007F),  # tag characters
)

# Everything refused, and control characters, as one character class: most text has
# none of it, and one regular-expression search is far cheaper than a look at every
# character.
_SUSPECT = re.compile(
    "["
    + "".join(f"\\U{a:08x}-\\U{b:08x}" for a, b in REFUSED_RANGES)
    + "\\x00-\\x1f\\x7f-\\x9f\\ud800-\\udfff]"
)
_HIDDEN = re.compile("[" + "".join(f"\\U{a:08x}-\\U{b:08x}" for a, b in REFUSED_RANGES) + "]")

#: Longest one-line text (a name, a phrase, a language) and longest free text.
LINE_MAX = 200
TEXT_MAX = 20000


def _refuse(kind: str, message: str, **context: object) -> PydanticCustomError:
    return PydanticCustomError(kind, message, dict(context))


def _clean(value: str, *, allow_newlines: bool) -> str:
    if not unicodedata.is_normalized("NFC", value):
        value = unicodedata.normalize("NFC", value)
    value = value.strip()
    if _SUSPECT.search(value) is None:
        return value
    for ch in value:
        if _HIDDEN.match(ch):
            raise _refuse(
                "text_hidden_character",
                "contains an invisible or direction-changing character (U+{code}): remove it",
                code=f"{ord(ch):04X}",
            )
        if "\ud800" <= ch <= "\udfff":
            raise _refuse(
                "text_surrogate",
                "contains half of a character (U+{code}, a lone surrogate): the text is corrupt",
                code=f"{ord(ch):04X}",
            )
        if unicodedata.category(ch) == "Cc" and not (allow_newlines and ch in "\n\t"):
            raise _refuse(
                "text_control_character",
                "contains a control character (U+{code}): remove it",
                code=f"{ord(ch):04X}",
            )
    return value


def _line(value: str, info: ValidationInfo) -> str:
    if is_recorded(info):
        return value
    value = _clean(value, allow_newlines=False)
    if not value:
        raise _refuse("text_empty", "must not be empty")
    if len(value) > LINE_MAX:
        raise _refuse("text_too_long", "is longer than {limit} characters", limit=LINE_MAX)
    return value


def _free_text(value: str, info: ValidationInfo) -> str:
    if is_recorded(info):
        return value
    value = _clean(value, allow_newlines=True)
    if len(value) > TEXT_MAX:
        raise _refuse("text_too_long", "is longer than {limit} characters", limit=TEXT_MAX)
    return value


#: A name, a title, a phrase ("after sunset"), a language: one line, not empty.
Name = Annotated[str, AfterValidator(_line)]
#: A description, a note, a reason: may run over several lines.
FreeText = Annotated[str, AfterValidator(_free_text)]
#: The words used for a time ("after sunset"): one line.
Phrase = Name
#: The language a text is in ("ar", "en", "tr").
Language = Name


class LocalName(BaseModel):
    """A name in Arabic and/or English; at least one is required."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    ar: Name | None = None
    en: Name | None = None

    @model_validator(mode="after")
    def _one_present(self) -> LocalName:
        if self.ar is None and self.en is None:
            raise _refuse("name_missing", "give the name in Arabic (ar) or English (en), or both")
        return self

    def display(self, lang: str = "ar") -> str:
        return {"ar": self.ar, "en": self.en}.get(lang) or self.ar or self.en or ""


class LocalText(BaseModel):
    """A text as originally said, in its language, and optionally translated."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    original: FreeText
    language: Language = "ar"
    translation: FreeText | None = None
    translation_language: Language | None = None
