"""Choosing Arabic or English for a response from ``Accept-Language``."""

from __future__ import annotations

SUPPORTED = ("ar", "en")
DEFAULT = "en"


def choose_language(header: str | None) -> str:
    """The supported language the client prefers most (ties: the first listed)."""
    if not header:
        return DEFAULT
    best, best_q = DEFAULT, -1.0
    for part in header.split(","):
        tag, _, params = part.strip().partition(";")
        primary = tag.strip().lower().split("-")[0]
        quality = 1.0
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if primary in SUPPORTED and quality > best_q and quality > 0:
            best, best_q = primary, quality
    return best
