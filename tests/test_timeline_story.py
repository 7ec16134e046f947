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
from mamar.i18n.joined import JOINED
from mamar.i18n.sentences import Speaker, has_sentence, sentence, speaker_for, told
from mamar.reads import TimelineEntry
from mamar.scenarios import runner
from mamar.system import Mamar
from mamar.web.render import called_text
from tests.conftest import make_system
from tests.web_support import OP, make_web

SNAKE = re.compile(r"\b[a-z]+(?:[_-][a-z0-9]+)+\b")
LATIN_WORD = re.compile(r"\b[A-Za-z]{3,}\b")
#: A clock time on an Arabic page (CLDR's 12-hour clock: "5:30 م").
CLOCK_AR = re.compile(r"(?<![+\-\d٠-٩])[\d٠-٩]{1,2}:[\d٠-٩]{2}")


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
                if e.precision == "day":  # known only to the day: no clock time
                    assert not CLOCK_AR.search(said) and " — " not in said[:12], said
                else:
                    assert re.match(r"^[\d٠-٩]{1,2}:[\d٠-٩]{2} [صم] — ", said), said
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
    assert any("(الجهة المسجِّلة: الهلال الأحمر العربي السوري)" in s for s in said)
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
    assert said == "12:05 م — القوافل «قافلة الفجر»: أُضيفت محطة إلى القافلة", said
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
    assert "ضمان لصالح" in kind and "قافلة «" not in kind.split("<section", 1)[1]
    none = client.get(url + "&convoy=first-wounded&kind=guarantee&party=european-union").text
    assert "لا شيء يطابق معايير التصفية هذه." in none
    known = client.get(url + "&order=recorded").text
    assert "وقع في" in known  # when it happened, under when it was recorded
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
    assert joined == "أصبح «جانب الوادي» يضمّ الفصيل الشمالي أيضاً"
    moved = said(
        "control_area:hill", "control_area.transferred", {"party": "east", "previous": "north"}
    )
    assert moved == "انتقلت السيطرة على «التلة» من الفصيل الشمالي إلى القيادة الشرقية"


def _story(page: str) -> list[tuple[str, list[str]]]:
    """The timeline's days: each heading and its lines."""
    section = page.split('<section class="story"', 1)[1].split("</section>", 1)[0]
    days = []
    for part in section.split("<h2>")[1:]:
        heading, _, rest = part.partition("</h2>")
        days.append((heading, re.findall(r"<li>(.*?)</li>", rest, flags=re.DOTALL)))
    return days


def _plain(html: str) -> str:
    return re.sub(r"<[^>]+>", "", html)


def test_each_day_says_its_zone_and_a_day_only_event_shows_no_time(system: Mamar) -> None:
    client = make_web(system).client("coordinator")
    days = _story(client.get(f"/ops/{OP}/timeline?lang=ar").text)
    assert len(days) > 5
    seen = {"day": 0, "timed": 0}
    for heading, lines in days:
        assert re.fullmatch(r"\d{1,2} \S+ 201[56] \(توقيت سوريا، غرينتش\+0[23]:00\)", heading)
        for line in lines:
            said = _plain(line)
            if "(التاريخ دون ساعة" in said:  # known only to the day: no clock time at all
                seen["day"] += 1
                assert not CLOCK_AR.search(said.split("(التاريخ دون ساعة", 1)[0]), said
            else:
                seen["timed"] += 1
                assert re.match(r"\d{1,2}:\d{2} [صم](?: \(غرينتش\+0\d:00\))? — ", said), said
            # One clock in Arabic: CLDR's 12-hour one, every time with ص or م (what users
            # wrote, quoted, is theirs).
            ours = re.sub(r"«[^»]*»", "", said)
            assert all(ours[m.end() : m.end() + 2] in (" ص", " م") for m in CLOCK_AR.finditer(ours))
    assert seen["day"] > 5 and seen["timed"] > 50


def test_as_it_was_known_then_is_ordered_and_headed_by_when_it_was_recorded(
    system: Mamar,
) -> None:
    web = make_web(system)
    with system.reading() as conn:
        viewer = system.actor("coordinator")
        recorded = [e.recorded_at for e in reads.timeline(conn, viewer=viewer, order="recorded")]
    assert recorded == sorted(recorded, key=lambda t: t.replace("Z", "+00:00"))
    days = _story(web.client("coordinator").get(f"/ops/{OP}/timeline?lang=ar&order=recorded").text)
    assert days
    happened = 0
    for heading, lines in days:
        # The demo is recorded when it is replayed: the headings are the replay's days.
        assert "2016" not in heading and re.search(r"\(.*غرينتش\+0\d:00\)$", heading), heading
        for line in lines:
            said = _plain(line)
            assert re.match(r"\d{1,2}:\d{2} [صم](?: \(غرينتش\+0\d:00\))? — ", said), said
            when = re.search(
                r"وقع في (\d{1,2} \S+ \d{4})(، \d{1,2}:\d{2} [صم])? \(غرينتش\+0\d:00\)", said
            )
            assert when, said
            assert (when.group(2) is None) == ("(التاريخ دون ساعة" in said), said
            happened += 1
    assert happened > 50


def test_the_cli_gives_every_line_its_day_time_and_zone(both: list[Mamar]) -> None:
    url = str(both[0].engine.url)
    stamp = r"(\d{1,2} \S+ \d{4})(، \d{1,2}:\d{2} [صم])? \(غرينتش(?:\+0\d:00)?\)"
    runner = CliRunner()
    lines = runner.invoke(cli, ["--lang", "ar", "timeline", "-d", url]).output.splitlines()
    assert len(lines) > 100
    for line in lines:
        found = re.match(stamp + " — ", line)
        assert found, line
        assert (found.group(2) is None) == ("(التاريخ دون ساعة" in line), line
    known = runner.invoke(cli, ["--lang", "ar", "timeline", "--order", "recorded", "-d", url])
    for line in known.output.splitlines():
        assert re.match(stamp + " — ", line) and re.search(" · وقع في " + stamp, line), line


def test_english_quotes_its_way_and_credits_a_translation_outside_the_quote(
    system: Mamar,
) -> None:
    client = make_web(system).client("coordinator")
    page = client.get(f"/ops/{OP}/timeline?lang=en").text
    story = page.split('<section class="story"', 1)[1]
    assert "«" not in story and "»" not in story
    assert '“about a year before” <small class="translator">(translated from Arabic by' in story
    assert not re.search(r'“[^”]*class="translator"', story)
    assert re.search(r"\d{1,2} December 2016 \(Syria Time, GMT\+02:00\)</h2>", story)
    # The account's title is in Arabic: marked so on an English page.
    assert '<span class="who"><bdi lang="ar" dir="rtl">منسّق غرفة العمليات</bdi>' in page
    arabic = client.get(f"/ops/{OP}/timeline?lang=ar").text
    assert "«قبل نحو عام»" in arabic.split('<section class="story"', 1)[1]
    assert '<span class="who"><bdi dir="auto">منسّق غرفة العمليات</bdi>' in arabic


def test_a_sentence_calls_each_record_what_its_page_calls_it(both: list[Mamar]) -> None:
    """One table says where a record's name is (``NAME_FIELDS``): the timeline's sentences
    name every record of both scenarios by the words its page and pick-lists show."""
    for system in both:
        viewer = system.actor("system")
        with system.reading() as conn:
            speaker = speaker_for(conn, viewer, "ar", "Asia/Damascus")
        for key, record in speaker.records.items():
            kind, _, entity_id = key.partition(":")
            if kind in JOINED:  # named by the records they join, on pages too
                continue
            page = str(called_text(record, "ar"))
            said = str(speaker.name(kind, entity_id))
            assert said == page or (said.endswith("…") and page.startswith(said[:-1])), key


def _told(records: dict[str, dict[str, object]], lang: str, stream: str, type_name: str,
          data: dict[str, object]) -> str:  # fmt: skip
    kind, _, entity_id = stream.partition(":")
    entry = {"kind": kind, "entity_id": entity_id, "type": type_name, "data": data}
    return str(sentence(entry, Speaker(lang, "Etc/GMT-2", records)))


def test_a_full_stop_ending_a_users_text_does_not_run_into_the_next_clause() -> None:
    """An incident whose words end a sentence ("…وسيارات الإسعاف.") is followed by who it
    is attributed to after a "؛": the full stop goes, never ".؛" (nor ".;")."""
    records = {
        "incident:fire": {
            "description": {"original": "تطلق الميليشيات الرصاص على سيارات الإسعاف.",
                            "language": "ar",
                            "translations": [{"text": "Militias fire at the ambulances.",
                                              "language": "en"}]},
        },
        "party:militia": {"name": {"ar": "الميليشيات", "en": "The militias"}},
    }  # fmt: skip
    data = {"event_type": "violence_against_civilians", "alleged_perpetrator": "militia"}
    ar = _told(records, "ar", "incident:fire", "incident.reported", data)
    assert "سيارات الإسعاف؛ الجهة المنسوب إليها الفعل: الميليشيات" in ar, ar
    en = _told(records, "en", "incident:fire", "incident.reported", data)
    assert "the ambulances; alleged perpetrator: The militias" in en, en
    assert not re.search(r"[.۔][؛;:,،]", ar + en)


def test_a_name_that_begins_with_its_kind_is_not_preceded_by_the_kind_word() -> None:
    """ "قافلة «قافلة الحافلات…»" says convoy twice: a name that begins with its kind's word
    stands alone, in both languages; one that does not keeps the word."""
    records = {
        "convoy:buses": {"name": {"ar": "قافلة الحافلات وسيارات الإسعاف",
                                  "en": "Convoy of buses and ambulances"}},
        "convoy:first": {"name": {"ar": "الدفعة الأولى من الجرحى",
                                  "en": "First group of wounded"}},
        "route:exit": {"name": {"ar": "طريق الخروج", "en": "Exit route"}},
        "party:factions": {"name": {"ar": "فصائل حلب", "en": "Aleppo factions"}},
    }  # fmt: skip
    departed = {"status": "departed"}
    assert _told(records, "ar", "convoy:buses", "convoy.status_changed", departed) == (
        "انطلقت «قافلة الحافلات وسيارات الإسعاف»"
    )
    assert _told(records, "en", "convoy:buses", "convoy.status_changed", departed) == (
        "“Convoy of buses and ambulances” set off"
    )
    assert _told(records, "ar", "convoy:first", "convoy.status_changed", departed) == (
        "انطلقت قافلة «الدفعة الأولى من الجرحى»"
    )
    approved = _told(records, "ar", "route:exit", "route.approved", {"party": "factions"})
    assert approved == "صدرت عن فصائل حلب موافقة على «طريق الخروج»"
    assigned = _told(records, "ar", "convoy:buses", "convoy.route_assigned", {"route": "exit"})
    assert assigned == "خُصّص «طريق الخروج» لـ«قافلة الحافلات وسيارات الإسعاف»"


def test_the_timelines_sentences_about_a_party_are_verbal() -> None:
    """A party's deeds are told as sentences with a verb (one that agrees with a word of the
    catalogue, not with the party's name): not "موافقة فصائل حلب على …"."""
    records = {
        "party:ru": {"name": {"ar": "القيادة العسكرية الروسية"}},
        "party:factions": {"name": {"ar": "فصائل حلب"}},
        "route:exit": {"name": {"ar": "طريق الخروج"}},
        "guarantee:g": {"what": {"original": "ضمان استمرارية وقف إطلاق النار", "language": "ar"}},
        "notification:n": {"convoy": "first"},
        "convoy:first": {"name": {"ar": "الدفعة الأولى من الجرحى"}},
    }  # fmt: skip
    told_ = {
        ("route:exit", "route.rejected", "party", "factions"): "صدر عن فصائل حلب قرار برفض",
        ("route:exit", "route.proposed", "proposed_by", "ru"): "صدر عن القيادة العسكرية",
        ("notification:n", "notification.acknowledged", "party", "ru"): (
            "ورد من القيادة العسكرية الروسية تأكيد استلام إشعار تحرك قافلة «الدفعة الأولى"
        ),
    }
    for (stream, type_name, field, party), start in told_.items():
        said = _told(records, "ar", stream, type_name, {field: party})
        assert said.startswith(start), said
    given = _told(
        records, "ar", "guarantee:g", "guarantee.recorded",
        {"guarantor": "ru", "given_to": "factions", "what": records["guarantee:g"]["what"]},
    )  # fmt: skip
    assert given == (
        "صدر عن القيادة العسكرية الروسية ضمان لصالح فصائل حلب: ضمان استمرارية وقف إطلاق النار"
    )
