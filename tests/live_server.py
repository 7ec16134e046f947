"""A real uvicorn server over a temporary SQLite database with aleppo-2016, and Debian's Chromium.

Used by the browser tests, ``bench/web.py`` and ``scripts/screenshots``. The
server runs the product's app (``mamar.cli.serving.build_app``) in a child
process on 127.0.0.1 and a free port; every scenario account gets the password
:data:`PASSWORD`.
"""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mamar.accounts.credentials import set_password
from mamar.config import Settings
from mamar.scenarios import runner
from mamar.system import Mamar
from mamar.vault.store import generate_key

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PASSWORD = "demo password for the browser"
OPERATION = "aleppo-2016"
SERVER = """
import sys, uvicorn
from mamar.cli.serving import build_app, settle_heap
from mamar.system import Mamar
app = build_app(Mamar())
settle_heap()  # as `mamar serve` does
uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[1]), log_level="warning")
"""


def chromium_missing_reason() -> str | None:
    """Why the browser cannot run here, or None."""
    if not Path(CHROMIUM).exists():
        return f"{CHROMIUM} is missing (apt-get install -y chromium)"
    try:
        import playwright  # noqa: F401
    except ImportError:
        return "the playwright package is not installed (pip install -e '.[dev]')"
    return None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass
class LiveServer:
    url: str
    database_url: str
    env: dict[str, str]
    process: subprocess.Popen[bytes]
    log: Path
    accounts: dict[str, str] = field(default_factory=dict)  # username -> role

    def system(self) -> Mamar:
        """A second handle on the same database (for seeding or checking from the test)."""
        return Mamar(
            Settings(
                database_url=self.database_url,
                vault_key=self.env["MAMAR_VAULT_KEY"],
                secret_key=self.env["MAMAR_SECRET_KEY"],
            )
        )

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def load_demo(
    database_url: str,
    env: dict[str, str],
    scenario: str = "aleppo-2016",
    *,
    run: Callable[[Mamar, runner.Scenario], object] = runner.run,
) -> dict[str, str]:
    """The scenario into a fresh database (through ``run``); every account gets :data:`PASSWORD`."""
    system = Mamar(
        Settings(
            database_url=database_url,
            vault_key=env["MAMAR_VAULT_KEY"],
            secret_key=env["MAMAR_SECRET_KEY"],
        )
    )
    try:
        system.init()
        loaded = runner.load(scenario)
        run(system, loaded)
        with system.writing() as conn:
            for account in loaded.accounts:
                set_password(conn, account.username, PASSWORD)
        return {a.username: a.role.value for a in loaded.accounts}
    finally:
        system.dispose()


def _wait_until_up(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 180  # a shared machine under load starts slowly
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited: {log.read_text()[-2000:]}")
        try:
            with urllib.request.urlopen(url + "/login", timeout=2) as response:
                if response.status < 500:
                    return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"the server did not answer within 180 s: {log.read_text()[-2000:]}")


@contextmanager
def live_server(
    directory: Path,
    *,
    load: Callable[[str, dict[str, str]], dict[str, str]] = load_demo,
    **extra_env: str,
) -> Iterator[LiveServer]:
    """The demo data (as ``load`` records it) served on a free port until the block ends."""
    database_url = f"sqlite:///{directory / 'mamar.db'}"
    env = {
        **os.environ,
        "MAMAR_DATABASE_URL": database_url,
        "MAMAR_VAULT_KEY": generate_key(),
        "MAMAR_SECRET_KEY": secrets.token_urlsafe(32),
        "MAMAR_ENVIRONMENT": "development",
        **extra_env,
    }
    accounts = load(database_url, env)
    port = free_port()
    log = directory / "server.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-c", SERVER, str(port)], env=env, stdout=out, stderr=out
        )
    server = LiveServer(f"http://127.0.0.1:{port}", database_url, env, process, log, accounts)
    try:
        _wait_until_up(server.url, process, log)
        yield server
    finally:
        server.stop()


def launch_chromium(playwright: Any) -> Any:
    """Debian's Chromium, headless, with nothing that reaches the network on its own."""
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


def sign_in(page: Any, base_url: str, username: str, password: str = PASSWORD) -> None:
    """Through the sign-in form, as a person would."""
    page.goto(f"{base_url}/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    with page.expect_navigation():
        page.click("main form button[type=submit]")


@contextmanager
def browser_server(directory: Path, **kwargs: Any) -> Iterator[LiveServer]:
    """:func:`live_server` for browser tests: skipped without Chromium, failed so under CI."""
    import pytest

    reason = chromium_missing_reason()
    if reason is not None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"browser tests cannot run in CI: {reason}")
        pytest.skip(f"browser tests skipped: {reason}")
    with live_server(directory, **kwargs) as running:
        yield running


@contextmanager
def chromium() -> Iterator[Any]:
    """Debian's Chromium under Playwright until the block ends."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = launch_chromium(playwright)
        try:
            yield launched
        finally:
            launched.close()
