"""A text's words are in the script of the language it says it is in: English given as
Arabic, or Arabic as English, is refused, in the reader's language, naming both the
script and the language, and the form comes back as typed with the reason beside the
field. Words given without their language are Arabic when they have an Arabic letter (or
no letter at all), and otherwise of a language not known (``und``): never guessed."""

from __future__ import annotations

import re
from html import unescape
from typing import Any

import pytest
from pydantic import TypeAdapter, ValidationError

from mamar.api.messages import validation_message
from mamar.domain.text import (
    RECORDED,
    UNDETERMINED,
    LocalName,
    LocalText,
    Prose,
    Translation,
    check_script,
    expected_script,
    written_in,
)
from mamar.domain.visibility import Role
from mamar.journal.registry import decode, type_for
from mamar.system import Mamar
from tests.api_support import make_api, record
from tests.arabic_text import LATIN_WORD
from tests.test_api_bad_input import INCIDENT, _incident
from tests.test_web_forms import _incident_form
from tests.web_support import OP, csrf, make_web

PROSE: TypeAdapter[LocalText] = TypeAdapter(Prose)


@pytest.mark.parametrize(
    ("tag", "script"),
    [
        ("ar", "Arab"),
        ("ar-SY", "Arab"),
        ("en", "Latn"),
        ("en-GB", "Latn"),
        ("fa", "Arab"),
        ("ckb", "Arab"),
        ("ru", "Cyrl"),
        ("he", "Hebr"),
        ("ja", "Jpan"),
        ("zh-Hant", "Hant"),
        ("ar-Latn", "Latn"),  # the tag names its script: Arabic written in Latin letters
        ("ku", None),  # Kurdish is written in Arabic and Latin letters alike
        ("ku-Arab", "Arab"),
        ("sr", None),
        ("und", None),
    ],
)
def test_the_script_of_a_language_is_its_own_subtag_or_the_usual_one(
    tag: str, script: str | None
) -> None:
    assert expected_script(tag) == script


@pytest.mark.parametrize(
    ("words", "tag"),
    [
        ("قصف قرب الجسر", "ar"),
        ("طريق M4 مغلق", "ar"),  # an acronym in an Arabic sentence
        ("Shelling near the bridge", "en"),
        ("Al-Ramouseh (الراموسة)", "en"),
        ("42", "ar"),  # no letters: nothing to judge
        ("12:30 — 4/5", "en"),
        ("Обстрел", "ru"),
        ("東京へ", "ja"),
        ("서울", "ko"),
        ("بۆردومان", "ku"),
        ("Bombebaran", "ku"),
        ("Qasf qurb al-jisr", "ar-Latn"),
    ],
)
def test_words_in_their_languages_script_are_accepted(words: str, tag: str) -> None:
    check_script(words, tag)
    assert LocalText(original=words, language=tag).original == words
    assert Translation(text=words, language=tag).text == words


@pytest.mark.parametrize(
    ("words", "tag", "script"),
    [
        ("Shelling near the bridge", "ar", "Latn"),
        ("قصف قرب الجسر", "en", "Arab"),
        ("قصف", "fr", "Arab"),
        ("Обстрел", "ar", "Cyrl"),
        ("Shelling", "ru", "Latn"),
        ("Shelling", "ku-Arab", "Latn"),
    ],
)
def test_words_in_another_script_are_refused_naming_both(words: str, tag: str, script: str) -> None:
    with pytest.raises(ValidationError) as refused:
        LocalText(original=words, language=tag)
    (error,) = refused.value.errors()
    assert error["type"] == "text_script_mismatch"
    assert error["ctx"] == {"script": script, "language": tag}
    with pytest.raises(ValidationError):
        LocalText(
            original="42", language="ar", translations=(Translation(text=words, language=tag),)
        )


def test_words_in_another_script_are_refused_even_when_their_translation_is_too() -> None:
    """Both are said at once: the person is not refused again for the words once the
    translation is shortened (a form's "other" term, a proposal's text)."""
    given = {
        "original": "Evacuation of the wounded",
        "language": "ar",
        "translations": [{"text": "قصف " * 6000, "language": "ar"}],
    }
    with pytest.raises(ValidationError) as refused:
        LocalText.model_validate(given)
    found = {(e["type"], e["loc"]) for e in refused.value.errors()}
    assert found == {("text_too_long", ("translations", 0, "text")), ("text_script_mismatch", ())}
    # Said once, when it is all that is wrong; words too long are said alone.
    with pytest.raises(ValidationError) as refused:
        LocalText.model_validate({**given, "translations": []})
    assert [e["type"] for e in refused.value.errors()] == ["text_script_mismatch"]
    with pytest.raises(ValidationError) as refused:
        LocalText.model_validate({**given, "original": "Evacuation " * 3000})
    assert [e["type"] for e in refused.value.errors()] == ["text_too_long", "text_too_long"]
    # Pydantic's own refusals are kept as they were; what was recorded before the rule is
    # never refused for its script.
    broken = {**given, "translations": [{"text": 42, "language": "en"}]}
    with pytest.raises(ValidationError) as refused:
        LocalText.model_validate(broken)
    assert [e["type"] for e in refused.value.errors()] == ["string_type", "text_script_mismatch"]
    with pytest.raises(ValidationError) as refused:
        LocalText.model_validate(broken, context=RECORDED)
    assert [e["type"] for e in refused.value.errors()] == ["string_type"]


def test_the_refusal_is_said_in_the_readers_language() -> None:
    context = {"script": "Latn", "language": "ar"}
    arabic = validation_message("text_script_mismatch", "", "ar", context)
    assert arabic == (
        "النص مكتوب بالحروف اللاتينية، لكن لغته المختارة هي العربية: اختر اللغة التي كُتب بها"
    )
    english = validation_message("text_script_mismatch", "", "en", {**context, "language": "ar-SY"})
    assert "Latin script" in english and "Arabic (Syria)" in english


def test_a_name_in_arabic_is_in_arabic_letters_and_in_english_in_latin_ones() -> None:
    assert LocalName(ar="الراموسة", en="Ramouseh").display("en") == "Ramouseh"
    for given in ({"ar": "Ramouseh"}, {"en": "الراموسة"}, {"ar": "الراموسة", "en": "الراموسة"}):
        with pytest.raises(ValidationError) as refused:
            LocalName.model_validate(given)
        (error,) = refused.value.errors()
        assert error["type"] == "text_script_mismatch"


@pytest.mark.parametrize(
    ("words", "language"),
    [
        ("قصف قرب الجسر", "ar"),
        ("طريق M4", "ar"),
        ("3", "ar"),
        ("Shelling near the bridge", UNDETERMINED),
        ("Обстрел", UNDETERMINED),
    ],
)
def test_words_given_without_their_language_are_arabic_or_not_known(
    words: str, language: str
) -> None:
    assert PROSE.validate_python(words).language == language
    assert LocalText.model_validate({"original": words}).language == language


def test_not_known_may_be_said_and_is_never_a_pages_language() -> None:
    text = LocalText(original="Shelling", language="und")
    assert text.language == UNDETERMINED


def test_what_was_recorded_before_the_check_still_replays() -> None:
    """A journal written before the rule keeps loading: English words kept as Arabic."""
    old = {"original": "Shelling near the bridge", "language": "ar"}
    assert LocalText.model_validate(old, context=RECORDED).language == "ar"
    assert LocalName.model_validate({"ar": "Ramouseh"}, context=RECORDED).ar == "Ramouseh"
    name = "place.registered"
    data = {"name": {"ar": "Ramouseh"}, "kind": "village", "notes": old}
    event: Any = decode(name, type_for(name).schema_version, data)
    assert event.notes.language == "ar" and event.name.ar == "Ramouseh"


def test_the_letters_most_of_the_words_are_in_name_the_script() -> None:
    assert written_in("Al-Ramouseh الر") == "Latn"
    assert written_in("١٢ — 12") is None


def _beside(page: str, field: str) -> str:
    found = re.search(rf'id="{field}-error"[^>]*>([^<]*)<', page)
    assert found is not None, page[-3000:]
    return unescape(found.group(1))


def test_a_form_whose_words_are_not_in_the_chosen_language_comes_back_as_typed(
    system: Mamar,
) -> None:
    """On the Arabic page, a report typed in English with the language left at Arabic is
    refused beside the field, in Arabic, everything kept; choosing English records it."""
    web = make_web(system)
    client = web.client("operations")
    before = web.journal_size()
    form = _incident_form(
        csrf(client),
        description="Shelling near the gathering point",
        **{"description.language": "ar"},
    )
    refused = client.post(f"/ops/{OP}/incidents?lang=ar", data=form)
    assert refused.status_code == 422, refused.text[-2000:]
    message = _beside(refused.text, "description")
    assert "اللاتينية" in message and "العربية" in message
    assert not LATIN_WORD.search(message)
    assert "Shelling near the gathering point" in unescape(refused.text)
    assert web.journal_size() == before
    sent = client.post(f"/ops/{OP}/incidents?lang=ar", data={**form, "description.language": "en"})
    assert sent.status_code == 303, sent.text[-2000:]
    assert web.journal_size() == before + 1


def test_the_api_refuses_a_mislabelled_text_naming_the_field(system: Mamar) -> None:
    api = make_api(system)
    record(api, "/api/v1/operation/open", {"id": "op", "name": {"en": "Op"}, "timezone": "UTC"})
    before = api.journal_size()
    body = _incident(description={"original": "Shots at the convoy", "language": "ar"})
    response = api.client.post(
        INCIDENT, json=body, headers=api.headers(Role.COORDINATOR, lang="ar")
    )
    assert response.status_code == 422, response.text
    assert response.json()["error"] == {
        "code": "text_script_mismatch",  # its own: a client can ask which language it is in
        "message": (
            "النص مكتوب بالحروف اللاتينية، لكن لغته المختارة هي العربية: اختر اللغة التي كُتب بها"
        ),
        "field": "description",
    }
    assert api.journal_size() == before
    body["description"]["language"] = "en"
    accepted = api.client.post(INCIDENT, json=body, headers=api.headers(Role.COORDINATOR))
    assert accepted.status_code in (200, 201), accepted.text
