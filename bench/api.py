"""API benchmark: a real uvicorn server, the overview and incident writes, against the ceiling.

Run: ``.venv/bin/python bench/api.py [--quick] [--database-url URL] [--no-postgres]``.
For SQLite (a temporary file) and PostgreSQL (a scratch database on the server
named by ``--database-url``, dropped afterwards), one uvicorn server is started
in a subprocess on 127.0.0.1; clients (httpx, asyncio) run at 1, 10 and 50 at a
time. The ceiling is the same app's constant endpoint (``/api/v1/health``),
measured in the same run. The last lines are ``name: value``.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import psycopg
from sqlalchemy.engine import make_url

from mamar.accounts.model import CreateAccount
from mamar.accounts.tokens import Scope, create_token
from mamar.config import Settings
from mamar.domain.model import command_type
from mamar.domain.visibility import Role
from mamar.services.commands import SYSTEM, execute
from mamar.system import Mamar
from mamar.vault.store import generate_key

DEFAULT_PG = "postgresql://postgres@127.0.0.1:5432/test"
OPERATION = "east-aleppo"
LEVELS = (1, 10, 50)
SERVER = """
import sys, uvicorn
from mamar.api.app import create_app
from mamar.system import Mamar
system = Mamar()
uvicorn.run(create_app(system), host="127.0.0.1", port=int(sys.argv[1]), log_level="warning")
"""


def incident_body(incident_id: str) -> dict[str, Any]:
    return {
        "id": incident_id,
        "operation": OPERATION,
        "event_type": "explosions_remote_violence",
        "description": {"original": "Shelling near the crossing", "language": "en"},
        "source": {"text": "field team", "kind": "own_team"},
        "point": {"lat": 36.19, "lon": 37.13},
        "occurred": {"at": "2016-12-15T10:00+02:00", "precision": "minute"},
    }


def seed(system: Mamar) -> str:
    """An operation with some convoys and incidents; returns a write token for a coordinator."""
    with system.writing() as conn:
        execute(
            conn,
            CreateAccount(id="bench", display_name="Bench", role=Role.COORDINATOR),
            actor=SYSTEM,
        )
        _, token = create_token(conn, "bench", scope=Scope.WRITE, expires_in=timedelta(hours=2))
    open_op = command_type("operation.open")
    system.execute(
        open_op.model_validate(
            {"id": OPERATION, "name": {"en": "East Aleppo"}, "timezone": "Asia/Damascus"}
        ),
        actor=SYSTEM,
    )
    plan = command_type("convoy.plan")
    report = command_type("incident.report")
    for n in range(30):
        system.execute(
            plan.model_validate(
                {
                    "id": f"batch-{n}",
                    "operation": OPERATION,
                    "name": {"en": f"Batch {n}"},
                    "counts": {"planned": 100 + n},
                }
            ),
            actor=SYSTEM,
        )
    for n in range(100):
        body = incident_body(f"seed-{n}")
        body.pop("occurred")
        system.execute(report.model_validate(body), actor=SYSTEM)
    return token


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def server(database_url: str, vault_key: str) -> Iterator[str]:
    port = free_port()
    env = {
        **os.environ,
        "MAMAR_DATABASE_URL": database_url,
        "MAMAR_VAULT_KEY": vault_key,
        "MAMAR_ENVIRONMENT": "development",
    }
    proc = subprocess.Popen([sys.executable, "-c", SERVER, str(port)], env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{base}/api/v1/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline or proc.poll() is not None:
                raise RuntimeError("the server did not start")
            time.sleep(0.1)
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=30)


Request = Callable[[httpx.AsyncClient, int], Any]


async def _measure(
    base: str, headers: dict[str, str], request: Request, clients: int, total: int
) -> tuple[float, list[float]]:
    latencies: list[float] = []
    counter = iter(range(total))
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(
        base_url=base, headers=headers, limits=limits, timeout=60
    ) as client:

        async def worker() -> None:
            for n in counter:
                started = time.perf_counter()
                response = await request(client, n)
                latencies.append(time.perf_counter() - started)
                if response.status_code >= 300:
                    raise RuntimeError(f"{response.status_code}: {response.text[:200]}")

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(clients)))
        elapsed = time.perf_counter() - started
    return total / elapsed, sorted(latencies)


def percentile(values: list[float], q: float) -> float:
    return values[min(len(values) - 1, int(q * len(values)))] * 1000


def run_engine(database_url: str, quick: bool, suffix: str) -> dict[str, float]:
    vault_key = generate_key()
    system = Mamar(Settings(database_url=database_url, vault_key=vault_key))
    system.init()
    token = seed(system)
    system.dispose()
    headers = {"Authorization": f"Bearer {token}"}
    reads = 100 if quick else 2000
    writes = 50 if quick else 600
    run_id = uuid.uuid4().hex[:6]
    figures: dict[str, float] = {}

    def overview(client: httpx.AsyncClient, n: int) -> Any:
        return client.get(f"/api/v1/operations/{OPERATION}/status")

    def ceiling(client: httpx.AsyncClient, n: int) -> Any:
        return client.get("/api/v1/health")

    with server(database_url, vault_key) as base:
        for clients in LEVELS:

            def write(client: httpx.AsyncClient, n: int, clients: int = clients) -> Any:
                return client.post(
                    "/api/v1/incident/report", json=incident_body(f"w{run_id}-{clients}-{n}")
                )

            for name, request, total in (
                ("ceiling", ceiling, reads),
                ("overview", overview, reads),
                ("incident_write", write, writes),
            ):
                rps, lat = asyncio.run(_measure(base, headers, request, clients, total))
                figures[f"{name}_rps_{clients}{suffix}"] = rps
                figures[f"{name}_p50_ms_{clients}{suffix}"] = percentile(lat, 0.50)
                figures[f"{name}_p99_ms_{clients}{suffix}"] = percentile(lat, 0.99)
                print(
                    f"  {suffix or 'sqlite'} {name} x{clients}: {rps:.0f} req/s, p50 {percentile(lat, 0.5):.1f} ms, p99 {percentile(lat, 0.99):.1f} ms",
                    file=sys.stderr,
                )
    ceiling_50 = figures[f"ceiling_rps_50{suffix}"]
    return {
        f"overview_rps_50{suffix}": figures[f"overview_rps_50{suffix}"],
        f"overview_vs_ceiling{suffix}": figures[f"overview_rps_50{suffix}"] / ceiling_50,
        f"overview_p99_ms_50{suffix}": figures[f"overview_p99_ms_50{suffix}"],
        f"incident_write_rps_50{suffix}": figures[f"incident_write_rps_50{suffix}"],
        f"incident_p99_ms_50{suffix}": figures[f"incident_write_p99_ms_50{suffix}"],
        f"incident_vs_ceiling{suffix}": figures[f"incident_write_rps_50{suffix}"] / ceiling_50,
        f"ceiling_rps_50{suffix}": ceiling_50,
        **{k: v for k, v in figures.items() if not k.endswith(f"_50{suffix}")},
    }


@contextmanager
def scratch_postgres(base_url: str) -> Iterator[str]:
    base = make_url(base_url)
    name = f"mamar_bench_{uuid.uuid4().hex[:10]}"
    admin = base.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield base.set(database=name).render_as_string(hide_password=False)
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="Fewer requests (under a minute)")
    parser.add_argument(
        "--database-url", default=DEFAULT_PG, help="PostgreSQL server for the _pg run"
    )
    parser.add_argument("--no-postgres", action="store_true", help="SQLite only")
    args = parser.parse_args()
    results: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        results.update(run_engine(f"sqlite:///{Path(tmp) / 'bench.db'}", args.quick, ""))
    if not args.no_postgres:
        with scratch_postgres(args.database_url) as url:
            results.update(run_engine(url, args.quick, "_pg"))
    headline = [
        "overview_rps_50",
        "overview_vs_ceiling",
        "overview_p99_ms_50",
        "incident_write_rps_50",
        "incident_p99_ms_50",
    ]
    names = headline + [f"{n}_pg" for n in headline]
    for name in sorted(k for k in results if k not in names):
        print(f"{name}: {results[name]:.3f}")
    for name in names:
        if name in results:
            print(f"{name}: {results[name]:.3f}")


if __name__ == "__main__":
    main()
