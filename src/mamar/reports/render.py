"""A situation report as HTML (Jinja, the product's catalogues) and as PDF (WeasyPrint).

The PDF is laid out by WeasyPrint with Pango and HarfBuzz, which shape Arabic (joined
letters, right to left) with fonts installed from Debian packages (fonts-noto-core,
fonts-hosny-amiri). Nothing is fetched: the page has no link, image or font to load,
and the fetcher refuses every URL, so a report can be made on a laptop with no network.
"""

from __future__ import annotations

from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any

from babel.numbers import format_decimal
from jinja2 import Environment

from mamar.web import i18n
from mamar.web.render import local, make_environment

TEMPLATES = Path(__file__).parent / "templates"


class NoFetching(Exception):
    """A report asked for something from outside: it never may."""


@cache
def _environment(lang: str) -> Environment:
    env = make_environment(lang, [TEMPLATES])
    env.filters["number"] = lambda value: number(value, lang)
    return env


def number(value: int | float | None, lang: str) -> str:
    """A number written the language's way (CLDR, through Babel); empty when not known."""
    if value is None:
        return ""
    return format_decimal(value, locale=lang)


def render_html(report: dict[str, Any], *, lang: str, made_at: datetime) -> str:
    """The report as a standalone HTML document in ``lang``."""
    tz = str(report["operation"].get("timezone") or "UTC")

    def when(value: str | datetime | None, fmt: str = "medium") -> str:
        """A moment in full: a report is read far from the operation, and months later."""
        return i18n.when(value, lang, tz, fmt)

    def happened(value: str | None, precision: str = "exact") -> str:
        return i18n.when_known(value, lang, tz, precision)

    # The page footer, in the report's words, with the page counters CSS fills in.
    footer = i18n.tr(lang, "Page %(page)s of %(pages)s", page="\x00", pages="\x01")
    footer_css = '"' + footer.replace('"', "").replace("\x00", '" counter(page) "')
    footer_css = footer_css.replace("\x01", '" counter(pages) "') + '"'

    context = {
        "lang": lang,
        "dir": i18n.DIRECTION[lang],
        "r": report,
        "when": when,
        "happened": happened,
        "made_at": made_at,
        "footer_css": footer_css,
        # Who translated a text, by name (only organisations the reader may see).
        "name_of": lambda kind, entity_id: local(
            report.get("translators", {}).get(entity_id), lang
        ),
    }
    return _environment(lang).get_template("sitrep.html").render(context)


def _refuse(url: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
    raise NoFetching(url)


def render_pdf(html: str) -> bytes:
    """The HTML document as PDF bytes (fonts from the system, nothing fetched)."""
    from weasyprint import HTML  # imported here: loading Pango takes a moment

    pdf = HTML(string=html, url_fetcher=_refuse).write_pdf()
    assert pdf is not None
    return bytes(pdf)
