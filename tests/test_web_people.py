"""The people pages over the aleppo-2016 demo: a family registered from the keyboard as the
Red Crescent's registration officer, seen by no other organisation; statuses, reception,
search by POST, tracing and reunification; refused forms keep what was typed."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from mamar.accounts.credentials import set_password
from mamar.db.tables import journal
from mamar.system import Mamar
from tests.web_support import ACCOUNTS, PASSWORD, Web, csrf, make_web

OP = "aleppo-2016"


@pytest.fixture
def web(system: Mamar) -> Iterator[Web]:
    built = make_web(system)
    with system.writing() as conn:
        set_password(conn, "sarc-registrar", PASSWORD)
        set_password(conn, "icrc-delegate", PASSWORD)
    ACCOUNTS["registrar"] = "sarc-registrar"
    ACCOUNTS["icrc"] = "icrc-delegate"
    yield built


def _vehicle(web: Web) -> tuple[object, str]:
    client = web.client("registrar")
    page = client.get(f"/ops/{OP}/manifests")
    assert page.status_code == 200 and "قوائم الركاب" in page.text
    added = client.post(
        f"/ops/{OP}/manifests",
        data={"csrf": csrf(client), "convoy": "first-wounded", "label": "إسعاف ٣"},
    )
    assert added.status_code == 303, added.text
    return client, added.headers["location"].rsplit("/", 1)[1]


def test_a_family_registered_from_the_keyboard_is_seen_only_by_its_organisation(web: Web) -> None:
    client, vehicle = _vehicle(web)
    form = client.get(f"/ops/{OP}/vehicles/{vehicle}/family")
    assert form.status_code == 200 and 'lang="ar"' in form.text and "autofocus" in form.text
    sent = client.post(
        f"/ops/{OP}/vehicles/{vehicle}/family",
        data={
            "csrf": csrf(client),
            "name.0": "عبد الله الحلبي",
            "year.0": "١٩٧٥",
            "relation.0": "رب الأسرة",
            "name.1": "يوسف الحلبي",
            "year.1": "2010",
            "child.1": "separated",
            "origin": "حي الشعار",
            "origin.language": "ar-SY",
        },
    )
    assert sent.status_code == 303 and sent.headers["location"].endswith("done=1-2")
    # Where they come from, in the language chosen beside it (Syrian Arabic: Arabic, so
    # not marked on an Arabic page).
    person = client.get(f"/ops/{OP}/vehicles/{vehicle}/people/1")
    assert "حي الشعار" in person.text and '<bdi lang="ar-SY"' not in person.text
    assert "رب الأسرة" in person.text  # the relation, in the page's language (chosen by default)
    manifest = client.get(f"/ops/{OP}/vehicles/{vehicle}")
    assert "عبد الله الحلبي" in manifest.text and "طفل منفصل عن ذويه" in manifest.text
    assert "separated" not in manifest.text and vehicle in manifest.text  # in links only
    with web.system.reading() as conn:
        bodies = b"".join(bytes(r.body) for r in conn.execute(select(journal.c.body)))
    assert "الحلبي".encode() not in bodies
    for other in ("icrc", "liaison", "coordinator", "operations"):
        seen = web.client(other)
        answer = seen.get(f"/ops/{OP}/vehicles/{vehicle}")
        assert answer.status_code in (403, 404), other
        assert "الحلبي" not in answer.text
        listing = seen.get(f"/ops/{OP}/manifests")  # the roles without names are refused
        assert listing.status_code in (200, 403, 404), other
        assert vehicle not in listing.text and "إسعاف ٣" not in listing.text


def test_a_refused_family_comes_back_with_what_was_typed(web: Web) -> None:
    client, vehicle = _vehicle(web)
    before = web.journal_size()
    sent = client.post(
        f"/ops/{OP}/vehicles/{vehicle}/family",
        data={"csrf": csrf(client), "name.0": "سارة", "year.0": "1850", "name.1": "ليلى"},
    )
    assert sent.status_code == 422
    assert 'value="سارة"' in sent.text and 'value="ليلى"' in sent.text
    assert 'id="year-0-error"' in sent.text
    assert web.journal_size() == before


def test_each_relation_of_a_family_keeps_the_language_chosen_beside_it(web: Web) -> None:
    client, vehicle = _vehicle(web)
    form = client.get(f"/ops/{OP}/vehicles/{vehicle}/family")
    for row in range(2):  # a language select beside each row's relation
        assert f'name="relation.{row}.language"' in form.text
    sent = client.post(
        f"/ops/{OP}/vehicles/{vehicle}/family",
        data={
            "csrf": csrf(client),
            "name.0": "أحمد الشامي",
            "relation.0": "Head of family",
            "relation.0.language": "en",
            "name.1": "مريم الشامي",
            "relation.1": "زوجة",
            "relation.1.language": "ar",
        },
    )
    assert sent.status_code == 303, sent.text
    first = client.get(f"/ops/{OP}/vehicles/{vehicle}/people/1")
    assert '<bdi lang="en"' in first.text and "Head of family" in first.text  # marked English
    second = client.get(f"/ops/{OP}/vehicles/{vehicle}/people/2")
    assert "زوجة" in second.text and '<bdi lang="en"' not in second.text  # Arabic: unmarked


def test_a_refused_relation_language_is_said_beside_its_row_and_every_row_kept(web: Web) -> None:
    client, vehicle = _vehicle(web)
    before = web.journal_size()
    sent = client.post(
        f"/ops/{OP}/vehicles/{vehicle}/family",
        data={
            "csrf": csrf(client),
            "name.0": "خالد العلي",
            "relation.0": "Father",
            "relation.0.language": "en",
            "name.1": "هدى العلي",
            "relation.1": "ابنة",
            "relation.1.language": "other",
            "relation.1.language_other": "not a language",
        },
    )
    assert sent.status_code == 422
    assert 'id="relation-1-language-error"' in sent.text
    assert 'id="relation-0-language-error"' not in sent.text
    assert 'value="Father"' in sent.text and 'value="ابنة"' in sent.text
    assert 'value="not a language"' in sent.text
    assert '<option value="en" selected>' in sent.text  # row 0's language, as chosen
    assert web.journal_size() == before


def test_reception_lists_discrepancies_and_checks_arrivals_by_name(web: Web) -> None:
    client, vehicle = _vehicle(web)
    client.post(
        f"/ops/{OP}/vehicles/{vehicle}/family",
        data={"csrf": csrf(client), "name.0": "محمد خليل", "name.1": "منى خليل"},
    )
    boarded = client.post(
        f"/ops/{OP}/vehicles/{vehicle}/status",
        data={"csrf": csrf(client), "number": ["1", "2"], "stop": "origin", "status": "boarded"},
    )
    assert boarded.status_code == 303
    page = client.get(f"/ops/{OP}/reception?convoy=first-wounded")
    assert page.text.count("صعد ولم يصل") == 2
    # The convoy's people counted from its manifests for who sees them; counted totals for others.
    mine = client.get(f"/ops/{OP}/convoys/first-wounded?format=json").json()
    assert mine["convoy"]["counts_from_manifests"] and mine["convoy"]["counts"]["boarded"] == 2
    theirs = web.client("coordinator").get(f"/ops/{OP}/convoys/first-wounded?format=json").json()
    assert "counts_from_manifests" not in theirs["convoy"]
    found = client.post(
        f"/ops/{OP}/reception?convoy=first-wounded", data={"csrf": csrf(client), "name": "منى"}
    )
    assert "منى خليل" in found.text
    arrived = client.post(
        f"/ops/{OP}/vehicles/{vehicle}/status",
        data={
            "csrf": csrf(client),
            "number": "2",
            "stop": "destination",
            "status": "arrived",
            "back": f"/ops/{OP}/reception?convoy=first-wounded",
        },
    )
    assert arrived.status_code == 303
    after = client.get(f"/ops/{OP}/reception?convoy=first-wounded")
    assert after.text.count("صعد ولم يصل") == 1 and "محمد خليل" in after.text


def test_a_relative_reports_a_child_missing_and_the_reunification_is_recorded(web: Web) -> None:
    client, vehicle = _vehicle(web)
    client.post(
        f"/ops/{OP}/vehicles/{vehicle}/family",
        data={
            "csrf": csrf(client),
            "name.0": "يوسف حسن",
            "year.0": "2010",
            "child.0": "unaccompanied",
        },
    )
    reported = client.post(
        f"/ops/{OP}/tracing",
        data={
            "csrf": csrf(client),
            "sought.full_name": "يوسف حسن",
            "sought.year_of_birth": "2011",
            "child": "yes",
            "relative.full_name": "حسن يوسف",
            "relative.relation": "أب",
            "relative.relation.language": "ar",
            "relative.where": "Near the old school",
            "relative.where.language": "en",
        },
    )
    assert reported.status_code == 303
    page = client.get(reported.headers["location"])
    assert "تطابقات محتملة (1)" in page.text and "طفل غير مصحوب" in page.text
    # Where the relative can be found, in the language chosen beside it: marked.
    assert '<bdi lang="en" dir="auto">Near the old school</bdi>' in page.text
    done = client.post(
        reported.headers["location"] + "/reunify",
        data={"csrf": csrf(client), "vehicle": vehicle, "number": "1"},
    )
    assert done.status_code == 303
    assert "لُمّ شمله" in client.get(reported.headers["location"]).text
    searched = client.post(
        f"/ops/{OP}/people-search", data={"csrf": csrf(client), "name": "يوسف", "year": "2010"}
    )
    assert "يوسف حسن" in searched.text
    icrc = web.client("icrc")
    assert icrc.get(reported.headers["location"]).status_code in (403, 404)


def test_a_list_is_imported_from_a_file_or_refused_with_its_rows_named(web: Web) -> None:
    client, _ = _vehicle(web)
    good = "الاسم,سنة الميلاد,الحافلة\nأحمد,1990,حافلة ٤\nسلمى,1992,حافلة ٤\n".encode()
    sent = client.post(
        f"/ops/{OP}/convoys/first-wounded/import",
        data={"csrf": csrf(client)},
        files={"list": ("list.csv", good, "text/csv")},
    )
    assert sent.status_code == 200 and "عدد الأشخاص 2" in sent.text
    bad = "الاسم,سنة الميلاد,الحافلة\nأحمد,19x0,حافلة ٤\n,1992,حافلة ٤\n".encode()
    before = web.journal_size()
    refused = client.post(
        f"/ops/{OP}/convoys/first-wounded/import",
        data={"csrf": csrf(client)},
        files={"list": ("list.csv", bad, "text/csv")},
    )
    assert refused.status_code == 422
    assert "السطر 2، سنة الميلاد" in refused.text and "السطر 3، الاسم" in refused.text
    assert web.journal_size() == before


def test_the_medical_page_shows_the_next_batch_and_each_facilitys_capacity(web: Web) -> None:
    client, vehicle = _vehicle(web)
    client.post(
        f"/ops/{OP}/vehicles/{vehicle}/family",
        data={"csrf": csrf(client), "name.0": "جريح أول", "name.1": "جريح ثان"},
    )
    added = client.post(
        f"/ops/{OP}/medical",
        data={"csrf": csrf(client), "name.ar": "مشفى ميداني", "capacity": "5"},
    )
    assert added.status_code == 303
    page = client.get(f"/ops/{OP}/vehicles/{vehicle}")
    facility = page.text.split('name="facility"><option value="">—</option><option value="')[1]
    facility = facility.split('"')[0]
    triaged = client.post(
        f"/ops/{OP}/vehicles/{vehicle}/triage",
        data={
            "csrf": csrf(client),
            "number": "1",
            "category": "immediate",
            "region": ["chest", ""],
            "injury": ["shrapnel", ""],
            "facility": facility,
        },
    )
    assert triaged.status_code == 303, triaged.text
    refused = client.post(
        f"/ops/{OP}/vehicles/{vehicle}/triage",
        data={"csrf": csrf(client), "number": "2", "category": "urgent"},
    )
    assert refused.status_code == 422 and 'id="category-error"' in refused.text
    medical = client.get(f"/ops/{OP}/medical")
    assert "الدفعة التالية: إسعاف ٣" in medical.text
    assert (
        "مشفى ميداني" in medical.text and "<td>5</td><td>0</td><td>1</td><td>4</td>" in medical.text
    )
    assert "شظايا (الصدر)" in client.get(f"/ops/{OP}/vehicles/{vehicle}").text
    other = web.client("coordinator")
    assert "إسعاف ٣" not in other.get(f"/ops/{OP}/medical").text


def test_a_printable_arabic_manifest_has_a_page_per_vehicle_with_its_qr_code(
    web: Web, tmp_path: Path
) -> None:
    from tests.test_sitrep import joined, pdf_text

    client, vehicle = _vehicle(web)
    client.post(
        f"/ops/{OP}/vehicles/{vehicle}/family",
        data={"csrf": csrf(client), "name.0": "عبد الله الحلبي", "year.0": "1975"},
    )
    pdf = client.get(f"/ops/{OP}/vehicles/{vehicle}/manifest.pdf")
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF-")
    text = joined(pdf_text(pdf.content, tmp_path))
    # (pdftotext spells the ligature of "الله" its own way: the family name is checked.)
    assert "الحلبي" in text and "إسعاف٣" in text and "1975" in text
    assert "صعدوا" in text and "وصلوا" in text  # the last column is on the page, not cut off
    convoy = client.get(f"/ops/{OP}/convoys/first-wounded/manifests.pdf")
    assert convoy.status_code == 200 and convoy.content.startswith(b"%PDF-")
    assert web.client("icrc").get(f"/ops/{OP}/vehicles/{vehicle}/manifest.pdf").status_code in (
        403,
        404,
    )


def test_the_printed_manifest_draws_the_qr_code_of_the_vehicles_page() -> None:
    from datetime import UTC, datetime

    from mamar.reports.manifest import manifest_html

    html = manifest_html(
        [{"label": "حافلة ٩", "link": "https://mamar.example/ops/op/vehicles/v9", "people": []}],
        lang="ar",
        convoy_name="القافلة",
        timezone="Asia/Damascus",
        made_at=datetime(2016, 12, 15, tzinfo=UTC),
        words={},
    )
    assert html.count("<svg") == 1 and 'class="qr"' in html
    assert "https://mamar.example" not in html  # drawn as modules, never a link to fetch


def test_a_vehicles_page_names_its_convoy(web: Web) -> None:
    """The convoy a vehicle is in is named in the page's language, by its name, never a
    value of ours (a name's model printed whole: ``ar='…' en=None``)."""
    client, vehicle = _vehicle(web)
    page = client.get(f"/ops/{OP}/vehicles/{vehicle}")
    assert page.status_code == 200
    link = f'<a href="/ops/{OP}/convoys/first-wounded">الدفعة الأولى من الجرحى</a>'
    assert link in page.text
    assert "ar=" not in page.text and "None" not in page.text
