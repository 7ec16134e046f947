"""Bulk import of registration lists: CSV, Excel and ODK/KoBo exports; all or nothing,
with each bad row named."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook
from sqlalchemy import select

from mamar.db.tables import journal, vault_entries
from mamar.manifests.lists import ImportRefused, families, read_rows
from mamar.reads import people
from mamar.services.people_import import record
from mamar.system import Mamar
from tests.test_manifests import setup

ARABIC_CSV = """الاسم,سنة الميلاد,البلدة,صلة القرابة,الحافلة,رقم العائلة,طفل غير مصحوب
عبد الله الحلبي,1975,حي الشعار,رب الأسرة,حافلة ٧,1,
فاطمة أحمد,١٩٨٠,حي الشعار,زوجة,حافلة ٧,1,
يوسف حسن,2010,الكلاسة,,حافلة ٨,2,نعم
""".encode()

KOBO_CSV = b"""start;end;household/member/name;household/member/year_of_birth;household/vehicle;household/household_id;_id;_uuid;_submission_time
2016-12-15;2016-12-15;Ahmad Khalil;1990;bus-3;h1;1;aaa;2016-12-15
2016-12-15;2016-12-15;Mona Khalil;1992;bus-3;h1;2;bbb;2016-12-15
"""


def _xlsx(rows: list[list[object]]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _import(system: Mamar, actor: object, name: str, data: bytes, vehicle: str | None = None):  # type: ignore[no-untyped-def]
    found = families(read_rows(name, data), vehicle)
    with system.writing() as conn:
        seen = people.vehicles(conn, viewer=actor, operation="op")  # type: ignore[arg-type]
        existing = {v.label.original: v for v in seen}
        return record(
            conn,
            system.vault,
            actor=actor,  # type: ignore[arg-type]
            operation="op",
            convoy="c1",
            found=found,
            existing=existing,
        )


def test_an_arabic_csv_list_lands_on_its_vehicles_by_family(system: Mamar) -> None:
    medic, _ = setup(system)
    done = _import(system, medic, "list.csv", ARABIC_CSV)
    assert (done.people, done.families, done.vehicles_added) == (3, 2, 2)
    with system.writing() as conn:
        seen = {v.label.original: v for v in people.vehicles(conn, viewer=medic, operation="op")}
        assert {len(v.entries) for v in seen.values()} >= {2, 1}
        bus7 = seen["حافلة ٧"]
        assert [e.group for e in bus7.entries] == [1, 1]
        assert seen["حافلة ٨"].entries[0].child is not None
        found = people.search(conn, system.vault, viewer=medic, operation="op", name="فاطمه احمد")
        assert found[0].details is not None and found[0].details["year_of_birth"] == 1980


def test_kobo_and_excel_exports_are_read_by_their_column_conventions(system: Mamar) -> None:
    medic, _ = setup(system)
    assert _import(system, medic, "kobo.csv", KOBO_CSV).people == 2
    xlsx = _xlsx([["Name", "Year of birth", "Origin"], ["سارة علي", 2001, "بستان القصر"]])
    assert _import(system, medic, "list.xlsx", xlsx, vehicle="حافلة ١").people == 1
    with system.writing() as conn:
        labels = {
            v.label.original: len(v.entries)
            for v in people.vehicles(conn, viewer=medic, operation="op")
        }
    assert labels == {"bus-3": 2, "حافلة ١": 1}


def test_a_list_with_bad_rows_records_nothing_and_names_every_bad_row(system: Mamar) -> None:
    medic, _ = setup(system)
    bad = (
        ARABIC_CSV
        + "سامر,19x0,,,حافلة ٧,3,\n,1999,,,حافلة ٧,3,\nليلى,2012,,,حافلة ٧,4,ربما\n".encode()
    )
    with system.reading() as conn:
        before = len(conn.execute(select(journal.c.position)).all())
    with pytest.raises(ImportRefused) as refused:
        _import(system, medic, "list.csv", bad)
    assert [(p.row, p.column, p.code) for p in refused.value.problems] == [
        (5, "year_of_birth", "bad_year"),
        (6, "full_name", "missing_name"),
        (7, "child", "bad_child"),
    ]
    with system.reading() as conn:
        assert len(conn.execute(select(journal.c.position)).all()) == before
        assert conn.execute(select(vault_entries)).first() is None


def test_a_refusal_while_recording_rolls_every_row_back(system: Mamar) -> None:
    medic, _ = setup(system)
    rows = "الاسم,الحافلة\n" + "".join(f"شخص {i},حافلة ٩\n" for i in range(501))
    with pytest.raises(ImportRefused) as refused:
        _import(system, medic, "big.csv", rows.encode())
    assert {p.code for p in refused.value.problems} == {"refused"}
    with system.reading() as conn:
        assert conn.execute(select(vault_entries)).first() is None
        types = [r.type for r in conn.execute(select(journal.c.type))]
    assert types.count("vehicle.registered") == 1  # bus-1, from before the import
    assert "vehicle.group_listed" not in types


def test_a_file_without_a_name_column_is_refused() -> None:
    with pytest.raises(ImportRefused) as refused:
        read_rows("x.csv", b"foo,bar\n1,2\n")
    assert refused.value.problems[0].code == "no_name_column"
    with pytest.raises(ImportRefused) as refused:
        read_rows("x.xlsx", b"PK not really a workbook")
    assert refused.value.problems[0].code == "unreadable"
