"""Texts inside lists are translated one item at a time (issue "Arabic all the way", 2):
``<kind>.translate`` names the list and the item (a rejection's reasons: the rejection and
which reason), refuses an item that is not there in the reader's language, and still
refuses any text kept in a compartment (red lines), whose words a ``text.translated`` event
would show to everyone who sees the record. Journals from before replay unchanged."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import lxml.html
import pytest
from pydantic import ValidationError

from mamar.domain.errors import DomainError
from mamar.domain.model import Actor, Context, EntityState, EventMeta, Value
from mamar.domain.text import Prose
from mamar.domain.visibility import Role, Visibility
from mamar.negotiation.model import PositionState
from mamar.projections.entities import current
from mamar.system import Mamar
from mamar.translating.commands import TranslateText, translatable_kinds, translate
from mamar.translating.events import TextTranslated
from mamar.translating.model import item_fields, list_parts, with_translation
from tests.conftest import make_system
from tests.org_support import OP, World, account, build

EN = "en"


class _Answer(Value):
    party: str
    reasons: tuple[Prose, ...] = ()


class _Listed(EntityState):
    """A record with a text, a list of texts and a list of answers each with its reasons."""

    prose: Prose | None = None
    lines: tuple[Prose, ...] = ()
    answers: tuple[_Answer, ...] = ()


def _state() -> _Listed:
    return _Listed(
        id="listed",
        prose={"original": "نص", "language": "ar"},
        lines=(
            {"original": "البند الأول", "language": "ar"},
            {"original": "The second item", "language": EN},
        ),
        answers=(
            _Answer(
                party="p",
                reasons=(
                    {"original": "السبب الأول", "language": "ar"},
                    {"original": "السبب الثاني", "language": "ar"},
                ),
            ),
        ),
    )


def _ctx() -> Context:
    return Context(
        actor=Actor("translator", Role.COORDINATOR, organisation="icrc"),
        occurred_at=datetime(2016, 12, 14, 7, tzinfo=UTC),
        lookup=None,  # type: ignore[arg-type]  # translating looks nothing up
    )


def _meta() -> EventMeta:
    return EventMeta(
        entity_id="listed",
        operation=OP,
        visibility=Visibility.INTERNAL,
        occurred_at="2016-12-14T09:00:00+02:00",
        actor="translator",
        organisation="icrc",
    )


def _command(**fields: Any) -> TranslateText:
    return TranslateText.model_validate({"id": "listed", "language": EN, **fields})


def test_the_lists_of_texts_are_named_and_a_compartment_stays_closed() -> None:
    assert item_fields(_Listed) == {"lines": (), "answers": ("reasons",)}
    # Red lines are kept in the negotiation compartment: not offered, not translatable,
    # nor the confidential set as held before; the stance as stated before is.
    assert item_fields(PositionState) == {"revisions": ("stance", "note")}
    assert "red_lines" not in translatable_kinds()["position"]
    assert "bottom_line_history" not in translatable_kinds()["position"]
    assert translatable_kinds()["route"] == ("versions", "approvals", "rejections")


def test_one_item_of_a_list_is_translated_and_the_others_are_left_as_they_are() -> None:
    state = _state()
    (event,) = translate(state, _command(field="lines", item=0, text="The first item"), _ctx())
    assert isinstance(event, TextTranslated) and (event.field, event.item) == ("lines", 0)
    after = with_translation(state, event, _meta())
    first, second = after.lines
    assert [(t.text, t.language, t.translated_by) for t in first.translations] == [
        ("The first item", "en", "icrc")
    ]
    assert second == state.lines[1] and after.prose == state.prose
    # The second English item, into Arabic.
    (event,) = translate(
        after, _command(field="lines", item=1, text="البند الثاني", language="ar"), _ctx()
    )
    again = with_translation(after, event, _meta())
    assert [t.text for t in again.lines[1].translations] == ["البند الثاني"]
    assert again.lines[0] == after.lines[0]


def test_a_reason_of_an_answer_is_translated_by_its_answer_and_its_place() -> None:
    state = _state()
    command = _command(field="answers", item=0, part="reasons", part_item=1, text="Second reason")
    (event,) = translate(state, command, _ctx())
    assert (event.item, event.part, event.part_item) == (0, "reasons", 1)
    after = with_translation(state, event, _meta())
    (answer,) = after.answers
    assert answer.party == "p" and answer.reasons[0] == state.answers[0].reasons[0]
    assert [t.text for t in answer.reasons[1].translations] == ["Second reason"]


@pytest.mark.parametrize(
    ("fields", "code", "field"),
    [
        ({"field": "lines"}, "item_needed", "item"),
        ({"field": "lines", "item": 2}, "no_such_item", "item"),
        ({"field": "lines", "item": 0, "part": "reasons"}, "no_such_text", "part"),
        ({"field": "prose", "item": 0}, "not_a_list", "item"),
        ({"field": "answers", "item": 0}, "no_such_text", "part"),
        (
            {"field": "answers", "item": 1, "part": "reasons", "part_item": 0},
            "no_such_item",
            "item",
        ),
        ({"field": "answers", "item": 0, "part": "reasons"}, "item_needed", "part_item"),
        (
            {"field": "answers", "item": 0, "part": "reasons", "part_item": 2},
            "no_such_item",
            "part_item",
        ),
        ({"field": "answers", "item": 0, "part": "party", "part_item": 0}, "no_such_text", "part"),
    ],
)
def test_an_item_that_is_not_there_is_refused(
    fields: dict[str, Any], code: str, field: str
) -> None:
    with pytest.raises(DomainError) as refused:
        translate(_state(), _command(**fields, text="words"), _ctx())
    assert (refused.value.code, refused.value.field) == (code, field)


def test_an_item_is_counted_from_nought_never_below() -> None:
    with pytest.raises(ValidationError):
        _command(field="lines", item=-1, text="words")


def test_red_lines_are_refused_item_by_item_as_a_bottom_line_is() -> None:
    position = PositionState(
        id="p",
        party="a",
        issue="i",
        red_lines=({"original": "تسليم السلاح", "language": "ar"},),
    )
    for fields in ({"field": "red_lines", "item": 0}, {"field": "red_lines"}):
        with pytest.raises(DomainError) as refused:
            translate(position, _command(**fields, text="Surrender of weapons"), _ctx())
        assert refused.value.code == "no_such_text"


class _Decision(Value):
    party: str
    note: Prose | None = None


class _Decided(EntityState):
    """A record with a list of decisions, each with a note (a route's approvals)."""

    decisions: tuple[_Decision, ...] = ()


def test_a_text_held_by_each_item_is_translated_by_its_item_and_its_name() -> None:
    assert item_fields(_Decided) == {"decisions": ("note",)}
    assert list_parts(_Decided) == {"decisions": frozenset()}
    assert list_parts(_Listed) == {"answers": frozenset({"reasons"})}
    state = _Decided(
        id="listed",
        decisions=(
            _Decision(party="a"),
            _Decision(party="b", note={"original": "بشرط المرافقة", "language": "ar"}),
        ),
    )
    command = _command(field="decisions", item=1, part="note", text="If escorted")
    (event,) = translate(state, command, _ctx())
    assert (event.item, event.part, event.part_item) == (1, "note", None)
    after = with_translation(state, event, _meta())
    first, second = after.decisions
    assert first == state.decisions[0] and second.party == "b"
    assert [(t.text, t.language) for t in second.note.translations] == [("If escorted", "en")]  # type: ignore[union-attr]
    for fields, code, field in (
        ({"item": 1, "part": "note", "part_item": 0}, "not_a_list", "part_item"),
        ({"item": 0, "part": "note"}, "nothing_to_translate", "field"),
        ({"item": 1}, "no_such_text", "part"),
        ({"item": 2, "part": "note"}, "no_such_item", "item"),
    ):
        with pytest.raises(DomainError) as refused:
            translate(state, _command(field="decisions", **fields, text="words"), _ctx())
        assert (refused.value.code, refused.value.field) == (code, field)


class _Source(Value):
    text: Prose
    kind: str


class _Sourced(EntityState):
    """A record with a value holding a text (an incident's source, its words)."""

    source: _Source | None = None


def test_a_text_of_a_value_is_translated_by_the_value_and_its_name() -> None:
    from mamar.incidents.model import IncidentState
    from mamar.translating.model import value_fields

    assert value_fields(IncidentState) == {"source": ("text",)}
    assert value_fields(_Sourced) == {"source": ("text",)} and value_fields(_Listed) == {}
    assert "source" in translatable_kinds()["incident"]
    state = _Sourced(id="listed", source=_Source(text={"original": "شاهد عيان"}, kind="witness"))
    (event,) = translate(state, _command(field="source", part="text", text="A witness"), _ctx())
    assert (event.field, event.item, event.part, event.part_item) == ("source", None, "text", None)
    after = with_translation(state, event, _meta())
    assert after.source is not None and after.source.kind == "witness"
    assert [t.text for t in after.source.text.translations] == ["A witness"]
    for fields, code, field in (
        ({"part": "kind"}, "no_such_text", "part"),
        ({}, "no_such_text", "part"),
        ({"part": "text", "item": 0}, "not_a_list", "item"),
    ):
        with pytest.raises(DomainError) as refused:
            translate(state, _command(field="source", **fields, text="words"), _ctx())
        assert (refused.value.code, refused.value.field) == (code, field)
    with pytest.raises(DomainError) as refused:
        translate(_Sourced(id="listed"), _command(field="source", part="text", text="w"), _ctx())
    assert refused.value.code == "nothing_to_translate"


def test_a_translation_recorded_before_items_replays_as_it_did() -> None:
    state = _state()
    # As stored before: no item, no part.
    earlier = TextTranslated.model_validate(
        {"field": "prose", "text": "Text", "language": "en", "translated_by": "icrc"}
    )
    after = with_translation(state, earlier, _meta())
    assert [t.text for t in after.prose.translations] == ["Text"]  # type: ignore[union-attr]
    assert after.lines == state.lines and after.answers == state.answers
    # An item no longer there never stops a replay.
    gone = TextTranslated(field="lines", item=7, text="x", language="en", translated_by="icrc")
    assert with_translation(state, gone, _meta()) is state


# Through the API and the pages: the aleppo-2016 exit route, rejected with two reasons.


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    path: Path = tmp_path_factory.mktemp("items") / "mamar.db"
    system = make_system(f"sqlite:///{path}")
    yield build(system)
    system.dispose()


def _reasons(world: World) -> list[Any]:
    with world.system.reading() as conn:
        found = current(conn, "route:exit-route")
    assert found is not None
    return list(found[0].rejections[0].reasons)  # type: ignore[attr-defined]


def test_the_api_translates_one_reason_of_a_rejection(world: World) -> None:
    before = _reasons(world)
    body = {
        "field": "rejections",
        "item": 0,
        "part": "reasons",
        "part_item": 1,
        "text": "Les véhicules traverseraient longuement des zones tenues par l'autre camp",
        "language": "fr",
    }
    headers = world.headers("factions-team", Role.COORDINATOR)
    answered = world.client.post("/api/v1/route/exit-route/translate", json=body, headers=headers)
    assert answered.status_code == 200, answered.text
    first, second = _reasons(world)
    assert first == before[0]
    assert [(t.text, t.language, t.translated_by) for t in second.translations][-1] == (
        body["text"],
        "fr",
        "factions-team",
    )
    assert second.translations[:-1] == before[1].translations


@pytest.mark.parametrize(
    ("lang", "words"),
    [("ar", "لا يوجد في القائمة بند بهذا الرقم"), ("en", "The list has no such item")],
)
def test_a_reason_that_is_not_there_is_refused_in_the_readers_language(
    world: World, lang: str, words: str
) -> None:
    size = world.journal_size()
    body = {"field": "rejections", "item": 0, "part": "reasons", "part_item": 5}
    headers = {**world.headers("factions-team", Role.COORDINATOR), "Accept-Language": lang}
    refused = world.client.post(
        "/api/v1/route/exit-route/translate",
        json={**body, "text": "x", "language": "fr"},
        headers=headers,
    )
    assert refused.status_code == 422, refused.text
    assert words in refused.json()["error"]["message"]
    assert world.journal_size() == size


@pytest.mark.parametrize(
    ("lang", "words"),
    [("ar", "لا يحوي هذا السجل نصاً بهذا الاسم"), ("en", "This record has no such text")],
)
def test_a_red_line_is_not_translated_through_the_api(world: World, lang: str, words: str) -> None:
    size = world.journal_size()
    headers = {**world.headers("factions-team", Role.NEGOTIATOR), "Accept-Language": lang}
    refused = world.client.post(
        "/api/v1/position/factions-on-exit/translate",
        json={"field": "red_lines", "item": 0, "text": "Remise des armes", "language": "fr"},
        headers=headers,
    )
    assert refused.status_code == 422, refused.text
    assert words in refused.json()["error"]["message"]
    assert world.journal_size() == size


@pytest.mark.parametrize(
    ("lang", "label"),
    [
        ("ar", r"الأسباب، البند [2٢]، في البند [1١] من حالات الرفض"),
        ("en", r"Rejections 1 — Reasons, item 2"),
    ],
)
def test_each_reason_has_its_own_link_and_the_form_translates_it(
    world: World, lang: str, label: str
) -> None:
    from tests.web_support import csrf, signed_in

    client = signed_in(world.system, account("factions-team", Role.COORDINATOR))
    page = client.get(f"/ops/{OP}/routes/exit-route?lang={lang}")
    assert page.status_code == 200, page.text[-800:]
    for reason in (0, 1):
        link = f"/ops/{OP}/routes/exit-route/translate?field=rejections.0.reasons.{reason}"
        assert f'href="{link}"' in page.text
    form_page = client.get(
        f"/ops/{OP}/routes/exit-route/translate?field=rejections.0.reasons.0&lang={lang}"
    )
    assert form_page.status_code == 200, form_page.text[-800:]
    chosen = re.search(
        r'<option value="rejections\.0\.reasons\.0" selected>([^<]*)</option>', form_page.text
    )
    assert chosen is not None, form_page.text
    assert re.fullmatch(label.replace("2", "1").replace("٢", "١"), chosen.group(1))
    assert re.search(
        f'<option value="rejections\\.0\\.reasons\\.1">{label}</option>', form_page.text
    )
    shown = re.sub(r"<[^>]+>", " ", form_page.text.split("<main", 1)[1])
    assert "rejections" not in shown.replace("rejections.0", "")
    # The languages most translations are in come first, then every other, each once.
    languages = lxml.html.fromstring(form_page.text).xpath(
        "//select[@name='translation.language']"
    )[0]
    groups = languages.xpath("optgroup")
    assert len(groups) == 2
    usual = groups[0].xpath("option/@value")
    assert usual[:2] == [lang, {"ar": "en", "en": "ar"}[lang]] and "fr" in usual
    codes = languages.xpath(".//option/@value")
    assert len(codes) == len(set(codes)) > 300
    words = {"ar": "لا ضمانة لسلامة المركبات", "en": "No guarantee of the vehicles' safety"}[lang]
    assert words in form_page.text.replace("&#39;", "'")
    translated = f"Aucune garantie ({lang})"
    sent = client.post(
        f"/ops/{OP}/routes/exit-route/translate?lang={lang}",
        data={
            "csrf": csrf(client),
            "translation.field": "rejections.0.reasons.0",
            "translation.language": "fr",
            "translation.text": translated,
        },
    )
    assert sent.status_code == 303, sent.text[-800:]
    assert sent.headers["location"].startswith(f"/ops/{OP}/routes/exit-route")
    first = _reasons(world)[0]
    assert first.translations[-1].text == translated


@pytest.mark.parametrize(
    ("lang", "words"),
    [("ar", "لا يوجد في القائمة بند بهذا الرقم"), ("en", "The list has no such item")],
)
def test_the_form_refuses_a_reason_that_is_not_there_keeping_what_was_typed(
    world: World, lang: str, words: str
) -> None:
    from tests.web_support import csrf, signed_in

    client = signed_in(world.system, account("factions-team", Role.COORDINATOR))
    size = world.journal_size()
    refused = client.post(
        f"/ops/{OP}/routes/exit-route/translate?lang={lang}",
        data={
            "csrf": csrf(client),
            "translation.field": "rejections.0.reasons.9",
            "translation.language": "fr",
            "translation.text": "Mots gardés",
        },
    )
    assert refused.status_code == 422, refused.text[-800:]
    assert words in refused.text and "Mots gardés" in refused.text
    assert world.journal_size() == size


# A text held by each item of a list (a route version's note, an approval's note) and each
# offer of a contact: on a fresh database of each engine, through the form and the pages.

_OFFERS = (
    {"original": "ضمانات شخصية للمقاتلين", "language": "ar"},
    {"original": "Safe passage to Idlib", "language": EN},
)
_VERSION_NOTE = {"original": "عبر الراموسة ثم الراشدين", "language": "ar"}
_APPROVAL_NOTE = {"original": "Approved for daylight hours only", "language": EN}
_ANSWER = {"original": "سنتحقق من الأمر", "language": "ar"}
_COMMITMENT = {"original": "وقف القصف حتى الصباح", "language": "ar"}
_ALLEGATION_NOTE = {"original": "Said so in a public statement", "language": EN}
_SOURCE = {"original": "The convoy team itself", "language": EN}


def _small(system: Mamar) -> None:
    """An operation with one route (its first version has a note, approved with a note), one
    contact with two offers, one escalation with an answer and a commitment and one incident
    alleged with a note, recorded by the Red Crescent's coordinator."""
    from mamar.contacts.commands import LogContact
    from mamar.escalations.commands import RaiseEscalation, RecordEscalationResponse
    from mamar.incidents.commands import ReportIncident
    from mamar.routes.commands import ApproveRoute, ProposeRoute
    from tests.actor_builders import party, who
    from tests.helpers import account_in, at, open_operation

    open_operation(system)
    party(system, "factions")
    party(system, "russia", "guarantor_state")
    actor = account_in(system, "sarc-coordinator", "coordinator", "sarc")
    recorded = (
        ProposeRoute(
            id="exit",
            operation="op",
            name={"en": "Exit"},
            waypoints=({"lat": 36.19, "lon": 37.13}, {"lat": 36.17, "lon": 37.1}),
            note=_VERSION_NOTE,
        ),
        ApproveRoute(id="exit", version=1, party="russia", note=_APPROVAL_NOTE),
        LogContact(
            id="call",
            operation="op",
            direction="outbound",
            source=who("party", "factions"),
            target=who("party", "russia"),
            summary={"original": "The general called back", "language": EN},
            offers=_OFFERS,
        ),
        RaiseEscalation(
            id="ask",
            operation="op",
            to_party="russia",
            message={"original": "Shelling near the crossing", "language": EN},
        ),
        RecordEscalationResponse(id="ask", text=_ANSWER, commitment=_COMMITMENT),
        ReportIncident(
            id="shelling",
            operation="op",
            event_type="explosions_remote_violence",
            description={"original": "قصف قرب المعبر", "language": "ar"},
            source={"text": _SOURCE, "kind": "own_team"},
            allegations=({"party": "factions", "alleged_by": "russia", "note": _ALLEGATION_NOTE},),
        ),
    )
    for hour, command in enumerate(recorded, start=10):
        system.execute(command, actor=actor, occurred=at(f"2016-12-14T{hour}:00+02:00"))


def _state_of(system: Mamar, entity: str) -> Any:
    with system.reading() as conn:
        found = current(conn, entity)
    assert found is not None
    return found[0]


def _translated_on_the_form(
    system: Mamar, page: str, where: str, text: str, language: str
) -> tuple[Any, str]:
    """``where``'s translation sent on the form beside ``page`` (its link on the page
    first); the client, signed in, and where the form sent it back to."""
    from tests.web_support import csrf, signed_in

    client = signed_in(system, "sarc-coordinator")
    shown = client.get(f"{page}?lang=en")
    assert shown.status_code == 200, shown.text[-800:]
    form = f"/ops/op/{where.split(':')[0]}s/{where.split(':')[1]}/translate"
    field = where.split(":")[2]
    assert f'href="{form}?field={field}"' in shown.text
    sent = client.post(
        f"{form}?lang=en",
        data={
            "csrf": csrf(client),
            "translation.field": field,
            "translation.language": language,
            "translation.text": text,
        },
    )
    assert sent.status_code == 303, sent.text[-800:]
    return client, sent.headers["location"]


def test_each_offer_of_a_contact_is_translated_on_its_own(system: Mamar) -> None:
    _small(system)
    client, _back = _translated_on_the_form(
        system, "/ops/op/contacts", "contact:call:offers.1", "ممر آمن إلى إدلب", "ar"
    )
    first, second = _state_of(system, "contact:call").offers
    assert (first.original, first.language, first.translations) == (
        "ضمانات شخصية للمقاتلين",
        "ar",
        (),
    )
    assert [(t.text, t.language, t.translated_by) for t in second.translations] == [
        ("ممر آمن إلى إدلب", "ar", "sarc")
    ]
    page = "/ops/op/contacts"
    arabic = _shown_in_each_language(
        client, page, "ممر آمن إلى إدلب", "Safe passage to Idlib", "ar"
    )
    assert 'href="/ops/op/contacts/call/translate?field=offers.0"' in arabic
    # The first offer, Arabic, into English.
    _translated_on_the_form(
        system, "/ops/op/contacts", "contact:call:offers.0", "Personal guarantees", "en"
    )
    assert "Personal guarantees" in client.get("/ops/op/contacts?lang=en").text


def _read(client: Any, page: str, lang: str) -> str:
    """``page`` in ``lang``, up to its route exposure or its translation form (its history
    names each translation added, in the words added)."""
    shown = client.get(f"{page}?lang={lang}")
    assert shown.status_code == 200, shown.text[-800:]
    text: str = shown.text
    for end in ('aria-labelledby="h-exp"', 'id="h-translate"'):
        text = text.split(end, 1)[0]
    return text


def _shown_in_each_language(client: Any, page: str, words: str, original: str, lang: str) -> str:
    """The translation ``words`` in ``lang`` is read on ``page`` in ``lang``, the original in
    the other language; the page in ``lang``, as read."""
    read = _read(client, page, lang)
    assert words in read and original not in read
    other = _read(client, page, "ar" if lang == "en" else "en")
    assert original in other and words not in other
    return read


@pytest.mark.parametrize(
    ("where", "page", "words", "lang", "original"),
    [
        ("route:exit:versions.0.note", "routes/exit", "Via Ramouseh", "en", _VERSION_NOTE),
        (
            "route:exit:approvals.0.note",
            "routes/exit",
            "موافقة للعبور نهاراً فقط",
            "ar",
            _APPROVAL_NOTE,
        ),
        (
            "escalation:ask:responses.0.commitment",
            "escalations/ask",
            "No shelling until the morning",
            "en",
            _COMMITMENT,
        ),
        (
            "incident:shelling:allegations.0.note",
            "incidents/shelling",
            "قيل ذلك في بيان علني",
            "ar",
            _ALLEGATION_NOTE,
        ),
        ("incident:shelling:source.text", "incidents/shelling", "فريق القافلة نفسه", "ar", _SOURCE),
    ],
    ids=["route-version-note", "approval-note", "answer-commitment", "allegation-note", "source"],
)
def test_a_text_held_by_an_item_is_translated_beside_it(
    system: Mamar, where: str, page: str, words: str, lang: str, original: dict[str, str]
) -> None:
    from mamar.translating.model import located
    from mamar.web.pages.translations import address

    _small(system)
    client, back = _translated_on_the_form(system, f"/ops/op/{page}", where, words, lang)
    assert back.startswith(f"/ops/op/{page}")
    kind, id, at = where.split(":")
    record = _state_of(system, f"{kind}:{id}")
    text = located(record, **address(at))
    assert text is not None and text.original == original["original"]
    assert [(t.text, t.language, t.translated_by) for t in text.translations] == [
        (words, lang, "sarc")
    ]
    _shown_in_each_language(client, f"/ops/op/{page}", words, original["original"], lang)


def test_each_text_of_an_answer_has_its_own_link_and_the_form_names_a_note_in_words(
    system: Mamar,
) -> None:
    from tests.web_support import signed_in

    _small(system)
    client = signed_in(system, "sarc-coordinator")
    english = _read(client, "/ops/op/escalations/ask", "en")
    for part in ("text", "commitment"):
        assert f'href="/ops/op/escalations/ask/translate?field=responses.0.{part}"' in english
    form = client.get("/ops/op/routes/exit/translate?field=approvals.0.note&lang=en").text
    assert '<option value="approvals.0.note" selected>Approvals 1 — Note</option>' in form
    form = client.get("/ops/op/routes/exit/translate?field=approvals.0.note&lang=ar").text
    assert re.search(
        '<option value="approvals\\.0\\.note" selected>ملاحظة في البند [1١] من الموافقات<', form
    )
