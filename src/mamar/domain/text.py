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
from dataclasses import dataclass
from functools import cache
from typing import Annotated, Any, ClassVar

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    ModelWrapValidatorHandler,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import ErrorDetails, InitErrorDetails, PydanticCustomError, PydanticKnownError

#: Validation context under which recorded data is read back (events replayed, read
#: models loaded): what was accepted when it was recorded stays readable, so a rule
#: made stricter later never stops an old journal from replaying.
RECORDED = {"recorded": True}


#: The language of words whose language nobody said (BCP 47's "undetermined"): a
#: translation recorded without one (early journals), plain words that are not Arabic.
#: It is never shown as a page's language.
UNDETERMINED = "und"


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


# A language tag as BCP 47 (RFC 5646) writes it: language (with up to three extended
# language subtags), script, region, variants, extensions, private use. Irregular
# grandfathered tags ("i-klingon") are not accepted: nobody writes them any more.
_LANGTAG = re.compile(
    r"(?P<language>[a-z]{2,3}(?:-[a-z]{3}){0,3}|[a-z]{4,8})"
    r"(?:-(?P<script>[a-z]{4}))?"
    r"(?:-(?P<region>[a-z]{2}|[0-9]{3}))?"
    r"(?P<variants>(?:-(?:[a-z0-9]{5,8}|[0-9][a-z0-9]{3}))*)"
    r"(?P<extensions>(?:-[0-9a-wy-z](?:-[a-z0-9]{2,8})+)*)"
    r"(?P<private>-x(?:-[a-z0-9]{1,8})+)?"
)


@cache
def _known() -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """The languages, scripts and regions CLDR names (through Babel): a tag's subtags
    must be among them, so that every language can be named to the reader."""
    from babel import Locale

    english = Locale("en")
    languages = frozenset(str(code) for code in english.languages if "_" not in str(code))
    scripts = frozenset(str(code) for code in english.scripts)
    regions = frozenset(str(code) for code in english.territories)
    return languages - {"und"}, scripts, regions


def language_tag(value: str) -> str:
    """``value`` as a well-formed BCP 47 tag of a known language, in the usual case
    ("AR" → "ar", "zh-hant" → "zh-Hant", "ar-sy" → "ar-SY"); else a refusal naming the
    problem."""
    if value.lower() == UNDETERMINED:
        return UNDETERMINED
    found = _LANGTAG.fullmatch(value.lower())
    if found is None:
        raise _refuse(
            "language_tag_malformed",
            "“{tag}” is not a language tag: write one like ar, en, ar-SY or zh-Hant",
            tag=value,
        )
    languages, scripts, regions = _known()
    primary = found["language"].split("-")[0]
    if primary not in languages:
        raise _refuse("language_unknown", "the language “{subtag}” is not known", subtag=primary)
    script = found["script"].title() if found["script"] else None
    if script is not None and script not in scripts:
        raise _refuse("script_unknown", "the script “{subtag}” is not known", subtag=script)
    region = found["region"].upper() if found["region"] else None
    if region is not None and region not in regions:
        raise _refuse("region_unknown", "the region “{subtag}” is not known", subtag=region)
    parts = [found["language"], script, region]
    rest = "".join(found[name] or "" for name in ("variants", "extensions", "private"))
    return "-".join(p for p in parts if p) + rest


def primary_language(tag: str) -> str:
    """The language subtag of a tag ("ar-SY" → "ar")."""
    return tag.split("-")[0].lower()


def _language(value: str, info: ValidationInfo) -> str:
    if is_recorded(info):
        return value
    return language_tag(_line(value, info))


# The script of a letter, from the first word of its Unicode name (ISO 15924 codes).
# A letter of a script not listed here is not judged.
_SCRIPT_WORDS: dict[str, str] = {
    "LATIN": "Latn", "ARABIC": "Arab", "CYRILLIC": "Cyrl", "GREEK": "Grek", "HEBREW": "Hebr",
    "ARMENIAN": "Armn", "GEORGIAN": "Geor", "SYRIAC": "Syrc", "THAANA": "Thaa", "NKO": "Nkoo",
    "TIFINAGH": "Tfng", "ETHIOPIC": "Ethi", "DEVANAGARI": "Deva", "BENGALI": "Beng",
    "GURMUKHI": "Guru", "GUJARATI": "Gujr", "ORIYA": "Orya", "TAMIL": "Taml", "TELUGU": "Telu",
    "KANNADA": "Knda", "MALAYALAM": "Mlym", "SINHALA": "Sinh", "THAI": "Thai", "LAO": "Laoo",
    "TIBETAN": "Tibt", "MYANMAR": "Mymr", "KHMER": "Khmr", "MONGOLIAN": "Mong",
    "HANGUL": "Hang", "HIRAGANA": "Hira", "KATAKANA": "Kana", "CJK": "Hani",
}  # fmt: skip
# Scripts written together under one code (Japanese, Korean, Chinese in either form).
_WRITTEN_WITH: dict[str, frozenset[str]] = {
    "Jpan": frozenset({"Hani", "Hira", "Kana"}),
    "Kore": frozenset({"Hang", "Hani"}),
    "Hans": frozenset({"Hani"}),
    "Hant": frozenset({"Hani"}),
}
# Letters of the two scripts most texts here are in: one search settles most texts.
_QUICK = {
    "Arab": re.compile("[\u0620-\u064a\u0671-\u06d3\u06fa-\u06ff\u0750-\u077f]"),
    "Latn": re.compile("[A-Za-z\u00c0-\u024f]"),
}
# Languages written in several scripts, none of them the rule: their text is judged
# only when the tag names its script ("ku-Arab", "sr-Latn").
_SEVERAL_SCRIPTS = frozenset(
    {"az", "bs", "ff", "ha", "kk", "ks", "ku", "ky", "mn", "ms", "pa", "sd", "sr", "tg", "tk"}
    | {"tt", "ug", "uz"}
)


def _script_of(ch: str) -> str | None:
    if not ch.isalpha():
        return None
    return _SCRIPT_WORDS.get(unicodedata.name(ch, "").split(" ", 1)[0])


@cache
def expected_script(tag: str) -> str | None:
    """The script a text in language ``tag`` is written in: the tag's own script subtag,
    else the language's usual one (CLDR's likely subtags, through Babel); None where that
    is not known, or where the language is written in several scripts alike."""
    from babel.core import get_global

    parts = tag.split("-")
    for part in parts[1:]:
        if len(part) == 4 and part.isalpha():
            return part.title()
    primary = parts[0].lower()
    if primary == UNDETERMINED or primary in _SEVERAL_SCRIPTS:
        return None
    likely = get_global("likely_subtags").get(primary)
    if not likely:
        return None
    found = str(likely).split("_")
    return found[1] if len(found) > 1 and len(found[1]) == 4 else None


def written_in(words: str) -> str | None:
    """The script most of the letters of ``words`` are in (None: no letter of a known script)."""
    counts: dict[str, int] = {}
    for ch in words:
        script = _script_of(ch)
        if script is not None:
            counts[script] = counts.get(script, 0) + 1
    return max(counts, key=lambda s: counts[s]) if counts else None


def check_script(words: str, tag: str) -> None:
    """Refuse words none of whose letters are in the script of their language (English
    given as Arabic, Arabic given as English): they would be shown, read aloud and sorted
    as the other language. Words with any letter of their language's script pass (an
    acronym in an Arabic sentence), as do words with no letters (a number)."""
    expected = expected_script(tag)
    if expected is None or not words:
        return
    quick = _QUICK.get(expected)
    if quick is not None and quick.search(words):
        return
    accepted = _WRITTEN_WITH.get(expected, frozenset({expected}))
    seen: set[str] = set()
    for ch in words:
        script = _script_of(ch)
        if script is None:
            continue
        if script in accepted:
            return
        seen.add(script)
    if seen:
        raise _refuse(
            "text_script_mismatch",
            "is written in {script} script, but its language is given as {language}",
            script=written_in(words) or sorted(seen)[0],
            language=tag,
        )


#: A name, a title, a language: one line, not empty.
Name = Annotated[str, AfterValidator(_line)]
#: A description, a note, a reason: may run over several lines.
FreeText = Annotated[str, AfterValidator(_free_text)]
#: The language a text is in, as a BCP 47 tag of a known language ("ar", "en", "ar-SY").
Language = Annotated[str, AfterValidator(_language)]


class LocalName(BaseModel):
    """A name in Arabic and/or English; at least one is required."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    ar: Name | None = None
    en: Name | None = None

    @field_validator("ar", "en")
    @classmethod
    def _in_its_script(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value is not None and not is_recorded(info):
            check_script(value, str(info.field_name))
        return value

    @model_validator(mode="after")
    def _one_present(self) -> LocalName:
        if self.ar is None and self.en is None:
            raise _refuse("name_missing", "give the name in Arabic (ar) or English (en), or both")
        return self

    def display(self, lang: str = "ar") -> str:
        return {"ar": self.ar, "en": self.en}.get(lang) or self.ar or self.en or ""


class Translation(BaseModel):
    """A text put into another language, and who did it: ``translated_by`` is the
    organisation of the account that recorded it, set by the server (never typed);
    None for a translation recorded before translators were kept."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    text: FreeText
    language: Language
    translated_by: Name | None = None
    at: Name | None = None

    @model_validator(mode="after")
    def _in_its_script(self, info: ValidationInfo) -> Translation:
        if not is_recorded(info):
            check_script(self.text, self.language)
        return self


class LocalText(BaseModel):
    """A text as originally said, in its language, with any number of translations."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    #: Its words, and so each translation's, are one line (a name, a phrase), not a paragraph.
    one_line: ClassVar[bool] = False
    #: What a translation of it is (a phrase's is one line, as the phrase).
    translation_type: ClassVar[type[Translation]] = Translation

    original: FreeText
    language: Language = "ar"
    translations: tuple[Translation, ...] = ()

    @model_validator(mode="before")
    @classmethod
    def _one_translation_of_old(cls, data: Any, info: ValidationInfo) -> Any:
        """Words given now without their language are in the language :func:`unsaid_language`
        says. The earlier shape (one ``translation`` with its ``translation_language``) is
        read as one translation whose translator is not known; stored bytes stay as
        they are."""
        if not isinstance(data, dict):
            return data
        given = data.get("original")
        if "language" not in data and isinstance(given, str) and not is_recorded(info):
            data = {**data, "language": unsaid_language(given)}
        if not ("translation" in data or "translation_language" in data):
            return data
        data = dict(data)
        words = data.pop("translation", None)
        language = data.pop("translation_language", None)
        if words:
            earlier = {"text": words, "language": language or UNDETERMINED}
            data["translations"] = (earlier, *data.get("translations", ()))
        return data

    @model_validator(mode="after")
    def _in_its_script(self, info: ValidationInfo) -> LocalText:
        if not is_recorded(info):
            check_script(self.original, self.language)
        return self

    @model_validator(mode="wrap")
    @classmethod
    def _in_its_script_whatever_else(
        cls, data: Any, handler: ModelWrapValidatorHandler[LocalText], info: ValidationInfo
    ) -> LocalText:
        """Words in another script than their language are refused even when another part
        is refused too (a translation too long): the check after the model never runs then,
        and the person would correct one and be refused again for the other."""
        try:
            return handler(data)
        except ValidationError as exc:
            wrong = None if is_recorded(info) else _script_refusal(data, exc)
            if wrong is None:
                raise
            details: list[InitErrorDetails] = [
                *(_detail(e) for e in exc.errors()),
                {"type": wrong, "loc": (), "input": data},
            ]
            raise ValidationError.from_exception_data(exc.title, details) from None


def _script_refusal(data: Any, refused: ValidationError) -> PydanticCustomError | None:
    """Why words given as ``data`` (``original`` and ``language``) are not in their
    language's script, when their words and language are not themselves refused."""
    if not isinstance(data, dict):
        return None
    words, language = data.get("original"), data.get("language")
    if not isinstance(words, str) or not isinstance(language, str):
        return None
    if any(e["loc"][:1] in ((), ("original",), ("language",)) for e in refused.errors()):
        return None  # said already, or the words or their language refused
    try:
        check_script(words, language)
    except PydanticCustomError as wrong:
        return wrong
    return None


def _detail(error: ErrorDetails) -> InitErrorDetails:
    """An error as found, to be raised again with others."""
    kind: str | PydanticCustomError = error["type"]
    context = error.get("ctx")
    try:
        PydanticKnownError(error["type"], context)  # type: ignore[arg-type]
    except (KeyError, TypeError, ValueError):
        kind = PydanticCustomError(error["type"], error["msg"], context)
    detail: InitErrorDetails = {"type": kind, "loc": error["loc"], "input": error["input"]}
    if context is not None:
        detail["ctx"] = context
    return detail


def fits_script(words: str, tag: str) -> bool:
    """``words`` may be in language ``tag`` (see :func:`check_script`)."""
    try:
        check_script(words, tag)
    except PydanticCustomError:
        return False
    return True


def unsaid_language(words: str) -> str:
    """The language of words given without one: Arabic, the language of the people the
    product serves, unless none of their letters is Arabic; then it is not known
    (``UNDETERMINED``), never guessed from the letters."""
    return "ar" if fits_script(words, "ar") else UNDETERMINED


def _words_as_text(value: Any, info: ValidationInfo) -> Any:
    """Plain words given where a :class:`LocalText` is kept. Read back from a journal that
    kept them so (before the field said its language), their language is not known
    (``UNDETERMINED``: shown as the original, marked, never as a page's language); given
    now, their language is what :func:`unsaid_language` says."""
    if isinstance(value, str):
        if is_recorded(info):
            return {"original": value, "language": UNDETERMINED}
        return {"original": value, "language": unsaid_language(value)}
    return value


#: A free text a person writes in one language and others may translate: a ceasefire's
#: area, a position, a bottom line, the reasons for an answer. Kept as a :class:`LocalText`;
#: plain words are still read (see :func:`_words_as_text`), so old journals load unchanged.
Prose = Annotated[LocalText, BeforeValidator(_words_as_text)]


class LocalLine(LocalText):
    """A :class:`LocalText` of one line that is never empty: a kind of vehicle, who travels."""

    one_line: ClassVar[bool] = True

    original: Name


#: Words of one line a person writes in one language and others may translate (see
#: :data:`Prose`): plain words are still read, so old journals load unchanged.
ProseLine = Annotated[LocalLine, BeforeValidator(_words_as_text)]


class PhraseTranslation(Translation):
    """A translation of the words used for a time: one line, as the words themselves."""

    text: Name


class LocalPhrase(LocalText):
    """The words a person used for a time ("after midnight", "بعد منتصف الليل"), in their
    language, with any translations: one line each (a phrase, not a paragraph)."""

    one_line: ClassVar[bool] = True
    translation_type: ClassVar[type[Translation]] = PhraseTranslation

    original: Name
    translations: tuple[PhraseTranslation, ...] = ()


def _words_as_phrase(value: Any, info: ValidationInfo) -> Any:
    """Plain words given for a time: read back from a journal that kept them so, their
    language is not known (``UNDETERMINED``); given now, they are checked as one line (so a
    refusal names the phrase itself, as before), in the language :func:`unsaid_language`
    says."""
    if isinstance(value, str):
        if is_recorded(info):
            return {"original": value, "language": UNDETERMINED}
        words = _line(value, info)
        return {"original": words, "language": unsaid_language(words)}
    return value


#: The words used for a time ("after sunset"), kept with their language: see
#: :class:`LocalPhrase`. Plain words are still read (see :func:`_words_as_phrase`).
PhraseText = Annotated[LocalPhrase, BeforeValidator(_words_as_phrase)]


def as_text(value: str | dict[str, Any] | None) -> dict[str, Any] | None:
    """A text as stored, in the shape :func:`said` reads: plain words (kept so before the
    text said its language) are the original in an undetermined language."""
    if isinstance(value, str):
        return {"original": value, "language": UNDETERMINED}
    return value


@dataclass(frozen=True)
class Said:
    """What to show a reader of one language: the words, the language they are in (None:
    not known), and, for a translation, who translated it (None: not known)."""

    words: str
    language: str | None
    translation: bool = False
    translated_by: str | None = None
    #: A translation's original language (None: not a translation, or not known).
    translated_from: str | None = None

    def foreign_to(self, lang: str) -> bool:
        """The words are in another language than ``lang`` (so they are marked)."""
        return self.language is not None and primary_language(self.language) != lang


def _translations_of(value: LocalText | dict[str, Any]) -> list[tuple[str, str, str | None]]:
    """(words, language, translator) of each translation, as recorded (read without
    validating: a page shows many texts, and what is recorded was checked when it was)."""
    if isinstance(value, LocalText):
        return [(t.text, t.language, t.translated_by) for t in value.translations]
    found = [
        (str(t.get("text") or ""), str(t.get("language") or UNDETERMINED), t.get("translated_by"))
        for t in value.get("translations") or ()
        if isinstance(t, dict)
    ]
    if value.get("translation"):  # the earlier shape (see LocalText)
        language = value.get("translation_language") or UNDETERMINED
        found.insert(0, (str(value["translation"]), str(language), None))
    return found


def said(value: LocalText | dict[str, Any] | None, lang: str) -> Said:
    """The one rule for showing a free text to a reader of ``lang``: the latest translation
    into ``lang`` when there is one (its exact tag first, else the same language in another
    region or script), else the original in its language; never a guess."""
    if value is None:
        return Said("", None)
    if isinstance(value, LocalText):
        original, language = value.original, value.language
    else:
        original, language = str(value.get("original") or ""), str(value.get("language") or "ar")
    if primary_language(language) != lang:
        translations = _translations_of(value)
        close = None
        for words, tag, by in reversed(translations):
            if not words:
                continue
            source = language if language != UNDETERMINED else None
            if tag == lang:
                return Said(words, tag, True, by, source)
            if close is None and primary_language(tag) == lang:
                close = Said(words, tag, True, by, source)
        if close is not None:
            return close
    return Said(original, language)
