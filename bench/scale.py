"""Scale benchmark: an operation of a million events, and what reading it costs.

Run: ``.venv/bin/python bench/scale.py [--quick] [--events N] [--postgres URL]``.
Writes the synthetic operation of ``mamar.scenarios.synthetic`` (the same one
``mamar demo --synthetic N`` loads) through the application services into a
temporary SQLite file (or, with ``--postgres``, a scratch database on that
server, dropped afterwards), then measures reading it: the first page of the
timeline and of a list, the overview as of a past moment, the overview over
HTTP at 10 clients (wrk, as ``bench/api.py``) and the server's memory, a full
rebuild of the read models, and the bytes stored per event. ``--quick``:
100,000 events (a few minutes); the full run: 1,000,000. Progress goes to
stderr; the last lines are ``name: value``.
"""

from __future__ import annotations

import argparse
import itertools
import os
import shutil
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import text

from api import INSTALL_WRK, Load, Wrk, coordinator_token, scratch_postgres, server
from mamar import reads
from mamar.config import Settings
from mamar.domain.model import Actor
from mamar.domain.visibility import Role
from mamar.projections.entities import rebuild
from mamar.scenarios.synthetic import OPERATION, START, WEEK, generate
from mamar.system import Mamar
from mamar.vault.store import generate_key

VIEWER = Actor(username="bench", role=Role.COORDINATOR)
PAGE = 50


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def timed_ms(action: Callable[[], Any], repeats: int) -> float:
    """The median time of ``repeats`` runs of ``action``, in milliseconds."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return sorted(times)[len(times) // 2]


def stored_bytes(system: Mamar, folder: Path | None) -> int:
    if folder is None:
        with system.reading() as conn:
            return int(conn.execute(text("SELECT pg_database_size(current_database())")).scalar())
    # Everything into the database file, the WAL emptied: the file is what is stored.
    db = sqlite3.connect(folder / "scale.db")
    try:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        db.close()
    return sum(f.stat().st_size for f in folder.iterdir() if f.name.startswith("scale.db"))


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def measure(url: str, folder: Path | None, events: int, seconds: int) -> dict[str, float]:
    key = generate_key()
    system = Mamar(Settings(database_url=url, vault_key=key))
    system.init()
    figures: dict[str, float] = {}
    try:
        token = coordinator_token(system, hours=6)
        say(f"  writing {events} events through the services …")
        start = time.perf_counter()
        last = [start]

        def progress(done: int) -> None:
            if time.perf_counter() - last[0] > 15:
                last[0] = time.perf_counter()
                say(f"    {done} events, {done / (last[0] - start):.0f}/s")

        written = generate(system, events, progress=progress)
        figures["generate_per_s"] = written / (time.perf_counter() - start)
        figures["events"] = written
        figures["bytes_per_event"] = stored_bytes(system, folder) / written

        say("  reading …")
        with system.reading() as conn:
            figures["timeline_first_page_ms"] = timed_ms(
                lambda: list(
                    itertools.islice(reads.timeline(conn, viewer=VIEWER, operation=OPERATION), PAGE)
                ),
                3,
            )
            figures["list_first_page_ms"] = timed_ms(
                lambda: reads.list_entities(
                    conn, viewer=VIEWER, operation=OPERATION, kind="person", limit=PAGE
                ),
                3,
            )
            # Deep in the list: the page after the 10,000th person (at most half of them),
            # by the last record seen (``after``), then by ``offset`` for comparison.
            depth = min(10_000, written * 35 // 200)
            deep = reads.list_entities(
                conn, viewer=VIEWER, operation=OPERATION, kind="person", limit=1, offset=depth
            )[0]["id"]
            figures["list_deep_page_ms"] = timed_ms(
                lambda: reads.list_entities(
                    conn, viewer=VIEWER, operation=OPERATION, kind="person", limit=PAGE, after=deep
                ),
                3,
            )
            figures["list_deep_offset_ms"] = timed_ms(
                lambda: reads.list_entities(
                    conn,
                    viewer=VIEWER,
                    operation=OPERATION,
                    kind="person",
                    limit=PAGE,
                    offset=depth + 1,
                ),
                3,
            )
            figures["status_at_ms"] = timed_ms(
                lambda: reads.overview(
                    conn, viewer=VIEWER, operation=OPERATION, at=START + WEEK / 2
                ),
                3,
            )
        system.dispose()
        for name, value in figures.items():  # kept, should a later step fail
            say(f"  {name}: {value:.1f} (load average {os.getloadavg()[0]:.1f})")

        say("  the overview over HTTP, 10 clients …")
        pids: list[int] = []
        # A busy host (the machine is shared) can take minutes to start a server.
        with tempfile.TemporaryDirectory() as tmp, server(url, key, 1, pids, 300) as base:
            client = Wrk(token, Path(tmp))
            overview = Load("overview", f"/api/v1/operations/{OPERATION}/status")
            client.measure(base, overview, 10, 1)  # the first computes it
            result = client.measure(base, overview, 10, seconds)
            figures["dashboard_p99_ms_10"] = result.p99_ms
            figures["dashboard_rps_10"] = result.rps
            figures["serve_rss_mb"] = rss_mb(pids[0])

        say("  rebuilding the read models …")
        system = Mamar(Settings(database_url=url, vault_key=key))
        start = time.perf_counter()
        with system.writing() as conn:
            replayed = rebuild(conn)
        figures["rebuild_per_s"] = replayed / (time.perf_counter() - start)
    finally:
        system.dispose()
    return figures


@contextmanager
def sqlite_database() -> Iterator[tuple[str, Path]]:
    with tempfile.TemporaryDirectory(prefix="mamar-scale-") as directory:
        folder = Path(directory)
        yield f"sqlite:///{folder / 'scale.db'}", folder


TARGETS = {
    "dashboard_p99_ms_10": 200.0,
    "timeline_first_page_ms": 100.0,
    "list_first_page_ms": 100.0,
    "status_at_ms": 500.0,
    "serve_rss_mb": 500.0,
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="100,000 events (a few minutes)")
    parser.add_argument("--events", type=int, help="events to write (default 1,000,000)")
    parser.add_argument("--postgres", metavar="URL", help="a PostgreSQL server instead of SQLite")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit(f"wrk is not installed: `{INSTALL_WRK}` (as root)")
    events = args.events or (100_000 if args.quick else 1_000_000)
    seconds = 5 if args.quick else 10
    say(f"load average before: {os.getloadavg()}")
    if args.postgres:
        suffix = "_pg"
        with scratch_postgres(args.postgres) as url:
            figures = measure(url, None, events, seconds)
    else:
        suffix = ""
        with sqlite_database() as (url, folder):
            figures = measure(url, folder, events, seconds)
    say(f"load average after: {os.getloadavg()}")
    for name, target in TARGETS.items():
        met = figures[name] < target
        print(f"# {name}{suffix}: {'met' if met else 'MISSED'} (target < {target:g})")
    for name, value in figures.items():
        print(f"{name}{suffix}: {value:.1f}")


if __name__ == "__main__":
    main()
