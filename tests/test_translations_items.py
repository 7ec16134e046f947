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

import pytest
from pydantic import ValidationError

from mamar.domain.errors import DomainError
from mamar.domain.model import Actor, Context, EntityState, EventMeta, Value
from mamar.domain.text import Prose
from mamar.domain.visibility import Role, Visibility
from mamar.negotiation.model import PositionState
from mamar.projections.entities import current
from mamar.translating.commands import TranslateText, translatable_kinds, translate
from mamar.translating.events import TextTranslated
from mamar.translating.model import item_fields, with_translation
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
    # Red lines are kept in the negotiation compartment: not offered, not translatable.
    assert item_fields(PositionState) == {}
    assert "red_lines" not in translatable_kinds()["position"]
    assert translatable_kinds()["route"] == ("rejections",)


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
        ("ar", r"حالات الرفض [1١] — الأسباب، البند [2٢]"),
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
