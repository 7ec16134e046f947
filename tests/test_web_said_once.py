"""A refusal page says its message once (not as its heading and again under it), and the
general form of an agreement's command sends the reader to the agreement's own page for
its terms, not to the negotiation board."""

from __future__ import annotations

import re
from html import unescape

import lxml.html

from mamar.system import Mamar
from tests.test_web_forms import _incident_form
from tests.web_support import OP, make_web

AGREEMENT = "evacuation-agreement"


def _times(page: str, message: str) -> int:
    """How many times the page's main part says ``message``."""
    main = lxml.html.fromstring(page).xpath("//main")[0]
    return str(main.text_content()).count(message)


def test_an_error_page_says_its_message_once(system: Mamar) -> None:
    web = make_web(system)
    client = web.client("observer")
    missing = client.get(f"/ops/{OP}/no-such-page?lang=ar")
    assert missing.status_code == 404
    heading = lxml.html.fromstring(missing.text).xpath("//main/h1")[0].text_content().strip()
    assert heading and _times(missing.text, heading) == 1, missing.text[-1500:]
    forbidden = client.get("/admin?lang=ar")
    assert forbidden.status_code == 403
    heading = lxml.html.fromstring(forbidden.text).xpath("//main/h1")[0].text_content().strip()
    assert "دورك لا يتيح" in heading and _times(forbidden.text, heading) == 1


def test_a_form_refused_at_the_door_says_why_once(system: Mamar) -> None:
    web = make_web(system)
    client = web.client("operations")
    refused = client.post(f"/ops/{OP}/incidents?lang=ar", data=_incident_form("stale"))
    assert refused.status_code == 403
    alert = re.search(r'role="alert">([^<]*)<', refused.text)
    assert alert is not None
    reason = unescape(alert.group(1))
    assert "انتهت صلاحية" in reason and _times(refused.text, reason) == 1
    heading = lxml.html.fromstring(refused.text).xpath("//main/h1")[0].text_content().strip()
    assert heading == "لم يُسجَّل شيء"


def _terms_links(page: str) -> list[str]:
    """The addresses the terms' note links to, on a general form."""
    tree = lxml.html.fromstring(page)
    notes = [
        node
        for node in tree.xpath("//main//*[a]")
        if "سطراً سطراً" in node.text_content() and not node.xpath(".//*[a]")
    ]
    assert notes, page[-3000:]
    return [str(a.get("href")) for note in notes for a in note.xpath(".//a")]


def test_an_agreements_terms_are_given_on_the_agreements_own_page(system: Mamar) -> None:
    web = make_web(system)
    client = web.client("negotiator")
    for command in ("agreement.adopt_version", "agreement.conclude"):
        page = client.get(f"/ops/{OP}/record/{command}?lang=ar")
        assert page.status_code == 200, page.text[-1500:]
        links = _terms_links(page.text)
        assert f"/ops/{OP}/agreements/{AGREEMENT}" in links, links
        assert f"/ops/{OP}/negotiation" not in links
        assert all(link.startswith(f"/ops/{OP}/agreements/") for link in links)
        chosen = client.get(f"/ops/{OP}/record/{command}?lang=ar&id={AGREEMENT}")
        assert _terms_links(chosen.text) == [f"/ops/{OP}/agreements/{AGREEMENT}"]
    # A proposal's terms are still given on the negotiation board, where proposals are tabled.
    proposal = client.get(f"/ops/{OP}/record/proposal.table?lang=ar")
    assert _terms_links(proposal.text) == [f"/ops/{OP}/negotiation"]
