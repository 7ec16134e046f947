"""Arabic all the way: every page (every GET route of the route table, as accounts of
several roles and organisations of aleppo-2016), CLI output and API error, in Arabic,
shows no Latin-script word of the product's own, no snake_case name and no Python value.

Latin words are allowed only inside an element marked with its own ``lang`` (user data in
another language, marked so) and in account names (what a person types to sign in). A
user's free text shown in English without its language, or a record's id shown instead of
its name, is caught. What users recorded that is still shown unmarked is listed in
``REMAINING``, each entry with where it comes from and why; the list only shrinks (an entry
no page needs any more fails the test, so it is removed).
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

import mamar
from mamar.cli import app as cli
from mamar.domain.model import commands
from mamar.domain.visibility import Role
from mamar.journal import store
from mamar.system import Mamar
from mamar.web.i18n import LANGUAGES
from tests import test_access_matrix
from tests.arabic_text import (
    offences,
    recorded_texts,
    texts_pattern,
    visible_text,
)
from tests.org_support import OP, World
from tests.test_access_matrix import _kind, bindings, record_ids, routes

world = test_access_matrix.world  # the same module-scoped fixture: aleppo-2016, every account

#: Who reads: (organisation in aleppo-2016, role), every role.
READERS = [
    ("factions-team", Role.COORDINATOR),  # the negotiating team's room: it recorded most
    ("sarc", Role.COORDINATOR),
    ("factions-team", Role.NEGOTIATOR),
    ("russian-command", Role.LIAISON),
    ("icrc", Role.MEDICAL),
    ("installation", Role.ADMIN),
    # The demo's accounts of the other roles: the Red Crescent's operations officer, and
    # the ceasefire monitor and the observer with the monitoring team.
    ("sarc", Role.OPERATIONS),
    ("monitors", Role.MONITOR),
    ("monitors", Role.OBSERVER),
]
#: Protocol words an API client types (headers, scopes, formats): allowed in API messages.
PROTOCOL = {"Authorization", "Bearer", "X", "CSRF", "Token", "JSON", "Content", "Type"}
PROTOCOL |= {"application", "json", "write", "U"}


@dataclass(frozen=True)
class Remaining:
    """Users' texts some pages still show unmarked: which (from each event), where, why."""

    why: str
    texts: Callable[[Any], set[str]]
    pages: str = ""  # a pattern of the paths where they are shown; "" every page


#: What users recorded that pages still show unmarked (see the module's docstring).
REMAINING: list[Remaining] = []


def _names_of_accounts(system: Mamar) -> re.Pattern[str]:
    """The accounts' names (what a person types to sign in, and the name shown for it)."""
    found: set[str] = set()
    with system.reading() as conn:
        for event in store.read_all(conn):
            if event.type == "account.created":
                found |= {event.stream.split(":", 1)[1], event.data.get("display_name") or ""}
    return texts_pattern(found)


def _remaining_texts(system: Mamar) -> tuple[re.Pattern[str], dict[str, set[int]]]:
    """Every ``REMAINING`` text, as recorded, as one pattern (longest first, so a text is
    taken out whole before any shorter one inside it), and the entries each comes from."""
    found: dict[str, set[int]] = {}
    with system.reading() as conn:
        for event in store.read_all(conn):
            for index, entry in enumerate(REMAINING):
                for text in entry.texts(event):
                    found.setdefault(text, set()).add(index)
    return texts_pattern(set(found)), found


@dataclass
class ArabicPages:
    """The strict oracle over the pages of one installation: a page's visible text, with
    account names and the ``REMAINING`` texts of the entries that apply to its path taken
    out, shows no Latin word, snake_case name or Python value. What each page shows wrong
    is gathered (word → where), and which entries of ``REMAINING`` some page needed."""

    accounts: re.Pattern[str]
    remaining: re.Pattern[str]
    sources: dict[str, set[int]]
    found: dict[str, set[str]] = field(default_factory=dict)
    needed: set[int] = field(default_factory=set)
    pages: int = 0

    @classmethod
    def of(cls, system: Mamar) -> ArabicPages:
        return cls(_names_of_accounts(system), *_remaining_texts(system))

    def read(self, path: str, html: str, who: str) -> str:
        """The page's visible text; its offences are gathered under ``who`` read it."""
        assert 'lang="ar"' in html[:200], path
        self.pages += 1
        here = {i for i, e in enumerate(REMAINING) if re.search(e.pages, path)}

        def allowed(match: re.Match[str]) -> str:
            entries = self.sources.get(match.group(0), set()) & here
            self.needed.update(entries)
            return " " if entries else match.group(0)

        shown = visible_text(html)
        # Users' texts first, whole: an account name may be a word inside one.
        text = self.accounts.sub(" ", self.remaining.sub(allowed, shown))
        for word in offences(text, None):
            self.found.setdefault(word, set()).add(f"{path} ({who})")
        return shown

    def report(self) -> str:
        return "\n".join(f"{w!r}: {sorted(p)[:3]}" for w, p in sorted(self.found.items()))

    def unneeded(self) -> list[str]:
        """The ``REMAINING`` entries no page read needed."""
        return [e.why for i, e in enumerate(REMAINING) if i not in self.needed]


@pytest.fixture(scope="module")
def users_texts(world: World) -> re.Pattern[str]:
    """For the CLI only (its pages are not yet checked as strictly as the web's): every text
    with Latin letters the users recorded, taken whole out of the output before its words
    are checked."""
    return recorded_texts(world.system)


def _pages(world: World, *, every_record: bool) -> list[str]:
    """The paths of every page of the route table, for one record of each kind; with
    ``every_record``, each record's own page for every record (one of a kind shows one
    kind's words only), the general form of every command (its choices, its fields' names),
    and two of the records planted for the access matrix that every reader sees (a name in
    English only: the others planted say the same)."""
    ids = record_ids(world.system)
    planted = {
        "convoy": [c for c in world.convoys if c.endswith("-shared")][:2],
        "position": world.positions[:2],
    }
    paths: list[str] = []
    for template in routes(world.app, "GET"):
        if template.startswith(("/api/", "/live", "/static")):
            continue
        bound = template.replace("{op}", OP)
        kind = _kind(template)
        if "{command_name}" in template:
            names = sorted(commands()) if every_record else ["convoy.plan"]
            paths += [bound.replace("{command_name}", name) for name in names]
        elif kind is not None:
            chosen = ids.get(kind, [])
            if not (every_record and template.endswith("/{id}")):
                chosen = chosen[:1]
            if every_record:
                chosen = [*chosen, *planted.get(kind, [])]
            paths += [bound.replace("{id}", i) for i in [*chosen, "no-such-record"]]
        else:
            paths += [p for p in bindings(world, template, ids) if "format=json" not in p]
    return list(dict.fromkeys(paths))


def test_every_page_in_arabic_shows_no_english_of_its_own(world: World) -> None:
    assert {role for _, role in READERS} == set(Role)  # every role reads
    paths = _pages(world, every_record=True)
    assert len(paths) > 60
    oracle = ArabicPages.of(world.system)
    for org, role in READERS:
        headers = {"Authorization": world.headers(org, role)["Authorization"]}
        for path in paths:
            response = world.client.get(path, headers=headers)
            if "text/html" in response.headers.get("content-type", ""):
                oracle.read(path, response.text, f"{role.value} of {org}")
    assert oracle.pages > 300
    assert oracle.found == {}, oracle.report()
    # The list of what remains only shrinks: an entry no page needs any more is removed.
    assert oracle.unneeded() == []


ARABIC_WORD = re.compile(r"[\u0600-\u06ff]+")


def test_every_page_in_english_shows_no_arabic_of_its_own(world: World) -> None:
    """The inverse: an English page shows no Arabic word outside what users wrote marked
    with its language (a word left untranslated in the English catalogue, a text of the
    product's own written in Arabic). Every page of one record of each kind, as every role
    (once: the two coordinators' pages say the same words)."""
    paths = _pages(world, every_record=False)
    accounts = _names_of_accounts(world.system)  # what a person types to sign in, and sees
    found: dict[str, set[str]] = {}
    pages = 0
    # A client of its own: the language chosen in the address is remembered in a cookie.
    client = TestClient(world.app, base_url="https://testserver", follow_redirects=False)
    for org, role in {role: (org, role) for org, role in READERS}.values():
        headers = {"Authorization": world.headers(org, role)["Authorization"]}
        for path in paths:
            english = path + ("&" if "?" in path else "?") + "lang=en"
            response = client.get(english, headers=headers)
            if "text/html" not in response.headers.get("content-type", ""):
                continue
            assert 'lang="en"' in response.text[:200], path
            pages += 1
            shown = accounts.sub(" ", visible_text(response.text, "en"))
            for word in ARABIC_WORD.findall(shown):
                found.setdefault(word, set()).add(f"{path} ({role.value} of {org})")
    assert pages > 300
    assert found == {}, "\n".join(f"{w}: {sorted(p)[:3]}" for w, p in sorted(found.items()))


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
