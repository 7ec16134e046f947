"""A refused form says so where the person lands: a summary at the top of the form.

Every page that shows a form again with messages beside its fields (``errors``) is given,
after it is rendered, a summary at the top of the form those messages are in: how many
problems, and a link to each field (its label and its message). The summary is focused
when the page opens (``autofocus``, no script needed; app.js focuses it too), so that on a
phone the refused page opens on it, not at the top of a long list above the form, and a
screen reader says it first. Without a message beside a field (a refusal of the whole
form), the page's own message at the top is where the page opens.

The fields are found in the page as rendered (``f-<name>`` inputs with their ``<label>``,
``<name>-error`` messages): every form template renders them so (macros.html and
_fields.html), so no page has to list its fields twice.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from markupsafe import Markup, escape

from mamar.web import i18n

GENERAL = "_general"
SUMMARY_ID = "problems"

_TAGS = re.compile(r"<[^>]+>")
_FORM_OPEN = re.compile(r"<form\b[^>]*>")
_LEGEND = re.compile(r"<legend>(.*?)</legend>", re.S)
_GENERAL_MESSAGE = '<p class="error" role="alert">'


def _text(html: str) -> str:
    words = _TAGS.sub("", html).replace("*", "")
    return " ".join(Markup(words).unescape().split()).rstrip(":：")


def _label(html: str, key: str, at: int) -> tuple[str, str]:
    """The field's id to link to and what it is called: the input its message describes
    (``aria-describedby``) and its ``<label>``, else the legend of the fieldset its message
    is in, else nothing (the message alone)."""
    error = f"{key.replace('.', '-')}-error"
    described = rf'aria-describedby="[^"]*\b{re.escape(error)}\b[^"]*"'
    for tag in re.finditer(rf"<(?:input|select|textarea)\b[^>]*{described}[^>]*>", html):
        ident = re.search(r'\bid="([^"]+)"', tag.group(0))
        if ident is None:
            continue
        field = ident.group(1)
        label = re.search(rf'<label for="{re.escape(field)}"[^>]*>(.*?)</label>', html, re.S)
        return field, _text(label.group(1)) if label else ""
    inside = html.rfind("<fieldset", 0, at) > html.rfind("</fieldset>", 0, at)
    legends = list(_LEGEND.finditer(html, html.rfind("<fieldset", 0, at), at)) if inside else []
    return error, _text(legends[-1].group(1)) if legends else ""


def with_summary(html: str, errors: Mapping[str, str], lang: str) -> str:
    """``html`` with the summary of ``errors`` at the top of the form they are in."""
    found: list[tuple[int, str, str, str]] = []
    for key, message in errors.items():
        if key == GENERAL or not message:
            continue
        at = html.find(f'id="{key.replace(".", "-")}-error"')
        if at < 0:
            continue
        target, label = _label(html, key, at)
        found.append((at, target, label, message))
    if not found:
        start = html.find(_GENERAL_MESSAGE)
        end = html.find("</p>", start) + len("</p>")
        if errors.get(GENERAL) and start >= 0 and end > start:  # the page's own message
            landing = f'<div id="{SUMMARY_ID}" tabindex="-1" autofocus>{html[start:end]}</div>'
            return html[:start] + landing + html[end:]
        return html
    found.sort()
    first = found[0][0]
    forms = [m for m in _FORM_OPEN.finditer(html, 0, first)]
    heading = i18n.ntr(
        lang,
        "There is %(n)s problem in this form:",
        "There are %(n)s problems in this form:",
        len(found),
    )
    links = []
    for _, target, label, message in found:
        said = (
            i18n.tr(lang, "%(field)s: %(problem)s", field=label, problem=message)
            if label
            else message
        )
        links.append(f'<li><a href="#{escape(target)}">{escape(said)}</a></li>')
    general = errors.get(GENERAL)
    if general:
        links.insert(0, f"<li>{escape(general)}</li>")
    summary = (
        f'<div class="error-summary" id="{SUMMARY_ID}" role="alert" tabindex="-1" autofocus>'
        f"<p>{escape(heading)}</p><ul>{''.join(links)}</ul></div>"
    )
    if forms:
        end = forms[-1].end()
        return html[:end] + summary + html[end:]
    heading_end = html.find("</h1>")
    if heading_end < 0:
        return html
    end = heading_end + len("</h1>")
    return html[:end] + summary + html[end:]
