"""Jinja2 environments (one per language) with the product's filters."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from jinja2 import Environment, FileSystemLoader, pass_context, select_autoescape
from jinja2.runtime import Context
from markupsafe import Markup
from pydantic import BaseModel

from mamar.domain.text import LocalText, Said, primary_language, said
from mamar.i18n.joined import NAME_FIELDS
from mamar.i18n.labels import (
    category_label,
    event_label,
    figure_words,
    kind_label,
    language_name,
    precision_label,
    status_label,
    total_parts,
    total_words,
)
from mamar.web import i18n
from mamar.web.languages import written_in_options

TEMPLATES = Path(__file__).parent / "templates"


def local(value: Any, lang: str) -> str:
    """A user's bilingual text (``{ar, en}`` or ``{original, translation}``) in ``lang`` if given."""
    return localised(value, lang)[0]


def localised(value: Any, lang: str) -> tuple[str, str | None]:
    """The text to show in ``lang`` and the language it is written in (None: not known)."""
    if isinstance(value, BaseModel):  # a free text, or a name given in Arabic and English
        value = value.model_dump()
    if isinstance(value, dict):
        if "original" in value:  # a free text: the one rule (domain.text.said)
            shown = said(value, lang)
            return shown.words, shown.language
        if value.get(lang):
            return str(value[lang]), lang
        for key in ("ar", "en"):
            if value.get(key):
                return str(value[key]), key
        return "", None
    return ("" if value is None else str(value)), None


#: Finds what a record is called (``View.name_of``): here, the translating organisation.
NameOf = Callable[[str, str | None], Any]


def translator_note(shown: Said, lang: str, name_of: NameOf | None = None) -> str:
    """The small words after a translation, in parentheses: from which language and by whom,
    as far as each is known (the translator only when the reader may see that organisation's
    name): "(translated from Arabic by the ICRC)", at least "(translated)"."""
    name = name_of("organisation", shown.translated_by) if name_of and shown.translated_by else None
    by = name if name and name != "—" else None
    source = _language(shown.translated_from, lang)
    if by and source:
        return i18n.tr(
            lang, "(translated from %(language)s by %(organisation)s)", language=source,
            organisation=by,
        )  # fmt: skip
    if by:
        return i18n.tr(lang, "(translated by %(organisation)s)", organisation=by)
    if source:
        return i18n.tr(lang, "(translated from %(language)s)", language=source)
    return i18n.tr(lang, "(translated)")


def _language(tag: str | None, lang: str) -> str | None:
    """CLDR's name of the language ``tag`` in ``lang``; None for one CLDR does not name."""
    name = language_name(tag, lang) if tag else None
    return name if name and name != tag else None


def marked(value: Any, lang: str, name_of: NameOf | None = None) -> Markup | str:
    """User text for a page in ``lang``. A free text shows its translation into ``lang``
    (with who translated it, in small type) or else its original marked with its language
    and ``dir="auto"`` inside ``<bdi>``; a name in another language is marked the same way."""
    if isinstance(value, LocalText):
        value = value.model_dump()
    if isinstance(value, Called):
        words: str = str(value)
        if not value.language:
            return words
        direction = i18n.DIRECTION.get(primary_language(value.language), "auto")
        return Markup('<bdi lang="{}" dir="{}">{}</bdi>').format(value.language, direction, words)
    if isinstance(value, dict) and "original" in value:
        shown = said(value, lang)
        if not shown.words:
            return ""
        if shown.translation:
            return Markup('{} <small class="translator">{}</small>').format(
                shown.words, translator_note(shown, lang, name_of)
            )
        if shown.language is None or not shown.foreign_to(lang):
            return shown.words
        return Markup('<bdi lang="{}" dir="auto">{}</bdi>').format(shown.language, shown.words)
    text, language = localised(value, lang)
    if not text or language is None or language == lang:
        return text
    direction = i18n.DIRECTION.get(language, "auto")
    return Markup('<bdi lang="{}" dir="{}">{}</bdi>').format(language, direction, text)


def quoted(value: Any, lang: str, name_of: NameOf | None = None) -> Markup | str:
    """A user's words quoted the page language's way (“…” / «…»), marked as :func:`marked`
    marks them; who translated them stays outside the quotation marks."""
    shown = marked(value, lang, name_of)
    if not shown:
        return ""
    text = str(shown) if isinstance(shown, Markup) else str(Markup.escape(shown))
    note = _TRANSLATOR_NOTE.search(text)
    words = text[: note.start()] if note else text
    said = Markup(i18n.tr(lang, "“%(text)s”", text=Markup(words)))
    return said + Markup(note.group(0)) if note else said


#: The small words :func:`marked` puts after a translation (see :func:`translator_note`).
_TRANSLATOR_NOTE = re.compile(r'\s*<small class="translator">.*?</small>', re.DOTALL)


#: A translator's note inside a quotation: “words <small…>note</small>”.
_NOTE_IN_QUOTES = re.compile(
    r'([“«][^”»<]*(?:<(?!small class="translator")[^>]*>[^”»<]*)*?)\s*'
    r'(<small class="translator">.*?</small>)([^”»]*[”»])',
    re.DOTALL,
)


def notes_after_quotes(text: Any) -> Any:
    """``text`` with each translator's note that fell inside a quotation (a sentence quoting
    a translated name) moved after it: the quotation holds only the quoted words."""
    if not isinstance(text, Markup) or "translator" not in text:
        return text
    return Markup(_NOTE_IN_QUOTES.sub(lambda m: f"{m[1].rstrip()}{m[3]} {m[2]}", str(text)))


#: A part :func:`marked` marks with its language (one the page is not in).
_FOREIGN = re.compile(r"<bdi lang=[^>]*>.*?</bdi>", re.DOTALL)

#: What the tab says in place of a name in another language.
LEFT_OUT = "…"


def total_figure(total: Any, lang: str) -> Markup:
    """A total set as a figure: the number large (the element's), for how many convoys it
    is not known beside it in the text's size (``.figure-note``)."""
    words, gap = total_parts(total, lang)
    if not gap:
        return Markup.escape(words)
    return Markup('{} <small class="figure-note">({})</small>').format(words, gap)


def page_title(title: Any, ref: str = "") -> str:
    """A page's ``<title>`` (a tab, a bookmark, a screen reader's first words): its heading as
    plain text, where a record's name is only its name: who translated it (or that it is a
    translation) stays beside the text in the page, not after the name in the tab. A title
    cannot mark a part with its language, and the whole is read in the page's: a name
    written only in another language is left out of the tab: the record's short reference
    (``ref``, "قافلة ٣") stands in its place, else "…"; the page's heading shows it, marked."""
    if isinstance(title, Markup):
        instead = Markup.escape(ref) if ref else LEFT_OUT
        words = _FOREIGN.sub(instead, _TRANSLATOR_NOTE.sub("", str(title)))
        return Markup(words).striptags()
    return Markup.escape(title).striptags()


_LATIN = re.compile(r"[A-Za-z]")
_ARABIC = re.compile(r"[\u0600-\u06ff]")
#: The language a name written only in Arabic letters is taken to be in.
ARABIC_SCRIPT = "ar"


def spelling(name: str) -> Markup | str:
    """A place name's spelling: one in Latin letters is Arabic written in Latin script
    (BCP 47 ``ar-Latn``), marked so on an Arabic page."""
    if _LATIN.search(name) and not _ARABIC.search(name):
        return Markup('<bdi lang="ar-Latn" dir="ltr">{}</bdi>').format(name)
    return name


def plain_name(name: Any, lang: str) -> Markup:
    """A name kept as plain text with no language of its own (an account's title) inside
    ``<bdi>``: one in Arabic letters on a page in another language is marked ``lang="ar"``;
    other scripts are not guessed at (``dir="auto"`` only)."""
    text = "" if name is None else str(name)
    written = ARABIC_SCRIPT if _ARABIC.search(text) and not _LATIN.search(text) else None
    if written and written != lang:
        direction = i18n.DIRECTION[written]
        return Markup('<bdi lang="{}" dir="{}">{}</bdi>').format(written, direction, text)
    return Markup('<bdi dir="auto">{}</bdi>').format(text)


class Called(str):
    """A record's name as plain text (a pick-list's option, a JSON twin) that knows the
    language it is written in when that is not the page's (``language``; None: the page's
    or not known). An ``<option>`` holds text only, never a ``<bdi>``: the option itself is
    marked (the ``|option_lang`` filter), and a sentence marks the name (``|local``)."""

    language: str | None

    def __new__(cls, words: str, language: str | None = None) -> Called:
        made = super().__new__(cls, words)
        made.language = language
        return made

    def saying(self, words: str) -> Called:
        """Other words (a short reference before the name) read in the name's language."""
        return Called(words, self.language)


def called_text(record: dict[str, Any], lang: str) -> Called:
    """:func:`called` as plain text (a pick-list's option, a JSON twin), with the language
    it is written in when that is not ``lang``."""
    for key in NAME_FIELDS:
        words, language = localised(record.get(key), lang)
        if words:
            foreign = language is not None and primary_language(language) != lang
            return Called(words, language if foreign else None)
    return Called("—")


def option_lang(label: Any) -> Markup:
    """The attributes of an ``<option>`` (or any element holding only text) whose words are
    in another language than the page's: `` lang=".." dir=".."``; nothing otherwise."""
    language = getattr(label, "language", None)
    if not language:
        return Markup("")
    direction = i18n.DIRECTION.get(primary_language(language), "auto")
    return Markup(' lang="{}" dir="{}"').format(language, direction)


def called(record: dict[str, Any], lang: str, name_of: NameOf | None = None) -> Markup | str:
    """What people call a record, in ``lang`` when it is given in it: its name, else
    its title, else what it says; marked with its language when that is another
    (:func:`marked`, who translated it named through ``name_of``). Never its id (ids are
    generated)."""
    for key in NAME_FIELDS:
        if local(record.get(key), lang):
            return marked(record.get(key), lang, name_of)
    return "—"


def evidence_url(kind: str, entity_id: str) -> str:
    """The evidence bundle of a record (and what it links to), for the signed-in reader."""
    return "/api/v1/evidence?" + urlencode({"entity": f"{kind}:{entity_id}"})


def _numbers_in_words(env: Environment, lang: str) -> None:
    """The templates' ``_()`` and ``ngettext()`` write a number given to a message the
    language's way, in the reader's digits (:func:`i18n.numbers_written`), as ``View.t`` does:
    ``_("Person %(n)s", n=2)`` is "الشخص ٢" with Arabic-Indic digits."""
    gettext: Callable[..., Any] = env.globals["gettext"]  # type: ignore[assignment]
    ngettext: Callable[..., Any] = env.globals["ngettext"]  # type: ignore[assignment]

    @pass_context
    def numbered_gettext(context: Context, string: str, **variables: Any) -> Any:
        return gettext(context, string, **i18n.numbers_written(variables, lang))

    @pass_context
    def numbered_ngettext(
        context: Context, singular: str, plural: str, num: int, **variables: Any
    ) -> Any:
        words = i18n.numbers_written({"num": num, **variables}, lang)
        return ngettext(context, singular, plural, num, **words)

    env.globals.update(_=numbered_gettext, gettext=numbered_gettext, ngettext=numbered_ngettext)


def make_environment(lang: str, directories: list[Path]) -> Environment:
    env = Environment(
        loader=FileSystemLoader([str(d) for d in directories]),
        autoescape=select_autoescape(["html"]),
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.install_gettext_translations(i18n.translations(lang), newstyle=True)  # type: ignore[attr-defined]
    _numbers_in_words(env, lang)

    @pass_context
    def local_filter(context: Context, value: Any) -> Markup | str:
        return marked(value, lang, context.get("name_of"))

    env.filters["local"] = local_filter

    def quoted_filter(context: Context, value: Any) -> Markup | str:
        return quoted(value, lang, context.get("name_of"))

    env.filters["quoted"] = pass_context(quoted_filter)
    env.filters["event"] = lambda value: event_label(str(value), lang)
    env.filters["status"] = lambda value: status_label(str(value), lang)
    env.filters["precision"] = lambda value: precision_label(str(value), lang)
    env.filters["kind"] = lambda value: kind_label(str(value), lang)
    env.filters["category"] = lambda value: category_label(str(value), lang)
    env.filters["spelling"] = spelling
    env.filters["plain_name"] = lambda value: plain_name(value, lang)
    env.filters["page_title"] = page_title
    env.filters["option_lang"] = option_lang
    env.filters["called_text"] = lambda value: called_text({"name": value}, lang)
    env.filters["duration"] = lambda value: i18n.duration(value, lang)
    env.filters["zone"] = lambda value: i18n.zone_name(str(value), lang)
    env.filters["figure"] = lambda value: figure_words(value, lang)
    env.filters["total"] = lambda value: total_words(value, lang)
    env.filters["total_figure"] = lambda value: total_figure(value, lang)
    env.filters["number"] = lambda value: i18n.number(value, lang)
    env.filters["digits"] = lambda value: i18n.digits(str(value), lang)  # a year, as written
    env.filters["point"] = lambda value: i18n.point(value["lat"], value["lon"], lang)
    # The examples a point field and a moment field show (typed in either digits).
    env.globals["example_point"] = lambda: i18n.example_point(lang)
    env.globals["example_moment"] = lambda: i18n.example_moment(lang)
    env.globals["evidence_url"] = evidence_url
    # The languages offered beside a free text (the ``written_in`` macro), and a tag's name.
    env.globals["written_in_options"] = lambda current: written_in_options(lang, str(current))
    return env


class Renderer:
    """Templates in every language; other packages may add template directories first."""

    def __init__(self) -> None:
        self.directories = [TEMPLATES]
        self._envs: dict[str, Environment] = {}

    def add_directory(self, directory: Path) -> None:
        self.directories.insert(0, directory)
        self._envs.clear()

    def env(self, lang: str) -> Environment:
        if lang not in self._envs:
            self._envs[lang] = make_environment(lang, self.directories)
        return self._envs[lang]

    def render(self, lang: str, template: str, context: dict[str, Any]) -> str:
        return self.env(lang).get_template(template).render(context)
