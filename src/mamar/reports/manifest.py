"""Printable manifests: one A4 page per vehicle, in Arabic (or English), with a QR code that
links back to the vehicle's manifest, for a checkpoint's paper check.

Laid out as the situation report is (:func:`mamar.reports.render.render_pdf`: WeasyPrint,
Pango shaping Arabic, fonts from Debian, nothing fetched). The QR code is drawn into the
page as SVG (segno); its link is the only URL in the document, and it is never fetched.
"""

from __future__ import annotations

import io
from datetime import datetime
from typing import Any

import segno
from markupsafe import Markup

from mamar.reports.render import TEMPLATES, render_pdf
from mamar.web import i18n
from mamar.web.render import make_environment


def qr_svg(link: str) -> Markup:
    """The QR code of ``link`` as an SVG element (drawn here from the link, no user text)."""
    out = io.BytesIO()
    segno.make(link, error="m").save(out, kind="svg", scale=3, xmldecl=False, svgclass="qr")
    return Markup(out.getvalue().decode("utf-8"))


def manifest_html(
    vehicles: list[dict[str, Any]],
    *,
    lang: str,
    convoy_name: str,
    timezone: str,
    made_at: datetime,
    words: dict[str, dict[str, str]],
    as_of: datetime | None = None,
) -> str:
    """Each vehicle (label, link, people as :meth:`mamar.reads.people.Person.as_json`) on
    a page of its own; ``as_of``: the manifests as they were at that moment (said on each
    page)."""
    env = make_environment(lang, [TEMPLATES])
    context = {
        "lang": lang,
        "dir": i18n.DIRECTION[lang],
        "vehicles": [{**v, "qr": qr_svg(v["link"])} for v in vehicles],
        "convoy_name": convoy_name,
        "made_at": i18n.when(made_at, lang, timezone, "short"),
        "as_of": i18n.when(as_of, lang, timezone, "medium") if as_of is not None else None,
        "words": words,
    }
    return env.get_template("manifest.html").render(context)


def manifest_pdf(vehicles: list[dict[str, Any]], **kwargs: Any) -> bytes:
    return render_pdf(manifest_html(vehicles, **kwargs))
