"""A person's photo at registration: checked by its first bytes, re-encoded without its
metadata (the phone's GPS), kept only in the vault as a record of its own, read only by
those who see the person (each read journalled), and erased with the person."""

from __future__ import annotations

import io
from collections.abc import Iterator

import orjson
import pytest
from PIL import Image
from sqlalchemy import select

from mamar.db.tables import journal, vault_entries
from mamar.domain.errors import NotFound, NotPermitted
from mamar.manifests import photos
from mamar.manifests.commands import ErasePersonal, ListGroup
from mamar.reads import people
from mamar.system import Mamar
from tests.helpers import account_in
from tests.test_manifests import setup
from tests.web_support import ACCOUNTS, PASSWORD, Web, csrf, make_web

OP = "aleppo-2016"
GPS_TAG = 0x8825


def camera_jpeg(width: int = 2000, height: int = 1500) -> bytes:
    """A photo as a phone's camera writes it: EXIF with the place (GPS), the make, and an
    orientation saying it must be turned."""
    picture = Image.new("RGB", (width, height), (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0112] = 6  # Orientation: turned 90°
    exif[GPS_TAG] = {1: "N", 2: (36.0, 12.0, 3.5), 3: "E", 4: (37.0, 9.0, 41.2)}
    out = io.BytesIO()
    picture.save(out, format="JPEG", exif=exif.tobytes())
    return out.getvalue()


def test_a_photo_is_re_encoded_upright_small_and_without_its_metadata() -> None:
    sent = camera_jpeg()
    assert b"PhoneMaker" in sent and Image.open(io.BytesIO(sent)).getexif().get(GPS_TAG)
    kept = photos.clean(sent)
    assert kept[:3] == b"\xff\xd8\xff" and b"PhoneMaker" not in kept and b"Exif" not in kept
    with Image.open(io.BytesIO(kept)) as shown:
        assert shown.format == "JPEG" and not shown.getexif()
        assert shown.size == (960, 1280)  # turned as the camera said, at most 1280 a side
    for fmt, mode in (("PNG", "RGBA"), ("WEBP", "RGB")):
        out = io.BytesIO()
        Image.new(mode, (40, 30), (0, 0, 255)).save(out, format=fmt)
        assert photos.clean(out.getvalue())[:3] == b"\xff\xd8\xff", fmt


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>", "not_image"),
        (b"GIF89a" + b"\x00" * 40, "not_image"),
        (b"%PDF-1.7\n" + b"\x00" * 40, "not_image"),
        (b"\xff\xd8\xff\xe0" + b"\x00" * 60, "unreadable"),  # a JPEG's start, then nothing
        (b"\xff\xd8\xff" + b"\x00" * (photos.MAX_BYTES + 1), "too_large"),
    ],
)
def test_what_is_not_a_photo_is_refused_by_its_bytes(data: bytes, code: str) -> None:
    with pytest.raises(photos.PhotoRefused) as refused:
        photos.clean(data)
    assert refused.value.code == f"photo_{code}"


def test_a_small_file_of_a_huge_picture_is_refused() -> None:
    out = io.BytesIO()
    Image.new("1", (10_000, 10_000)).save(out, format="PNG")  # 100 megapixels, a few kB
    assert len(out.getvalue()) < 100_000
    with pytest.raises(photos.PhotoRefused) as refused:
        photos.clean(out.getvalue())
    assert refused.value.code == "photo_too_large"


def test_the_photo_is_in_the_vault_only_read_by_who_sees_the_person_and_erased_with_them(
    system: Mamar,
) -> None:
    medic, other = setup(system)
    liaison = account_in(system, "liaison", "liaison", "russian-command")
    sent = camera_jpeg(800, 600)
    person = {"details": {"full_name": "سلمى الحلبي", "year_of_birth": 1990}, "photo": sent}
    system.execute(ListGroup(id="bus-1", people=[person]), actor=medic)  # type: ignore[list-item]
    with system.reading() as conn:
        bodies = b"".join(bytes(r.body) for r in conn.execute(select(journal.c.body)))
        stored = conn.execute(select(vault_entries)).all()
    assert len(stored) == 2  # the person's record and the photo's, each under its own key
    assert sent[100:160] not in bodies and b"photo" not in bodies
    for row in stored:
        assert sent[100:160] not in bytes(row.ciphertext)
    with system.writing() as conn:
        image, media_type = people.photo(
            conn, system.vault, viewer=medic, vehicle="bus-1", number=1
        )
        _, listed = people.manifest(conn, system.vault, viewer=medic, vehicle="bus-1", purpose="t")
    assert media_type == "image/jpeg" and image[:3] == b"\xff\xd8\xff" and b"Exif" not in image
    assert listed[0].as_json()["details"]["photo"] is True  # never the vault reference
    for outsider, refused in ((other, NotFound), (liaison, NotPermitted)):
        with system.writing() as conn, pytest.raises(refused):
            people.photo(conn, system.vault, viewer=outsider, vehicle="bus-1", number=1)
    with system.reading() as conn:
        audits = [
            orjson.loads(bytes(r.body))["data"]
            for r in conn.execute(select(journal.c.body).where(journal.c.type == "people.read"))
        ]
    assert {"reader": "sarc-medic", "purpose": "photo", "subjects": ["bus-1#1"]}.items() <= (
        audits[0].items()
    )
    system.execute(
        ErasePersonal(id="bus-1", number=1),
        actor=account_in(system, "sarc-coord", "coordinator", "sarc"),
    )
    with system.reading() as conn:
        left = conn.execute(select(vault_entries)).all()
    assert all(row.ciphertext is None and row.wrapped_key is None for row in left)
    with system.writing() as conn, pytest.raises(NotFound):
        people.photo(conn, system.vault, viewer=medic, vehicle="bus-1", number=1)


# --- The registration page, on the aleppo-2016 demo. ---


@pytest.fixture
def web(system: Mamar) -> Iterator[Web]:
    from mamar.accounts.credentials import set_password

    built = make_web(system)
    with system.writing() as conn:
        set_password(conn, "sarc-registrar", PASSWORD)
        set_password(conn, "icrc-delegate", PASSWORD)
    ACCOUNTS["registrar"] = "sarc-registrar"
    ACCOUNTS["icrc"] = "icrc-delegate"
    yield built


def _vehicle(web: Web) -> tuple[object, str]:
    client = web.client("registrar")
    added = client.post(
        f"/ops/{OP}/manifests",
        data={"csrf": csrf(client), "convoy": "first-wounded", "label": "إسعاف ٥"},
    )
    assert added.status_code == 303, added.text
    return client, added.headers["location"].rsplit("/", 1)[1]


def test_a_photo_taken_at_registration_is_shown_on_the_person_page_only(web: Web) -> None:
    client, vehicle = _vehicle(web)
    form = client.get(f"/ops/{OP}/vehicles/{vehicle}/family")  # type: ignore[attr-defined]
    assert 'type="file"' in form.text and 'capture="environment"' in form.text
    assert 'enctype="multipart/form-data"' in form.text
    sent = client.post(  # type: ignore[attr-defined]
        f"/ops/{OP}/vehicles/{vehicle}/family",
        data={"csrf": csrf(client), "name.0": "سلمى الحلبي", "name.1": "رامي الحلبي"},  # type: ignore[arg-type]
        files={"photo.0": ("IMG_2041.jpg", camera_jpeg(), "image/jpeg")},
    )
    assert sent.status_code == 303, sent.text
    page = client.get(f"/ops/{OP}/vehicles/{vehicle}/people/1")  # type: ignore[attr-defined]
    src = f"/ops/{OP}/vehicles/{vehicle}/people/1/photo"
    assert page.status_code == 200 and f'src="{src}"' in page.text and "سلمى الحلبي" in page.text
    assert 'alt="صورة سلمى الحلبي"' in page.text
    assert "/photo" not in client.get(f"/ops/{OP}/vehicles/{vehicle}/people/2").text  # type: ignore[attr-defined]
    photo = client.get(src)  # type: ignore[attr-defined]
    assert photo.status_code == 200 and photo.content[:3] == b"\xff\xd8\xff"
    assert photo.headers["content-type"] == "image/jpeg"
    assert photo.headers["content-security-policy"] == "default-src 'none'; sandbox"
    assert photo.headers["x-content-type-options"] == "nosniff"
    assert photo.headers["cache-control"] == "no-store"
    assert b"PhoneMaker" not in photo.content and b"Exif" not in photo.content
    for other in ("icrc", "liaison", "coordinator", "operations"):
        seen = web.client(other)
        assert seen.get(src).status_code in (403, 404), other
        assert seen.get(f"/ops/{OP}/vehicles/{vehicle}/people/1").status_code in (403, 404)


def test_a_bad_photo_is_refused_in_arabic_and_what_was_typed_is_kept(web: Web) -> None:
    client, vehicle = _vehicle(web)
    before = web.journal_size()
    with web.system.reading() as conn:
        stored = len(conn.execute(select(vault_entries)).all())
    sent = client.post(  # type: ignore[attr-defined]
        f"/ops/{OP}/vehicles/{vehicle}/family",
        data={"csrf": csrf(client), "name.0": "سلمى الحلبي", "year.0": "1990", "name.1": "رامي"},  # type: ignore[arg-type]
        files={"photo.0": ("photo.jpg", b"<html><script>alert(1)</script>", "image/jpeg")},
    )
    assert sent.status_code == 422
    assert 'id="photo-0-error"' in sent.text and "هذا الملف ليس صورة" in sent.text
    assert 'value="سلمى الحلبي"' in sent.text and 'value="1990"' in sent.text
    assert 'value="رامي"' in sent.text and "<script>alert" not in sent.text
    assert web.journal_size() == before
    with web.system.reading() as conn:
        assert len(conn.execute(select(vault_entries)).all()) == stored


def test_a_good_photo_is_kept_when_the_form_is_refused_for_something_else(web: Web) -> None:
    client, vehicle = _vehicle(web)
    refused = client.post(  # type: ignore[attr-defined]
        f"/ops/{OP}/vehicles/{vehicle}/family",
        data={"csrf": csrf(client), "name.0": "سلمى الحلبي", "year.0": "1850"},  # type: ignore[arg-type]
        files={"photo.0": ("IMG.jpg", camera_jpeg(), "image/jpeg")},
    )
    assert refused.status_code == 422 and 'id="year-0-error"' in refused.text
    assert 'name="photo_kept.0"' in refused.text
    kept = refused.text.split('name="photo_kept.0" value="', 1)[1].split('"', 1)[0]
    again = client.post(  # type: ignore[attr-defined]
        f"/ops/{OP}/vehicles/{vehicle}/family",
        data={
            "csrf": csrf(client),
            "name.0": "سلمى الحلبي",
            "year.0": "1990",
            "photo_kept.0": kept,
        },
        files={"photo.1": ("", b"", "application/octet-stream")},  # no file chosen
    )
    assert again.status_code == 303, again.text
    photo = client.get(f"/ops/{OP}/vehicles/{vehicle}/people/1/photo")  # type: ignore[attr-defined]
    assert photo.status_code == 200 and photo.content[:3] == b"\xff\xd8\xff"


def test_a_photo_too_large_for_the_page_gets_a_page_in_arabic(web: Web) -> None:
    from mamar.web.limits import UPLOAD_BYTES

    client, vehicle = _vehicle(web)
    before = web.journal_size()
    sent = client.post(  # type: ignore[attr-defined]
        f"/ops/{OP}/vehicles/{vehicle}/family?lang=ar",
        data={"csrf": csrf(client), "name.0": "سلمى"},
        files={"photo.0": ("big.jpg", b"\xff\xd8\xff" + b"\x00" * UPLOAD_BYTES, "image/jpeg")},
    )
    assert sent.status_code == 413 and "الملفات المرسلة أكبر من" in sent.text
    too_big = client.post(  # type: ignore[attr-defined]
        f"/ops/{OP}/vehicles/{vehicle}/family",
        data={"csrf": csrf(client), "name.0": "سلمى"},
        files={"photo.0": ("big.jpg", b"\xff\xd8\xff" + b"\x00" * photos.MAX_BYTES, "image/jpeg")},
    )
    assert too_big.status_code == 422 and "الصورة أكبر من 12 ميغابايت" in too_big.text
    assert 'value="سلمى"' in too_big.text
    assert web.journal_size() == before


def test_a_registration_list_of_a_whole_evacuation_fits_through_the_page(web: Web) -> None:
    """35,000 rows of CSV are about 3 MB: more than a plain form may send (2 MB), well
    within a form with files. Here the list has no column of names: refused, not too big."""
    client = web.client("registrar")
    rows = "".join(f"{n:08d},1980\n" for n in range(220_000))
    data = ("رقم,سنة الميلاد\n" + rows).encode()
    assert len(data) > 2_100_000
    sent = client.post(
        f"/ops/{OP}/convoys/first-wounded/import",
        data={"csrf": csrf(client)},
        files={"list": ("list.csv", data, "text/csv")},
    )
    assert sent.status_code == 422 and "لم يُستورد شيء" in sent.text
