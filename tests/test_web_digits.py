"""Numbers a page writes itself (counts in headings, a route's lengths, a version, a person's
number in a vehicle, a year of birth) follow the installation's digits: with Arabic-Indic
digits chosen, an Arabic page writes none of them in Latin digits."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from mamar.system import Mamar
from mamar.web import i18n
from tests.arabic_text import visible_text
from tests.web_support import OP, make_web

LATIN_DIGIT = re.compile("[0-9]")


@pytest.fixture
def arabic_indic() -> Iterator[None]:
    i18n.set_digits("arab")
    try:
        yield
    finally:
        i18n.set_digits("latn")


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
