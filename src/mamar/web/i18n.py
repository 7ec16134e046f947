"""Arabic and English: Babel catalogs read at start-up, languages chosen per request.

The ``.po`` files are read directly (no compile step), so the two README
commands still set everything up.
"""

from __future__ import annotations

import io
from datetime import datetime
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel.dates import format_datetime
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

LOCALES = Path(__file__).parent / "locales"
LANGUAGES = ("ar", "en")
DEFAULT = "ar"
DIRECTION = {"ar": "rtl", "en": "ltr"}
LANG_COOKIE = "mamar_lang"


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


def tr(lang: str, message: str, **params: object) -> str:
    """``message`` in ``lang``, with ``%(name)s`` parameters filled in."""
    text = translations(lang).gettext(message)
    return text % params if params else text


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
    return format_datetime(moment, fmt, tzinfo=zone(tz), locale=lang)


def _parse(text: str) -> datetime | None:
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else None


def duration(seconds: float | None, lang: str) -> str:
    """Hours and minutes, e.g. "3 h 05 min" / "٣ س ٠٥ د"."""
    if seconds is None:
        return ""
    minutes = int(seconds // 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    if days:
        return tr(lang, "%(d)d d %(h)d h", d=days, h=hours)
    return tr(lang, "%(h)d h %(m)02d min", h=hours, m=mins)
