"""Numbers a page writes itself (counts in headings, a route's lengths, a version, a person's
number in a vehicle, a year of birth) follow the installation's digits: with Arabic-Indic
digits chosen, an Arabic page writes none of them in Latin digits."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator

import pytest
from PIL import Image

from mamar import reads
from mamar.domain.model import commands, kind_of
from mamar.journal import store
from mamar.services.commands import SYSTEM
from mamar.system import Mamar
from tests.arabic_text import texts_pattern, visible_text
from tests.conftest import make_system
from tests.test_access_matrix import _kind, routes
from tests.test_web_accessibility import FAMILY, SEEDS, VAULT
from tests.test_web_forms import _incident_form
from tests.web_support import OP, Web, csrf, make_web

LATIN_DIGIT = re.compile("[0-9]")


def _parts(html: str, pattern: str) -> list[str]:
    return [visible_text(m) for m in re.findall(pattern, html, flags=re.S)]


def test_numbers_the_page_writes_follow_the_digit_setting(
    sqlite_system: Mamar, arabic_indic: None
) -> None:
    web = make_web(sqlite_system)
    client = web.client("coordinator")
    seen: list[str] = []
    for page in ("/convoys", "/incidents", "/tracing", "/dashboard"):
        html = client.get(f"/ops/{OP}{page}?lang=ar").text
        counts = re.findall(r"\(([^()<>]*)\)</h[23]>", html)
        assert counts, page
        seen += counts
    route = client.get(f"/ops/{OP}/routes/exit-route?lang=ar").text
    cells = _parts(route.split("<tbody>", 1)[-1].split("</table>", 1)[0], r"<td>(.*?)</td>")
    assert cells
    seen += cells
    agreement = client.get(f"/ops/{OP}/agreements/evacuation-agreement?lang=ar").text
    seen += re.findall(r"<option[^>]*>([^<]*)</option>", agreement.split('name="a"', 1)[-1])[:2]
    assert [s for s in seen if LATIN_DIGIT.search(s)] == [], seen
    assert any(re.search("[٠-٩]", s) for s in seen)


#: Who reads every page: the operations room's coordinator (every compartment of the
#: negotiating team, the manifests it keeps) and the installation's administrator.
READERS = ("coordinator", "admin")
#: An ASCII digit, and a letter of the Arabic script (a user's Arabic text holding one).
ASCII_DIGIT = re.compile("[0-9]")
ARABIC_LETTER = re.compile("[\u0600-\u06ff]")


def _users_arabic_texts(system: Mamar) -> re.Pattern[str]:
    """What users wrote in Arabic with Latin digits in it (a place's name "شرق حلب المحاصر
    (7–12 كانون الأول)", a translation, an approximate time as said): their words as typed,
    shown as they are, taken whole (and line by line) out of a page before it is read."""
    found: set[str] = set()

    def walk(value: object) -> None:
        if isinstance(value, str):
            if ASCII_DIGIT.search(value) and ARABIC_LETTER.search(value):
                found.update({value, *(line.strip() for line in value.splitlines())})
        elif isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, list | tuple):
            for item in value:
                walk(item)

    with system.reading() as conn:
        for event in store.read_all(conn):
            walk([event.data, event.phrase])
    return texts_pattern({t for t in found if ASCII_DIGIT.search(t)})


def _seed(web: Web) -> dict[str, list[str]]:
    """The records the demo has none of, made through their forms as the accessibility test
    makes them (:data:`SEEDS`), and a family with a photo on the vehicle made."""
    client = web.client("coordinator")
    made: dict[str, list[str]] = {}
    for kind, (path, form, link) in SEEDS.items():
        url = f"/ops/{OP}/{path}"
        client.get(url)
        sent = client.post(url, data={"csrf": csrf(client), **form})
        assert sent.status_code == 303, (kind, sent.text[-800:])
        led_to = sent.headers["location"]
        # The address led to, as a link writes it (a page no longer links to itself).
        address = f'href="{led_to.split("?")[0]}"'
        seen = address + client.get(led_to).text + client.get(url).text
        made[kind] = sorted(set(re.findall(link, seen)))
        assert made[kind], kind
    photo = io.BytesIO()
    Image.new("RGB", (64, 80), (120, 90, 60)).save(photo, "JPEG")
    family = f"/ops/{OP}/vehicles/{made['vehicle'][0]}/family"
    client.get(family)
    sent = client.post(
        family,
        data={"csrf": csrf(client), **FAMILY},
        files={"photo.0": ("photo.jpg", photo.getvalue(), "image/jpeg")},
    )
    assert sent.status_code == 303, sent.text[-800:]
    return made


def _every_page(web: Web, made: dict[str, list[str]]) -> list[str]:
    """Every GET page of the route table: each record's pages for every record of its kind
    (the demo's, the vault's, those made), the general form of every command, a manifest's
    first person. A page whose kind has no record fails the test."""
    ids: dict[str, list[str]] = {}
    with web.system.reading() as conn:
        for state in reads.visible_states(conn, viewer=SYSTEM, operation=None):
            ids.setdefault(kind_of(state), []).append(state.id)
    for kind, chosen in (*made.items(), *VAULT.items()):
        ids.setdefault(kind, []).extend(chosen)
    paths: list[str] = []
    for template in routes(web.app, "GET"):
        if template.startswith(("/api/", "/live", "/static")):
            continue
        path = template.replace("{op}", OP).replace("{number}", "1")
        if "{command_name}" in path:
            paths += [path.replace("{command_name}", name) for name in sorted(commands())]
            continue
        kind = _kind(template)
        if kind is not None:
            assert ids.get(kind), f"no {kind} to show {template}"
            paths += [path.replace("{id}", i) for i in ids[kind]]
        else:
            paths.append(path)
    return list(dict.fromkeys(paths))


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Web, list[str]]]:
    system = make_system(f"sqlite:///{tmp_path_factory.mktemp('digits') / 'mamar.db'}")
    web = make_web(system)
    yield web, _every_page(web, _seed(web))
    system.dispose()


def test_every_page_in_arabic_indic_digits_writes_no_latin_digit(
    seeded: tuple[Web, list[str]], arabic_indic: None
) -> None:
    """With Arabic-Indic digits chosen, no page in Arabic, as read by two roles, shows an
    ASCII digit of its own: counts, versions, numbers on a manifest, coordinates, sizes,
    examples of what to type, dates. Allowed: what users wrote (in Arabic, as they typed it,
    or marked with its language) and elements marked ``lang="zxx"`` (a phone number)."""
    web, paths = seeded
    assert len(paths) > 250
    users = _users_arabic_texts(web.system)
    found: dict[str, set[str]] = {}
    pages = 0
    arabic_indic_seen = 0
    for role in READERS:
        client = web.client(role)
        for path in paths:
            response = client.get(path)
            if "text/html" not in response.headers.get("content-type", ""):
                continue
            assert 'lang="ar"' in response.text[:200], path
            if 'data-locale="ar-u-nu-arab"' not in response.text[:200]:  # for the scripts
                found.setdefault("<html> without data-locale", set()).add(f"{path} ({role})")
            pages += 1
            shown = users.sub(" ", visible_text(response.text))
            arabic_indic_seen += len(re.findall("[٠-٩]", shown))
            for digit in ASCII_DIGIT.finditer(shown):
                around = shown[max(digit.start() - 25, 0) : digit.end() + 25]
                found.setdefault(" ".join(around.split()), set()).add(f"{path} ({role})")
    assert pages > 500
    assert arabic_indic_seen > 1000
    assert found == {}, "\n".join(f"{w!r}: {sorted(p)[:2]}" for w, p in sorted(found.items()))


def test_refusals_write_a_year_and_an_example_in_the_readers_digits(
    seeded: tuple[Web, list[str]], arabic_indic: None
) -> None:
    """A year of birth out of bounds is refused with its bound as a year: "٢١٠٠", never
    grouped ("٢٬١٠٠", "2,100"); a moment not understood, with its example in the reader's
    digits."""
    web, _ = seeded
    client = web.client("coordinator")
    listing = client.get(f"/ops/{OP}/manifests").text
    vehicle = re.findall(r"/vehicles/([\w-]+)\"", listing)[0]
    family = f"/ops/{OP}/vehicles/{vehicle}/family"
    client.get(family)
    refused = client.post(family, data={"csrf": csrf(client), "name.0": "سارة", "year.0": "2200"})
    assert refused.status_code == 422
    shown = visible_text(refused.text)
    assert "٢١٠٠" in shown and "٢٬١٠٠" not in shown, shown
    assert not ASCII_DIGIT.search(shown.replace("2200", " ")), shown  # but what was typed
    # A moment not understood: the example of what to type, in the reader's digits.
    form = _incident_form(csrf(client), occurred_at="15/12/2016 الصبح")
    bad = client.post(f"/ops/{OP}/incidents?lang=ar", data=form)
    assert bad.status_code == 422
    message = re.search(r'id="occurred_at-error"[^>]*>([^<]*)<', bad.text)
    assert message is not None and "٢٠١٦-١٢-١٥ ٠٥:٠٠" in message.group(1), bad.text


def test_with_latin_digits_a_count_is_written_one_way_on_every_page(
    seeded: tuple[Web, list[str]],
) -> None:
    """One CLDR format everywhere: the 1150 people of the demo's convoy are "1,150" on the
    dashboard, in the convoys' table and on the manifests' page alike."""
    web, _ = seeded
    client = web.client("coordinator")
    for page in ("/dashboard", "/convoys", "/manifests"):
        shown = visible_text(client.get(f"/ops/{OP}{page}?lang=ar").text)
        assert "1,150" in shown, page
        assert not re.search(r"(?<![\d,])1150", shown), page
