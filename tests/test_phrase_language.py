"""The words said for a time ("بعد منتصف الليل", "after sunset") keep their language and
translations, signed with the rest of the event (issue 18); journals from before, which kept
plain words, load, replay and verify with their bytes untouched (the words' language is not
known: ``und``)."""

from __future__ import annotations

import re
from typing import Any

import orjson
import pytest
import rfc8785
from sqlalchemy import delete, select, update
from typer.testing import CliRunner

from mamar import reads
from mamar.cli import app as cli
from mamar.convoys.commands import ChangeConvoyStatus, PlanConvoy
from mamar.db.tables import (
    checkpoints,
    journal,
    journal_head,
    merkle_nodes,
    signed_checkpoints,
)
from mamar.domain.text import said
from mamar.domain.time import Precision
from mamar.domain.visibility import Role
from mamar.journal import store
from mamar.journal.canonical import GENESIS_HASH, canonical_bytes, chain_hash
from mamar.journal.verify import verify
from mamar.projections.check import compare
from mamar.projections.entities import rebuild
from mamar.services.commands import SYSTEM
from mamar.system import Mamar
from mamar.web.render import marked
from tests.api_support import Api, make_api, post, record
from tests.helpers import at, open_operation
from tests.web_support import OP, csrf, make_web

MIDNIGHT = {
    "original": "بعد منتصف الليل",
    "language": "ar",
    "translations": [{"text": "after midnight", "language": "en"}],
}


def _plan(system: Mamar, phrase: Any) -> None:
    system.execute(
        PlanConvoy(id="c1", operation="op", name={"ar": "الدفعة الأولى"}),
        actor=SYSTEM,
        occurred=at("2016-12-13T17:30+02:00", Precision.APPROXIMATE, phrase),
    )


def _rows(system: Mamar) -> list[tuple[bytes, bytes]]:
    with system.reading() as conn:
        found = conn.execute(select(journal.c.body, journal.c.hash).order_by(journal.c.position))
        return [(bytes(body), bytes(digest)) for body, digest in found]


def _as_before_issue_18(system: Mamar) -> None:
    """Rewrite the journal as it was written before the words kept their language: each
    phrase its plain words, the chain recomputed; the Merkle tree is rebuilt from the bodies
    at the next append, as for any journal from before the tree."""
    with system.writing() as conn:
        rows = conn.execute(select(journal.c.position, journal.c.body).order_by(journal.c.position))
        prev = GENESIS_HASH
        count = 0
        for position, stored in rows.all():
            envelope = orjson.loads(bytes(stored))
            if isinstance(envelope["phrase"], dict):
                envelope["phrase"] = envelope["phrase"]["original"]
            body = canonical_bytes(envelope)
            digest = chain_hash(prev, body)
            conn.execute(
                update(journal)
                .where(journal.c.position == position)
                .values(body=body, prev_hash=prev, hash=digest)
            )
            prev, count = digest, count + 1
        for table in (merkle_nodes, checkpoints, signed_checkpoints):
            conn.execute(delete(table))
        conn.execute(
            update(journal_head).values(position=count, hash=prev, tree_size=0, frontier=None)
        )


def test_a_journal_of_plain_phrases_loads_replays_and_verifies_unchanged(system: Mamar) -> None:
    open_operation(system)
    _plan(system, "after sunset")
    _as_before_issue_18(system)
    before = _rows(system)
    assert orjson.loads(before[-1][0])["phrase"] == "after sunset"
    with system.reading() as conn:
        assert verify(conn).ok
    checked = CliRunner().invoke(cli, ["verify", "-d", system.settings.database_url])
    assert checked.exit_code == 0, checked.output
    with system.writing() as conn:
        rebuild(conn)
    with system.reading() as conn:
        assert compare(conn) is None
        (entry,) = reads.timeline(conn, viewer=SYSTEM, entity="convoy:c1")
    # Read as words whose language nobody said: shown as they are, marked as such.
    assert entry.phrase == {"original": "after sunset", "language": "und"}
    assert said(entry.phrase, "ar").language == "und"
    assert str(marked(entry.phrase, "ar")) == '<bdi lang="und" dir="auto">after sunset</bdi>'
    # Words said today sit beside them, with their language; the earlier bytes do not move.
    system.execute(
        ChangeConvoyStatus(id="c1", status="preparing"),
        actor=SYSTEM,
        occurred=at("2016-12-14T00:30+02:00", Precision.HOUR, MIDNIGHT),
    )
    after = _rows(system)
    assert after[: len(before)] == before
    assert orjson.loads(after[-1][0])["phrase"]["language"] == "ar"
    with system.reading() as conn:
        result = verify(conn)
        entries = list(reads.timeline(conn, viewer=SYSTEM, entity="convoy:c1"))
    assert result.ok and result.count == len(after)
    assert [said(e.phrase, "en").words for e in entries] == ["after sunset", "after midnight"]


def test_the_words_language_is_signed_with_them(system: Mamar) -> None:
    open_operation(system)
    _plan(system, MIDNIGHT)
    with system.reading() as conn:
        (event,) = store.read_stream(conn, "convoy:c1")
        assert verify(conn).ok
    envelope = orjson.loads(event.body)
    # RFC 8785 bytes, the words with their language and translation among them.
    assert event.body == bytes(rfc8785.dumps(envelope))
    assert envelope["phrase"]["language"] == "ar"
    # Saying the same words were English changes what was signed: verify finds it.
    envelope["phrase"]["language"] = "en"
    with system.writing() as conn:
        conn.execute(
            update(journal)
            .where(journal.c.position == event.position)
            .values(body=canonical_bytes(envelope))
        )
    with system.reading() as conn:
        result = verify(conn)
    assert not result.ok and result.failed_position == event.position


@pytest.fixture
def api(sqlite_system: Mamar) -> Api:
    api = make_api(sqlite_system)
    record(api, "/api/v1/operation/open", {"id": "op", "name": {"en": "Op"}, "timezone": "UTC"})
    return api


def _phrase_of(api: Api, receipt: dict[str, Any]) -> Any:
    position = None
    with api.system.reading() as conn:
        for event in store.read_all(conn):
            if event.hash.hex() == receipt["events"][0]["hash"]:
                position = event.position
                phrase = event.phrase
    assert position is not None
    return phrase


def test_the_api_keeps_the_words_language_and_names_the_translator(api: Api) -> None:
    body = {
        "operation": "op",
        "name": {"en": "Batch"},
        "occurred": {
            "at": "2016-12-15T00:30+02:00",
            "phrase": {
                "original": "after midnight",
                "language": "en",
                # Nobody records words as another organisation's translation.
                "translations": [
                    {"text": "بعد منتصف الليل", "language": "ar", "translated_by": "icrc"}
                ],
            },
        },
    }
    phrase = _phrase_of(api, post(api, "/api/v1/convoy/plan", body))
    assert phrase["language"] == "en"
    assert phrase["translations"] == [
        {"text": "بعد منتصف الليل", "language": "ar", "translated_by": "installation", "at": None}
    ]
    # Plain words are an original given without its language: in Arabic, as for any text.
    plain = {**body, "occurred": {"at": "2016-12-15T00:30+02:00", "phrase": "بعد منتصف الليل"}}
    phrase = _phrase_of(api, post(api, "/api/v1/convoy/plan", plain))
    assert phrase == {"original": "بعد منتصف الليل", "language": "ar", "translations": []}


def test_a_translation_of_the_words_is_one_line(api: Api) -> None:
    body = {
        "operation": "op",
        "name": {"en": "Batch"},
        "occurred": {
            "at": "2016-12-15T00:30+02:00",
            "phrase": {
                "original": "ليلاً",
                "translations": [{"text": "at\nnight", "language": "en"}],
            },
        },
    }
    response = api.client.post(
        "/api/v1/convoy/plan", json=body, headers=api.headers(Role.COORDINATOR)
    )
    assert response.status_code == 422, response.text
    assert response.json()["error"]["field"] == "occurred.phrase.translations.0.text"


def test_words_typed_in_a_form_are_in_the_pages_language(sqlite_system: Mamar) -> None:
    web = make_web(sqlite_system)
    client = web.client("operations")
    for lang, words in (("en", "before dawn"), ("ar", "قبل الفجر")):
        planned = client.post(
            f"/ops/{OP}/convoys?lang={lang}",
            data={
                "csrf": csrf(client),
                "name.ar": f"دفعة {lang}",
                "occurred_at": "2016-12-16 05:00",
                "precision": "hour",
                "phrase": words,
            },
        )
        assert planned.status_code == 303, planned.text[-1500:]
        convoy = planned.headers["location"].split("?")[0].rsplit("/", 1)[1]
        with web.system.reading() as conn:
            (event,) = [e for e in store.read_stream(conn, f"convoy:{convoy}")]
        assert event.phrase == {"original": words, "language": lang, "translations": []}
        page = client.get(f"/ops/{OP}/convoys/{convoy}?lang=ar").text
        if lang == "ar":
            assert f"«{words}»" in page
        else:  # English words on an Arabic page: marked with their language
            assert f'«<bdi lang="en" dir="auto">{words}</bdi>»' in page


def test_words_typed_in_a_form_keep_the_language_chosen_beside_them(sqlite_system: Mamar) -> None:
    web = make_web(sqlite_system)
    client = web.client("operations")
    # Beside the words, as beside every free text: the page's language chosen at first.
    page = client.get(f"/ops/{OP}/convoys?lang=ar").text
    assert 'name="phrase.language"' in page and 'name="phrase.language_other"' in page
    assert '<option value="ar" selected>' in page.split('name="phrase.language"', 1)[1]
    said = (
        ("after sunset", {"phrase.language": "en"}, "en"),
        ("gün batımından sonra", {"phrase.language": "other", "phrase.language_other": "tr"}, "tr"),
    )
    for words, language, recorded in said:
        form = {
            "csrf": csrf(client),
            "name.ar": f"دفعة {recorded}",
            "occurred_at": "2016-12-16 05:00",
            "precision": "hour",
            "phrase": words,
            **language,
        }
        planned = client.post(f"/ops/{OP}/convoys?lang=ar", data=form)
        assert planned.status_code == 303, planned.text[-1500:]
        convoy = planned.headers["location"].split("?")[0].rsplit("/", 1)[1]
        with web.system.reading() as conn:
            (event,) = list(store.read_stream(conn, f"convoy:{convoy}"))
        assert event.phrase == {"original": words, "language": recorded, "translations": []}
    # A code that names no language: refused beside the select, every value kept as typed,
    # nothing recorded.
    before = web.journal_size()
    form = {
        "csrf": csrf(client),
        "name.ar": "دفعة ثالثة",
        "occurred_at": "2016-12-16 06:00",
        "phrase": "before dawn",
        "phrase.language": "other",
        "phrase.language_other": "xx-notalang",
    }
    refused = client.post(f"/ops/{OP}/convoys?lang=ar", data=form)
    assert refused.status_code == 422
    assert 'aria-describedby="phrase-language-error"' in refused.text
    message = re.search(r'id="phrase-language-error"[^>]*>([^<]*)<', refused.text)
    assert message is not None and re.search("[\u0621-\u064a]", message.group(1))
    assert 'value="before dawn"' in refused.text and 'value="xx-notalang"' in refused.text
    after_select = refused.text.split('name="phrase.language"', 1)[1]
    assert '<option value="other" selected>' in after_select.split("</select>", 1)[0]
    assert web.journal_size() == before
