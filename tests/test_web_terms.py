"""Agreement terms as lists that grow: a new version starts from every current term (none
dropped), "add another" shows one more fieldset without recording, and the comparison of
versions shows each term in words, side by side."""

from __future__ import annotations

import re
from html import unescape

from mamar import reads
from mamar.agreements.compare import compare_versions
from mamar.agreements.model import AgreementState
from mamar.journal import store
from mamar.system import Mamar
from tests.web_support import OP, csrf, make_web

AGREEMENT = f"/ops/{OP}/agreements/evacuation-agreement"


def _values(page: str) -> dict[str, str]:
    """The form as a browser would send it unchanged: inputs, textareas, chosen options."""
    form: dict[str, str] = {}
    for name, value in re.findall(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', page):
        form.setdefault(name, unescape(value))
    for name, value in re.findall(r'<textarea[^>]*name="([^"]+)"[^>]*>([^<]*)</textarea>', page):
        form[name] = unescape(value)
    for name, body in re.findall(r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', page, re.S):
        chosen = re.search(r'<option value="([^"]*)" selected', body)
        if chosen:
            form[name] = unescape(chosen.group(1))
    return form


def _terms(system: Mamar) -> list[dict[str, object]]:
    with system.reading() as conn:
        record = reads.get_entity(
            conn,
            viewer=system.actor("negotiator"),
            kind="agreement",
            entity_id="evacuation-agreement",
        )
    return list(record["terms"])


def test_adopting_a_version_keeps_every_term(system: Mamar) -> None:
    web = make_web(system)
    client = web.client("negotiator")
    before = _terms(system)
    evacuations = [t for t in before if t["type"] == "evacuation"]
    assert len(evacuations) == 2  # the demo agreement has two evacuation terms
    page = client.get(f"{AGREEMENT}/adopt?lang=ar").text
    form = _values(page)
    assert (
        form["term.evacuation.0.who"] == "wounded" and form["term.evacuation.1.who"] == "everyone"
    )
    # "Add another" shows the form again, as typed, with one more empty fieldset; nothing recorded.
    size = web.journal_size()
    form["term.evacuation.1.description"] = "يخرج الجميع بعد الجرحى"
    grown = client.post(
        f"{AGREEMENT}/adopt?lang=ar",
        data={**form, "csrf": csrf(client), "more_terms": "evacuation"},
    )
    assert grown.status_code == 200 and web.journal_size() == size
    assert 'name="term.evacuation.3.who"' in grown.text
    assert "يخرج الجميع بعد الجرحى" in grown.text
    regrown = _values(grown.text)
    regrown["term.evacuation.2.who"] = "civilians"
    regrown["note"] = "المدنيون مدرجون على حدة"
    response = client.post(f"{AGREEMENT}/adopt?lang=ar", data={**regrown, "csrf": csrf(client)})
    assert response.status_code == 303, response.text[-2000:]
    after = _terms(system)
    assert [t.get("who") for t in after if t["type"] == "evacuation"] == [
        "wounded",
        "everyone",
        "civilians",
    ]
    assert len(after) == len(before) + 1
    # The comparison: each term in words, nothing of Python's, the change named.
    compared = client.get(f"{AGREEMENT}?lang=ar").text
    assert "{'" not in compared and "None" not in compared and "destination_text" not in compared
    assert "أُضيف" in compared or "أضيف" in compared
    assert "يخرج الجميع بعد الجرحى" in compared


def test_a_version_adopted_on_the_english_page_keeps_each_terms_words_in_their_language(
    system: Mamar,
) -> None:
    """Words a new version leaves as they were keep their language and translations (so the
    term is unchanged); words typed anew are in the language chosen beside them; a refused form comes
    back as typed, and what is then recorded is what was typed."""
    web = make_web(system)
    client = web.client("negotiator")
    before = _terms(system)
    assert before[0]["area"]["language"] == "ar" and before[0]["area"]["translations"]
    form = _values(client.get(f"{AGREEMENT}/adopt?lang=en").text)
    assert form["term.ceasefire.0.area"] == before[0]["area"]["original"]
    form["term.evacuation.0.description"] = "The wounded first, with one relative each"
    form["term.evacuation.0.description.language"] = "en"  # said beside it, as a person does
    form["term.ceasefire.0.ends_at"] = "the day after"
    form["note"] = "one relative with each wounded person"
    refused = client.post(f"{AGREEMENT}/adopt?lang=en", data={**form, "csrf": csrf(client)})
    assert refused.status_code in (400, 422) and len(_terms(system)) == len(before)
    assert "The wounded first, with one relative each" in refused.text
    again = _values(refused.text)
    assert again["term.evacuation.0.description"] == "The wounded first, with one relative each"
    again["term.ceasefire.0.ends_at"] = ""
    response = client.post(f"{AGREEMENT}/adopt?lang=en", data={**again, "csrf": csrf(client)})
    assert response.status_code == 303, response.text[-2000:]
    after = _terms(system)
    assert after[0]["area"] == before[0]["area"]  # as it was: Arabic, with its translation
    assert after[2]["description"] == before[2]["description"]
    assert after[1]["description"] == {
        "original": "The wounded first, with one relative each",
        "language": "en",
        "translations": [],
    }
    with system.reading() as conn:
        state = reads.get_state(
            conn,
            viewer=system.actor("negotiator"),
            kind="agreement",
            entity_id="evacuation-agreement",
        )
    assert isinstance(state, AgreementState)
    latest = state.current_version
    diff = compare_versions(state, latest - 1, latest)
    assert [(r.key, r.fields) for r in diff.changed] == [("evacuation:wounded", ("description",))]
    # On the Arabic page the English words are marked with their language.
    compared = client.get(f"{AGREEMENT}?lang=ar").text
    assert '<bdi lang="en" dir="auto">The wounded first, with one relative each</bdi>' in compared


def test_a_terms_destination_is_picked_by_name_and_kept_when_the_form_is_refused(
    system: Mamar,
) -> None:
    """The destination of an evacuation is one of the operation's places, chosen by its name
    in the page's language (its identifier the option's value only), or words for a place
    that is none of them; a refused form keeps the place chosen."""
    web = make_web(system)
    client = web.client("negotiator")
    propose = f"/ops/{OP}/negotiation/propose"
    page = client.get(f"{propose}?lang=ar").text
    name = "term.evacuation.0.destination"
    listed = page.split(f'<select id="f-{name.replace(".", "-")}" name="{name}"', 1)[1]
    listed = listed.split("</select>", 1)[0]
    assert '<option value="idlib">إدلب</option>' in listed
    assert 'list="place-list"' not in page and "معرّف" not in page
    assert 'name="term.evacuation.0.destination_text"' in page
    typed = {
        "csrf": csrf(client),
        "from_party": "aleppo-factions",
        "term.evacuation.0.who": "civilians",
        name: "idlib",
        "term.evacuation.1.who": "fighters",
        "term.evacuation.1.destination_text": "ريف حلب الغربي",
    }
    size = web.journal_size()
    refused = client.post(f"{propose}?lang=ar", data=typed)  # to whom: not said
    assert refused.status_code == 422 and web.journal_size() == size
    again = _values(refused.text)
    assert again[name] == "idlib"
    assert again["term.evacuation.1.destination_text"] == "ريف حلب الغربي"
    tabled = client.post(f"{propose}?lang=ar", data={**again, "to_party": "russian-military"})
    assert tabled.status_code == 303, tabled.text[-2000:]
    with system.reading() as conn:
        last = list(store.read_all(conn, after=0))[-1]
        assert last.type == "proposal.tabled"
        proposal = last.stream.partition(":")[2]
        record = reads.get_entity(
            conn, viewer=system.actor("negotiator"), kind="proposal", entity_id=proposal
        )
    evacuations = [t for t in record["terms"] if t["type"] == "evacuation"]
    assert [t["destination"] for t in evacuations] == ["idlib", None]
    assert evacuations[1]["destination_text"]["original"] == "ريف حلب الغربي"
