"""Shared fixtures: a real SQLite file, and a real PostgreSQL database per test."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from sqlalchemy.engine import make_url

from mamar.config import Settings
from mamar.system import Mamar
from mamar.vault.store import generate_key
from mamar.web import i18n

PG_ENV = "MAMAR_TEST_DATABASE_URL"


def postgres_base_url() -> str:
    """The PostgreSQL server for tests; under CI its absence is a failure, not a skip."""
    url = os.environ.get(PG_ENV)
    if not url:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{PG_ENV} is not set: PostgreSQL tests must run under CI")
        pytest.skip(f"PostgreSQL tests need {PG_ENV} (e.g. postgresql://postgres@127.0.0.1/test)")
    return url


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A fresh, empty PostgreSQL database, dropped afterwards."""
    base = make_url(postgres_base_url())
    name = f"mamar_t_{uuid.uuid4().hex[:12]}"
    admin = base.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield base.set(database=name).render_as_string(hide_password=False)
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'mamar.db'}"


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'mamar.db'}"
    url: str = request.getfixturevalue("postgres_url")
    return url


def make_system(url: str) -> Mamar:
    settings = Settings(database_url=url, vault_key=generate_key())
    system = Mamar(settings)
    system.init()
    return system


@pytest.fixture
def system(database_url: str) -> Iterator[Mamar]:
    """The whole system on a fresh database, on each engine."""
    instance = make_system(database_url)
    yield instance
    instance.dispose()


@pytest.fixture
def sqlite_system(sqlite_url: str) -> Iterator[Mamar]:
    instance = make_system(sqlite_url)
    yield instance
    instance.dispose()


@pytest.fixture
def postgres_system(postgres_url: str) -> Iterator[Mamar]:
    instance = make_system(postgres_url)
    yield instance
    instance.dispose()


def pytest_configure(config: pytest.Config) -> None:
    # tests/test_adversarial_*.py: the attacks and faults of issue 12 (``-m adversarial``).
    config.addinivalue_line("markers", "adversarial: attacks and faults that must keep failing")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if item.path.name.startswith("test_adversarial_"):
            item.add_marker(pytest.mark.adversarial)


@pytest.fixture(autouse=True)
def _language_of_the_command_line_restored() -> Iterator[None]:
    """``mamar --lang ar`` run in this process (CliRunner) sets ``$MAMAR_LANG`` for the
    commands it starts; the next test starts from the language it found."""
    found = os.environ.get("MAMAR_LANG")
    yield
    if found is None:
        os.environ.pop("MAMAR_LANG", None)
    else:
        os.environ["MAMAR_LANG"] = found


@pytest.fixture
def arabic_indic() -> Iterator[None]:
    """The installation set to Arabic-Indic digits for Arabic (``MAMAR_DIGITS=arab``)."""
    i18n.set_digits("arab")
    try:
        yield
    finally:
        i18n.set_digits("latn")
