"""What a reader sees on an Arabic page, and what in it is not Arabic.

Visible text is every text node outside ``<script>``/``<style>``/``<template>``,
plus the attributes a person reads (``placeholder``, ``title``, ``aria-label``,
``alt``, a button's ``value``). Text inside an element that declares its own
``lang`` other than Arabic is user data marked with its language, and is allowed.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

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
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
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
            or (lang is not None and lang != "ar" and tag != "html")
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


def visible_text(html: str) -> str:
    parser = _Visible()
    parser.feed(html)
    parser.close()
    return "\n".join(parser.chunks)


def not_arabic(text: str) -> list[str]:
    """Latin-script words, snake_case names and Python values in ``text``."""
    found = [m.group(0) for m in PYTHON.finditer(text)]
    found += [m.group(0) for m in SNAKE.finditer(text)]
    found += [m.group(0) for m in LATIN_WORD.finditer(text)]
    return found
