"""CSV with HXL hashtags (the Humanitarian Exchange Language): a header row for people,
then a row of hashtags for machines, then the data. Incidents, convoys and movements.

Hashtags are HXL's core ones (``#date``, ``#adm1``, ``#loc``, ``#geo``, ``#event``,
``#affected``, ``#targeted``, ``#reached``, ``#status``, ``#org``, ``#activity``,
``#description``, ``#meta``) with attributes (``+killed``, ``+name``, ``+lat``, ...);
our own attributes are lower-case words as HXL allows.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any

from mamar.domain.text import LocalText, said
from mamar.domain.time import Precision
from mamar.exchange.incident_rows import (
    ImportRefused,
    Names,
    Row,
    csv_lines,
    decimal,
    moment,
    require_columns,
    unknown_place,
    whole,
)
from mamar.exchange.records import Records
from mamar.incidents.events import Tally
from mamar.reports.overview import convoy_figures, known_number
from mamar.web.i18n import tr

#: (column header, hashtag) of each export.
INCIDENT_COLUMNS: tuple[tuple[str, str], ...] = (
    ("Incident", "#event+id"),
    ("Date", "#date+occurred"),
    ("Date precision", "#date+precision"),
    ("Area", "#adm1+name"),
    ("Place", "#loc+name"),
    ("Place id", "#loc+code"),
    ("Latitude", "#geo+lat"),
    ("Longitude", "#geo+lon"),
    ("Point of its own", "#geo+own"),
    ("Event type", "#event+type"),
    ("Sub-event type", "#event+type+sub"),
    ("Weapon", "#event+weapon"),
    ("Weapon, as said", "#event+weapon+detail"),
    ("Weapon, as said: language", "#event+weapon+detail+lang"),
    ("Weapon, as said: translation", "#event+weapon+detail+translation"),
    ("Weapon, as said: translation language", "#event+weapon+detail+translation+lang"),
    ("Alleged perpetrator", "#org+name+perpetrator"),
    ("Alleged perpetrator id", "#org+code+perpetrator"),
    ("Perpetrator confidence", "#meta+confidence"),
    ("Killed", "#affected+killed"),
    *(
        (f"Killed: {who.replace('_', ' ')}", f"#affected+killed+{who}")
        for who in ("civilians", "fighters", "medical", "civil_defence", "unknown")
    ),
    ("Injured", "#affected+injured"),
    *(
        (f"Injured: {who.replace('_', ' ')}", f"#affected+injured+{who}")
        for who in ("civilians", "fighters", "medical", "civil_defence", "unknown")
    ),
    ("Verification", "#status+verification"),
    ("Description", "#description"),
    ("Description language", "#description+lang"),
    ("Translation", "#description+translation"),
    ("Translation language", "#description+translation+lang"),
    ("Source", "#meta+source"),
    ("Source language", "#meta+source+lang"),
    ("Source translation", "#meta+source+translation"),
    ("Source translation language", "#meta+source+translation+lang"),
    ("Source kind", "#meta+source+type"),
    ("Convoy", "#activity+code"),
    ("By our own side", "#meta+own_side"),
    # What it did to humanitarian work, several separated by " | " (e.g. attack_on_convoy).
    ("Humanitarian impact", "#impact+type+humanitarian"),
)
CONVOY_COLUMNS: tuple[tuple[str, str], ...] = (
    ("Convoy", "#activity+code"),
    ("Name", "#activity+name"),
    ("Status", "#status"),
    ("Since", "#date+updated"),
    ("From", "#loc+name+origin"),
    ("To", "#loc+name+destination"),
    ("Route", "#meta+route"),
    ("Route version", "#meta+route+version"),
    ("Planned", "#targeted+ind"),
    ("Boarded", "#reached+ind+boarded"),
    ("Arrived", "#reached+ind+arrived"),
    ("Who is carried", "#meta+group"),
)
MOVEMENT_COLUMNS: tuple[tuple[str, str], ...] = (
    ("Convoy", "#activity+code"),
    ("Name", "#activity+name"),
    ("Date", "#date+occurred"),
    ("Status", "#status"),
    ("Place", "#loc+name"),
    ("Reason", "#description"),
    ("Incident", "#event+id"),
)


def table(columns: Sequence[tuple[str, str]], rows: Iterable[Sequence[object]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([c[0] for c in columns])
    writer.writerow([c[1] for c in columns])
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])
    return out.getvalue()


BREAKDOWN = ("civilians", "fighters", "medical", "civil_defence", "unknown")


def _tally(tally: Tally | None) -> tuple[int | None, ...]:
    """The total, then each category of the breakdown (empty where not known)."""
    if tally is None:
        return (None,) * (1 + len(BREAKDOWN))
    parts = tally.breakdown.model_dump() if tally.breakdown else {}
    return (tally.total, *(parts.get(who) for who in BREAKDOWN))


def _translation(text: LocalText, lang: str) -> tuple[str | None, str | None]:
    """The translation a reader of ``lang`` would be shown, else the first there is."""
    shown = said(text, lang)
    if shown.translation:
        return shown.words, shown.language
    first = text.translations[0] if text.translations else None
    return (first.text, first.language) if first else (None, None)


def _text(text: LocalText, lang: str) -> tuple[str | None, ...]:
    """A text's four columns: its original, the original's language, and the translation a
    reader of ``lang`` would be shown (else the first there is) with its language."""
    return (text.original, text.language, *_translation(text, lang))


def _said(
    words: str, language: str, translation: str = "", translation_language: str = ""
) -> dict[str, Any]:
    """Words read from a file, in the language its column beside them gives (files written
    before that column: English, as a description without its language is read), with the
    translation beside them if there is one."""
    found: dict[str, Any] = {"original": words, "language": language or "en"}
    if translation:
        other = "ar" if found["language"] == "en" else "en"
        found["translations"] = [{"text": translation, "language": translation_language or other}]
    return found


#: The columns beside a text's own: its language, its translation, the translation's language.
_BESIDE = ("lang", "translation", "translation+lang")


def incidents_csv(records: Records, lang: str = "en") -> str:
    area = records.operation.area or ""
    rows = []
    for i in records.incidents:
        point = records.incident_point(i)
        casualties = i.casualties
        # One perpetrator column: the one named on the report, else the most confident.
        main = i.main_allegation()
        rows.append(
            (
                i.id,
                i.occurred_at,
                records.precision.get(i.id, "exact"),
                area,
                records.place_name(i.place, lang) if i.place else None,
                i.place,
                point[1] if point else None,
                point[0] if point else None,
                "yes" if i.point is not None else None,
                i.event_type.value,
                i.sub_event_type.value if i.sub_event_type else None,
                i.weapon.value if i.weapon else None,
                *(_text(i.weapon_detail, lang) if i.weapon_detail else (None,) * 4),
                records.party_name(main.party, lang) if main else None,
                main.party if main else None,
                main.confidence.value if main else i.perpetrator_confidence.value,
                *_tally(casualties.killed),
                *_tally(casualties.injured),
                i.verification.value,
                i.description.original,
                i.description.language,
                *_translation(i.description, lang),
                *_text(i.source.text, lang),
                i.source.kind.value,
                i.convoy,
                "yes" if i.own_side else None,
                " | ".join(h.value for h in i.humanitarian) or None,
            )
        )
    return table(INCIDENT_COLUMNS, rows)


def convoys_csv(records: Records, lang: str = "en") -> str:
    """One row per convoy; a count is empty where it is not known (figures that differ
    give their lowest; the journal keeps every one, with its source)."""
    rows = []
    for c in records.convoys:
        counts = {k: known_number(t) for k, t in convoy_figures(c, None).items()}
        rows.append(
            (
                c.id,
                c.name.display(lang),
                c.status.value,
                c.history[-1].at if c.history else c.created_at,
                records.place_name(c.origin, lang) if c.origin else None,
                records.place_name(c.destination, lang) if c.destination else None,
                c.route,
                c.route_version,
                counts["planned"],
                counts["boarded"],
                counts["arrived"],
                c.group.value,
            )
        )
    return table(CONVOY_COLUMNS, rows)


def movements_csv(records: Records, lang: str = "en") -> str:
    """Every status a convoy took, in order: the movements."""
    rows = []
    # An incident named in a convoy's history is given only if the reader may see it.
    seen = {i.id for i in records.incidents}
    for c in records.convoys:
        for entry in c.history:
            rows.append(
                (
                    c.id,
                    c.name.display(lang),
                    entry.at,
                    entry.status.value,
                    records.place_name(entry.place, lang) if entry.place else None,
                    said(entry.reason, lang).words if entry.reason else None,
                    entry.incident if entry.incident in seen else None,
                )
            )
    rows.sort(key=lambda row: (str(row[2]), str(row[0])))
    return table(MOVEMENT_COLUMNS, rows)


# --- incidents from an HXL file ------------------------------------------------------


def _tag(text: str) -> tuple[str, frozenset[str]] | None:
    """``#org+name+perpetrator`` as (``org``, {``name``, ``perpetrator``}); None if no hashtag."""
    parts = text.strip().lower().split("+")
    if not parts[0].startswith("#") or len(parts[0]) < 2:
        return None
    return parts[0][1:], frozenset(p.strip() for p in parts[1:] if p.strip())


def _columns(hashtags: list[str]) -> dict[tuple[str, frozenset[str]], int]:
    found: dict[tuple[str, frozenset[str]], int] = {}
    for index, text in enumerate(hashtags):
        tag = _tag(text)
        if tag is not None:
            found.setdefault(tag, index)
    return found


def incident_rows(text: str, records: Records, lang: str) -> list[Row]:
    """The incidents of an HXL CSV (hashtag row anywhere in the first lines; columns in
    any order, matched by hashtag and attributes)."""
    from zoneinfo import ZoneInfo

    lines = list(csv_lines(text))
    tag_at = next(
        (
            i
            for i, (_, cells) in enumerate(lines[:25])
            if sum(_tag(c) is not None for c in cells) >= 2
        ),
        None,
    )
    if tag_at is None:
        raise ImportRefused(lang, None, None, tr(lang, "The file has no row of HXL hashtags"))
    header_line, hashtags = lines[tag_at]
    index = _columns(hashtags)
    # A column is named as its header says (the row above the hashtags), else by its hashtag.
    heads = lines[tag_at - 1][1] if tag_at > 0 else []
    title = {
        tag: (heads[i].strip() if i < len(heads) and heads[i].strip() else hashtags[i])
        for tag, i in index.items()
    }
    needed = ("#event+id", "#date+occurred", "#event+type", "#description")
    present = [text for text in needed if _tag(text) in index]
    require_columns(present, needed, lang, header_line)
    names = Names(records)
    points = records.points()
    zone = ZoneInfo(records.operation.timezone)
    rows: list[Row] = []
    for line, cells in lines[tag_at + 1 :]:
        if not any(c.strip() for c in cells):
            continue

        def cell(hashtag: str, cells: list[str] = cells) -> tuple[str, str]:
            tag = _tag(hashtag)
            assert tag is not None
            at = index.get(tag)
            value = cells[at] if at is not None and at < len(cells) else ""
            return value.strip(), title.get(tag, hashtag)

        row = Row(line)
        value, column = cell("#event+id")
        row.put("id", value, column)
        value, column = cell("#date+occurred")
        row.occurred = moment(value, lang, line, column, zone)
        precision, _ = cell("#date+precision")
        if precision in {p.value for p in Precision}:
            row.occurred = row.occurred.model_copy(update={"precision": Precision(precision)})
        for hashtag, name in (
            ("#event+type", "event_type"),
            ("#event+type+sub", "sub_event_type"),
            ("#event+weapon", "weapon"),
            ("#meta+confidence", "perpetrator_confidence"),
            ("#activity+code", "convoy"),
        ):
            value, column = cell(hashtag)
            if value:
                row.put(name, value, column)
        place_id, place_column = cell("#loc+code")
        place_name, name_column = cell("#loc+name")
        lat, lat_column = cell("#geo+lat")
        lon, lon_column = cell("#geo+lon")
        if place_id or place_name:
            found = names.place(place_id) if place_id else names.place(place_name)
            column = place_column if place_id else name_column
            if found is None and not (lat and lon):
                raise unknown_place(place_id or place_name, lang, line, column)
            if found is not None:
                row.put("place", found, column)
        if lat or lon:
            point = (decimal(lon, lang, line, lon_column), decimal(lat, lang, line, lat_column))
            # The place's point, repeated for readers of the file, is not one of its own.
            own, _ = cell("#geo+own")
            if own.casefold() in ("yes", "1", "true") or (
                not own and points.get(str(row.values.get("place"))) != point
            ):
                row.put("point", {"lat": point[1], "lon": point[0]}, lat_column)
        party_id, party_column = cell("#org+code+perpetrator")
        party_name, party_name_column = cell("#org+name+perpetrator")
        if party_id or party_name:
            column = party_column if party_id else party_name_column
            party = names.known_party(party_id or party_name, lang, line, column)
            row.put("alleged_perpetrator", party, column)
        casualties: dict[str, Any] = {}
        first_column = ""
        for which in ("killed", "injured"):
            total, column = cell(f"#affected+{which}")
            first_column = first_column or column
            if not total:
                continue
            tally: dict[str, Any] = {"total": whole(total, lang, line, column)}
            breakdown = {}
            for who in BREAKDOWN:
                part, part_column = cell(f"#affected+{which}+{who}")
                if part:
                    breakdown[who] = whole(part, lang, line, part_column)
            if breakdown:
                tally["breakdown"] = breakdown
            casualties[which] = tally
        row.put("casualties", casualties, first_column)
        original, column = cell("#description")
        language, _ = cell("#description+lang")
        translation, _ = cell("#description+translation")
        translation_language, _ = cell("#description+translation+lang")
        description: dict[str, Any] = {"original": original, "language": language or "en"}
        if translation:
            # Files written before the translation's language had a column of its own
            # held only Arabic and English.
            other = "ar" if description["language"] == "en" else "en"
            given = {"text": translation, "language": translation_language or other}
            description["translations"] = [given]
        row.put("description", description, column)
        own_side, column = cell("#meta+own_side")
        if own_side:
            row.put("own_side", own_side.casefold() in ("yes", "1", "true"), column)
        impacts, column = cell("#impact+type+humanitarian")
        if impacts:
            row.put("humanitarian", [x.strip() for x in impacts.split("|") if x.strip()], column)
        detail, column = cell("#event+weapon+detail")
        if detail:
            row.put(
                "weapon_detail",
                _said(detail, *(cell(f"#event+weapon+detail+{t}")[0] for t in _BESIDE)),
                column,
            )
        source, source_column = cell("#meta+source")
        kind, _ = cell("#meta+source+type")
        said_by = _said(source or "-", *(cell(f"#meta+source+{t}")[0] for t in _BESIDE))
        row.put("source", {"text": said_by, "kind": kind or "other"}, source_column)
        rows.append(row)
    return rows
