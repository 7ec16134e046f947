"""Numbers a refusal says follow the reader's digits (an operation set to Arabic-Indic digits
shows ١–٩٩٩٩, ٥٠٠, ٢٠٠): a limit or a bound is a placeholder the code fills in; an example of
what to type is one too, in the reader's digits where the field reads Arabic-Indic digits
(a page's form, a figure, a year of birth), and stays in Latin digits where it does not (a
number in the API's JSON, a phone number)."""

from __future__ import annotations

import re

import pytest

from mamar.api.messages import api_message, domain_message, validation_message
from mamar.domain.errors import DomainError
from mamar.domain.visibility import Role
from mamar.manifests.lists import RowProblem
from mamar.persons.personal import PHONE_PATTERN
from mamar.system import Mamar
from mamar.web.page import View
from mamar.web.pages._people_words import problem_message
from tests.api_support import Api, make_api, record
from tests.test_api_bad_input import INCIDENT, PLAN, _convoy, _incident
from tests.test_web_forms import _incident_form
from tests.test_web_refusals import _beside
from tests.web_support import OP, csrf, make_web

LATIN_DIGIT = re.compile("[0-9]")


def _sentences(lang: str) -> dict[str, str]:
    """Every sentence that says a fixed number, as the product writes it in ``lang``."""
    return {
        "latitude": validation_message("latitude_range", "", lang),
        "longitude": validation_message("longitude_range", "", lang),
        "digest": validation_message("sha256_invalid", "", lang),
        "calendar": validation_message("time_out_of_range", "", lang),
        "api calendar": api_message("time_out_of_range", lang),
        "figure": validation_message("figure_invalid", "", lang, {"text": "كثير"}),
        "whole in a form": validation_message("int_parsing", "", lang, in_form=True),
        "number in a form": validation_message("float_parsing", "", lang, in_form=True),
        "one line": domain_message(DomainError("translation_one_line", "too long"), lang),
        "year of birth": domain_message(
            DomainError("born_after_now", "in the future", params={"year": "2026"}), lang
        ),
    }


def test_refusals_write_their_numbers_in_the_readers_digits(arabic_indic: None) -> None:
    arabic = _sentences("ar")
    assert {name: s for name, s in arabic.items() if LATIN_DIGIT.search(s)} == {}
    assert "٩٠" in arabic["latitude"] and "١٨٠" in arabic["longitude"]
    assert "٦٤" in arabic["digest"] and "٢٠٠" in arabic["one line"]
    assert "من ١ إلى ٩٩٩٩" in arabic["calendar"] and "٩٩٩٩" in arabic["api calendar"]
    assert "١١٠٠-١٢٠٠" in arabic["figure"] and "١٩٨٠" in arabic["year of birth"]
    assert "١٢" in arabic["whole in a form"] and "٣٦٫٢" in arabic["number in a form"]
    family = problem_message(View(None, None, None, "ar"), RowProblem(7, None, "refused"))  # type: ignore[arg-type]
    assert family.startswith("السطر ٧: ") and "٥٠٠" in family, family
    assert not LATIN_DIGIT.search(family), family
    # What only Latin digits type stays in them: JSON numbers, a phone number.
    assert validation_message("int_parsing", "", "ar").endswith("12")
    assert validation_message("float_parsing", "", "ar").endswith("36.2")
    phone = validation_message("string_pattern_mismatch", "", "ar", {"pattern": PHONE_PATTERN})
    assert "+963 944 123 456" in phone


def test_english_says_the_same_numbers() -> None:
    english = _sentences("en")
    assert english["latitude"] == "Latitude must be between -90 and 90 degrees"
    assert english["calendar"].endswith("(years 1 to 9999)")  # a year: never 9,999
    assert "64 hexadecimal" in english["digest"] and "at most 200 characters" in english["one line"]
    assert "(500), ~500 (about), >300 (at least), 1100-1200 (a range)" in english["figure"]
    assert english["year of birth"].endswith("e.g. 1980")
    assert english["whole in a form"].endswith("e.g. 12")


def test_a_pages_refusals_show_the_readers_digits(system: Mamar, arabic_indic: None) -> None:
    web = make_web(system)
    client = web.client("coordinator")
    notice = {"csrf": csrf(client), "parties": "aleppo-factions", "message": "تحرك القافلة"}
    refused = client.post(
        f"/ops/{OP}/notifications/new?lang=ar",
        data={**notice, "route": "exit-route", "route_version": "ثلاثة"},
    )
    assert refused.status_code == 422, refused.text[-1500:]
    whole = _beside(refused.text, "route_version")
    assert "١٢" in whole and not LATIN_DIGIT.search(whole), whole
    operations = web.client("operations")
    half = operations.post(
        f"/ops/{OP}/incidents?lang=ar", data=_incident_form(csrf(operations), lon="")
    )
    assert half.status_code == 422, half.text[-1500:]
    longitude = _beside(half.text, "lon")
    assert "٣٧٫١٣" in longitude and not LATIN_DIGIT.search(longitude), longitude


@pytest.fixture
def api(system: Mamar) -> Api:
    api = make_api(system)
    record(api, "/api/v1/operation/open", {"id": "op", "name": {"en": "Op"}, "timezone": "UTC"})
    return api


def test_the_apis_bounds_in_the_readers_digits(api: Api, arabic_indic: None) -> None:
    headers = {**api.headers(Role.COORDINATOR, lang="ar"), "Content-Type": "application/json"}
    far = api.client.post(INCIDENT, json=_incident(point={"lat": 91.5, "lon": 37}), headers=headers)
    message = far.json()["error"]["message"]
    assert "٩٠" in message and not LATIN_DIGIT.search(message), message
    many = api.client.post(PLAN, json=_convoy(counts={"planned": "many"}), headers=headers)
    assert many.json()["error"]["message"].endswith("12")  # typed as JSON: Latin digits
