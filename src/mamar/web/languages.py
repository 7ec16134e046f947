"""The languages a person may say a text is in, by their names in the page's language.

Offered beside every free text a form takes (the form kit's ``prose`` fields, and the
pages' own forms through the ``written_in`` macro): the languages most texts are in, and
"another language", whose code is typed beside it. Only a short list: a form of twenty texts
with every language CLDR names in each select weighed over half a megabyte, too much over a
satellite link from a besieged town. The translation form (one select) offers every language
CLDR names (through Babel).
"""

from __future__ import annotations

from functools import cache

from babel import Locale

from mamar.i18n.labels import tag_name
from mamar.web import i18n
from mamar.web.i18n import N_

#: Arabic written in Latin letters, as many messages from the field are ("Arabizi").
ARABIC_IN_LATIN = "ar-Latn"
ARABIC_IN_LATIN_NAME = N_("Arabic in Latin letters")
#: The choice that says the language is typed as a code beside the select.
OTHER = "other"
OTHER_NAME = N_("Another language (write its code)")
#: After the interface's two: the other official languages of the United Nations.
WIDELY_USED = ("fr", "ru", "es", "zh")


@cache
def language_options(lang: str) -> tuple[tuple[str, str], ...]:
    """Every language CLDR names, by its name in ``lang`` (through Babel), in that order."""
    names = Locale.parse(lang).languages
    found = {str(code): str(name) for code, name in names.items() if "_" not in str(code)}
    found.pop("und", None)
    return tuple(sorted(found.items(), key=lambda item: item[1].casefold()))


@cache
def usual_languages(lang: str) -> tuple[tuple[str, str], ...]:
    """The page's language, the other language of the interface, Arabic in Latin letters,
    then the other official languages of the United Nations: what almost every text typed
    in an operation is in."""
    names = dict(language_options(lang))
    first = [(code, names[code]) for code in (lang, i18n.other(lang))]
    rest = [(code, names[code]) for code in WIDELY_USED if code not in (lang, i18n.other(lang))]
    return (*first, (ARABIC_IN_LATIN, i18n.tr(lang, ARABIC_IN_LATIN_NAME)), *rest)


def written_in_options(lang: str, current: str = "") -> tuple[tuple[str, str], ...]:
    """The select's options, (value, name): the usual languages, then "another language".
    ``current``, a tag among neither (a text recorded as ``ar-SY``), is offered first so
    that it stays as it is unless another is chosen."""
    usual = usual_languages(lang)
    if current and current != OTHER and current not in dict(usual):
        usual = ((current, tag_name(current, lang)), *usual)
    return (*usual, (OTHER, i18n.tr(lang, OTHER_NAME)))
