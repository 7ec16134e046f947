"""What a reader sees on an Arabic page, and what in it is not Arabic.

Visible text is every text node outside ``<script>``/``<style>``/``<template>``,
plus the attributes a person reads (``placeholder``, ``title``, ``aria-label``,
``alt``, a button's ``value``). Text inside an element that declares its own
``lang`` other than Arabic is user data marked with its language, and is allowed.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any

from mamar.journal import store
from mamar.system import Mamar

_HIDDEN = {"script", "style", "template", "noscript"}
_VOID = {
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
    "source", "track", "wbr",
}  # fmt: skip
_READ_ATTRIBUTES = ("placeholder", "title", "aria-label", "alt")

LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z'’]*")
SNAKE = re.compile(r"\b[a-z]+(?:_[a-z0-9]+)+\b")
PYTHON = re.compile(r"\bNone\b|\{'|\bTrue\b|\bFalse\b")


class _Visible(HTMLParser):
    def __init__(self, lang: str) -> None:
        super().__init__(convert_charrefs=True)
        self.lang = lang
        self.stack: list[tuple[str, bool]] = []  # (tag, hidden or foreign)
        self.chunks: list[str] = []

    def _skipping(self) -> bool:
        return bool(self.stack) and self.stack[-1][1]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        lang = values.get("lang")
        skip = (
            self._skipping()
            or tag in _HIDDEN
            or (lang is not None and lang != self.lang and tag != "html")
            or "hidden" in values
        )
        if not skip:
            for name in _READ_ATTRIBUTES:
                if values.get(name):
                    self.chunks.append(str(values[name]))
            if (
                tag == "input"
                and values.get("type") in ("submit", "button")
                and values.get("value")
            ):
                self.chunks.append(str(values["value"]))
        if tag not in _VOID:
            self.stack.append((tag, skip))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in _VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                return

    def handle_data(self, data: str) -> None:
        if not self._skipping() and data.strip():
            self.chunks.append(data)


def visible_text(html: str, lang: str = "ar") -> str:
    """What a reader of a page in ``lang`` sees, elements marked in another language left out."""
    parser = _Visible(lang)
    parser.feed(html)
    parser.close()
    return "\n".join(parser.chunks)


def not_arabic(text: str) -> list[str]:
    """Latin-script words, snake_case names and Python values in ``text``."""
    found = [m.group(0) for m in PYTHON.finditer(text)]
    found += [m.group(0) for m in SNAKE.finditer(text)]
    found += [m.group(0) for m in LATIN_WORD.finditer(text)]
    return found


#: An IANA time zone ("Asia/Damascus") is an identifier, not the users' words: the CLI says
#: the zone in words, so it is not taken out of its output before the check.
ZONE = re.compile(r"[A-Z][A-Za-z]+/[A-Za-z_/+-]+")


def latin_strings(value: Any, out: set[str]) -> None:
    """Every string with a Latin letter in ``value`` (nested dicts and lists), into ``out``."""
    if isinstance(value, str):
        if LATIN_WORD.search(value):
            out.add(value)
    elif isinstance(value, dict):
        for item in value.values():
            latin_strings(item, out)
    elif isinstance(value, list | tuple):
        for item in value:
            latin_strings(item, out)


def texts_pattern(texts: set[str]) -> re.Pattern[str]:
    """Any of ``texts`` standing alone, the longest first (a text is taken out whole before
    any shorter one inside it)."""
    ordered = sorted((t for t in texts if len(t) > 1), key=len, reverse=True)
    if not ordered:
        return re.compile(r"(?!)")  # nothing to take out: matches nowhere
    return re.compile(
        "(?<![A-Za-z])(?:" + "|".join(re.escape(t) for t in ordered) + ")(?![A-Za-z])"
    )


def recorded_texts(system: Mamar) -> re.Pattern[str]:
    """Every text with Latin letters the users recorded (names, descriptions, phrases,
    identifiers, account names): user data, taken whole out of an output before its words
    are checked."""
    found: set[str] = set()
    with system.reading() as conn:
        for event in store.read_all(conn):
            values: set[str] = set()
            latin_strings([event.data, event.stream, event.actor, event.phrase], values)
            for value in values:
                if not ZONE.fullmatch(value):
                    found |= {value, *value.split(":")}  # "kind:id" streams: the id alone too
    return texts_pattern(found)


def offences(
    text: str, users: re.Pattern[str] | None, allowed: set[str] = frozenset()
) -> list[str]:
    """Python values, snake_case names and Latin words of ``text`` once the users' texts
    (``users``) are taken out, except the ``allowed`` words."""
    bad = PYTHON.findall(text) + SNAKE.findall(text)
    rest = users.sub(" ", text) if users is not None else text
    bad += [w for w in LATIN_WORD.findall(rest) if w not in allowed]
    return bad
