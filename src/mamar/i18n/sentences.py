"""The timeline told in sentences: one sentence per event, in the reader's language.

Each event type (or family of types) has its own catalogue message, whole sentences
rather than stitched fragments, so that Arabic agrees in gender and number
("انطلقت قافلة «…» من العامرية"). Records are named, never shown by id; the figures an
event carries are in the sentence. The web timeline and ``mamar timeline`` use the same
:func:`sentence`; they differ only in how user text is shown (:class:`Speaker`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

from markupsafe import Markup

from mamar.i18n.joined import JOINED, NAME_FIELDS, joined_refs
from mamar.i18n.labels import (
    RECORD_KINDS,
    category_label,
    event_label,
    figure_words,
    kind_label,
    language_name,
    status_label,
)
from mamar.web.i18n import DAY_ONLY, N_, number, tr, when, without_word_before_name


def _plain(value: Any, lang: str) -> str:
    from mamar.web.render import local

    if isinstance(value, dict):
        return local(value, lang)
    return "" if value is None else str(value)


@dataclass
class Speaker:
    """Who the sentences are for: the language, the time zone, the names of the records the
    reader may see (``kind:id`` → the record's JSON) and the organisation of each account
    that recorded something. ``show`` turns a user's text into what is printed (plain text
    for a terminal; text marked with its language, escaped, for a page)."""

    lang: str
    timezone: str = "UTC"
    records: Mapping[str, dict[str, Any]] = field(default_factory=dict)
    organisation: Callable[[str], Any] = lambda actor: None
    show: Callable[[Any, str], Any] = _plain

    def say(self, message: str, /, **params: Any) -> Any:
        return tr(self.lang, message, **params)

    def go_on(self, message: str, /, sentence: Any, **params: Any) -> Any:
        """``message`` continuing ``sentence`` ("%(sentence)s; …"): a full stop that ends it
        (a user's text ending one) is dropped first, so that no "." runs into a "؛"."""
        return self.say(message, sentence=unstopped(sentence), **params)

    def text(self, value: Any, limit: int = 160) -> Any:
        """A user's text (bilingual, one language with its translation, or plain)."""
        if isinstance(value, str) and len(value) > limit:
            value = value[: limit - 1] + "…"
        if isinstance(value, dict):
            for key in ("original", "translation", "ar", "en"):
                words = value.get(key)
                if isinstance(words, str) and len(words) > limit:
                    value = {**value, key: words[: limit - 1] + "…"}
            translations = value.get("translations")
            if isinstance(translations, list | tuple):
                value = {
                    **value,
                    "translations": [self._shortened(t, limit) for t in translations],
                }
        return self.show(value, self.lang)

    @staticmethod
    def _shortened(translation: Any, limit: int) -> Any:
        words = translation.get("text") if isinstance(translation, dict) else None
        if isinstance(words, str) and len(words) > limit:
            return {**translation, "text": words[: limit - 1] + "…"}
        return translation

    def record(self, kind: str, entity_id: Any) -> dict[str, Any] | None:
        if not isinstance(entity_id, str):
            return None
        return self.records.get(f"{kind}:{entity_id}")

    def name(self, kind: str, entity_id: Any) -> Any:
        """What the record is called ("—" if the reader may not see it)."""
        found = self.record(kind, entity_id)
        if found is None:
            return "—"
        if kind in JOINED:  # no name of its own: the records it joins
            names = {f: self.name(k, i) for f, (k, i) in joined_refs(kind, found).items()}
            return self.say(JOINED[kind][0], **names)
        for key in NAME_FIELDS:
            value = found.get(key)
            if value and isinstance(value, (dict, str)):
                return self.text(value, 80)
        return "—"

    def ref(self, value: Any) -> Any:
        """A reference ``{"kind", "id"}`` by the name of what it points to."""
        if isinstance(value, dict) and "kind" in value:
            return self.name(str(value["kind"]), value.get("id"))
        return "—"

    def names(self, kind: str, ids: Iterable[Any]) -> Any:
        return self.join([self.name(kind, i) for i in ids or ()])

    def join(self, items: list[Any]) -> Any:
        if not items:
            return "—"
        joined = items[0]
        for item in items[1:]:
            joined = self.say("%(a)s, %(b)s", a=joined, b=item)
        return joined

    def number(self, value: Any) -> str:
        return number(value, self.lang) if isinstance(value, (int, float)) else "—"

    def time(self, value: Any) -> str:
        """A moment a sentence names (an appointment, a window): day, time and zone."""
        return when(value, self.lang, self.timezone, "medium") if value else "—"


#: A full stop (Latin, Arabic, Urdu's) ending a text, before any closing tags of a page.
_FINAL_STOP = re.compile(r"\s*[.\u06d4]+(?=(?:\s*</[a-z]+>)*\s*$)")


def unstopped(text: Any) -> Any:
    """``text`` without the full stop that ends it (an ellipsis or a question mark stays)."""
    if isinstance(text, Markup):
        return Markup(_FINAL_STOP.sub("", str(text), count=1))
    if isinstance(text, str) and not text.endswith(".."):
        return _FINAL_STOP.sub("", text, count=1)
    return text


#: Record kinds whose name often begins with the kind's own word ("قافلة الحافلات…", "طريق
#: الخروج", "اتفاق وقف إطلاق النار", "the Exit route agreement"): the sentence drops its word.
NAMED_KINDS = ("convoy", "route", "agreement", "side")


def without_repeated_kind(text: Any, lang: str) -> Any:
    """``text`` where a kind's word right before a quoted name that begins with the same
    word is left out: "قافلة «قافلة الحافلات»" → "«قافلة الحافلات»", "convoy “Convoy of
    buses”" → "“Convoy of buses”" (a preposition joined to the word stays: "لـ«…»"). How a
    word joins a name is the language's grammar, kept with the language mechanism
    (:func:`mamar.web.i18n.without_word_before_name`)."""
    before = str(text)
    after = before
    for kind in NAMED_KINDS:
        after = without_word_before_name(after, tr(lang, RECORD_KINDS[kind]).strip(), lang)
    if after == before:
        return text
    return Markup(after) if isinstance(text, Markup) else after[:1].upper() + after[1:]


def speaker_for(
    conn: Any,
    viewer: Any,
    lang: str,
    timezone: str = "UTC",
    show: Callable[[Any, str], Any] = _plain,
    at_utc: str | None = None,
) -> Speaker:
    """A :class:`Speaker` knowing the records ``viewer`` may see (as they were at ``at_utc``)
    and the organisation of each account that recorded something."""
    from mamar import reads
    from mamar.access.viewer import viewer_of
    from mamar.domain.model import kind_of
    from mamar.projections.entities import current

    seer = viewer_of(viewer)
    records = {
        f"{kind_of(state)}:{state.id}": seer.redact(state)
        for state in reads.visible_states(conn, viewer=viewer, operation=None, at_utc=at_utc)
    }
    known: dict[str, Any] = {}

    def organisation(actor: str) -> Any:
        """The name of the organisation of the account ``actor`` (None: the system, or an
        organisation the viewer may not see)."""
        if actor not in known:
            found = current(conn, f"account:{actor}") if actor != "system" else None
            org = getattr(found[0], "organisation", None) if found else None
            named = records.get(f"organisation:{org}")
            known[actor] = None if named is None else show(named.get("name"), lang)
        return known[actor]

    return Speaker(lang, timezone, records, organisation, show)


class _RecordsRead(Mapping[str, dict[str, Any]]):
    """The records a speaker names, read one by one through the viewer when first needed
    (a record page names a few; reading every record for it would cost more)."""

    def __init__(self, read: Callable[[str, str], dict[str, Any] | None]) -> None:
        self._read = read
        self._known: dict[str, dict[str, Any] | None] = {}

    def __getitem__(self, key: str) -> dict[str, Any]:
        if key not in self._known:
            kind, _, entity_id = key.partition(":")
            self._known[key] = self._read(kind, entity_id)
        found = self._known[key]
        if found is None:
            raise KeyError(key)
        return found

    def __iter__(self) -> Iterator[str]:
        return iter([k for k, v in self._known.items() if v is not None])

    def __len__(self) -> int:
        return sum(1 for v in self._known.values() if v is not None)


def speaker_reading(
    reading: Callable[[], AbstractContextManager[Any]],
    viewer: Any,
    lang: str,
    timezone: str = "UTC",
    show: Callable[[Any, str], Any] = _plain,
    at_utc: str | None = None,
) -> Speaker:
    """A :class:`Speaker` that reads each record it names when first needed, through
    ``viewer`` (``reading`` opens a connection: the system's ``reading``)."""
    from mamar import reads
    from mamar.domain.errors import DomainError
    from mamar.projections.entities import current

    def read(kind: str, entity_id: str) -> dict[str, Any] | None:
        try:
            with reading() as conn:
                return reads.get_entity(
                    conn, viewer=viewer, kind=kind, entity_id=entity_id, at_utc=at_utc
                )
        except DomainError:
            return None

    records = _RecordsRead(read)
    known: dict[str, Any] = {}

    def organisation(actor: str) -> Any:
        if actor not in known:
            found = None
            if actor != "system":
                with reading() as conn:
                    found = current(conn, f"account:{actor}")
            org = getattr(found[0], "organisation", None) if found else None
            named = records.get(f"organisation:{org}") if org else None
            known[actor] = None if named is None else show(named.get("name"), lang)
        return known[actor]

    return Speaker(lang, timezone, records, organisation, show)


def clock(moment: str, speaker: Speaker) -> str:
    """The hour and minute in the operation's zone, on the language's one clock ("٢:٠٥ م"):
    CLDR's 12-hour one for Arabic, the 24-hour one for English (``web.i18n``)."""
    return when(moment, speaker.lang, speaker.timezone, "clock")


def day(moment: str, speaker: Speaker) -> str:
    """The day in the operation's zone ("١٥ ديسمبر ٢٠١٦")."""
    return when(moment, speaker.lang, speaker.timezone, "d MMMM y")


def offset(moment: str, speaker: Speaker) -> str:
    """The zone's offset from Greenwich at ``moment``, as CLDR writes it ("غرينتش+02:00"):
    unambiguous, summer time or not."""
    return when(moment, speaker.lang, speaker.timezone, "ZZZZ")


def zone_words(moment: str, speaker: Speaker) -> Any:
    """The operation's zone at ``moment``: CLDR's name for it and its offset ("توقيت سوريا،
    غرينتش+02:00"); only the offset for a zone CLDR does not name (UTC, a fixed offset)."""
    named = when(moment, speaker.lang, speaker.timezone, "vvvv")
    shift = offset(moment, speaker)
    if not named or named == shift or speaker.timezone.startswith("Etc/"):
        return shift
    return speaker.say("%(name)s, %(offset)s", name=named, offset=shift)


def day_heading(moment: str, speaker: Speaker) -> Any:
    """A day of the timeline with the zone its times are in ("١٤ ديسمبر ٢٠١٦ (توقيت سوريا،
    غرينتش+02:00)")."""
    return speaker.say(
        "%(day)s (%(zone)s)", day=day(moment, speaker), zone=zone_words(moment, speaker)
    )


def moment_words(moment: str, speaker: Speaker, precision: str = "exact") -> Any:
    """A moment in full: day, time (none when known only to the day) and zone."""
    if precision in DAY_ONLY:
        return speaker.say(
            "%(day)s (%(zone)s)", day=day(moment, speaker), zone=offset(moment, speaker)
        )
    return speaker.say(
        "%(day)s, %(time)s (%(zone)s)",
        day=day(moment, speaker),
        time=clock(moment, speaker),
        zone=offset(moment, speaker),
    )


def told(
    entry: Any,
    speaker: Speaker,
    order: str = "occurred",
    *,
    full: bool = False,
    zoned: bool = False,
) -> Any:
    """ "٢:٠٥ م — <sentence> (<organisation>)": the time, the sentence and who recorded it.

    The time is when it happened, or with ``order="recorded"`` when it was recorded. An
    event known only to the day has no clock time. ``full``: the day and the zone too (a
    line read alone, as in ``mamar timeline``); ``zoned``: the zone's offset after the time
    (a line whose zone is not its day heading's)."""
    from mamar.web.render import notes_after_quotes

    said = notes_after_quotes(sentence(entry, speaker))
    organisation = speaker.organisation(entry.actor)
    if organisation:
        said = speaker.go_on(
            "%(sentence)s (recorded by %(organisation)s)", sentence=said, organisation=organisation
        )
    recorded = order == "recorded"
    moment = entry.recorded_at if recorded else entry.occurred_at
    precision = "exact" if recorded else entry.precision
    if full:
        time = moment_words(moment, speaker, precision)
    elif precision in DAY_ONLY:
        return said
    elif zoned:
        time = speaker.say(
            "%(time)s (%(zone)s)", time=clock(moment, speaker), zone=offset(moment, speaker)
        )
    else:
        time = clock(moment, speaker)
    return speaker.say("%(time)s — %(sentence)s", time=time, sentence=said)


def when_happened(entry: Any, speaker: Speaker) -> Any:
    """ "Happened on <day>, <time> (<zone>)": when a recorded event happened, in full (only
    the day when it is known only to the day)."""
    return speaker.say(
        "Happened on %(happened)s",
        happened=moment_words(entry.occurred_at, speaker, entry.precision),
    )


Builder = Callable[[Speaker, dict[str, Any], str, Any], Any]
_BUILDERS: dict[str, Builder] = {}


def _says(*types: str) -> Callable[[Builder], Builder]:
    def register(builder: Builder) -> Builder:
        for type_name in types:
            _BUILDERS[type_name] = builder
        return builder

    return register


def _says_with_name(messages: dict[str, str], placeholder: str) -> None:
    """Event types whose sentence needs only the record's name (as ``placeholder``)."""

    def saying(message: str) -> Builder:
        def build(s: Speaker, data: dict[str, Any], entity_id: str, name: Any) -> Any:
            return s.say(message, **{placeholder: name})

        return build

    for type_name, message in messages.items():
        _BUILDERS[type_name] = saying(message)


def has_sentence(type_name: str) -> bool:
    """Whether the type has a sentence of its own (else the generic one)."""
    return type_name in _BUILDERS


def sentence(entry: Any, speaker: Speaker) -> Any:
    """The event ``entry`` (a timeline entry, or its JSON) as one sentence in the speaker's
    language."""
    if isinstance(entry, dict):
        entry = SimpleNamespace(**entry)
    kind, entity_id, data = entry.kind, entry.entity_id, entry.data
    name = speaker.name(kind, entity_id)
    builder = _BUILDERS.get(entry.type)
    if builder is not None:
        said = builder(speaker, data, entity_id, name)
        if said is not None:
            return without_repeated_kind(said, speaker.lang)
    return speaker.say(
        "%(kind)s %(name)s: %(event)s",
        kind=kind_label(kind, speaker.lang),
        name=name,
        event=event_label(entry.type, speaker.lang),
    )


# --- Records coming into being -----------------------------------------------------------

_REGISTERED = {
    "operation.opened": N_("Operation “%(name)s” opened"),
    "account.created": N_("Account “%(name)s” created"),
    "organisation.registered": N_("Organisation “%(name)s” recorded"),
    "party.registered": N_("Party “%(name)s” recorded"),
    "place.registered": N_("Place “%(name)s” recorded"),
    "issue.raised": N_("Negotiation issue raised: “%(name)s”"),
    "front_line.recorded": N_("Front line recorded: “%(name)s”"),
    "person.registered": N_("Person recorded: %(name)s"),
}

_says_with_name(_REGISTERED, "name")


@_says("side.formed")
def _side(s: Speaker, data: dict[str, Any], entity_id: str, name: Any) -> Any:
    return s.say(
        "Side “%(name)s” formed: %(members)s",
        name=name,
        members=s.names("party", data.get("members") or []),
    )


@_says("control_area.recorded")
def _area(s: Speaker, data: dict[str, Any], entity_id: str, name: Any) -> Any:
    return s.say(
        "Area of control of %(party)s recorded: “%(name)s”",
        party=s.name("party", data.get("party")),
        name=name,
    )


# --- Convoys ---------------------------------------------------------------------------

#: A convoy's status: (with the place, without it).
_CONVOY_STATUS: dict[str, tuple[str, str]] = {
    "preparing": (
        N_("Convoy “%(name)s” is being prepared at %(place)s"),
        N_("Convoy “%(name)s” is being prepared"),
    ),
    "staged": (
        N_("Convoy “%(name)s” gathered at %(place)s"),
        N_("Convoy “%(name)s” gathered at its staging point"),
    ),
    "loading": (
        N_("People are boarding convoy “%(name)s” at %(place)s"),
        N_("People are boarding convoy “%(name)s”"),
    ),
    "departed": (
        N_("Convoy “%(name)s” set off from %(place)s"),
        N_("Convoy “%(name)s” set off"),
    ),
    "halted": (
        N_("Convoy “%(name)s” stopped at %(place)s"),
        N_("Convoy “%(name)s” stopped"),
    ),
    "under_fire": (
        N_("Convoy “%(name)s” reported gunfire near %(place)s"),
        N_("Convoy “%(name)s” reported coming under fire"),
    ),
    "attacked": (
        N_("Convoy “%(name)s” was attacked near %(place)s"),
        N_("Convoy “%(name)s” was attacked"),
    ),
    "turned_back": (
        N_("Convoy “%(name)s” turned back at %(place)s"),
        N_("Convoy “%(name)s” turned back"),
    ),
    "postponed": (
        N_("Convoy “%(name)s” postponed, at %(place)s"),
        N_("Convoy “%(name)s” postponed"),
    ),
    "arrived": (
        N_("Convoy “%(name)s” arrived at %(place)s"),
        N_("Convoy “%(name)s” arrived"),
    ),
    "cancelled": (
        N_("Convoy “%(name)s” cancelled, at %(place)s"),
        N_("Convoy “%(name)s” cancelled"),
    ),
}


@_says("convoy.status_changed")
def _convoy_status(s: Speaker, data: dict[str, Any], entity_id: str, name: Any) -> Any:
    status = str(data.get("status"))
    messages = _CONVOY_STATUS.get(status)
    if messages is None:
        return s.say(
            "Convoy “%(name)s” is now %(status)s", name=name, status=status_label(status, s.lang)
        )
    if data.get("place") and s.record("place", data["place"]) is not None:
        return s.say(messages[0], name=name, place=s.name("place", data["place"]))
    return s.say(messages[1], name=name)


@_says("convoy.planned")
def _convoy_planned(s: Speaker, data: dict[str, Any], entity_id: str, name: Any) -> Any:
    origin, destination = (
        s.name("place", data.get("origin")),
        s.name("place", data.get("destination")),
    )
    planned = (data.get("counts") or {}).get("planned")
    if isinstance(planned, int):
        return s.say(
            "Convoy “%(name)s” planned from %(origin)s to %(destination)s; people planned: %(n)s",
            name=name,
            origin=origin,
            destination=destination,
            n=s.number(planned),
        )
    return s.say(
        "Convoy “%(name)s” planned from %(origin)s to %(destination)s",
        name=name,
        origin=origin,
        destination=destination,
    )


@_says("convoy.route_assigned")
def _convoy_route(s: Speaker, data: dict[str, Any], entity_id: str, name: Any) -> Any:
    return s.say(
        "Convoy “%(name)s” will take route “%(route)s”",
        name=name,
        route=s.name("route", data.get("route")),
    )


@_says("convoy.counts_recorded")
def _convoy_counts(s: Speaker, data: dict[str, Any], entity_id: str, name: Any) -> Any:
    counts = data.get("counts") or {}
    return s.say(
        "Counts of convoy “%(name)s”: on board %(boarded)s, arrived %(arrived)s",
        name=name,
        boarded=s.number(counts.get("boarded")),
        arrived=s.number(counts.get("arrived")),
    )


@_says("convoy.escort_added")
def _convoy_escort(s: Speaker, data: dict[str, Any], entity_id: str, name: Any) -> Any:
    escort = data.get("escort") or {}
    return s.say(
        "Escort added to convoy “%(name)s”: %(party)s, vehicles: %(n)s",
        name=name,
        party=s.name("party", escort.get("party")),
        n=s.number(escort.get("vehicles")),
    )


@_says("convoy.wait_recorded")
def _convoy_wait(s: Speaker, data: dict[str, Any], entity_id: str, name: Any) -> Any:
    return s.say(
        "Convoy “%(name)s” waits for convoy “%(other)s”",
        name=name,
        other=s.name("convoy", data.get("waits_for")),
    )


@_says("convoy.wait_ended")
def _convoy_wait_ended(s: Speaker, data: dict[str, Any], entity_id: str, name: Any) -> Any:
    return s.say(
        "Convoy “%(name)s” no longer waits for convoy “%(other)s”",
        name=name,
        other=s.name("convoy", data.get("waits_for")),
    )


@_says("convoy.stop_reached")
def _convoy_stop_reached(s: Speaker, data: dict[str, Any], entity_id: str, name: Any) -> Any:
    return s.say(
        "Convoy “%(name)s” reached %(place)s", name=name, place=s.name("place", data.get("place"))
    )


@_says("convoy.stop_left")
def _convoy_stop_left(s: Speaker, data: dict[str, Any], entity_id: str, name: Any) -> Any:
    return s.say(
        "Convoy “%(name)s” left %(place)s", name=name, place=s.name("place", data.get("place"))
    )


_FIGURES = {
    "planned": N_("Convoy “%(name)s”, %(group)s: planned %(figure)s"),
    "boarded": N_("Convoy “%(name)s”, %(group)s: on board %(figure)s"),
    "stayed": N_("Convoy “%(name)s”, %(group)s: stayed behind %(figure)s"),
    "arrived": N_("Convoy “%(name)s”, %(group)s: arrived %(figure)s"),
    "handed_over": N_("Convoy “%(name)s”, %(group)s: handed over %(figure)s"),
}


@_says("convoy.figure_reported")
def _convoy_figure(s: Speaker, data: dict[str, Any], entity_id: str, name: Any) -> Any:
    message = _FIGURES.get(str(data.get("count")))
    if message is None:
        return None
    figure = data.get("figure") or {}
    said = s.say(
        message,
        name=name,
        group=s.say(str(data.get("group") or "evacuees")),
        figure=figure_words(figure, s.lang),
    )
    if data.get("stop") and s.record("place", data["stop"]) is not None:
        said = s.go_on(
            "%(sentence)s, at %(place)s", sentence=said, place=s.name("place", data["stop"])
        )
    if isinstance(figure, dict) and figure.get("source"):
        said = s.go_on(
            "%(sentence)s; source: %(source)s", sentence=said, source=s.text(figure["source"])
        )
    return said


@_says("convoy.cargo_recorded")
def _convoy_cargo(s: Speaker, data: dict[str, Any], entity_id: str, name: Any) -> Any:
    cargo = data.get("cargo") or {}
    what = s.text(cargo.get("kind"))
    quantity = figure_words(cargo.get("quantity"), s.lang)
    unit = s.text(cargo.get("unit")) if cargo.get("unit") else ""
    if cargo.get("delivered_at") and s.record("place", cargo["delivered_at"]) is not None:
        return s.say(
            "Aid carried by convoy “%(name)s”: %(what)s, %(quantity)s %(unit)s, delivered at %(place)s",
            name=name,
            what=what,
            quantity=quantity,
            unit=unit,
            place=s.name("place", cargo["delivered_at"]),
        )
    return s.say(
        "Aid carried by convoy “%(name)s”: %(what)s, %(quantity)s %(unit)s",
        name=name,
        what=what,
        quantity=quantity,
        unit=unit,
    )


# --- Agreements and ceasefires ---------------------------------------------------------


@_says("agreement.drafted")
def _agreement_drafted(s: Speaker, data: dict[str, Any], entity_id: str, name: Any) -> Any:
    return s.say(
        "Agreement “%(name)s” drafted; parties: %(parties)s",
        name=name,
        parties=s.names("party", data.get("parties") or []),
    )


@_says("agreement.concluded")
def _agreement_concluded(s: Speaker, data: dict[str, Any], entity_id: str, name: Any) -> Any:
    return s.say("Agreement “%(name)s” concluded", name=name)


@_says("agreement.version_adopted")
def _agreement_version(s: Speaker, data: dict[str, Any], entity_id: str, name: Any) -> Any:
    return s.say("A new version of agreement “%(name)s” adopted", name=name)


@_says("agreement.roles_named")
def _agreement_roles(s: Speaker, data: dict[str, Any], entity_id: str, name: Any) -> Any:
    guarantors = data.get("guarantors") or []
    if guarantors:
        return s.say(
            "Roles in agreement “%(name)s” named; guarantors: %(guarantors)s",
            name=name,
            guarantors=s.names("party", guarantors),
        )
    return s.say("Roles in agreement “%(name)s” named", name=name)


@_says("agreement.fulfilment_recorded")
def _agreement_fulfilment(s: Speaker, data: dict[str, Any], entity_id: str, name: Any) -> Any:
    done, of = data.get("done"), data.get("of")
    if isinstance(done, int) and isinstance(of, int):
        return s.say(
            "Fulfilment of agreement “%(name)s” recorded: %(done)s of %(of)s",
            name=name,
            done=s.number(done),
            of=s.number(of),
        )
    return s.say("Fulfilment of a term of agreement “%(name)s” recorded", name=name)


@_says("agreement.phase_changed")
def _agreement_phase(s: Speaker, data: dict[str, Any], entity_id: str, name: Any) -> Any:
    message = (
        N_("Phase %(n)s of agreement “%(name)s” completed")
        if data.get("status") == "completed"
        else N_("Phase %(n)s of agreement “%(name)s” started")
    )
    return s.say(message, n=s.number(data.get("phase")), name=name)


@_says("agreement.convoys_assigned")
def _agreement_convoys(s: Speaker, data: dict[str, Any], entity_id: str, name: Any) -> Any:
    return s.say(
        "Convoys assigned to phase %(n)s of agreement “%(name)s”: %(convoys)s",
        n=s.number(data.get("phase")),
        name=name,
        convoys=s.names("convoy", data.get("convoys") or []),
    )


@_says("agreement.status_changed")
def _agreement_status(s: Speaker, data: dict[str, Any], entity_id: str, name: Any) -> Any:
    return s.say(
        "Agreement “%(name)s” is now %(status)s",
        name=name,
        status=status_label(str(data.get("status")), s.lang),
    )


@_says("ceasefire.declared")
def _ceasefire_declared(s: Speaker, data: dict[str, Any], entity_id: str, name: Any) -> Any:
    if data.get("starts_at"):
        return s.say(
            "Ceasefire declared in %(area)s, from %(start)s",
            area=name,
            start=s.time(data["starts_at"]),
        )
    return s.say("Ceasefire declared in %(area)s", area=name)


_CEASEFIRE = {
    "ceasefire.took_effect": N_("The ceasefire in %(area)s took effect"),
    "ceasefire.restored": N_("The ceasefire in %(area)s was restored"),
    "ceasefire.expired": N_("The ceasefire in %(area)s expired"),
}

_says_with_name(_CEASEFIRE, "area")


@_says("ceasefire.suspended")
def _ceasefire_suspended(s: Speaker, data: dict[str, Any], entity_id: str, name: Any) -> Any:
    if data.get("reason"):
        return s.say(
            "The ceasefire in %(area)s was suspended: %(reason)s",
            area=name,
            reason=s.text(data["reason"]),
        )
    return s.say("The ceasefire in %(area)s was suspended", area=name)


@_says("ceasefire.violated")
def _ceasefire_violated(s: Speaker, data: dict[str, Any], entity_id: str, name: Any) -> Any:
    if data.get("incident") and s.record("incident", data["incident"]) is not None:
        return s.say(
            "A violation of the ceasefire in %(area)s recorded: %(incident)s",
            area=name,
            incident=s.name("incident", data["incident"]),
        )
    return s.say("A violation of the ceasefire in %(area)s recorded", area=name)


# --- Incidents, escalations, guarantees -------------------------------------------------


@_says("incident.reported")
def _incident(s: Speaker, data: dict[str, Any], entity_id: str, name: Any) -> Any:
    category = category_label(str(data.get("event_type") or "other"), s.lang)
    if data.get("place") and s.record("place", data["place"]) is not None:
        said = s.say(
            "Incident reported near %(place)s (%(category)s): %(what)s",
            place=s.name("place", data["place"]),
            category=category,
            what=name,
        )
    else:
        said = s.say("Incident reported (%(category)s): %(what)s", category=category, what=name)
    if data.get("alleged_perpetrator"):
        said = s.go_on(
            "%(sentence)s; alleged perpetrator: %(party)s",
            sentence=said,
            party=s.name("party", data["alleged_perpetrator"]),
        )
    casualties = data.get("casualties") or {}
    if isinstance(casualties.get("killed"), int) or isinstance(casualties.get("injured"), int):
        said = s.go_on(
            "%(sentence)s; killed: %(killed)s, injured: %(injured)s",
            sentence=said,
            killed=s.number(casualties.get("killed")),
            injured=s.number(casualties.get("injured")),
        )
    return said


@_says("incident.breach_linked")
def _incident_breach(s: Speaker, data: dict[str, Any], entity_id: str, name: Any) -> Any:
    breach = data.get("breach") or {}
    return s.say(
        "Incident “%(name)s” linked to a breached term of agreement “%(agreement)s”",
        name=name,
        agreement=s.name("agreement", breach.get("agreement")),
    )


def _escalated_to(s: Speaker, entity_id: str) -> Any:
    found = s.record("escalation", entity_id) or {}
    return s.name("party", found.get("to_party"))


@_says("escalation.raised")
def _escalation_raised(s: Speaker, data: dict[str, Any], entity_id: str, name: Any) -> Any:
    return s.say(
        "A referral to %(party)s raised: %(words)s",
        party=s.name("party", data.get("to_party")),
        words=s.text(data.get("message")),
    )


@_says("escalation.response_recorded")
def _escalation_answer(s: Speaker, data: dict[str, Any], entity_id: str, name: Any) -> Any:
    return s.say(
        "Answer from %(party)s to the referral: %(text)s",
        party=s.name("party", data.get("by")),
        text=s.text(data.get("text")),
    )


@_says("escalation.closed")
def _escalation_closed(s: Speaker, data: dict[str, Any], entity_id: str, name: Any) -> Any:
    message = (
        N_("The referral to %(party)s closed, resolved")
        if data.get("outcome") == "resolved"
        else N_("The referral to %(party)s closed, not resolved")
    )
    return s.say(message, party=_escalated_to(s, entity_id))


def _guarantee(s: Speaker, entity_id: str) -> tuple[Any, Any]:
    found = s.record("guarantee", entity_id) or {}
    return s.name("party", found.get("guarantor")), s.text(found.get("what"))


@_says("guarantee.recorded")
def _guarantee_given(s: Speaker, data: dict[str, Any], entity_id: str, name: Any) -> Any:
    return s.say(
        "Guarantee from %(guarantor)s to %(to)s: %(what)s",
        guarantor=s.name("party", data.get("guarantor")),
        to=s.name("party", data.get("given_to")),
        what=s.text(data.get("what")),
    )


@_says("guarantee.honoured")
def _guarantee_honoured(s: Speaker, data: dict[str, Any], entity_id: str, name: Any) -> Any:
    guarantor, what = _guarantee(s, entity_id)
    return s.say(
        "The guarantee of %(guarantor)s was honoured: %(what)s", guarantor=guarantor, what=what
    )


@_says("guarantee.broken")
def _guarantee_broken(s: Speaker, data: dict[str, Any], entity_id: str, name: Any) -> Any:
    guarantor, what = _guarantee(s, entity_id)
    return s.say(
        "The guarantee of %(guarantor)s was broken: %(what)s", guarantor=guarantor, what=what
    )


# --- Negotiation ------------------------------------------------------------------------


@_says("channel.opened")
def _channel(s: Speaker, data: dict[str, Any], entity_id: str, name: Any) -> Any:
    return s.say(
        "Channel recorded between %(source)s and %(target)s",
        source=s.ref(data.get("source")),
        target=s.ref(data.get("target")),
    )


_CHANNEL_STATUS = {
    "active": N_("The channel between %(source)s and %(target)s is active"),
    "dormant": N_("The channel between %(source)s and %(target)s is dormant"),
    "broken": N_("The channel between %(source)s and %(target)s is broken"),
}


@_says("channel.status_changed")
def _channel_status(s: Speaker, data: dict[str, Any], entity_id: str, name: Any) -> Any:
    message = _CHANNEL_STATUS.get(str(data.get("status")))
    if message is None:
        return None
    found = s.record("channel", entity_id) or {}
    return s.say(message, source=s.ref(found.get("source")), target=s.ref(found.get("target")))


def _counterpart(s: Speaker, data: dict[str, Any]) -> Any:
    chosen = data.get("source") if data.get("direction") == "inbound" else data.get("target")
    return s.ref(chosen)


@_says("contact.scheduled")
def _contact_scheduled(s: Speaker, data: dict[str, Any], entity_id: str, name: Any) -> Any:
    return s.say(
        "Contact with %(who)s scheduled for %(time)s",
        who=_counterpart(s, data),
        time=s.time(data.get("scheduled_for")),
    )


@_says("contact.logged")
def _contact_logged(s: Speaker, data: dict[str, Any], entity_id: str, name: Any) -> Any:
    return s.say(
        "Contact with %(who)s: %(summary)s",
        who=_counterpart(s, data),
        summary=s.text(data.get("summary")),
    )


@_says("contact.held")
def _contact_held(s: Speaker, data: dict[str, Any], entity_id: str, name: Any) -> Any:
    return s.say(
        "The scheduled contact took place: %(summary)s", summary=s.text(data.get("summary"))
    )


@_says("influence.mapped")
def _influence(s: Speaker, data: dict[str, Any], entity_id: str, name: Any) -> Any:
    return s.say(
        "Influence of %(source)s on %(target)s: %(means)s",
        source=s.ref(data.get("source")),
        target=s.ref(data.get("target")),
        means=s.text(data.get("means")),
    )


@_says("mandate.granted")
def _mandate(s: Speaker, data: dict[str, Any], entity_id: str, name: Any) -> Any:
    return s.say(
        "Mandate given by %(by)s to %(to)s",
        by=s.names("party", data.get("granted_by") or []),
        to=s.ref(data.get("to")),
    )


@_says("text.translated")
def _translated(s: Speaker, data: dict[str, Any], entity_id: str, name: Any) -> Any:
    language = str(data.get("language") or "")
    return s.say(
        "%(name)s translated into %(language)s: %(text)s",
        name=name,
        language=language_name(language, s.lang),
        text=s.text({"original": str(data.get("text") or ""), "language": language}),
    )


@_says("note.added")
def _note(s: Speaker, data: dict[str, Any], entity_id: str, name: Any) -> Any:
    subjects = [s.ref(x) for x in data.get("subjects") or []]
    if subjects:
        return s.say(
            "Note on %(subjects)s: %(text)s",
            subjects=s.join(subjects),
            text=s.text(data.get("text")),
        )
    return s.say("Note: %(text)s", text=s.text(data.get("text")))


def _position_party(s: Speaker, data: dict[str, Any], entity_id: str) -> Any:
    party = data.get("party") or (s.record("position", entity_id) or {}).get("party")
    return s.name("party", party)


@_says("position.stated")
def _position_stated(s: Speaker, data: dict[str, Any], entity_id: str, name: Any) -> Any:
    return s.say(
        "Position of %(party)s stated: %(stance)s",
        party=_position_party(s, data, entity_id),
        stance=s.text(data.get("stance")),
    )


@_says("position.revised")
def _position_revised(s: Speaker, data: dict[str, Any], entity_id: str, name: Any) -> Any:
    return s.say(
        "Position of %(party)s revised: %(stance)s",
        party=_position_party(s, data, entity_id),
        stance=s.text(data.get("stance")),
    )


@_says("position.bottom_line_set")
def _position_bottom(s: Speaker, data: dict[str, Any], entity_id: str, name: Any) -> Any:
    return s.say(
        "Bottom line of %(party)s set (confidential)", party=_position_party(s, data, entity_id)
    )


def _proposer(s: Speaker, entity_id: str) -> Any:
    return s.name("party", (s.record("proposal", entity_id) or {}).get("from_party"))


@_says("proposal.tabled")
def _proposal_tabled(s: Speaker, data: dict[str, Any], entity_id: str, name: Any) -> Any:
    return s.say(
        "Proposal tabled by %(party)s: %(text)s",
        party=s.name("party", data.get("from_party")),
        text=s.text(data.get("text")) if data.get("text") else name,
    )


_ANSWERS = {
    "accepted": N_("The proposal of %(party)s accepted"),
    "rejected": N_("The proposal of %(party)s rejected"),
    "countered": N_("The proposal of %(party)s answered with a counter-proposal"),
}


@_says("proposal.responded")
def _proposal_answer(s: Speaker, data: dict[str, Any], entity_id: str, name: Any) -> Any:
    message = _ANSWERS.get(str(data.get("outcome")), N_("Answer to the proposal of %(party)s"))
    said = s.say(message, party=_proposer(s, entity_id))
    if data.get("reasons"):
        said = s.go_on("%(sentence)s: %(reason)s", sentence=said, reason=s.text(data["reasons"]))
    return said


@_says("route.proposed")
def _route_proposed(s: Speaker, data: dict[str, Any], entity_id: str, name: Any) -> Any:
    return s.say(
        "Route “%(name)s” proposed by %(party)s",
        name=name,
        party=s.name("party", data.get("proposed_by")),
    )


@_says("route.revised")
def _route_revised(s: Speaker, data: dict[str, Any], entity_id: str, name: Any) -> Any:
    return s.say("A new version of route “%(name)s” proposed", name=name)


@_says("route.approved")
def _route_approved(s: Speaker, data: dict[str, Any], entity_id: str, name: Any) -> Any:
    return s.say(
        "Route “%(name)s” approved by %(party)s",
        name=name,
        party=s.name("party", data.get("party")),
    )


@_says("route.rejected")
def _route_rejected(s: Speaker, data: dict[str, Any], entity_id: str, name: Any) -> Any:
    said = s.say(
        "Route “%(name)s” rejected by %(party)s",
        name=name,
        party=s.name("party", data.get("party")),
    )
    reasons = [s.text(r) for r in data.get("reasons") or []]
    if reasons:
        said = s.go_on("%(sentence)s: %(reason)s", sentence=said, reason=s.join(reasons))
    return said


# --- Tasks and notices ------------------------------------------------------------------


@_says("task.assigned")
def _task(s: Speaker, data: dict[str, Any], entity_id: str, name: Any) -> Any:
    return s.say(
        "Task “%(name)s” assigned to %(assignee)s",
        name=name,
        assignee=s.name("party", data.get("assignee")),
    )


_TASK_STATUS = {
    "acknowledged": N_("Task “%(name)s” acknowledged"),
    "in_progress": N_("Work on task “%(name)s” started"),
    "blocked": N_("Task “%(name)s” is blocked"),
    "done": N_("Task “%(name)s” done"),
    "cancelled": N_("Task “%(name)s” cancelled"),
}


@_says("task.status_changed")
def _task_status(s: Speaker, data: dict[str, Any], entity_id: str, name: Any) -> Any:
    message = _TASK_STATUS.get(str(data.get("status")))
    return s.say(message, name=name) if message else None


@_says("notification.sent")
def _notice(s: Speaker, data: dict[str, Any], entity_id: str, name: Any) -> Any:
    return s.say(
        "Movement of convoy “%(convoy)s” notified to %(parties)s, between %(start)s and %(end)s",
        convoy=s.name("convoy", data.get("convoy")),
        parties=s.names("party", data.get("parties") or []),
        start=s.time(data.get("window_from")),
        end=s.time(data.get("window_until")),
    )


@_says("notification.acknowledged")
def _notice_acknowledged(s: Speaker, data: dict[str, Any], entity_id: str, name: Any) -> Any:
    notice = s.record("notification", entity_id) or {}
    return s.say(
        "%(party)s acknowledged receipt of the movement notice of convoy “%(convoy)s”",
        party=s.name("party", data.get("party")),
        convoy=s.name("convoy", notice.get("convoy")),
    )


# --- Less frequent events ---------------------------------------------------------------

_NAMED = {
    "incident.evidence_added": N_("Evidence added to incident “%(name)s”"),
    "control_area.ended": N_("Area of control “%(name)s” no longer current"),
    "front_line.ended": N_("Front line “%(name)s” no longer current"),
    "issue.closed": N_("Negotiation issue closed: “%(name)s”"),
    # text.translated: told with its language and words (above).
}

_says_with_name(_NAMED, "name")


def _with_reason(s: Speaker, said: Any, data: dict[str, Any]) -> Any:
    if data.get("reason"):
        return s.go_on("%(sentence)s: %(reason)s", sentence=said, reason=s.text(data["reason"]))
    return said


@_says("incident.corrected")
def _incident_corrected(s: Speaker, data: dict[str, Any], entity_id: str, name: Any) -> Any:
    return _with_reason(s, s.say("Incident “%(name)s” corrected", name=name), data)


@_says("incident.allegation_added")
def _incident_allegation(s: Speaker, data: dict[str, Any], entity_id: str, name: Any) -> Any:
    allegation = data.get("allegation") or {}
    return s.say(
        "Another alleged perpetrator of incident “%(name)s”: %(party)s",
        name=name,
        party=s.ref(allegation.get("party")),
    )


@_says("escalation.followed_up")
def _escalation_followed(s: Speaker, data: dict[str, Any], entity_id: str, name: Any) -> Any:
    return s.say(
        "The referral to %(party)s followed up: %(words)s",
        party=_escalated_to(s, entity_id),
        words=s.text(data.get("message")),
    )


@_says("contact.missed")
def _contact_missed(s: Speaker, data: dict[str, Any], entity_id: str, name: Any) -> Any:
    return _with_reason(s, s.say("The scheduled contact did not take place"), data)


@_says("contact.cancelled")
def _contact_cancelled(s: Speaker, data: dict[str, Any], entity_id: str, name: Any) -> Any:
    return _with_reason(s, s.say("The scheduled contact was cancelled"), data)


@_says("control_area.transferred")
def _control_moved(s: Speaker, data: dict[str, Any], entity_id: str, name: Any) -> Any:
    return s.say(
        "Control of “%(name)s” passed from %(previous)s to %(party)s",
        name=name,
        previous=s.name("party", data.get("previous")),
        party=s.name("party", data.get("party")),
    )


@_says("mandate.revoked")
def _mandate_revoked(s: Speaker, data: dict[str, Any], entity_id: str, name: Any) -> Any:
    mandate = s.record("mandate", entity_id) or {}
    return _with_reason(s, s.say("Mandate of %(to)s revoked", to=s.ref(mandate.get("to"))), data)


@_says("proposal.withdrawn")
def _proposal_withdrawn(s: Speaker, data: dict[str, Any], entity_id: str, name: Any) -> Any:
    said = s.say("The proposal of %(party)s withdrawn", party=_proposer(s, entity_id))
    return _with_reason(s, said, data)


@_says("party.joined_side")
def _party_joined(s: Speaker, data: dict[str, Any], entity_id: str, name: Any) -> Any:
    return s.say(
        "%(party)s joins the side “%(side)s”", party=name, side=s.name("side", data.get("side"))
    )


@_says("convoy.vehicles_added")
def _convoy_vehicles(s: Speaker, data: dict[str, Any], entity_id: str, name: Any) -> Any:
    vehicles = data.get("vehicles") or {}
    return s.say(
        "Vehicles added to convoy “%(name)s”; how many: %(n)s",
        name=name,
        n=s.number(vehicles.get("count")),
    )
