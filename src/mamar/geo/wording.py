"""Exposure in words (the catalogues' words, CLDR's units), and routes compared side by side."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from babel.units import format_unit

from mamar.geo.exposure import Exposure, PartyExposure
from mamar.web.i18n import N_, digits, ntr, tr

# Below this, a party's share of the route is not worth a sentence.
_MIN_STRETCH_M = 50.0


def _unit(value: float, measure: str, lang: str, pattern: str | None = None) -> str:
    return digits(format_unit(value, measure, length="short", format=pattern, locale=lang), lang)


def distance(metres: float, lang: str = "en") -> str:
    if metres >= 1000:
        return _unit(metres / 1000, "length-kilometer", lang, "#,##0.0")
    return _unit(round(metres), "length-meter", lang, "#,##0")


def duration(seconds: float, lang: str = "en") -> str:
    minutes = max(round(seconds / 60), 1)
    if minutes >= 60:
        h, m = divmod(minutes, 60)
        return tr(
            lang,
            "%(larger)s %(smaller)s",
            larger=_unit(h, "duration-hour", lang),
            smaller=_unit(m, "duration-minute", lang),
        )
    return _unit(minutes, "duration-minute", lang)


def _km_mark(metres: float, lang: str) -> str:
    return tr(lang, "km %(value)s", value=digits(f"{metres / 1000:.1f}", lang))


def _party_sentence(p: PartyExposure, name: str, lang: str) -> str:
    text = tr(
        lang,
        "%(length)s through areas controlled by %(party)s (about %(time)s)",
        length=distance(p.length_m, lang),
        party=name,
        time=duration(p.duration_s, lang),
    )
    longest = p.longest
    if longest is not None and len(p.stretches) > 1:
        text += tr(
            lang,
            "; longest continuous stretch %(length)s, from %(start)s to %(end)s",
            length=distance(longest.length_m, lang),
            start=_km_mark(longest.start_m, lang),
            end=_km_mark(longest.end_m, lang),
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
            tr(
                lang,
                "closest approach to the front line %(distance)s at %(mark)s (mean %(mean)s)",
                distance=d,
                mark=mark,
                mean=mean,
            )
        )
    if exposure.incidents:
        n = len(exposure.incidents)
        buffer = distance(exposure.incident_buffer_m, lang)
        hours = _unit(exposure.incident_hours, "duration-hour", lang, "#,##0.#")
        lines.append(
            ntr(
                lang,
                "%(n)s incident within %(buffer)s of the route in the previous %(hours)s",
                "%(n)s incidents within %(buffer)s of the route in the previous %(hours)s",
                n,
                buffer=buffer,
                hours=hours,
            )
        )
    return lines


def summary(exposure: Exposure, lang: str = "en") -> str:
    length = distance(exposure.length_m, lang)
    time = duration(exposure.duration_s, lang)
    speed = _unit(exposure.speed_kmh, "speed-kilometer-per-hour", lang, "#,##0.#")
    return tr(
        lang,
        "length %(length)s, about %(time)s at %(speed)s",
        length=length,
        time=time,
        speed=speed,
    )


@dataclass(frozen=True)
class Comparison:
    """Routes side by side: one column per route, one row per measure."""

    columns: tuple[str, ...]
    rows: tuple[tuple[str, tuple[str, ...]], ...]
    best: str | None  # the column with the least hostile (or controlled) length


_LABELS = {
    "length": N_("length"),
    "time": N_("time"),
    "hostile": N_("in hostile control"),
    "uncontrolled": N_("no recorded control"),
    "front_min": N_("closest to front line"),
    "front_mean": N_("mean distance to front line"),
    "incidents": N_("recent incidents nearby"),
}


def _label(key: str, lang: str) -> str:
    return tr(lang, _LABELS[key])


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
        row_label = tr(lang, "controlled by %(party)s", party=label)
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
    rows.append(
        (
            _label("incidents", lang),
            tuple(digits(str(len(e.incidents)), lang) for e in exposures),
        )
    )

    def risk(e: Exposure) -> tuple[float, float]:
        exposed = e.hostile_m if e.hostile_m is not None else sum(p.length_m for p in e.by_party)
        return exposed, e.length_m

    best = min(routes, key=lambda pair: risk(pair[1]))[0] if routes else None
    return Comparison(columns=columns, rows=tuple(rows), best=best)
