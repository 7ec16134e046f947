"""The languages a person may say a text is in, by their names in the page's language.

Offered beside every free text a form takes (the form kit's ``prose`` fields, and the
pages' own forms through the ``written_in`` macro) and by the translation form: the
languages most texts are in first, then every language CLDR names (through Babel).
"""

from __future__ import annotations

from functools import cache, lru_cache

from babel import Locale

from mamar.i18n.labels import tag_name
from mamar.web import i18n
from mamar.web.i18n import N_

#: Arabic written in Latin letters, as many messages from the field are ("Arabizi").
ARABIC_IN_LATIN = "ar-Latn"
ARABIC_IN_LATIN_NAME = N_("Arabic in Latin letters")
#: The names of the two groups of the select.
USUAL = N_("Usual languages")
EVERY = N_("Every language")


@cache
def language_options(lang: str) -> tuple[tuple[str, str], ...]:
    """Every language CLDR names, by its name in ``lang`` (through Babel), in that order."""
    names = Locale.parse(lang).languages
    found = {str(code): str(name) for code, name in names.items() if "_" not in str(code)}
    found.pop("und", None)
    return tuple(sorted(found.items(), key=lambda item: item[1].casefold()))


@cache
def usual_languages(lang: str) -> tuple[tuple[str, str], ...]:
    """The page's language, the other language of the interface, and Arabic in Latin
    letters: what almost every text typed in an operation is in."""
    names = dict(language_options(lang))
    first = [(code, names[code]) for code in (lang, i18n.other(lang))]
    return (*first, (ARABIC_IN_LATIN, i18n.tr(lang, ARABIC_IN_LATIN_NAME)))


@lru_cache(maxsize=256)  # keyed by what a form sent back too: bounded
def written_in_options(
    lang: str, current: str = ""
) -> tuple[tuple[str, tuple[tuple[str, str], ...]], ...]:
    """The select's groups, (label, options): the usual languages, then every other.
    ``current``, a tag offered in neither (a text recorded as ``ar-SY``), is offered first
    so that it stays as it is unless another is chosen."""
    usual = usual_languages(lang)
    taken = {code for code, _name in usual}
    rest = tuple(p for p in language_options(lang) if p[0] not in taken)
    if current and current not in taken and current not in dict(rest):
        usual = ((current, tag_name(current, lang)), *usual)
    return ((i18n.tr(lang, USUAL), usual), (i18n.tr(lang, EVERY), rest))
