"""Routes for drivers' navigation apps: GPX 1.1 and KML 2.2, one route per version.

Every version is given, each named with its number and whether it is the current one,
so a driver cannot mistake a superseded line (whose approvals no longer hold) for the
one agreed. Names are in the language asked for, the other one when it is missing.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from mamar.domain.text import said
from mamar.exchange.records import Records
from mamar.routes.model import RouteState
from mamar.web.i18n import tr

GPX_NS = "http://www.topografix.com/GPX/1/1"
KML_NS = "http://www.opengis.net/kml/2.2"


def _version_name(route: RouteState, version: int, lang: str) -> str:
    key = (
        "%(route)s — version %(n)s (current)"
        if version == route.current_version
        else "%(route)s — version %(n)s (superseded)"
    )
    return tr(lang, key, route=route.name.display(lang), n=version)


def _xml(root: ET.Element) -> bytes:
    ET.indent(root)
    return bytes(ET.tostring(root, encoding="utf-8", xml_declaration=True)) + b"\n"


def routes_gpx(records: Records, lang: str) -> bytes:
    ET.register_namespace("", GPX_NS)
    root = ET.Element(f"{{{GPX_NS}}}gpx", {"version": "1.1", "creator": "Mamar"})
    metadata = ET.SubElement(root, f"{{{GPX_NS}}}metadata")
    ET.SubElement(metadata, f"{{{GPX_NS}}}name").text = records.operation.name.display(lang)
    for route in records.routes:
        for version in route.versions:
            rte = ET.SubElement(root, f"{{{GPX_NS}}}rte")
            ET.SubElement(rte, f"{{{GPX_NS}}}name").text = _version_name(
                route, version.version, lang
            )
            if version.note:
                ET.SubElement(rte, f"{{{GPX_NS}}}desc").text = said(version.note, lang).words
            ET.SubElement(rte, f"{{{GPX_NS}}}number").text = str(version.version)
            for point in version.waypoints:
                rtept = ET.SubElement(
                    rte, f"{{{GPX_NS}}}rtept", {"lat": f"{point.lat}", "lon": f"{point.lon}"}
                )
                label = said(point.label, lang).words if point.label else None
                if not label and point.place:
                    label = records.place_name(point.place, lang)
                if label:
                    ET.SubElement(rtept, f"{{{GPX_NS}}}name").text = label
    return _xml(root)


def routes_kml(records: Records, lang: str) -> bytes:
    ET.register_namespace("", KML_NS)
    root = ET.Element(f"{{{KML_NS}}}kml")
    document = ET.SubElement(root, f"{{{KML_NS}}}Document")
    ET.SubElement(document, f"{{{KML_NS}}}name").text = records.operation.name.display(lang)
    for route in records.routes:
        folder = ET.SubElement(document, f"{{{KML_NS}}}Folder")
        ET.SubElement(folder, f"{{{KML_NS}}}name").text = route.name.display(lang)
        for version in route.versions:
            mark = ET.SubElement(
                folder, f"{{{KML_NS}}}Placemark", {"id": f"{route.id}-v{version.version}"}
            )
            ET.SubElement(mark, f"{{{KML_NS}}}name").text = _version_name(
                route, version.version, lang
            )
            ET.SubElement(mark, f"{{{KML_NS}}}visibility").text = (
                "1" if version.version == route.current_version else "0"
            )
            if version.note:
                ET.SubElement(mark, f"{{{KML_NS}}}description").text = said(
                    version.note, lang
                ).words
            data = ET.SubElement(mark, f"{{{KML_NS}}}ExtendedData")
            for name, value in (
                ("route", route.id),
                ("version", str(version.version)),
                ("current", "1" if version.version == route.current_version else "0"),
            ):
                item = ET.SubElement(data, f"{{{KML_NS}}}Data", {"name": name})
                ET.SubElement(item, f"{{{KML_NS}}}value").text = value
            line = ET.SubElement(mark, f"{{{KML_NS}}}LineString")
            ET.SubElement(line, f"{{{KML_NS}}}tessellate").text = "1"
            ET.SubElement(line, f"{{{KML_NS}}}coordinates").text = " ".join(
                f"{w.lon},{w.lat},0" for w in version.waypoints
            )
    return _xml(root)
