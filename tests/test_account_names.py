"""People see an account's name, not its login id: the page header names the signed-in
account by its display name, isolated (its direction is its own), in both languages."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from mamar.accounts.tokens import Scope, create_token
from mamar.system import Mamar
from tests.web_support import Web, make_web


@pytest.fixture(scope="module")
def web(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Web]:
    from tests.conftest import make_system

    system: Mamar = make_system(f"sqlite:///{tmp_path_factory.mktemp('names') / 'mamar.db'}")
    yield make_web(system)
    system.dispose()


def _who(html: str) -> str:
    found = re.search(r'<span class="who">(.*?)</span>', html, re.S)
    assert found is not None, html[:2000]
    return found.group(1)


@pytest.mark.parametrize("lang", ["ar", "en"])
@pytest.mark.parametrize(
    ("role", "username", "name", "organisation"),
    [
        ("coordinator", "coordinator", "منسّق غرفة العمليات", "factions-team"),
        ("operations", "operations", "مسؤول العمليات في الهلال الأحمر", "sarc"),
    ],
)
def test_the_header_names_the_account_by_its_display_name(
    web: Web, lang: str, role: str, username: str, name: str, organisation: str
) -> None:
    client = web.client(role)
    page = client.get(f"/ops/aleppo-2016/dashboard?lang={lang}")
    assert page.status_code == 200, page.text
    who = _who(page.text)
    # The name first, isolated (an Arabic name inside an English line keeps its order), then
    # the role and organisation; the login id is not a person's name and is not shown.
    # Written in Arabic letters: marked so on an English page (user data says its language).
    marked = '<bdi dir="auto">' if lang == "ar" else '<bdi lang="ar" dir="rtl">'
    assert who.startswith(f"{marked}{name}</bdi> (")
    assert f">{username}<" not in who and not who.startswith(username)
    organisation_names = {
        "ar": {"factions-team": "فصائل حلب", "sarc": "الهلال الأحمر"},
        "en": {"factions-team": "Aleppo factions", "sarc": "Red Crescent"},
    }
    assert organisation_names[lang][organisation] in who.split("(", 1)[1]


def test_the_tokens_list_names_the_account(web: Web) -> None:
    with web.system.writing() as conn:
        create_token(conn, "operations", scope=Scope.READ)
    client = web.client("admin")
    for lang in ("ar", "en"):
        page = client.get(f"/admin?lang={lang}")
        assert page.status_code == 200, page.text
        tokens = page.text.split('id="h-tok"', 1)[1]
        marked = '<bdi dir="auto">' if lang == "ar" else '<bdi lang="ar" dir="rtl">'
        assert f"{marked}مسؤول العمليات في الهلال الأحمر</bdi>" in tokens


def test_an_account_without_a_display_name_is_shown_by_its_username() -> None:
    from mamar.domain.model import Actor
    from mamar.domain.visibility import Role

    plain = Actor("amal", Role.NEGOTIATOR)
    named = Actor("amal", Role.NEGOTIATOR, display_name="أمل")
    assert plain.name == "amal" and named.name == "أمل"
    # The name is not who acts: the same account, whatever it is called.
    assert plain == named and hash(plain) == hash(named)
