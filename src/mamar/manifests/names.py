"""Search keys for people's names that tolerate how Arabic names are spelt.

Two spellings of one name should give the same words: hamza and alef forms, taa
marbuta and haa, alef maqsura and yaa, diacritics and tatweel are merged
(:func:`mamar.geo.arabic.normalise_arabic`); compound names are written together
("عبد الله" and "عبدالله", "أبو بكر" and "ابوبكر"); the article before a family name
is dropped ("الحلبي", "حلبي"); "بن", "بنت", "ابن" between names are left out. A word's
*skeleton* (its letters without long vowels after the first) also matches spellings
one vowel apart ("سليمان", "سلمان"), ranked below an exact word. Latin spellings
are folded as place names are (:func:`mamar.geo.arabic.words`).
"""

from __future__ import annotations

import re

from mamar.geo.arabic import has_arabic, normalise_arabic, words

_SPLIT = re.compile(r"[\s\-_\".,;:/()'`’‘ʼʻʿʾ،]+")
_COMPOUND_HEADS = frozenset({"عبد", "ابو", "ابي", "ام"})
_LINKS = frozenset({"بن", "ابن", "بنت"})
_LONG_VOWELS = str.maketrans({"ا": None, "و": None, "ي": None})


def _strip_article(word: str) -> str:
    if word.startswith("ال") and len(word) >= 5:
        return word[2:]
    return word


def name_words(text: str) -> list[str]:
    """The folded words of a person's name (or of a place of origin)."""
    if not has_arabic(text):
        return [w for w in words(text) if w]
    raw = [w for w in _SPLIT.split(normalise_arabic(text)) if w]
    out: list[str] = []
    index = 0
    while index < len(raw):
        word = raw[index]
        if word in _LINKS:
            index += 1
            continue
        if word in _COMPOUND_HEADS and index + 1 < len(raw):
            word = word + raw[index + 1]
            index += 1
        elif word.startswith("ال"):
            word = _strip_article(word)
        out.append(word)
        index += 1
    return out


def skeleton(word: str) -> str:
    """The word without its long vowels after the first letter, nor a final haa."""
    if not word:
        return word
    rest = word[1:].translate(_LONG_VOWELS)
    if rest.endswith("ه") and len(rest) > 1:
        rest = rest[:-1]
    return word[0] + rest


def pair(first: str, second: str) -> str:
    """Two words of a name as one term, whichever order they were written in."""
    return " ".join(sorted((first, second)))


def name_terms(text: str) -> list[tuple[str, str]]:
    """Index terms of a name: each folded word (``n``) and its skeleton (``s``), and every
    two of its words together (``p``; their skeletons: ``q``). A search of two words or
    more looks up the pairs, which few people share, rather than the words, which
    thousands may share ("محمد")."""
    found = name_words(text)
    out: list[tuple[str, str]] = []
    for word in found:
        out.append(("n", word))
        out.append(("s", skeleton(word)))
    for i, first in enumerate(found):
        for second in found[i + 1 :]:
            out.append(("p", pair(first, second)))
            out.append(("q", pair(skeleton(first), skeleton(second))))
    return out


def origin_terms(text: str) -> list[tuple[str, str]]:
    return [("o", word) for word in name_words(text)]
