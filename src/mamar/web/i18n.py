"""The one language mechanism: the Babel catalogues, read at start-up, and CLDR formats.

Every word a person sees (pages, API messages, CLI output, PDF) is a message of
``locales/{ar,en}/LC_MESSAGES/messages.po``: ``tr`` (gettext), ``ptr`` (with a
context), ``ntr`` (plurals: Arabic has six forms). Numbers, dates, durations and
units follow CLDR for the language; the installation chooses Latin or
Arabic-Indic digits for Arabic (``MAMAR_DIGITS``). The ``.po`` files are read
directly (no compile step), so the two README commands still set everything up.
"""

from __future__ import annotations

import io
import re
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel.core import Locale
from babel.dates import format_datetime, get_timezone_gmt, get_timezone_name
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations
from babel.units import format_unit
from markupsafe import Markup, escape

LOCALES = Path(__file__).parent / "locales"
LANGUAGES = ("ar", "en")
DEFAULT = "ar"
DIRECTION = {"ar": "rtl", "en": "ltr"}
LANG_COOKIE = "mamar_lang"
#: Digits for Arabic text: "latn" (0-9, as most Syrian forms and phones write them) or
#: "arab" (Arabic-Indic ٠-٩). English always uses Latin digits.
DIGIT_SYSTEMS = ("latn", "arab")
_ARABIC_INDIC = str.maketrans("0123456789.,", "٠١٢٣٤٥٦٧٨٩٫٬")
_digits = ["latn"]


def set_digits(system: str) -> None:
    """The installation's choice of digits for Arabic (``MAMAR_DIGITS``)."""
    if system not in DIGIT_SYSTEMS:
        raise ValueError(f"digits must be one of {', '.join(DIGIT_SYSTEMS)}")
    _digits[0] = system


#: The locale a browser's ``Intl`` formats with, before the digits are chosen (English: the
#: day before the month and a 24-hour clock, as the server writes it).
_INTL = {"ar": "ar", "en": "en-GB"}


def intl_locale(lang: str) -> str:
    """The BCP 47 locale for the browser's ``Intl`` (dates drawn by the map's script), with
    the installation's digits: ``ar-u-nu-latn`` / ``ar-u-nu-arab`` / ``en-GB-u-nu-latn``."""
    system = _digits[0] if lang == "ar" else "latn"
    return f"{_INTL.get(lang, lang)}-u-nu-{system}"


def digits(text: str, lang: str) -> str:
    """A number, date or duration already written by CLDR, in the installation's digits."""
    if lang != "ar" or _digits[0] == "latn":
        return text
    return text.translate(_ARABIC_INDIC)


def N_(message: str) -> str:
    """Marks a message for extraction; it is translated where it is shown."""
    return message


@cache
def translations(lang: str) -> Translations:
    """The language's catalog as gettext translations (English: the msgids themselves)."""
    path = LOCALES / lang / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as handle:
        catalog = read_po(handle, locale=lang)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return Translations(fp=buffer)


def has_words(message: str) -> bool:
    """Whether the catalogues have words for ``message`` (English msgstr are left empty, so
    the Arabic catalogue is the one that tells)."""
    return bool(message) and translations(DEFAULT).gettext(message) != message


def tr(lang: str, message: str, **params: object) -> str:
    """``message`` in ``lang``, with ``%(name)s`` parameters filled in. A parameter that
    is markup (user text marked with its language) keeps its markup, the rest is escaped."""
    text = translations(lang).gettext(message)
    if any(isinstance(value, Markup) for value in params.values()):
        return Markup(escape(text)) % params
    return text % params if params else text


def ptr(lang: str, context: str, message: str, **params: object) -> str:
    """``message`` in ``lang`` as meant in ``context`` (e.g. a convoy's "cancelled")."""
    text = str(translations(lang).pgettext(context, message))
    return text % params if params else text


def ntr(lang: str, singular: str, plural: str, n: int, **params: object) -> str:
    """The plural form for ``n`` (Arabic: zero, one, two, few, many, other);
    ``%(n)s`` is ``n`` written in the installation's digits."""
    text = translations(lang).ngettext(singular, plural, n)
    return text % {"n": number(n, lang), **params}


def number(value: float, lang: str) -> str:
    """A number the language's way (CLDR), in the installation's digits."""
    from babel.numbers import format_decimal

    return digits(format_decimal(value, locale=lang), lang)


def numbers_written(params: dict[str, object], lang: str) -> dict[str, object]:
    """``params`` with every number (not a truth value) written by :func:`number`: a page's
    words never show a count in other digits than the reader's. A year is not a number to
    write this way (no grouping): pass it written, e.g. ``digits(str(year), lang)``."""
    return {
        name: number(value, lang)
        if isinstance(value, int | float) and not isinstance(value, bool)
        else value
        for name, value in params.items()
    }


def coordinate(value: float, lang: str) -> str:
    """A latitude or longitude in the language's decimal notation and the reader's digits
    (``36.158`` / ``٣٦٫١٥٨``), to the metre (five decimals at most), never grouped."""
    from babel.numbers import format_decimal

    return digits(format_decimal(value, format="0.#####", locale=lang), lang)


def point(lat: float, lon: float, lang: str) -> str:
    """A point as latitude then longitude, separated by the language's comma ("، " in
    Arabic): ``36.158, 37.145`` / ``٣٦٫١٥٨، ٣٧٫١٤٥``. The point fields read it back (digits
    and separators of either system)."""
    return tr(lang, ", ").join((coordinate(lat, lang), coordinate(lon, lang)))


def example_point(lang: str) -> str:
    """The point a field for latitude,longitude shows as an example (either digits read)."""
    return point(36.17, 37.13, lang)


def example_moment(lang: str) -> str:
    """The moment a date-and-time field shows as an example (either digits read)."""
    return digits("2016-12-15 05:00", lang)


def unit(
    value: float, measure: str, lang: str, length: Literal["short", "long", "narrow"] = "short"
) -> str:
    """``3.5 km`` / ``٣٫٥ كم``: a CLDR unit (``length-kilometer``, ``duration-hour``…)."""
    return digits(format_unit(value, measure, length=length, locale=lang), lang)


def zone_name(tz: str | None, lang: str) -> str:
    """The time zone in words ("توقيت سوريا"), never its IANA identifier. A fixed offset
    (``Etc/GMT-2``, whose POSIX sign is inverted) or UTC has no name: it is said as its
    offset from Greenwich ("غرينتش+02:00"), in the reader's digits."""
    found = zone(tz)
    if found.key.startswith("Etc/") or found.key == "UTC":
        return digits(get_timezone_gmt(datetime.now(found), locale=lang), lang)
    return get_timezone_name(found, locale=lang)


def other(lang: str) -> str:
    """The language a page offers to switch to."""
    return next(code for code in LANGUAGES if code != lang)


def autonym(lang: str) -> str:
    """A language's name in that language (CLDR): "العربية", "English"."""
    return str(Locale.parse(lang).get_display_name(lang))


def choose(query: str | None, cookie: str | None) -> str:
    """``?lang=`` first, then the remembered choice, then Arabic."""
    for candidate in (query, cookie):
        if candidate in LANGUAGES:
            return candidate
    return DEFAULT


def zone(name: str | None) -> ZoneInfo:
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def when(value: str | datetime | None, lang: str, tz: str | None, fmt: str = "medium") -> str:
    """A moment in the operation's time zone, written the language's way."""
    if value is None or value == "":
        return ""
    moment = value if isinstance(value, datetime) else _parse(value)
    if moment is None:
        return str(value)
    pattern = _PATTERNS.get((fmt, lang), fmt)
    written = format_datetime(moment, pattern, tzinfo=zone(tz), locale=lang)
    if fmt in _SHORT_ZONED:
        written = tr(lang, "%(time)s (%(zone)s)", time=written, zone=short_offset(moment, tz, lang))
    return digits(written, lang)


def short_offset(moment: datetime, tz: str | None, lang: str) -> str:
    """The zone's offset from Greenwich at ``moment``, short (CLDR's short localized GMT
    format, the ``O`` pattern Babel lacks): "غرينتش+2", "GMT+5:30", "GMT" for UTC itself;
    the map's script writes the same (``Intl``'s ``shortOffset``)."""
    shift = moment.astimezone(zone(tz)).utcoffset()
    minutes = int(shift.total_seconds() // 60) if shift is not None else 0
    hours, rest = divmod(abs(minutes), 60)
    written = f"{'-' if minutes < 0 else '+'}{hours}" + (f":{rest:02d}" if rest else "")
    return str(Locale.parse(lang).zone_formats["gmt"]) % (written if minutes else "")


#: Precisions known only to the day: no clock time is shown for them.
DAY_ONLY = frozenset({"day"})


def when_known(
    value: str | datetime | None, lang: str, tz: str | None, precision: str = "exact"
) -> str:
    """A moment in full as precisely as it is known: day, time and zone, or the day and
    zone alone when it is known only to the day (no invented "12:00")."""
    return when(value, lang, tz, "day" if precision in DAY_ONLY else "medium")


# Always with the time zone's offset (``GMT+02:00`` / ``غرينتش+02:00``): a time read
# off a page may be relayed by radio to someone in another zone.
_PATTERNS = {
    ("medium", "ar"): "d MMMM y، h:mm a (ZZZZ)",
    ("medium", "en"): "d MMMM y, HH:mm (ZZZZ)",
    ("day", "ar"): "d MMMM y (ZZZZ)",
    ("day", "en"): "d MMMM y (ZZZZ)",
    # Short (a list's line, a phone's width): the offset after it is short too (``short_offset``).
    ("short", "ar"): "d MMM، h:mm a",
    ("short", "en"): "d MMM, HH:mm",
    # One clock per language: CLDR's for Arabic (12-hour, ص/م), 24-hour for English.
    ("clock", "ar"): "h:mm a",
    ("clock", "en"): "HH:mm",
}
#: The formats written with the zone's short offset after them.
_SHORT_ZONED = frozenset({"short"})


def _parse(text: str) -> datetime | None:
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else None


def duration(seconds: float | None, lang: str) -> str:
    """Days, hours and minutes in CLDR's words: "3 hr, 5 min" / "٣ ساعات و٥ دقائق"."""
    if seconds is None:
        return ""
    minutes = max(int(seconds // 60), 0)
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    parts = [
        unit(amount, measure, lang, "long")
        for amount, measure in (
            (days, "duration-day"),
            (hours, "duration-hour"),
            (mins, "duration-minute"),
        )
        if amount
    ][:2]
    if not parts:
        return unit(0, "duration-minute", lang, "long")
    if len(parts) == 1:
        return parts[0]
    return tr(lang, "%(larger)s %(smaller)s", larger=parts[0], smaller=parts[1])


def without_word_before_name(text: str, word: str, lang: str) -> str:
    """``text`` without ``word`` (a kind of record: "القافلة", "convoy") where it comes right
    before a quoted name that begins with it, as the language joins a word to a name: in
    Arabic with or without its article, a preposition joined to it kept ("لقافلة «قافلة
    …»" → "لـ«قافلة …»"); in English with or without "the", in any case."""
    word = re.escape(word)
    if lang == "ar":
        word = word.removeprefix("ال")
        pattern = (
            rf"(?<![\w\u0600-\u06ff])(?:(ب)(?:ال)?|(ل)ل?|ال)?{word}\s*«"
            rf"(?=(?:\s*<[^>]+>)*\s*(?:ال)?{word}(?![\w\u0600-\u06ff]))"
        )
        return re.sub(pattern, lambda m: f"{m[1] or m[2]}ـ«" if m[1] or m[2] else "«", text)
    pattern = rf"\b(?:the )?{word}\s*“(?=(?:\s*<[^>]+>)*\s*(?:the )?{word}\b)"
    return re.sub(pattern, "“", text, flags=re.IGNORECASE)
