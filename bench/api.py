"""API benchmark: a real uvicorn server, the overview and incident writes, against the ceiling.

Run: ``.venv/bin/python bench/api.py [--quick] [--workers N] [--database-url URL] [--no-postgres]``.
For SQLite (a temporary file) and PostgreSQL (a scratch database on the server
named by ``--database-url``, dropped afterwards), the product is served as
``mamar serve --workers N`` serves it (uvicorn, in child processes on 127.0.0.1),
and loaded by wrk (Debian's ``wrk``: ``apt-get install -y wrk``) with 1, 10 and 50
connections, each a client sending its next request when the last is answered.
The ceiling is the same app's constant endpoint (``/api/v1/health``), measured
the same way in the same run. ``--generator httpx`` loads it from this Python
process instead (slower than the server: its figures say more about the client).
The last lines are ``name: value``.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import orjson
import psycopg
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from mamar.accounts.model import CreateAccount
from mamar.accounts.tokens import Scope, create_token
from mamar.config import Settings
from mamar.db.engine import normalise_url
from mamar.domain.model import command_type
from mamar.domain.visibility import Role
from mamar.services.commands import SYSTEM, execute
from mamar.system import Mamar
from mamar.vault.store import generate_key

DEFAULT_PG = "postgresql://postgres@127.0.0.1:5432/test"
OPERATION = "east-aleppo"
LEVELS = (1, 10, 50)
LUA = Path(__file__).resolve().parent / "api.lua"
INSTALL_WRK = "apt-get install -y wrk"
# What `mamar serve --workers N` runs (mamar.cli.serving), without the access log.
SERVER = """
import sys
from mamar.cli.serving import serve_app
from mamar.system import Mamar
serve_app(Mamar(), host="127.0.0.1", port=int(sys.argv[1]), workers=int(sys.argv[2]),
          log_level="warning")
"""
HEADLINE = (
    "overview_rps_50",
    "overview_vs_ceiling",
    "overview_p99_ms_50",
    "incident_write_rps_50",
    "incident_write_scaling_50",
    "incident_p99_ms_50",
    "mixed_overview_p99_ms",
)
#: The mixed load: this many clients read the overview while the rest (of 50) report incidents.
MIXED_READERS = 45
#: Targets, printed as met / MISSED lines (bench/README.md; issue 17).
TARGETS = {
    "overview_vs_ceiling": (">=", 0.3),
    "overview_p99_ms_50": ("<", 150.0),
    "incident_write_scaling_50": (">=", 4.0),
    "incident_p99_ms_50": ("<", 150.0),
    "mixed_overview_p99_ms": ("<", 150.0),
    "overview_vs_ceiling_pg": (">=", 0.3),
    "overview_p99_ms_50_pg": ("<", 150.0),
    "incident_write_scaling_50_pg": (">=", 4.0),
    "incident_p99_ms_50_pg": ("<", 200.0),
    "mixed_overview_p99_ms_pg": ("<", 150.0),
}


def uuid_prefix() -> str:
    """The first 24 characters of a new UUID: a measurement's incidents are given ids
    that complete it (ids are generated; a client may give only a UUID of its own)."""
    return str(uuid.uuid4())[:24]


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


def coordinator_token(system: Mamar, hours: int = 2) -> str:
    """A coordinator account ``bench`` and a write token for it."""
    with system.writing() as conn:
        execute(
            conn,
            CreateAccount(id="bench", display_name="Bench", role=Role.COORDINATOR),
            actor=SYSTEM,
        )
        _, token = create_token(conn, "bench", scope=Scope.WRITE, expires_in=timedelta(hours=hours))
    return token


def seed(system: Mamar) -> str:
    """An operation with some convoys and incidents; returns a write token for a coordinator."""
    token = coordinator_token(system)
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
def server(
    database_url: str,
    vault_key: str,
    workers: int,
    pids: list[int] | None = None,
    start_seconds: float = 60,
) -> Iterator[str]:
    """The server, once every one of its processes listens (connections made before
    would all go to the processes already listening, for the whole measurement).
    ``pids`` receives the server's process id (with one worker, the one serving)."""
    port = free_port()
    env = {
        **os.environ,
        "MAMAR_DATABASE_URL": database_url,
        "MAMAR_VAULT_KEY": vault_key,
        "MAMAR_SECRET_KEY": secrets.token_urlsafe(32),
        "MAMAR_ENVIRONMENT": "development",
    }
    proc = subprocess.Popen(
        [sys.executable, "-c", SERVER, str(port), str(workers)],
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    )
    if pids is not None:
        pids.append(proc.pid)
    ready = threading.Event()

    def forward() -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            print(f"  server: {line.rstrip()}", file=sys.stderr)
            if workers == 1 or "server processes ready" in line:
                ready.set()

    threading.Thread(target=forward, daemon=True).start()
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + start_seconds
        while True:
            try:
                up = httpx.get(f"{base}/api/v1/health", timeout=1).status_code == 200
            except httpx.HTTPError:
                up = False
            if up and ready.is_set():
                break
            if time.monotonic() > deadline or proc.poll() is not None:
                raise RuntimeError("the server did not start")
            time.sleep(0.1)
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=30)


@dataclass(frozen=True)
class Load:
    """What one measurement sends: a GET of ``path``, or POSTs of incident reports."""

    name: str
    path: str
    post_prefix: str | None = None


@dataclass(frozen=True)
class Result:
    rps: float
    p50_ms: float
    p99_ms: float


class Wrk:
    """Debian's wrk with ``bench/api.lua``: one connection per client, one wrk thread."""

    label = "wrk"

    def __init__(self, token: str, workdir: Path) -> None:
        self.token = token
        self.body_file = workdir / "incident.json"
        self.body_file.write_bytes(orjson.dumps(incident_body("__ID__")))

    def measure(self, base: str, load: Load, clients: int, seconds: int) -> Result:
        command = [
            "wrk",
            "--threads=1",
            f"--connections={clients}",
            f"--duration={seconds}s",
            "--timeout=30s",
            "--header",
            f"Authorization: Bearer {self.token}",
            "--script",
            str(LUA),
            base + load.path,
        ]
        if load.post_prefix is not None:
            command += ["--", "post", str(self.body_file), load.post_prefix]
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        match = re.search(r"^mamar-wrk (.*)$", done.stdout, re.MULTILINE)
        if done.returncode != 0 or match is None:
            raise RuntimeError(f"wrk failed ({done.returncode}): {done.stdout}{done.stderr}")
        fields = {k: int(v) for k, v in (item.split("=") for item in match.group(1).split())}
        if fields["errors"] or fields["non2xx"]:
            raise RuntimeError(f"{load.name} x{clients}: requests failed: {match.group(1)}")
        return Result(
            rps=fields["requests"] / (fields["duration_us"] / 1e6),
            p50_ms=fields["p50_us"] / 1000,
            p99_ms=fields["p99_us"] / 1000,
        )


class Httpx:
    """The fallback: clients as asyncio tasks in this process (it competes with the server)."""

    label = "httpx (in-process Python; not comparable with wrk's figures)"

    def __init__(self, token: str, workdir: Path) -> None:
        self.headers = {"Authorization": f"Bearer {token}"}

    def measure(self, base: str, load: Load, clients: int, seconds: int) -> Result:
        return asyncio.run(self._measure(base, load, clients, seconds))

    async def _measure(self, base: str, load: Load, clients: int, seconds: float) -> Result:
        latencies: list[float] = []
        counter = iter(range(10**9))
        limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
        async with httpx.AsyncClient(
            base_url=base, headers=self.headers, limits=limits, timeout=60
        ) as client:
            started = time.perf_counter()
            deadline = started + seconds

            async def worker() -> None:
                for n in counter:
                    if time.perf_counter() >= deadline:
                        return
                    sent = time.perf_counter()
                    if load.post_prefix is None:
                        response = await client.get(load.path)
                    else:
                        body = incident_body(f"{load.post_prefix}{n:012x}")
                        response = await client.post(load.path, json=body)
                    latencies.append(time.perf_counter() - sent)
                    if response.status_code >= 300:
                        raise RuntimeError(f"{response.status_code}: {response.text[:200]}")

            await asyncio.gather(*(worker() for _ in range(clients)))
            elapsed = time.perf_counter() - started
        latencies.sort()
        return Result(
            len(latencies) / elapsed, _percentile(latencies, 0.5), _percentile(latencies, 0.99)
        )


def _percentile(values: list[float], q: float) -> float:
    return values[min(len(values) - 1, int(q * len(values)))] * 1000


def wait_for_writes(database_url: str, quiet_seconds: float = 0.3, limit: float = 60) -> float:
    """Wait until the journal's head has not moved for ``quiet_seconds``; return the
    seconds waited. When wrk stops, the writes it sent last are still being carried
    out by the server (wrk does not wait for their answers): without this, up to 50
    writes of the 50-client measurement ran during the next one, the mixed load's,
    whose readers and writers then waited behind them. A group commit moves the head
    once for all its writes, so ``quiet_seconds`` should be about a write's time."""
    engine = create_engine(normalise_url(database_url))
    started = time.monotonic()
    try:
        last: Any = None
        still_since = started
        while time.monotonic() - started < limit:
            with engine.connect() as conn:
                head = conn.execute(text("SELECT position FROM journal_head")).scalar()
            now = time.monotonic()
            if head != last:
                last, still_since = head, now
            elif now - still_since >= quiet_seconds:
                break
            time.sleep(0.05)
    finally:
        engine.dispose()
    return time.monotonic() - started


def run_engine(
    database_url: str,
    generator: type[Wrk | Httpx],
    seconds: dict[int, int],
    workers: int,
    suffix: str,
) -> dict[str, float]:
    vault_key = generate_key()
    system = Mamar(Settings(database_url=database_url, vault_key=vault_key))
    system.init()
    token = seed(system)
    system.dispose()
    figures: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp, server(database_url, vault_key, workers) as base:
        client = generator(token, Path(tmp))
        ceiling = Load("ceiling", "/api/v1/health")
        overview = Load("overview", f"/api/v1/operations/{OPERATION}/status")
        # Every worker process has answered both reads (imports, first queries) before timing.
        for load in (ceiling, overview):
            client.measure(base, load, 50, 1)
        for clients in LEVELS:
            write = Load("incident_write", "/api/v1/incident/report", uuid_prefix())
            for load in (ceiling, overview, write):
                result = client.measure(base, load, clients, seconds[clients])
                if load is write:
                    # A group of writes commits once, after all of them: the head can
                    # stand still for about as long as a write took.
                    quiet = min(10.0, max(0.3, result.p99_ms / 1000))
                    drained = wait_for_writes(database_url, quiet)
                    print(f"  writes still carried out after wrk: {drained:.1f} s", file=sys.stderr)
                figures[f"{load.name}_rps_{clients}{suffix}"] = result.rps
                figures[f"{load.name}_p50_ms_{clients}{suffix}"] = result.p50_ms
                figures[f"{load.name}_p99_ms_{clients}{suffix}"] = result.p99_ms
                print(
                    f"  {suffix or 'sqlite'} {load.name} x{clients}: {result.rps:.0f} req/s, "
                    f"p50 {result.p50_ms:.1f} ms, p99 {result.p99_ms:.1f} ms",
                    file=sys.stderr,
                )
        # The mixed load: readers of the overview while field teams report, at once.
        mixed_write = Load("incident_write", "/api/v1/incident/report", uuid_prefix())
        together: dict[str, Result] = {}
        jobs = [
            threading.Thread(
                target=lambda load=load, clients=clients: together.__setitem__(
                    load.name, client.measure(base, load, clients, seconds[50])
                )
            )
            for load, clients in ((overview, MIXED_READERS), (mixed_write, 50 - MIXED_READERS))
        ]
        for job in jobs:
            job.start()
        for job in jobs:
            job.join()
        for name, result in together.items():
            figures[f"mixed_{name}_rps{suffix}"] = result.rps
            figures[f"mixed_{name}_p99_ms{suffix}"] = result.p99_ms
            print(
                f"  {suffix or 'sqlite'} mixed {name}: {result.rps:.0f} req/s, "
                f"p50 {result.p50_ms:.1f} ms, p99 {result.p99_ms:.1f} ms",
                file=sys.stderr,
            )
    ceiling_50 = figures[f"ceiling_rps_50{suffix}"]
    writes_1 = figures[f"incident_write_rps_1{suffix}"]
    return {
        f"overview_rps_50{suffix}": figures[f"overview_rps_50{suffix}"],
        f"overview_vs_ceiling{suffix}": figures[f"overview_rps_50{suffix}"] / ceiling_50,
        f"overview_p99_ms_50{suffix}": figures[f"overview_p99_ms_50{suffix}"],
        f"incident_write_rps_50{suffix}": figures[f"incident_write_rps_50{suffix}"],
        f"incident_write_scaling_50{suffix}": figures[f"incident_write_rps_50{suffix}"] / writes_1
        if writes_1
        else float("nan"),
        f"incident_p99_ms_50{suffix}": figures[f"incident_write_p99_ms_50{suffix}"],
        f"mixed_overview_p99_ms{suffix}": figures[f"mixed_overview_p99_ms{suffix}"],
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
    parser.add_argument("--quick", action="store_true", help="Shorter runs (under a minute)")
    parser.add_argument(
        "--database-url", default=DEFAULT_PG, help="PostgreSQL server for the _pg run"
    )
    parser.add_argument("--no-postgres", action="store_true", help="SQLite only")
    parser.add_argument("--no-sqlite", action="store_true", help="PostgreSQL only")
    parser.add_argument(
        "--workers", type=int, default=2, help="Server processes (mamar serve --workers)"
    )
    parser.add_argument(
        "--generator",
        choices=("wrk", "httpx"),
        default="wrk",
        help=f"Load generator: wrk ({INSTALL_WRK}), or httpx in this process",
    )
    args = parser.parse_args()
    generator: type[Wrk | Httpx] = Wrk if args.generator == "wrk" else Httpx
    if generator is Wrk and shutil.which("wrk") is None:
        sys.exit(
            f"wrk is not installed: `{INSTALL_WRK}` (as root), "
            "or run with --generator httpx (a slower load generator in this Python process)"
        )
    # Seconds of load per measurement, by number of clients (--quick: the headline 50 longest).
    seconds = {1: 1, 10: 1, 50: 2} if args.quick else dict.fromkeys(LEVELS, 10)
    print(f"load generator: {generator.label}; server workers: {args.workers}", file=sys.stderr)
    results: dict[str, float] = {}
    if not args.no_sqlite:
        with tempfile.TemporaryDirectory() as tmp:
            url = f"sqlite:///{Path(tmp) / 'bench.db'}"
            results.update(run_engine(url, generator, seconds, args.workers, ""))
    if not args.no_postgres:
        try:
            with scratch_postgres(args.database_url) as url:
                results.update(run_engine(url, generator, seconds, args.workers, "_pg"))
        except psycopg.OperationalError as exc:
            print(f"PostgreSQL figures left out: {exc}", file=sys.stderr)
    names = [*HEADLINE, *(f"{n}_pg" for n in HEADLINE)]
    if generator is Httpx:
        print("# load generator: httpx, in this Python process (not wrk)")
    for name in sorted(k for k in results if k not in names):
        print(f"{name}: {results[name]:.3f}")
    for name, (sense, target) in TARGETS.items():
        if name in results:
            value = results[name]
            met = value >= target if sense == ">=" else value < target
            print(f"# {name}: {'met' if met else 'MISSED'} (target {sense} {target:g})")
    for name in names:
        if name in results:
            print(f"{name}: {results[name]:.3f}")


if __name__ == "__main__":
    main()
