"""Arabic all the way: every page (every GET route of the route table, as accounts of
several roles and organisations of aleppo-2016), CLI output and API error, in Arabic,
shows no Latin-script word of the product's own, no snake_case name and no Python value.

Latin words are allowed only inside an element marked with its own ``lang`` (user data
in another language), or inside the users' own data recorded without a language (the
oracle: every text of every recorded event, every identifier and account name, removed
whole from the page before its words are checked, so a product word that happens to
occur in some user's sentence is still caught).
"""

from __future__ import annotations

import ast
import re
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

import mamar
from mamar.cli import app as cli
from mamar.domain.visibility import Role
from mamar.journal import store
from mamar.web.i18n import LANGUAGES
from tests import test_access_matrix
from tests.arabic_text import LATIN_WORD, PYTHON, SNAKE, visible_text
from tests.org_support import World
from tests.test_access_matrix import _ids, bindings, routes

world = test_access_matrix.world  # the same module-scoped fixture: aleppo-2016, every account

#: Who reads: (organisation index in aleppo-2016, role).
READERS = [
    ("sarc", Role.COORDINATOR),
    ("factions-team", Role.NEGOTIATOR),
    ("russian-command", Role.LIAISON),
    ("icrc", Role.MEDICAL),
    ("installation", Role.ADMIN),
]
#: Protocol words an API client types (headers, scopes, formats): allowed in API messages.
PROTOCOL = {"Authorization", "Bearer", "X", "CSRF", "Token", "JSON", "Content", "Type"}
PROTOCOL |= {"application", "json", "write", "U"}


#: An IANA time zone ("Asia/Damascus") is an identifier, not the users' words: a page says
#: the zone in words, so it is not taken out of the page before the check.
ZONE = re.compile(r"[A-Z][A-Za-z]+/[A-Za-z_/+-]+")


def _texts(value: Any, out: set[str]) -> None:
    if isinstance(value, str):
        if LATIN_WORD.search(value) and not ZONE.fullmatch(value):
            out.add(value)
            out.update(value.split(":"))  # "kind:id" streams: the id alone too
    elif isinstance(value, dict):
        for item in value.values():
            _texts(item, out)
    elif isinstance(value, list | tuple):
        for item in value:
            _texts(item, out)


@pytest.fixture(scope="module")
def users_texts(world: World) -> re.Pattern[str]:
    """Every text with Latin letters the users recorded (names, descriptions, phrases,
    identifiers, account names), longest first, as one pattern."""
    found: set[str] = set()
    with world.system.reading() as conn:
        for event in store.read_all(conn):
            _texts([event.data, event.stream, event.actor, event.phrase], found)
    ordered = sorted((t for t in found if len(t) > 1), key=len, reverse=True)
    return re.compile(
        "(?<![A-Za-z])(?:" + "|".join(re.escape(t) for t in ordered) + ")(?![A-Za-z])"
    )


def offences(
    text: str, users: re.Pattern[str] | None, allowed: set[str] = frozenset()
) -> list[str]:
    bad = PYTHON.findall(text) + SNAKE.findall(text)
    rest = users.sub(" ", text) if users is not None else text
    bad += [w for w in LATIN_WORD.findall(rest) if w not in allowed]
    return bad


def test_every_page_in_arabic_shows_no_english_of_its_own(
    world: World, users_texts: re.Pattern[str]
) -> None:
    ids = _ids(world)
    paths = [
        p
        for t in routes(world, "GET")
        if not t.startswith(("/api/", "/live", "/static"))
        for p in bindings(world, t, ids)
        if "format=json" not in p
    ]
    assert len(paths) > 60
    found: dict[str, set[str]] = {}
    pages = 0
    for org, role in READERS:
        headers = {"Authorization": world.headers(org, role)["Authorization"]}
        for path in paths:
            response = world.client.get(path, headers=headers)
            if "text/html" not in response.headers.get("content-type", ""):
                continue
            assert 'lang="ar"' in response.text[:200], path
            pages += 1
            for word in offences(visible_text(response.text), users_texts):
                found.setdefault(word, set()).add(f"{path} ({role.value} of {org})")
    assert pages > 300
    assert found == {}, "\n".join(f"{w!r}: {sorted(p)[:3]}" for w, p in sorted(found.items()))


def test_api_errors_in_arabic(world: World) -> None:
    client = world.client
    arabic = {"Accept-Language": "ar"}
    token = {"Authorization": world.headers("sarc", Role.COORDINATOR)["Authorization"]}
    reader = {"Authorization": world.headers("sarc", Role.OBSERVER)["Authorization"]}
    plan = "/api/v1/convoy/plan"
    body = {"id": "c-x", "operation": "aleppo-2016", "name": {"ar": "قافلة"}}
    cases = [
        client.get("/api/v1/operations", headers=arabic),
        client.get("/api/v1/no-such-address", headers={**arabic, **token}),
        client.post(
            plan, content=b"{", headers={**arabic, **token, "Content-Type": "application/json"}
        ),
        client.post(plan, content=b"x", headers={**arabic, **token, "Content-Type": "text/plain"}),
        client.post(plan, json={**body, "id": ""}, headers={**arabic, **token}),
        client.post(plan, json={**body, "name": {}}, headers={**arabic, **token}),
        client.post(plan, json={**body, "operation": "no-such-op"}, headers={**arabic, **token}),
        client.post(plan, json=body, headers={**arabic, **reader}),
        client.post(
            plan, json={**body, "name": {"ar": "x" * 100_000}}, headers={**arabic, **token}
        ),
        client.post(
            "/api/v1/incident/report",
            json={
                "id": "i-x",
                "operation": "aleppo-2016",
                "event_type": "battles",
                "description": {"original": "قصف"},
                "point": {"lat": 200, "lon": 37},
            },
            headers={**arabic, **token},
        ),
    ]
    for response in cases:
        assert response.status_code >= 400, response.text
        message = response.json()["error"]["message"]
        assert re.search("[\u0600-\u06ff]", message), message
        assert offences(message, None, PROTOCOL) == [], message


#: What is typed back: identifiers the installation generates (tokens, records) and options.
GENERATED_ID = re.compile(
    r"--[a-z][a-z-]*|\b[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}\b|\b[0-9a-f]{16,}\b"
)


def test_cli_output_in_arabic(world: World, users_texts: re.Pattern[str]) -> None:
    url = str(world.system.engine.url)
    runner = CliRunner()
    commands = [
        ["timeline", "--lang", "ar", "--type", "convoy."],
        ["timeline", "--lang", "ar", "--type", "agreement."],
        ["route", "compare", "exit-route@1", "exit-route@2", "--lang", "ar"],
        # One record, each field by its name in Arabic (never the API's snake_case).
        ["show", "convoy:first-wounded", "--lang", "ar"],
        ["show", "agreement:evacuation-agreement", "--lang", "ar"],
        ["show", "escalation:ramouseh-fire-escalation", "--lang", "ar"],
        ["show", "INC-3", "--lang", "ar"],
        # The rest speak the global --lang.
        ["--lang", "ar", "status"],
        ["--lang", "ar", "user", "list"],
        ["--lang", "ar", "organisation", "list"],
        ["--lang", "ar", "token", "list"],
        ["--lang", "ar", "audit", "access"],
        ["--lang", "ar", "verify"],
        ["--lang", "ar", "control", "who", "ramouseh-roundabout"],
        ["--lang", "ar", "places", "search", "الراموسة"],
    ]
    for args in commands:
        # Wide enough that no user's sentence is cut by a line break (the oracle finds it whole).
        result = runner.invoke(
            cli, [*args, "--database", url], env={"COLUMNS": "400", "MAMAR_LANG": "en"}
        )  # the global --lang sets MAMAR_LANG for the process: the runner restores it
        assert result.exit_code == 0, (args, result.output)
        shown = GENERATED_ID.sub(" ", result.output)  # e.g. a token's id, for revoke
        assert offences(shown, users_texts) == [], (args, result.output)


#: The language mechanism itself (digits, directions, the choice of language).
MECHANISM = {"web/i18n.py"}
LANGUAGE_NAMES = re.compile(r"(?:^|\.)lang$")  # the reader's language, not a text's
TEMPLATE_BRANCH = re.compile(
    r"""\blang\s*[!=]==?\s*["'](?:ar|en)["']|["'](?:ar|en)["']\s*[!=]==?\s*lang\b"""
)


def _language_branches(name: str, tree: ast.Module) -> list[str]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Compare):
            sides = [node.left, *node.comparators]
            names = [ast.unparse(s) for s in sides if isinstance(s, ast.Name | ast.Attribute)]
            codes = [s.value for s in sides if isinstance(s, ast.Constant) and s.value in LANGUAGES]
            if codes and any(LANGUAGE_NAMES.search(n) for n in names):
                found.append(f"{name}:{node.lineno}: {ast.unparse(node)}")
        elif isinstance(node, ast.Dict):
            keys = {k.value for k in node.keys if isinstance(k, ast.Constant)}
            words = [
                v for v in node.values if isinstance(v, ast.Constant) and isinstance(v.value, str)
            ]
            if set(LANGUAGES) <= keys and words:
                found.append(f"{name}:{node.lineno}: words per language {ast.unparse(node)[:60]}")
    return found


def test_no_inline_language_branch_or_words_per_language() -> None:
    """One mechanism: a visible word comes from the catalogues, never from an ``if lang ==
    "ar"`` branch or a dictionary of words per language (in code or in a template). User data
    in several languages (``{"ar": name_ar, "en": name_en}``) is not words of the product."""
    src = Path(mamar.__file__).parent
    found: list[str] = []
    for path in sorted(src.rglob("*.py")):
        name = str(path.relative_to(src))
        if name in MECHANISM or name.startswith("scenarios/"):
            continue
        found += _language_branches(name, ast.parse(path.read_text(encoding="utf-8")))
    for path in sorted([*src.rglob("*.html"), *src.rglob("*.js")]):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if TEMPLATE_BRANCH.search(line):
                found.append(f"{path.relative_to(src)}:{number}: {line.strip()[:80]}")
    assert found == []


def test_the_shape_check_catches_a_branch() -> None:
    planted = ast.parse(
        'label = "حالة" if view.lang == "ar" else "status"\n'
        'WORDS = {"ar": "قافلة", "en": "convoy"}\n'
        'ok = {"ar": name_ar, "en": name_en}\n'
    )
    assert len(_language_branches("planted.py", planted)) == 2
    assert TEMPLATE_BRANCH.search('{{ "x" if lang == "ar" else "y" }}')
    assert TEMPLATE_BRANCH.search('new Intl.DateTimeFormat(lang === "ar" ? "ar" : "en-GB")')
