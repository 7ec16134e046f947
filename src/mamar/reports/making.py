"""Making a situation report for a reader: the one function the CLI and the API call."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from mamar import reads
from mamar.access.viewer import Viewer, viewer_of
from mamar.domain.errors import NotFound, SaidIn
from mamar.domain.model import Actor
from mamar.domain.time import now_utc
from mamar.reports.render import render_html, render_pdf
from mamar.reports.sitrep import Period, situation_report
from mamar.system import Mamar
from mamar.web.i18n import tr

MEDIA_TYPES = {"pdf": "application/pdf", "html": "text/html; charset=utf-8"}


@dataclass(frozen=True)
class SitrepRequest:
    operation: str | None
    at: datetime
    since: datetime | None = None
    lang: str = "ar"
    format: str = "pdf"


@dataclass(frozen=True)
class MadeReport:
    operation: str
    content: bytes
    media_type: str

    def filename(self, at: datetime, lang: str, fmt: str) -> str:
        return f"sitrep-{self.operation}-{at.strftime('%Y%m%dT%H%M')}-{lang}.{fmt}"


def make_sitrep(system: Mamar, reader: Actor | Viewer, request: SitrepRequest) -> MadeReport:
    """The report ``request`` asks for, as ``reader`` may see it; refused with a reason in
    the request's language when the period is backwards or the operation is not one the
    reader sees (said the same way whether it does not exist or is hidden)."""
    seer = viewer_of(reader)
    lang = request.lang
    if request.since is not None and request.since >= request.at:
        raise SaidIn(
            "invalid_period",
            tr(lang, "The period must start before it ends"),
            language=lang,
            field="from",
        )
    with system.reading() as conn:
        operation = request.operation
        if operation is None:
            ops = reads.visible_states(conn, viewer=seer, operation=None, kinds=["operation"])
            if not ops:
                raise SaidIn(
                    "no_operation",
                    tr(lang, "There is no operation yet"),
                    language=lang,
                    field="operation",
                )
            operation = ops[0].id
        try:
            report = situation_report(
                conn,
                viewer=seer,
                operation=operation,
                period=Period(at=request.at, since=request.since),
            )
        except NotFound:
            raise SaidIn(
                "not_found",
                tr(lang, "No operation '%(id)s' that this account may see", id=operation),
                language=lang,
            ) from None
    html = render_html(report, lang=lang, made_at=now_utc())
    if request.format == "html":
        return MadeReport(operation, html.encode("utf-8"), MEDIA_TYPES["html"])
    return MadeReport(operation, render_pdf(html), MEDIA_TYPES["pdf"])
