"""The shape that keeps access in one place: checked on the source, so that a new page,
route or export cannot quietly grow a door of its own."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import mamar

SRC = Path(mamar.__file__).parent
#: What only the access package (and what it is built on) may use.
DOOR_ONLY = {"visible_to", "ROLE_VISIBILITY", "token_of", "compare_digest", "is_revoked"}
BUILT_ON = ("access", "accounts", "domain")
#: Domain noun packages: pure geography stands below them.
NOUNS = {p.name for p in SRC.iterdir() if (p / "model.py").exists()}


def modules(*packages: str) -> Iterator[tuple[str, ast.Module]]:
    for package in packages:
        for path in sorted((SRC / package).rglob("*.py")):
            yield str(path.relative_to(SRC)), ast.parse(path.read_text(encoding="utf-8"))


def imported(tree: ast.Module) -> Iterator[str]:
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            yield node.module
            for alias in node.names:
                yield f"{node.module}.{alias.name}"
        elif isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)


def test_no_surface_decides_access_itself() -> None:
    surfaces = [p.name for p in SRC.iterdir() if p.is_dir() and p.name not in BUILT_ON]
    found = []
    for name, tree in modules(*surfaces):
        for node in ast.walk(tree):
            used = (
                node.id
                if isinstance(node, ast.Name)
                else node.attr
                if isinstance(node, ast.Attribute)
                else None
            )
            if used in DOOR_ONLY:
                found.append(f"{name}: {used}")
        found += [f"{name}: imports {m}" for m in imported(tree) if m.startswith("mamar.api.auth")]
    assert found == []


def test_the_web_asks_the_door_not_the_api() -> None:
    found = [
        f"{name}: {m}"
        for name, tree in modules("web")
        for m in imported(tree)
        if m.startswith(("mamar.api.auth", "mamar.api.access"))
    ]
    assert found == []


def test_pure_geography_stands_below_the_domain_packages() -> None:
    found = [
        f"{name}: {m}"
        for name, tree in modules("geo")
        for m in imported(tree)
        if m.startswith("mamar.")
        and m.split(".")[1] in (NOUNS - {"domain"}) | {"geodata", "access", "reads"}
    ]
    assert found == []
    assert "places" in NOUNS and "control" in NOUNS


def test_the_read_side_has_its_own_home() -> None:
    assert not (SRC / "services" / "queries.py").exists()
    for name, tree in modules("reads"):
        assert len(ast.unparse(tree).splitlines()) < 400, name


def test_no_page_compares_the_callers_role() -> None:
    """Who may do what, and for which party, is asked of the viewer (``speaks_for``, the
    rules), not read off ``actor.role`` by a page or an API route."""
    found = []
    for name, tree in modules("web", "api"):
        for node in ast.walk(tree):
            if isinstance(node, ast.Compare) and any(
                isinstance(side, ast.Attribute) and side.attr == "role"
                for side in (node.left, *node.comparators)
            ):
                found.append(f"{name}:{node.lineno}")
    assert found == []
