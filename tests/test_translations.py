"""Free text in several languages: BCP 47 language tags, any number of translations each
with its translator (the server's record of who), the one rule for what a reader sees,
translations added later through ``<kind>.translate``, and journals from before all this
that still load, replay and verify with their bytes untouched."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markupsafe import Markup
from pydantic import ValidationError
from sqlalchemy import select

from mamar.db.tables import journal
from mamar.domain.model import Actor, EntityState, EventMeta
from mamar.domain.text import (
    RECORDED,
    LocalLine,
    LocalPhrase,
    LocalText,
    PhraseText,
    PhraseTranslation,
    Prose,
    ProseLine,
    Translation,
    _known,
    language_tag,
    said,
)
from mamar.domain.visibility import Role, Visibility
from mamar.journal import store
from mamar.journal.envelope import PendingEvent
from mamar.journal.registry import EventData
from mamar.journal.verify import verify
from mamar.notes.model import NoteState
from mamar.projections.check import compare
from mamar.projections.entities import current, rebuild
from mamar.scenarios.runner import BUILT_IN
from mamar.system import Mamar
from mamar.web.render import called_text, marked, option_lang, page_title
from tests.api_support import created
from tests.conftest import make_system
from tests.helpers import at, open_operation, organisation
from tests.org_support import OP, World, account, build


@pytest.mark.parametrize(
    ("typed", "tag"),
    [
        ("AR", "ar"),
        ("zh-hant", "zh-Hant"),
        ("ar-sy", "ar-SY"),
        ("EN-gb", "en-GB"),
        ("es-419", "es-419"),
        ("sr-latn-rs", "sr-Latn-RS"),
        ("de-CH-1996", "de-CH-1996"),
        ("ckb", "ckb"),
        ("ar-SY-u-nu-arab", "ar-SY-u-nu-arab"),
    ],
)
def test_a_language_tag_is_written_the_usual_way(typed: str, tag: str) -> None:
    assert language_tag(typed) == tag
    assert LocalText(original="42", language=typed).language == tag


@pytest.mark.parametrize(
    ("typed", "problem", "named"),
    [
        ("arabic language", "language_tag_malformed", "arabic language"),
        ("en_GB", "language_tag_malformed", "en_GB"),
        ("english", "language_unknown", "english"),
        ("ar-", "language_tag_malformed", "ar-"),
        ("x-aleppo", "language_tag_malformed", "x-aleppo"),
        ("a", "language_tag_malformed", "a"),
        ("qq", "language_unknown", "qq"),
        ("ar-Xyzw", "script_unknown", "Xyzw"),
        ("ar-QQ", "region_unknown", "QQ"),
    ],
)
def test_a_bad_tag_is_refused_naming_the_problem(typed: str, problem: str, named: str) -> None:
    with pytest.raises(ValidationError) as refused:
        LocalText(original="42", language=typed)
    (error,) = refused.value.errors()
    assert error["type"] == problem
    assert named in error["msg"]
    with pytest.raises(ValidationError):
        Translation(text="x", language=typed)


_LANGUAGES = sorted(_known()[0])
_SCRIPTS = sorted(_known()[1])
_REGIONS = sorted(r for r in _known()[2] if r.isalpha())


def _any_case(draw: st.DrawFn, text: str) -> str:
    flips = draw(st.lists(st.booleans(), min_size=len(text), max_size=len(text)))
    return "".join(c.upper() if f else c.lower() for c, f in zip(text, flips, strict=True))


@st.composite
def _tags(draw: st.DrawFn) -> tuple[str, str]:
    """A tag of known subtags in any case, and the same tag written the usual way."""
    parts = [draw(st.sampled_from(_LANGUAGES))]
    usual = [parts[0]]
    if draw(st.booleans()):
        script = draw(st.sampled_from(_SCRIPTS))
        parts.append(script)
        usual.append(script.title())
    if draw(st.booleans()):
        region = draw(st.sampled_from(_REGIONS))
        parts.append(region)
        usual.append(region.upper())
    return _any_case(draw, "-".join(parts)), "-".join(usual)


@given(_tags())
def test_any_known_tag_in_any_case_reads_as_one_tag(case: tuple[str, str]) -> None:
    typed, usual = case
    assert language_tag(typed) == usual
    assert language_tag(usual) == usual


def test_a_text_holds_any_number_of_translations_and_the_reader_sees_theirs() -> None:
    text = LocalText(
        original="الميليشيات تطلق الرصاص",
        language="ar",
        translations=(
            Translation(text="The militias are firing", language="en", translated_by="icrc"),
            Translation(text="Les milices tirent", language="fr", translated_by="sarc"),
        ),
    )
    assert said(text, "en").words == "The militias are firing"
    assert said(text, "en").translated_by == "icrc"
    assert said(text, "fr").words == "Les milices tirent"
    arabic = said(text, "ar")
    assert (arabic.words, arabic.language, arabic.translation) == (text.original, "ar", False)
    # No translation into Turkish: the original, marked with its language, never a guess.
    turkish = said(text, "tr")
    assert (turkish.words, turkish.language, turkish.translation) == (text.original, "ar", False)


def test_a_page_marks_an_original_in_another_language_and_names_the_translator() -> None:
    text = {
        "original": "قصف على الحي",
        "language": "ar",
        "translations": [
            {"text": "Shelling <b>here</b>", "language": "en", "translated_by": "icrc"}
        ],
    }
    names = {"icrc": "ICRC"}
    english = str(marked(text, "en", lambda kind, id: names.get(id or "", "—")))
    assert english.startswith("Shelling &lt;b&gt;here&lt;/b&gt; <small")
    assert "ICRC" in english
    only_arabic = {"original": "قصف على الحي", "language": "ar"}
    assert str(marked(only_arabic, "en")) == '<bdi lang="ar" dir="auto">قصف على الحي</bdi>'
    assert str(marked(only_arabic, "ar")) == "قصف على الحي"


def test_a_page_title_is_the_records_name_without_the_translator_note() -> None:
    """The heading says who translated a name; the tab (``<title>``) says only the name."""
    text = {
        "original": "قصف على الحي",
        "language": "ar",
        "translations": [{"text": "Shelling <b>here</b>", "language": "en", "translated_by": None}],
    }
    heading = Markup("Incident: {}").format(marked(text, "en"))
    assert "(translated from Arabic)" in str(heading)  # the page's heading keeps the note
    assert page_title(heading) == "Incident: Shelling <b>here</b>"
    assert page_title("Incident: <b>typed</b>") == "Incident: <b>typed</b>"  # text stays text
    # A name only in another language than the page's: a title cannot mark it with its
    # language (and is read in the page's), so the tab leaves it out; its heading shows it.
    english_only = marked({"original": "East <i>side</i>", "language": "en"}, "ar")
    assert "<bdi" in str(english_only)
    assert page_title(english_only) == "…"
    assert page_title(Markup("القافلة: {}").format(english_only)) == "القافلة: …"
    # Where the record has a short reference, it stands for the name in the tab.
    assert page_title(english_only, "قافلة ٣") == "قافلة ٣"
    arabic = marked({"original": "شرق <i>حلب</i>", "language": "ar"}, "ar")
    assert page_title(Markup("القافلة: {}").format(arabic)) == "القافلة: شرق <i>حلب</i>"


def test_a_name_in_another_language_is_marked_in_a_sentence_and_a_pick_list() -> None:
    """A name given only in English, on an Arabic page: plain text that knows its language
    (a JSON twin's data), marked with it in a sentence (``<bdi>``) and on its ``<option>``
    (which holds text only); a name in the page's language is not marked."""
    english = called_text({"name": {"en": "North <gate>"}}, "ar")
    assert english == "North <gate>" and json.dumps(english) == '"North <gate>"'
    assert str(marked(english, "ar")) == '<bdi lang="en" dir="ltr">North &lt;gate&gt;</bdi>'
    assert str(option_lang(english)) == ' lang="en" dir="ltr"'
    arabic = called_text({"name": {"ar": "البوابة", "en": "Gate"}}, "ar")
    assert marked(arabic, "ar") == "البوابة" and option_lang(arabic) == ""
    said_in_english = called_text({"title": {"original": "Shelling", "language": "en-GB"}}, "ar")
    assert str(option_lang(said_in_english)) == ' lang="en-GB" dir="ltr"'
    labelled = english.saying(f"قافلة ٣ — {english}")  # a short reference before the name
    assert str(option_lang(labelled)) == ' lang="en" dir="ltr"'


def test_the_earlier_shape_is_read_as_one_translation_by_someone_not_known() -> None:
    earlier = {
        "original": "نص",
        "language": "ar",
        "translation": "A text",
        "translation_language": "en",
    }
    text = LocalText.model_validate(earlier, context=RECORDED)
    assert text.translations == (Translation(text="A text", language="en"),)
    assert said(earlier, "en").words == "A text"
    # A translation recorded without its language is never shown as if it were in one.
    unsaid = LocalText.model_validate({"original": "نص", "translation": "A text"}, context=RECORDED)
    assert said(unsaid, "en").words == "نص"


class _NoteAddedEarlier(EventData):
    """``note.added`` as the code before several translations wrote it (written, never
    registered: reading goes through today's ``note.added``)."""

    type_name = "note.added"

    note_kind: str = "general"
    subjects: tuple[str, ...] = ()
    text: dict[str, str]


_EARLIER_TEXT = {
    "original": "ملاحظة قديمة",
    "language": "ar",
    "translation": "An old note",
    "translation_language": "en",
}


@pytest.fixture
def earlier(tmp_path: Path) -> Iterator[Mamar]:
    system = make_system(f"sqlite:///{tmp_path / 'mamar.db'}")
    open_operation(system)
    with system.writing() as conn:
        store.append(
            conn,
            [
                PendingEvent(
                    stream="note:old",
                    version=1,
                    data=_NoteAddedEarlier(text=_EARLIER_TEXT),
                    occurred=at("2016-12-13T10:00+02:00"),
                    actor="system",
                    visibility=Visibility.SHARED,
                    operation="op",
                )
            ],
        )
        rebuild(conn)
    yield system
    system.dispose()


def _bodies(system: Mamar) -> list[bytes]:
    with system.reading() as conn:
        rows = conn.execute(select(journal.c.body).order_by(journal.c.position)).scalars()
        return [bytes(body) for body in rows]


def test_an_earlier_journal_loads_replays_and_verifies_with_its_bytes_untouched(
    earlier: Mamar,
) -> None:
    before = _bodies(earlier)
    assert b"translation_language" in before[-1]
    with earlier.reading() as conn:
        assert verify(conn).ok
        assert compare(conn) is None
        state = current(conn, "note:old")
    assert state is not None and isinstance(state[0], NoteState)
    assert state[0].text.translations == (Translation(text="An old note", language="en"),)
    # A translation added today sits beside it; the earlier event's bytes do not move.
    organisation(earlier, "icrc", kind="humanitarian")
    earlier.execute(
        _translate("note", "old", "Une vieille note", "fr"),
        actor=Actor(username="icrc-user", role=Role.COORDINATOR, organisation="icrc"),
    )
    after = _bodies(earlier)
    assert after[: len(before)] == before
    with earlier.reading() as conn:
        assert verify(conn).ok
        assert compare(conn) is None
        found = current(conn, "note:old")
    assert found is not None
    translations = found[0].text.translations  # type: ignore[attr-defined]
    assert [(t.language, t.translated_by) for t in translations] == [("en", None), ("fr", "icrc")]


class _MandateGrantedEarlier(EventData):
    """``mandate.granted`` as written when a mandate's scope was plain words (written, never
    registered: reading goes through today's ``mandate.granted``)."""

    type_name = "mandate.granted"

    granted_by: tuple[str, ...]
    to: dict[str, str]
    scope: str


class _MandateRevokedEarlier(EventData):
    type_name = "mandate.revoked"

    reason: str | None = None


def test_plain_words_of_an_earlier_journal_are_a_text_whose_language_is_not_known(
    tmp_path: Path,
) -> None:
    """A scope and a reason kept as plain words load, replay and verify with their bytes
    untouched; nobody said their language, so none is guessed: shown as written, marked."""
    system = make_system(f"sqlite:///{tmp_path / 'mamar.db'}")
    open_operation(system)
    written = [
        _MandateGrantedEarlier(
            granted_by=("factions",), to={"kind": "party", "id": "factions"}, scope="Negotiate"
        ),
        _MandateRevokedEarlier(reason="Another was chosen"),
    ]
    with system.writing() as conn:
        store.append(
            conn,
            [
                PendingEvent(
                    stream="mandate:old",
                    version=n,
                    data=data,
                    occurred=at(f"2016-12-1{n}T10:00+02:00"),
                    actor="system",
                    visibility=Visibility.SHARED,
                    operation="op",
                )
                for n, data in enumerate(written, 1)
            ],
        )
        rebuild(conn)
    before = _bodies(system)
    assert b'"scope":"Negotiate"' in before[-2] and b'"reason":"Another was chosen"' in before[-1]
    with system.reading() as conn:
        assert verify(conn).ok
        assert compare(conn) is None
        found = current(conn, "mandate:old")
    assert found is not None
    mandate = found[0]
    scope, reason = mandate.scope, mandate.revoked_reason  # type: ignore[attr-defined]
    assert (scope.original, scope.language) == ("Negotiate", "und")
    assert (reason.original, reason.language) == ("Another was chosen", "und")
    for lang in ("ar", "en"):
        assert said(scope, lang).words == "Negotiate"
        assert str(marked(reason, lang)) == '<bdi lang="und" dir="auto">Another was chosen</bdi>'
    assert _bodies(system) == before
    system.dispose()


def _translate(kind: str, record: str, words: str, language: str) -> Any:
    from mamar.domain.model import command_type

    return command_type(f"{kind}.translate").model_validate(
        {"id": record, "text": words, "language": language}
    )


# The API, through the door: the aleppo-2016 organisations with one account per role.


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    path: Path = tmp_path_factory.mktemp("translations") / "mamar.db"
    system = make_system(f"sqlite:///{path}")
    yield build(system)
    system.dispose()


def _icrc_records(world: World, path: str, body: dict[str, Any]) -> str:
    """The id of the record an ICRC coordinator creates through the API."""
    response = world.client.post(path, json=body, headers=world.headers("icrc", Role.COORDINATOR))
    assert response.status_code == 201, response.text
    return created(response.json())


def _icrc_note(world: World, visibility: str = "internal") -> str:
    return _icrc_records(
        world,
        "/api/v1/incident/report",
        {
            "operation": OP,
            "visibility": visibility,
            "event_type": "explosions_remote_violence",
            "description": {"original": "سقطت قذيفة قرب المستودع", "language": "ar"},
            "source": {"text": "فريق الميدان", "kind": "own_team"},
            "occurred": {"at": "2016-12-14T09:00+02:00", "precision": "minute"},
        },
    )


def test_the_api_adds_a_translation_by_the_callers_organisation(world: World) -> None:
    incident = _icrc_note(world)
    path = f"/api/v1/incident/{incident}/translate"
    body = {"text": "A shell fell near the warehouse", "language": "EN"}
    response = world.client.post(path, json=body, headers=world.headers("icrc", Role.MONITOR))
    assert response.status_code == 200, response.text
    got = world.client.get(
        f"/api/v1/incident/{incident}", headers=world.headers("icrc", Role.OBSERVER)
    ).json()
    translations = got["description"]["translations"]
    assert [(t["text"], t["language"], t["translated_by"]) for t in translations] == [
        ("A shell fell near the warehouse", "en", "icrc")
    ]
    # Nobody types who translated: a translator given by the caller is refused.
    forged = {**body, "translated_by": "sarc"}
    refused = world.client.post(path, json=forged, headers=world.headers("icrc", Role.MONITOR))
    assert refused.status_code == 422


def test_a_bad_language_tag_is_refused_in_arabic_and_changes_nothing(world: World) -> None:
    incident = _icrc_note(world)
    size = world.journal_size()
    headers = {**world.headers("icrc", Role.COORDINATOR), "Accept-Language": "ar"}
    response = world.client.post(
        f"/api/v1/incident/{incident}/translate",
        json={"text": "x", "language": "en_GB"},
        headers=headers,
    )
    assert response.status_code == 422
    message = response.text
    assert "en_GB" in message and "رمز لغة" in message
    same = world.client.post(
        f"/api/v1/incident/{incident}/translate",
        json={"text": "نص", "language": "ar-SY"},
        headers=headers,
    )
    assert same.status_code == 422 and "بلغة النص الأصلي" in same.text
    assert world.journal_size() == size


def test_another_organisation_that_cannot_see_the_record_cannot_translate_or_see_it(
    world: World,
) -> None:
    incident = _icrc_note(world)
    outsider = world.headers("sarc", Role.COORDINATOR)
    size = world.journal_size()
    response = world.client.post(
        f"/api/v1/incident/{incident}/translate",
        json={"text": "A shell", "language": "en"},
        headers=outsider,
    )
    assert response.status_code == 404
    assert world.journal_size() == size
    assert world.client.get(f"/api/v1/incident/{incident}", headers=outsider).status_code == 404


def test_a_translation_given_with_a_new_record_is_the_recording_organisations(
    world: World,
) -> None:
    response = world.client.post(
        "/api/v1/note/add",
        json={
            "operation": OP,
            "text": {
                "original": "وصلت القافلة",
                "language": "ar",
                "translations": [
                    {"text": "The convoy arrived", "language": "en", "translated_by": "sarc"}
                ],
            },
        },
        headers=world.headers("icrc", Role.COORDINATOR),
    )
    assert response.status_code == 201, response.text
    note = created(response.json())
    got = world.client.get(f"/api/v1/note/{note}", headers=world.headers("icrc", Role.OBSERVER))
    (translation,) = got.json()["text"]["translations"]
    assert translation["translated_by"] == "icrc"
    assert account("icrc", Role.COORDINATOR)  # the recording account's organisation


def _free_texts(value: Any) -> Iterator[dict[str, Any]]:
    if isinstance(value, dict):
        if "original" in value:
            yield value
            return
        for item in value.values():
            yield from _free_texts(item)
    elif isinstance(value, list):
        for item in value:
            yield from _free_texts(item)


@pytest.mark.parametrize("scenario", ["aleppo-2016", "two-towns"])
def test_every_free_text_of_the_scenarios_is_in_arabic_and_english(scenario: str) -> None:
    raw = yaml.safe_load((BUILT_IN / f"{scenario}.yaml").read_text(encoding="utf-8"))
    texts = [LocalText.model_validate(found) for found in _free_texts(raw)]
    assert texts
    for text in texts:
        languages = {text.language} | {t.language for t in text.translations}
        assert {"ar", "en"} <= languages, text.original


#: Languages, each with letters of its script (Kurdish is written in several).
_ALPHABETS = {
    "ar": "دهو",
    "ar-SY": "دهو",
    "en": "abc",
    "en-GB": "abc",
    "fr": "abc",
    "tr": "abc",
    "ku": "abc دهو",
    "zh-Hant": "中文字",
}


@st.composite
def _said(draw: st.DrawFn) -> tuple[str, str]:
    """Words and their language, the words in its script."""
    language = draw(st.sampled_from(sorted(_ALPHABETS)))
    alphabet = _ALPHABETS[language] + " "
    words = draw(st.text(alphabet=alphabet, min_size=1, max_size=6).map(str.strip).filter(bool))
    return words, language


_TEXTS = st.builds(
    lambda original, translations: LocalText(
        original=original[0],
        language=original[1],
        translations=tuple(
            Translation(text=words, language=tag, translated_by=by)
            for (words, tag), by in translations
        ),
    ),
    _said(),
    st.lists(st.tuples(_said(), st.sampled_from([None, "icrc", "sarc"])), max_size=4),
)


# Texts with up to four translations are slow to draw on a loaded machine; the draw's speed
# is not what this property is about.
@settings(suppress_health_check=[HealthCheck.too_slow])
@given(_TEXTS, st.sampled_from(["ar", "en", "fr", "tr"]))
def test_a_reader_sees_a_translation_into_their_language_or_else_the_original(
    text: LocalText, lang: str
) -> None:
    shown = said(text, lang)
    # The same from the record's JSON (pages) as from the model (exports, CLI).
    assert said(text.model_dump(mode="json"), lang) == shown
    into = [t for t in text.translations if t.language.split("-")[0] == lang]
    if text.language.split("-")[0] == lang or not into:
        assert (shown.words, shown.language, shown.translation) == (
            text.original,
            text.language,
            False,
        )
    else:
        assert shown.translation and shown.language is not None
        assert shown.language.split("-")[0] == lang
        assert (shown.words, shown.language, shown.translated_by) in {
            (t.text, t.language, t.translated_by) for t in into
        }


def test_the_timeline_tells_a_translation_in_the_readers_language(world: World) -> None:
    from mamar import reads
    from mamar.i18n.sentences import Speaker, sentence

    incident = _icrc_note(world)
    response = world.client.post(
        f"/api/v1/incident/{incident}/translate",
        json={"text": "A shell fell", "language": "en"},
        headers=world.headers("icrc", Role.COORDINATOR),
    )
    assert response.status_code == 200, response.text
    viewer = world.system.actor(account("icrc", Role.OBSERVER))
    with world.system.reading() as conn:
        entries = list(reads.timeline(conn, viewer=viewer, entity=f"incident:{incident}"))
    (entry,) = [e for e in entries if e.type == "text.translated"]
    arabic = str(sentence(entry, Speaker("ar")))
    assert "الإنجليزية" in arabic and "A shell fell" in arabic
    assert "English" in str(sentence(entry, Speaker("en")))


#: Free texts that were plain words (a party's, side's, organisation's, operation's and
#: issue's description, an operation's closing summary): (command, its data, kind, field).
_DESCRIBED: tuple[tuple[str, dict[str, Any], str, str], ...] = (
    (
        "party.register",
        {"id": "p-en", "name": {"en": "Hill clans"}, "party_kind": "armed_group"},
        "party",
        "description",
    ),
    ("side.form", {"id": "s-en", "name": {"en": "Hill side"}}, "side", "description"),
    (
        "organisation.register",
        {"id": "o-en", "name": {"en": "Hill relief"}, "organisation_kind": "humanitarian"},
        "organisation",
        "description",
    ),
    (
        "operation.open",
        {"id": "op-en", "name": {"en": "Hill evacuation"}, "timezone": "Asia/Damascus"},
        "operation",
        "description",
    ),
    ("issue.raise", {"id": "i-en", "title": {"en": "Hill road"}}, "issue", "description"),
)


@pytest.mark.parametrize(("command", "given", "kind", "field"), _DESCRIBED)
def test_a_description_keeps_its_language_and_an_arabic_reader_sees_an_english_one_marked(
    sqlite_system: Mamar, command: str, given: dict[str, Any], kind: str, field: str
) -> None:
    """Given with its language, a description is kept in it: an Arabic page marks the
    English words with their language, and ``mamar show`` says them as written."""
    from mamar import reads
    from mamar.cli.render import entity_lines
    from mamar.domain.model import command_type
    from mamar.services.commands import SYSTEM

    open_operation(sqlite_system)
    words = "Held <the> hill road"
    data = {**given, field: {"original": words, "language": "en"}}
    if kind not in ("organisation", "operation"):
        data["operation"] = "op"
    sqlite_system.execute(command_type(command).model_validate(data), actor=SYSTEM)
    with sqlite_system.reading() as conn:
        record = reads.get_entity(conn, viewer=SYSTEM, kind=kind, entity_id=given["id"])
    assert record[field] == {"original": words, "language": "en", "translations": []}
    assert str(marked(record[field], "ar")) == (
        '<bdi lang="en" dir="auto">Held &lt;the&gt; hill road</bdi>'
    )
    assert f": {words}" in entity_lines(record, "ar")


def test_an_operation_s_closing_summary_keeps_its_language(sqlite_system: Mamar) -> None:
    from mamar.operations.model import CloseOperation
    from mamar.services.commands import SYSTEM

    open_operation(sqlite_system)
    sqlite_system.execute(
        CloseOperation(id="op", summary={"original": "All out", "language": "en"}), actor=SYSTEM
    )
    assert b'"summary":{"language":"en","original":"All out"' in _bodies(sqlite_system)[-1]


class _PartyRegisteredEarlier(EventData):
    type_name = "party.registered"

    name: dict[str, str]
    kind: str
    description: str


class _IssueRaisedEarlier(EventData):
    type_name = "issue.raised"

    title: dict[str, str]
    description: str


def test_descriptions_of_an_earlier_journal_load_with_their_language_not_known(
    tmp_path: Path,
) -> None:
    """A party's and an issue's description recorded as plain words replay, verify and
    read as words whose language is not known."""
    system = make_system(f"sqlite:///{tmp_path / 'mamar.db'}")
    open_operation(system)
    written = [
        (
            "party:old",
            _PartyRegisteredEarlier(name={"en": "Old"}, kind="other", description="Old party"),
        ),
        ("issue:old", _IssueRaisedEarlier(title={"en": "Old"}, description="Old issue")),
    ]
    with system.writing() as conn:
        store.append(
            conn,
            [
                PendingEvent(
                    stream=stream,
                    version=1,
                    data=data,
                    occurred=at("2016-12-14T10:00+02:00"),
                    actor="system",
                    visibility=Visibility.SHARED,
                    operation="op",
                )
                for stream, data in written
            ],
        )
        rebuild(conn)
    before = _bodies(system)
    assert b'"description":"Old party"' in b"".join(before)
    with system.reading() as conn:
        assert verify(conn).ok
        assert compare(conn) is None
        party, issue = current(conn, "party:old"), current(conn, "issue:old")
    assert party is not None and issue is not None
    for state, words in ((party[0], "Old party"), (issue[0], "Old issue")):
        text = state.description  # type: ignore[attr-defined]
        assert (text.original, text.language) == (words, "und")
        assert str(marked(text, "ar")) == f'<bdi lang="und" dir="auto">{words}</bdi>'
    assert _bodies(system) == before
    system.dispose()


# Every free text of a record, whatever its kind of text (issue "Arabic all the way", 2).


class _Said(EntityState):
    """A record of texts of every kind, as a state may hold them."""

    words: PhraseText
    line: ProseLine | None = None
    prose: Prose | None = None
    local: LocalLine | None = None
    lines: tuple[Prose, ...] = ()


def _meta() -> EventMeta:
    return EventMeta(
        entity_id="said",
        operation=OP,
        visibility=Visibility.INTERNAL,
        occurred_at="2016-12-14T09:00:00+02:00",
        actor="translator",
        organisation="icrc",
    )


def test_every_free_text_of_a_record_is_translatable_its_main_one_first() -> None:
    from mamar.contacts.model import ContactState
    from mamar.convoys.model import ConvoyState
    from mamar.incidents.model import IncidentState
    from mamar.negotiation.model import PositionState
    from mamar.translating.commands import translatable_kinds
    from mamar.translating.model import text_fields

    # A phrase, a line, prose, optional or not; not a list of texts (nothing names one).
    assert text_fields(_Said) == ("words", "line", "prose", "local")
    # The description stays the one translated when no text is named (before the detail).
    assert text_fields(IncidentState) == ("description", "weapon_detail")
    assert text_fields(ConvoyState) == ("batch_of",)
    assert text_fields(ContactState) == ("summary", "status_reason")
    # A bottom line or a ceiling is kept in a compartment: a translation is an event every
    # reader of the position sees, its words with it.
    assert text_fields(PositionState) == ("stance",)
    kinds = translatable_kinds()
    assert {"convoy", "influence", "issue", "position"} <= set(kinds)
    assert kinds["mandate"] == ("scope", "revoked_reason")


def test_every_translatable_text_has_a_name_in_words_in_both_languages() -> None:
    from mamar.i18n.labels import field_label
    from mamar.translating.commands import translatable_kinds

    for kind, fields in translatable_kinds().items():
        for name in fields:
            arabic, english = field_label(name, "ar"), field_label(name, "en")
            assert arabic and english, (kind, name)
            assert re.search("[\u0621-\u064a]", arabic) and "_" not in arabic, (kind, name)
            assert arabic != english, (kind, name)


def test_a_phrase_is_translated_as_a_phrase_and_a_line_refuses_two_lines() -> None:
    from mamar.domain.errors import DomainError
    from mamar.domain.model import Context
    from mamar.translating.commands import TranslateText, translate
    from mamar.translating.events import TextTranslated
    from mamar.translating.model import with_translation

    state = _Said(
        id="said",
        words={"original": "بعد الغروب", "language": "ar"},
        line={"original": "جرحى", "language": "ar"},
    )
    event = TextTranslated(field="words", text="after sunset", language="en", translated_by="icrc")
    words = with_translation(state, event, _meta()).words
    (added,) = words.translations
    assert isinstance(words, LocalPhrase) and isinstance(added, PhraseTranslation)
    assert (added.text, added.language, added.translated_by) == ("after sunset", "en", "icrc")
    ctx = Context(
        actor=Actor("translator", Role.COORDINATOR, organisation="icrc"),
        occurred_at=datetime(2016, 12, 14, 7, tzinfo=UTC),
        lookup=None,  # type: ignore[arg-type]  # translating looks nothing up
    )
    for field, long in (("words", "after\nsunset"), ("line", "the\nwounded"), ("line", "w" * 201)):
        with pytest.raises(DomainError) as refused:
            translate(state, TranslateText(id="said", field=field, text=long, language="en"), ctx)
        assert (refused.value.code, refused.value.field) == ("translation_one_line", "text")
    (one,) = translate(
        state, TranslateText(id="said", field="line", text="wounded", language="en"), ctx
    )
    assert isinstance(one, TextTranslated) and one.field == "line"


def _icrc_convoy(world: World) -> str:
    return _icrc_records(
        world,
        "/api/v1/convoy/plan",
        {
            "operation": OP,
            "name": {"ar": "دفعة الجرحى"},
            "batch_of": {"original": "جرحى ومرافقوهم", "language": "ar"},
        },
    )


def test_the_api_translates_who_travels_on_one_line_only(world: World) -> None:
    convoy = _icrc_convoy(world)
    path = f"/api/v1/convoy/{convoy}/translate"
    headers = {**world.headers("icrc", Role.COORDINATOR), "Accept-Language": "ar"}
    size = world.journal_size()
    two_lines = {"field": "batch_of", "text": "the wounded\nand their companions", "language": "en"}
    refused = world.client.post(path, json=two_lines, headers=headers)
    assert refused.status_code == 422, refused.text
    assert "سطر واحد" in refused.json()["error"]["message"]
    assert world.journal_size() == size
    one_line = {"text": "the wounded and their companions", "language": "en"}
    assert world.client.post(path, json=one_line, headers=headers).status_code == 200
    got = world.client.get(f"/api/v1/convoy/{convoy}", headers=headers).json()
    assert [(t["text"], t["translated_by"]) for t in got["batch_of"]["translations"]] == [
        ("the wounded and their companions", "icrc")
    ]


def _icrc_incident_with_detail(world: World) -> str:
    return _icrc_records(
        world,
        "/api/v1/incident/report",
        {
            "operation": OP,
            "event_type": "explosions_remote_violence",
            "description": {"original": "انفجرت سيارة قرب شاحنات الإغاثة", "language": "ar"},
            "weapon": "other",
            "weapon_detail": {"original": "A van packed with explosives", "language": "en"},
            "source": {"text": "فريق الميدان", "kind": "own_team"},
        },
    )


def test_the_translation_page_names_each_text_in_words_and_translates_the_one_chosen(
    world: World,
) -> None:
    from tests.web_support import csrf, signed_in

    incident = _icrc_incident_with_detail(world)
    # Named by no field: the description, as before the detail could be translated.
    plain = {"text": "A car exploded near the aid trucks", "language": "en"}
    answered = world.client.post(
        f"/api/v1/incident/{incident}/translate",
        json=plain,
        headers=world.headers("icrc", Role.COORDINATOR),
    )
    assert answered.status_code == 200, answered.text
    client = signed_in(world.system, account("icrc", Role.COORDINATOR))
    path = f"/ops/{OP}/incidents/{incident}/translate"
    page = client.get(f"{path}?lang=ar&field=weapon_detail")
    assert page.status_code == 200, page.text[-800:]
    # Each text under its name in Arabic; the choice of text by those names, never the
    # field's name in the code.
    assert "<h3>الوصف</h3>" in page.text and "<h3>تفاصيل السلاح</h3>" in page.text
    assert '<option value="weapon_detail" selected>تفاصيل السلاح</option>' in page.text
    assert '<option value="description">الوصف</option>' in page.text
    shown = re.sub(r"<[^>]+>", " ", page.text.split("<main", 1)[1])
    assert "weapon_detail" not in shown and "description" not in shown
    form = {
        "csrf": csrf(client),
        "translation.field": "weapon_detail",
        "translation.language": "ar",
        "translation.text": "شاحنة صغيرة محمّلة بالمتفجرات",
    }
    assert client.post(f"{path}?lang=ar", data=form).status_code == 303
    with world.system.reading() as conn:
        found = current(conn, f"incident:{incident}")
    assert found is not None
    state = found[0]
    assert [t.text for t in state.weapon_detail.translations] == [form["translation.text"]]  # type: ignore[attr-defined]
    assert [t.text for t in state.description.translations] == [plain["text"]]  # type: ignore[attr-defined]
