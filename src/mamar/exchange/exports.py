"""Every export format, made for one reader: what the CLI and the API call."""

from __future__ import annotations

from dataclasses import dataclass

import orjson

from mamar.access.viewer import Viewer
from mamar.domain.errors import NotFound, SaidIn
from mamar.domain.model import Actor
from mamar.exchange import acled, cap, geojson, hxl, records, tracks
from mamar.system import Mamar
from mamar.web.i18n import tr

FORMATS = ("geojson", "hxl", "acled", "cap", "gpx", "kml")
HXL_TABLES = ("incidents", "convoys", "movements")


@dataclass(frozen=True)
class Export:
    content: bytes
    media_type: str
    suffix: str

    def filename(self, operation: str, name: str) -> str:
        return f"{operation}-{name}.{self.suffix}"


def make_export(
    system: Mamar,
    reader: Actor | Viewer,
    *,
    fmt: str,
    operation: str,
    lang: str = "en",
    of: str = "incidents",
    at_utc: str | None = None,
) -> Export:
    """The export ``fmt`` of ``operation`` holding only what ``reader`` may see."""
    if fmt not in FORMATS:
        raise SaidIn(
            "invalid_format",
            tr(lang, "Choose one of these formats: %(formats)s", formats=", ".join(FORMATS)),
            language=lang,
            field="format",
        )
    if fmt == "hxl" and of not in HXL_TABLES:
        raise SaidIn(
            "invalid_format",
            tr(lang, "Choose one of these tables: %(tables)s", tables=", ".join(HXL_TABLES)),
            language=lang,
            field="of",
        )
    with system.reading() as conn:
        try:
            seen = records.load(conn, viewer=reader, operation=operation, at_utc=at_utc)
        except NotFound:
            raise SaidIn(
                "not_found",
                tr(lang, "No operation '%(id)s' that this account may see", id=operation),
                language=lang,
            ) from None
    if fmt == "geojson":
        body = orjson.dumps(geojson.operation_geojson(seen))
        return Export(body, "application/geo+json", "geojson")
    if fmt == "hxl":
        table = {
            "incidents": hxl.incidents_csv,
            "convoys": hxl.convoys_csv,
            "movements": hxl.movements_csv,
        }[of](seen, lang)
        return Export(table.encode("utf-8"), "text/csv; charset=utf-8", "csv")
    if fmt == "acled":
        return Export(acled.incidents_csv(seen).encode("utf-8"), "text/csv; charset=utf-8", "csv")
    if fmt == "cap":
        return Export(cap.alerts_zip(seen), "application/zip", "zip")
    if fmt == "gpx":
        return Export(tracks.routes_gpx(seen, lang), "application/gpx+xml", "gpx")
    return Export(tracks.routes_kml(seen, lang), "application/vnd.google-earth.kml+xml", "kml")
