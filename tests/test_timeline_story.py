"""The timeline tells the story in sentences: one per event, in the reader's language, with
the records' names, the recording organisation, places and figures; the same sentences on
the web and in ``mamar timeline``; filters by party, convoy, place and kind; as it happened
or as it was known then."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from mamar import reads
from mamar.cli import app as cli
from mamar.i18n.sentences import Speaker, has_sentence, sentence, speaker_for, told
from mamar.reads import TimelineEntry
from mamar.scenarios import runner
from mamar.system import Mamar
from tests.conftest import make_system
from tests.web_support import OP, make_web

SNAKE = re.compile(r"\b[a-z]+(?:[_-][a-z0-9]+)+\b")
LATIN_WORD = re.compile(r"\b[A-Za-z]{3,}\b")


@pytest.fixture(scope="module")
def both(tmp_path_factory: pytest.TempPathFactory) -> list[Mamar]:
    systems = []
    for name in ("aleppo-2016", "two-towns"):
        path = tmp_path_factory.mktemp(name) / "mamar.db"
        system = make_system(f"sqlite:///{path}")
        runner.run(system, runner.load(name))
        systems.append(system)
    return systems


def test_every_event_of_both_scenarios_is_a_sentence_in_arabic(both: list[Mamar]) -> None:
    for system in both:
        viewer = system.actor("system")
        with system.reading() as conn:
            speaker = speaker_for(conn, viewer, "ar", "Asia/Damascus")
            entries = list(reads.timeline(conn, viewer=viewer))
            generic = sorted({e.type for e in entries if not has_sentence(e.type)})
            assert generic == []
            for e in entries:
                said = str(told(e, speaker))
                assert re.match(r"^[\d٠-٩]{2}:[\d٠-٩]{2} — ", said), said
                assert e.entity_id not in said or e.entity_id in str(
                    speaker.name(e.kind, e.entity_id)
                ), said
                assert e.type not in said and e.type.split(".")[1] not in said.split(), said
                assert "%(" not in said, said


def test_sentences_name_records_places_figures_and_who_recorded(both: list[Mamar]) -> None:
    aleppo, towns = both
    with aleppo.reading() as conn:
        viewer = aleppo.actor("coordinator")
        speaker = speaker_for(conn, viewer, "ar", "Asia/Damascus")
        said = [
            str(told(e, speaker))
            for e in reads.timeline(conn, viewer=viewer, entity="convoy:first-wounded")
        ]
    assert any(
        "أبلغت قافلة «الدفعة الأولى من الجرحى» عن إطلاق نار قرب الراموسة" in s for s in said
    ), said
    assert any("وصلت قافلة «الدفعة الأولى من الجرحى» إلى الراشدين" in s for s in said)
    assert any("(سجّله: الهلال الأحمر العربي السوري)" in s for s in said)
    with towns.reading() as conn:
        viewer = towns.actor("system")
        speaker = speaker_for(conn, viewer, "ar", "Etc/GMT-2")
        counts = [
            str(sentence(e, speaker))
            for e in reads.timeline(conn, viewer=viewer, types=["convoy.counts_recorded"])
        ]
    assert any("على متنها 80، ووصل منهم 79" in s for s in counts), counts


def test_an_event_without_its_own_sentence_still_reads_in_arabic() -> None:
    entry = TimelineEntry(
        position=1,
        stream="convoy:c1",
        kind="convoy",
        entity_id="c1",
        type="convoy.stop_added",
        occurred_at="2016-12-15T12:05:00+02:00",
        occurred_utc="2016-12-15T10:05:00.000000Z",
        precision="minute",
        phrase=None,
        recorded_at="2016-12-15T12:06:00+02:00",
        actor="system",
        visibility="shared",
        operation=None,
        data={},
    )
    speaker = Speaker("ar", "Asia/Damascus", {"convoy:c1": {"name": {"ar": "قافلة الفجر"}}})
    said = str(told(entry, speaker))
    assert said == "12:05 — القوافل «قافلة الفجر»: أُضيفت محطة إلى القافلة", said
    assert not LATIN_WORD.search(said)


def test_the_cli_tells_the_same_sentences(both: list[Mamar]) -> None:
    aleppo = both[0]
    result = CliRunner().invoke(
        cli,
        [
            "timeline",
            "--lang",
            "ar",
            "--entity",
            "convoy:first-wounded",
            "-d",
            str(aleppo.engine.url),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "أبلغت قافلة «الدفعة الأولى من الجرحى» عن إطلاق نار قرب الراموسة" in result.output
    assert "convoy.status_changed" not in result.output


def test_the_web_timeline_filters_and_orders(system: Mamar) -> None:
    client = make_web(system).client("coordinator")
    url = f"/ops/{OP}/timeline?lang=ar"
    page = client.get(url).text
    assert "أبلغت قافلة «الدفعة الأولى من الجرحى» عن إطلاق نار قرب" in page
    assert '<select id="t-party" name="party">' in page and '<select id="t-convoy"' in page
    assert '<select id="t-place"' in page and '<select id="t-kind"' in page
    convoy = client.get(url + "&convoy=first-wounded&place=ramouseh").text
    assert "معايير التصفية" in convoy
    assert "أبلغت قافلة «الدفعة الأولى من الجرحى» عن إطلاق نار قرب" in convoy
    assert "سُجّل المكان «حلب»" not in convoy
    assert "تجمّعت قافلة" not in convoy  # staged at another place
    kind = client.get(url + "&kind=guarantee").text
    assert "ضماناً إلى" in kind and "قافلة «" not in kind.split("<section", 1)[1]
    none = client.get(url + "&convoy=first-wounded&kind=guarantee&party=european-union").text
    assert "لا شيء يطابق معايير التصفية هذه." in none
    known = client.get(url + "&order=recorded").text
    assert "وسُجّل" in known  # both times where they differ
    then = client.get(url + "&at=2016-12-14T10:00").text
    assert "كما كان الوضع في" in then
    assert "وصلت قافلة «الدفعة الأولى من الجرحى»" not in then
    assert "انطلقت قافلة «الدفعة الأولى من الجرحى» من العامرية" in then
    assert 'name="at" value="2016-12-14T10:00"' in then
    # As it was known then: the demo was recorded when it was replayed, not in 2016.
    recorded = client.get(url + "&order=recorded&at=2016-12-14T10:00").text
    assert "لا شيء يطابق معايير التصفية هذه." in recorded


def test_no_english_of_its_own_on_the_arabic_timeline(tmp_path: Path, system: Mamar) -> None:
    client = make_web(system).client("coordinator")
    page = client.get(f"/ops/{OP}/timeline?lang=ar").text
    body = page.split("<section", 1)[1]
    assert "convoy." not in body and "status_changed" not in body


def test_a_records_history_is_told_in_sentences_with_who_recorded_it(system: Mamar) -> None:
    client = make_web(system).client("coordinator")
    page = client.get(f"/ops/{OP}/convoys/first-wounded?lang=ar").text
    history = page.split('id="h-history"', 1)[1].split("</section>", 1)[0]
    assert "أبلغت قافلة «الدفعة الأولى من الجرحى» عن إطلاق نار قرب الراموسة" in history
    assert '<td data-label="سجّله">الهلال الأحمر العربي السوري</td>' in history
    assert '<td data-label="سجّله">coordinator</td>' not in history
    assert "تغيّرت حالة القافلة" not in history


def test_less_frequent_events_have_sentences_of_their_own() -> None:
    records = {
        "party:north": {"name": {"ar": "الفصيل الشمالي"}},
        "party:east": {"name": {"ar": "القيادة الشرقية"}},
        "side:valley": {"name": {"ar": "جانب الوادي"}},
        "control_area:hill": {"name": {"ar": "التلة"}},
    }
    speaker = Speaker("ar", "Etc/GMT-2", records)

    def said(stream: str, type_name: str, data: dict[str, object]) -> str:
        kind, _, entity_id = stream.partition(":")
        entry = {"kind": kind, "entity_id": entity_id, "type": type_name, "data": data}
        assert has_sentence(type_name)
        return str(sentence(entry, speaker))

    joined = said("party:north", "party.joined_side", {"side": "valley"})
    assert joined == "انضمّ الفصيل الشمالي إلى «جانب الوادي»"
    moved = said(
        "control_area:hill", "control_area.transferred", {"party": "east", "previous": "north"}
    )
    assert moved == "انتقلت السيطرة على «التلة» من الفصيل الشمالي إلى القيادة الشرقية"
