"""Exposure in words, Arabic and English, and routes compared side by side."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from mamar.geo.exposure import Exposure, PartyExposure

# Below this, a party's share of the route is not worth a sentence.
_MIN_STRETCH_M = 50.0


def distance(metres: float, lang: str = "en") -> str:
    if metres >= 1000:
        value = f"{metres / 1000:.1f}"
        return f"{value} كم" if lang == "ar" else f"{value} km"
    value = f"{round(metres):d}"
    return f"{value} م" if lang == "ar" else f"{value} m"


def duration(seconds: float, lang: str = "en") -> str:
    minutes = max(round(seconds / 60), 1)
    if minutes >= 60:
        h, m = divmod(minutes, 60)
        return f"{h} س {m} د" if lang == "ar" else f"{h} h {m} min"
    return f"{minutes} د" if lang == "ar" else f"{minutes} min"


def _km_mark(metres: float, lang: str) -> str:
    value = f"{metres / 1000:.1f}"
    return f"الكيلومتر {value}" if lang == "ar" else f"km {value}"


def _party_sentence(p: PartyExposure, name: str, lang: str) -> str:
    length = distance(p.length_m, lang)
    time = duration(p.duration_s, lang)
    longest = p.longest
    if lang == "ar":
        text = f"{length} عبر مناطق تسيطر عليها {name} (نحو {time})"
        if longest is not None and len(p.stretches) > 1:
            text += (
                f"؛ أطول مقطع متصل {distance(longest.length_m, lang)} من "
                f"{_km_mark(longest.start_m, lang)} إلى {_km_mark(longest.end_m, lang)}"
            )
        return text
    text = f"{length} through areas controlled by {name} (about {time})"
    if longest is not None and len(p.stretches) > 1:
        text += (
            f"; longest continuous stretch {distance(longest.length_m, lang)}, "
            f"from {_km_mark(longest.start_m, lang)} to {_km_mark(longest.end_m, lang)}"
        )
    return text


def risk_statements(
    exposure: Exposure, lang: str = "en", party_names: Mapping[str, str] | None = None
) -> list[str]:
    """The stretches that drive the risk, worst first, as sentences."""
    names = party_names or {}
    lines: list[str] = []
    parties = [p for p in exposure.by_party if p.length_m >= _MIN_STRETCH_M]
    if any(p.hostile is not None for p in parties):
        parties = [p for p in parties if p.hostile]
    for p in parties:
        lines.append(_party_sentence(p, names.get(p.party, p.party), lang))
    if exposure.front_min_m is not None and exposure.front_closest_along_m is not None:
        d = distance(exposure.front_min_m, lang)
        mark = _km_mark(exposure.front_closest_along_m, lang)
        mean = distance(exposure.front_mean_m or 0.0, lang)
        lines.append(
            f"أقرب نقطة إلى خط الجبهة {d} عند {mark} (المتوسط {mean})"
            if lang == "ar"
            else f"closest approach to the front line {d} at {mark} (mean {mean})"
        )
    if exposure.incidents:
        n = len(exposure.incidents)
        buffer = distance(exposure.incident_buffer_m, lang)
        hours = f"{exposure.incident_hours:g}"
        lines.append(
            f"{n} حوادث ضمن {buffer} من الطريق خلال {hours} ساعة السابقة"
            if lang == "ar"
            else f"{n} incident{'s' if n != 1 else ''} within {buffer} of the route "
            f"in the previous {hours} hours"
        )
    return lines


def summary(exposure: Exposure, lang: str = "en") -> str:
    length = distance(exposure.length_m, lang)
    time = duration(exposure.duration_s, lang)
    speed = f"{exposure.speed_kmh:g}"
    if lang == "ar":
        return f"الطول {length}، نحو {time} بسرعة {speed} كم/س"
    return f"length {length}, about {time} at {speed} km/h"


@dataclass(frozen=True)
class Comparison:
    """Routes side by side: one column per route, one row per measure."""

    columns: tuple[str, ...]
    rows: tuple[tuple[str, tuple[str, ...]], ...]
    best: str | None  # the column with the least hostile (or controlled) length


_LABELS = {
    "length": ("length", "الطول"),
    "time": ("time", "الوقت"),
    "hostile": ("in hostile control", "داخل مناطق معادية"),
    "uncontrolled": ("no recorded control", "دون سيطرة مسجلة"),
    "front_min": ("closest to front line", "أقرب مسافة لخط الجبهة"),
    "front_mean": ("mean distance to front line", "متوسط البعد عن خط الجبهة"),
    "incidents": ("recent incidents nearby", "حوادث قريبة حديثة"),
}


def _label(key: str, lang: str) -> str:
    en, ar = _LABELS[key]
    return ar if lang == "ar" else en


def compare(
    routes: Sequence[tuple[str, Exposure]],
    lang: str = "en",
    party_names: Mapping[str, str] | None = None,
) -> Comparison:
    names = party_names or {}
    columns = tuple(label for label, _ in routes)
    exposures = [e for _, e in routes]
    rows: list[tuple[str, tuple[str, ...]]] = [
        (_label("length", lang), tuple(distance(e.length_m, lang) for e in exposures)),
        (_label("time", lang), tuple(duration(e.duration_s, lang) for e in exposures)),
    ]
    if any(e.hostile_m is not None for e in exposures):
        rows.append(
            (
                _label("hostile", lang),
                tuple(distance(e.hostile_m or 0.0, lang) for e in exposures),
            )
        )
    parties = sorted({p.party for e in exposures for p in e.by_party})
    for party in parties:
        label = names.get(party, party)
        row_label = f"تسيطر عليها {label}" if lang == "ar" else f"controlled by {label}"
        cells = []
        for e in exposures:
            found = e.party(party)
            cells.append(distance(found.length_m if found else 0.0, lang))
        rows.append((row_label, tuple(cells)))
    rows.append(
        (_label("uncontrolled", lang), tuple(distance(e.uncontrolled_m, lang) for e in exposures))
    )
    if any(e.front_min_m is not None for e in exposures):
        rows.append(
            (
                _label("front_min", lang),
                tuple(
                    "-" if e.front_min_m is None else distance(e.front_min_m, lang)
                    for e in exposures
                ),
            )
        )
        rows.append(
            (
                _label("front_mean", lang),
                tuple(
                    "-" if e.front_mean_m is None else distance(e.front_mean_m, lang)
                    for e in exposures
                ),
            )
        )
    rows.append((_label("incidents", lang), tuple(str(len(e.incidents)) for e in exposures)))

    def risk(e: Exposure) -> tuple[float, float]:
        exposed = e.hostile_m if e.hostile_m is not None else sum(p.length_m for p in e.by_party)
        return exposed, e.length_m

    best = min(routes, key=lambda pair: risk(pair[1]))[0] if routes else None
    return Comparison(columns=columns, rows=tuple(rows), best=best)
