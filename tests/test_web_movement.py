"""Where convoys' stops, figures and cargo, and incidents' allegations, are seen and
recorded: the convoy page, the incident page and the dashboard, in Arabic and English."""

from __future__ import annotations

from mamar import reads
from mamar.system import Mamar
from tests.web_support import OP, csrf, make_web

CONVOY = "buses-15-december"


def _state(system: Mamar, kind: str, entity_id: str) -> dict[str, object]:
    with system.reading() as conn:
        return reads.get_entity(
            conn, viewer=system.actor("operations"), kind=kind, entity_id=entity_id
        )


def test_stops_figures_and_cargo_are_recorded_and_shown_on_the_convoy_page(
    system: Mamar,
) -> None:
    web = make_web(system)
    client = web.client("operations")
    token = csrf(client)
    base = f"/ops/{OP}/convoys/{CONVOY}"
    # The convoy has arrived: a stop can no longer be added, figures and cargo still can.
    refused = client.post(
        f"{base}/stops?lang=ar",
        data={"csrf": token, "stop.place": "ramouseh", "stop.kind": "transit"},
    )
    assert refused.status_code == 422 and 'class="error" role="alert"' in refused.text
    figure = client.post(
        f"{base}/figures",
        data={
            "csrf": token,
            "count": "arrived",
            "figure.certainty": "range",
            "figure.value": "1100",
            "figure.high": "1200",
            "figure.source": "ICRC",
        },
    )
    assert figure.status_code == 303, figure.text[:400]
    cargo = client.post(
        f"{base}/cargo",
        data={
            "csrf": token,
            "cargo.kind": "طحين",
            "cargo.quantity.certainty": "approximate",
            "cargo.quantity.value": "20",
            "cargo.unit": "طن",
            "cargo.delivered_at": "rashidin",
        },
    )
    assert cargo.status_code == 303, cargo.text[:400]
    english = client.get(f"{base}?lang=en").text
    assert "1,100 to 1,200" in english and "ICRC" in english
    assert "about 20" in english and "طحين" in english
    arabic = client.get(f"{base}?lang=ar").text
    assert "من 1,100 إلى 1,200" in arabic and "نحو 20" in arabic
    assert "الأرقام كما أُبلغ عنها" in arabic and "وصلوا" in arabic
    # The delivery place is named, never given as its id.
    assert "الراشدين" in arabic and ">rashidin<" not in arabic


def test_a_refused_figure_comes_back_with_what_was_typed(system: Mamar) -> None:
    web = make_web(system)
    client = web.client("operations")
    before = web.journal_size()
    page = client.post(
        f"/ops/{OP}/convoys/{CONVOY}/figures?lang=ar",
        data={
            "csrf": csrf(client),
            "count": "boarded",
            "figure.certainty": "range",
            "figure.value": "900",
            "figure.high": "800",
            "figure.source": "مجلس محلي",
        },
    )
    assert page.status_code == 422
    assert 'id="figure-error"' in page.text
    assert 'value="مجلس محلي"' in page.text and 'value="900"' in page.text
    assert web.journal_size() == before


def _forms_with_messages(page: str) -> dict[str, int]:
    """Where each post form of the page posts → how many messages it shows beside fields."""
    out: dict[str, int] = {}
    for chunk in page.split('<form method="post" action="')[1:]:
        action, _, rest = chunk.partition('"')
        out[action.rsplit("/", 1)[-1]] = rest.split("</form>", 1)[0].count('class="field-error"')
    return out


def test_each_refusal_on_the_convoy_page_is_beside_its_own_form(system: Mamar) -> None:
    web = make_web(system)
    client = web.client("operations")
    token = csrf(client)
    plan = client.post(
        f"/ops/{OP}/convoys",
        data={"csrf": token, "name.ar": "قافلة الاختبار", "vehicles.0.kind": "حافلات"},
    )
    assert plan.status_code == 303, plan.text[:400]
    base = plan.headers["location"]
    before = web.journal_size()
    # A figure for no stop of this convoy, with a number in words: the figure form says
    # both, and the form to add a stop (whose own fields are named ``stop.*``) says nothing.
    figure = client.post(
        f"{base}/figures?lang=ar",
        data={"csrf": token, "count": "", "stop": "idlib", "figure.value": "ثلاثة"},
    )
    assert figure.status_code == 422
    shown = _forms_with_messages(figure.text)
    assert shown["figures"] >= 2 and shown["stops"] == shown["cargo"] == shown["status"] == 0
    assert shown["vehicles"] == 0
    # A stop refused: beside the stop form's fields only; the status form (which has a
    # ``place`` of its own) neither shows the message nor takes the value typed.
    stop = client.post(
        f"{base}/stops?lang=ar", data={"csrf": token, "stop.place": "", "stop.note": "قرب الجسر"}
    )
    assert stop.status_code == 422
    shown = _forms_with_messages(stop.text)
    assert shown["stops"] >= 1 and shown["figures"] == shown["cargo"] == shown["status"] == 0
    assert stop.text.count('value="قرب الجسر"') == 1
    cargo = client.post(
        f"{base}/cargo?lang=ar", data={"csrf": token, "cargo.kind": "", "place": "مكان كتبه غيره"}
    )
    shown = _forms_with_messages(cargo.text)
    assert shown["cargo"] >= 1 and shown["stops"] == shown["figures"] == shown["status"] == 0
    assert "مكان كتبه غيره" not in cargo.text  # a value of no field of the cargo form
    assert web.journal_size() == before


def test_stops_with_arrival_and_departure_on_a_new_convoy(system: Mamar) -> None:
    web = make_web(system)
    client = web.client("operations")
    token = csrf(client)
    plan = client.post(
        f"/ops/{OP}/convoys",
        data={"csrf": token, "name.ar": "قافلة السيارات الخاصة", "vehicles.0.kind": "سيارات خاصة"},
    )
    assert plan.status_code == 303, plan.text[:400]
    base = plan.headers["location"]
    convoy = base.rsplit("/", 1)[1]
    for place, kind, leg in (("ramouseh", "transit", "in"), ("amiriyah", "pickup", "out")):
        added = client.post(
            f"{base}/stops",
            data={"csrf": token, "stop.place": place, "stop.kind": kind, "stop.leg": leg},
        )
        assert added.status_code == 303, added.text[:400]
    reached = client.post(
        f"{base}/stops/reached", data={"csrf": token, "place": "ramouseh", "leg": "in"}
    )
    assert reached.status_code == 303
    left = client.post(f"{base}/stops/left", data={"csrf": token, "place": "ramouseh", "leg": "in"})
    assert left.status_code == 303
    state = _state(system, "convoy", convoy)
    stops = state["stops"]
    assert isinstance(stops, list)
    assert [(s["place"], s["leg"]) for s in stops] == [("ramouseh", "in"), ("amiriyah", "out")]
    assert stops[0]["arrived_at"] and stops[0]["departed_at"]
    vehicles = state["vehicles"]
    assert isinstance(vehicles, list) and vehicles[0].get("count") is None
    page = client.get(f"{base}?lang=ar").text
    assert "طريق الدخول (القافلة فارغة)" in page and "نقطة صعود" in page
    assert "سيارات خاصة" in page and "None" not in page
    # The way out's stop still waits for its arrival: its button is offered.
    assert page.count('action="' + base + '/stops/reached"') == 1


def test_the_dashboard_shows_ranges_sources_and_unknown_instead_of_zero(system: Mamar) -> None:
    web = make_web(system)
    client = web.client("operations")
    token = csrf(client)
    client.post(
        f"/ops/{OP}/convoys/{CONVOY}/figures",
        data={
            "csrf": token,
            "count": "arrived",
            "figure.certainty": "approximate",
            "figure.value": "1300",
            "figure.source": "local council",
        },
    )
    english = client.get(f"/ops/{OP}/dashboard?lang=en").text
    # The recorded 1,150 and the council's ~1,300: a range, with its source named.
    assert "1,150 to 1,300" in english and "local council" in english
    assert "Figures differ by source" in english
    # The first convoy of wounded arrived with nobody's count: not known, not 0.
    assert "not known for 1 convoy" in english
    arabic = client.get(f"/ops/{OP}/dashboard?lang=ar").text
    assert "(عدا قافلة واحدة لم يُعرف عدد ركابها)" in arabic


def test_incident_page_shows_and_adds_alleged_perpetrators(system: Mamar) -> None:
    web = make_web(system)
    client = web.client("coordinator")
    token = csrf(client)
    base = f"/ops/{OP}/incidents/ramouseh-gunfire"
    added = client.post(
        f"{base}/allegations",
        data={
            "csrf": token,
            "allegation.party": "aleppo-factions",
            "allegation.confidence": "possible",
            "allegation.alleged_by": "russian-military",
        },
    )
    assert added.status_code == 303, added.text[:400]
    english = client.get(f"{base}?lang=en").text
    assert "alleged by Russian military command" in english
    assert "Militias in Ramouseh (likely)" in english
    arabic = client.get(f"{base}?lang=ar").text
    assert "بحسب القيادة العسكرية الروسية" in arabic and "(محتمل)" in arabic
    before = web.journal_size()
    twice = client.post(
        f"{base}/allegations?lang=ar",
        data={
            "csrf": token,
            "allegation.party": "aleppo-factions",
            "allegation.alleged_by": "russian-military",
        },
    )
    assert twice.status_code == 422 and web.journal_size() == before


def test_report_an_incident_with_several_parties_alleged_and_its_impact(system: Mamar) -> None:
    web = make_web(system)
    client = web.client("operations")
    response = client.post(
        f"/ops/{OP}/incidents",
        data={
            "csrf": csrf(client),
            "event_type": "explosions_remote_violence",
            "description": "سيارة مفخخة قرب نقطة الانتظار",
            "source.text": "فريق الإسعاف",
            "source.kind": "own_team",
            "weapon": "vehicle_borne_ied",
            "allegation_party": ["government-forces", "aleppo-factions"],
            "allegation_confidence": ["possible", "possible"],
            "allegation_by": ["aleppo-factions", "government-forces"],
            "humanitarian": ["attack_on_convoy", "attack_on_aid_workers"],
        },
    )
    assert response.status_code == 303, response.text[:600]
    incident = response.headers["location"].rsplit("/", 1)[1]
    state = _state(system, "incident", incident)
    allegations = state["allegations"]
    assert isinstance(allegations, list)
    assert [(a["party"], a["alleged_by"]) for a in allegations] == [
        ("government-forces", "aleppo-factions"),
        ("aleppo-factions", "government-forces"),
    ]
    assert state["humanitarian"] == ["attack_on_convoy", "attack_on_aid_workers"]
    page = client.get(response.headers["location"] + "?lang=ar").text
    assert "سيارة مفخخة" in page and "اعتداء على قافلة" in page


def test_a_convoys_words_are_kept_in_the_language_chosen_beside_them(system: Mamar) -> None:
    """Who travels and the kinds of vehicle, typed in English on an Arabic page with English
    chosen beside them: recorded as English, shown to Arabic readers marked as English."""
    web = make_web(system)
    client = web.client("operations")
    token = csrf(client)
    form = client.get(f"/ops/{OP}/convoys?lang=ar").text
    assert 'name="batch_of.language"' in form and 'name="vehicles.0.kind.language"' in form
    plan = client.post(
        f"/ops/{OP}/convoys?lang=ar",
        data={
            "csrf": token,
            "name.ar": "قافلة المدنيين",
            "batch_of": "civilians",
            "batch_of.language": "en",
            "vehicles.0.kind": "bus",
            "vehicles.0.kind.language": "en",
            "vehicles.0.count": "3",
        },
    )
    assert plan.status_code == 303, plan.text[:400]
    convoy = plan.headers["location"].rsplit("/", 1)[1]
    state = _state(system, "convoy", convoy)
    assert state["batch_of"]["language"] == "en"
    assert state["vehicles"][0]["kind"] == {"original": "bus", "language": "en", "translations": []}
    page = client.get(f"/ops/{OP}/convoys/{convoy}?lang=ar").text
    assert '<bdi lang="en" dir="auto">civilians</bdi>' in page
    assert '<bdi lang="en" dir="auto">bus</bdi>' in page


def test_another_language_is_given_by_its_code_and_a_wrong_code_is_refused_beside_it(
    system: Mamar,
) -> None:
    web = make_web(system)
    client = web.client("operations")
    token = csrf(client)
    form = client.get(f"/ops/{OP}/convoys?lang=ar").text
    assert form.count("<option") < 200  # a short list of languages, not every language
    typed = {"csrf": token, "name.ar": "قافلة", "batch_of": "siviller"}
    before = web.journal_size()
    refused = client.post(
        f"/ops/{OP}/convoys?lang=ar",
        data={**typed, "batch_of.language": "other", "batch_of.language_other": "xx-zz-12"},
    )
    assert refused.status_code == 422
    assert 'id="batch_of-language-error"' in refused.text
    assert 'value="siviller"' in refused.text and 'value="xx-zz-12"' in refused.text
    assert web.journal_size() == before
    plan = client.post(
        f"/ops/{OP}/convoys?lang=ar",
        data={**typed, "batch_of.language": "other", "batch_of.language_other": "TR"},
    )
    assert plan.status_code == 303, plan.text[:400]
    state = _state(system, "convoy", plan.headers["location"].rsplit("/", 1)[1])
    assert state["batch_of"]["language"] == "tr"


def test_cargo_words_are_kept_in_the_language_chosen_beside_them(system: Mamar) -> None:
    """The kind of goods, its unit and who gives the quantity, typed in English on an Arabic
    page with English chosen beside each: recorded as English, shown marked on Arabic pages
    (and in the reader's own language when a translation is given)."""
    web = make_web(system)
    client = web.client("operations")
    token = csrf(client)
    base = f"/ops/{OP}/convoys/{CONVOY}"
    form = client.get(f"{base}?lang=ar").text
    for name in ("cargo.kind", "cargo.unit", "cargo.quantity.source", "figure.source"):
        assert f'name="{name}.language"' in form, name
    cargo = client.post(
        f"{base}/cargo?lang=ar",
        data={
            "csrf": token,
            "cargo.kind": "flour",
            "cargo.kind.language": "en",
            "cargo.quantity.certainty": "exact",
            "cargo.quantity.value": "20",
            "cargo.quantity.source": "WFP warehouse",
            "cargo.quantity.source.language": "en",
            "cargo.unit": "tonnes",
            "cargo.unit.language": "en",
            "cargo.delivered_at": "rashidin",
        },
    )
    assert cargo.status_code == 303, cargo.text[:400]
    [recorded] = _state(system, "convoy", CONVOY)["cargo"]
    assert recorded["kind"] == {"original": "flour", "language": "en", "translations": []}
    assert recorded["unit"]["language"] == recorded["quantity"]["source"]["language"] == "en"
    page = client.get(f"{base}?lang=ar").text
    for words in ("flour", "tonnes", "WFP warehouse"):
        assert f'<bdi lang="en" dir="auto">{words}</bdi>' in page, words
    assert '<bdi lang="en" dir="auto">flour</bdi>' not in client.get(f"{base}?lang=en").text
