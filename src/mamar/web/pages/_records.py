"""Plain list and detail pages for records whose forms live on pages of their own."""

from __future__ import annotations

from typing import Any

from starlette.responses import Response

from mamar.web.page import View
from mamar.web.pages._shared import history
from mamar.web.pages.translations import translate_form


def render_list(
    v: View,
    title: str,
    items: list[dict[str, Any]],
    rows: list[dict[str, Any]],
    actions: list[tuple[str, str]],
) -> Response:
    """``rows``: ``href``, ``title``, ``status``, ``detail`` per item (presentation only)."""
    return v.render("records.html", {"items": items}, title=title, rows=rows, actions=actions)


def render_detail(
    v: View,
    kind: str,
    record: dict[str, Any],
    title: str,
    facts: list[tuple[str, str]],
    actions: list[tuple[str, str]],
) -> Response:
    data = {kind: record, "history": history(v, kind, record["id"])}
    offer = translate_form(v, kind, record)
    if offer is not None:  # its own page, reached from here
        actions = [*actions, (v.t("Add a translation"), offer["action"])]
    return v.render("record.html", data, title=title, facts=facts, actions=actions)
