"""Crash safety: an appending process is SIGKILLed at random moments, 20 times.

After each kill, every event the process acknowledged (printed after its
transaction committed) is in the journal with the same position and id, the
chain verifies, and the read model has caught up with the journal, because
projections are written in the same transaction as the events. The same holds
with many threads writing at once (their commands share commits), and a group
of commands killed between being decided and being committed leaves nothing.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.context
import multiprocessing.process
import os
import random
import signal
import time
from pathlib import Path

import pytest
from sqlalchemy import select, text

from mamar.db.tables import journal
from mamar.journal import store
from mamar.journal.verify import verify
from mamar.projections.entities import current, projected_position
from tests.conftest import make_system
from tests.crash_writer import write_to_file
from tests.helpers import open_operation

KILLS = 20


@pytest.fixture(scope="module")
def forkserver() -> multiprocessing.context.ForkServerContext:
    """Writers fork from a server that has already imported everything, so each starts at once."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["tests.crash_writer"])
    return context


def wait_until_ready(child: multiprocessing.process.BaseProcess, out: Path) -> None:
    deadline = time.monotonic() + 30
    while not (out.exists() and out.read_bytes().startswith(b"ready\n")):
        if not child.is_alive():
            pytest.fail(f"the writer exited before it was ready (exit code {child.exitcode})")
        if time.monotonic() > deadline:
            child.kill()
            pytest.fail("the writer did not start within 30 s")
        time.sleep(0.005)


def acknowledged(out: Path) -> dict[int, str]:
    """Complete lines only: a line cut by the kill was never acknowledged."""
    lines = out.read_bytes().split(b"\n")[1:-1]
    pairs = (line.decode().split() for line in lines if not line.startswith(b"decided"))
    return {int(position): event_id for position, event_id in pairs}


def check_after_kill(url: str, promised: dict[int, str], where: str) -> None:
    """Reopened as a restarted server would: every promise kept, the chain and read model whole."""
    system = make_system(url)
    try:
        with system.reading() as conn:
            present = dict(conn.execute(select(journal.c.position, journal.c.event_id)).all())
            lost = {p: e for p, e in promised.items() if present.get(p) != e}
            assert not lost, f"{where}: acknowledged events lost: {lost}"
            result = verify(conn)
            assert result.ok, f"{where}: {result.describe()}"
            head, _ = store.head(conn)
            assert result.count == head == len(present)
            assert projected_position(conn) == head, where
            if url.startswith("sqlite"):
                assert conn.execute(text("PRAGMA integrity_check")).scalar() == "ok"
    finally:
        system.dispose()


def kill_at_random(
    url: str,
    tmp_path: Path,
    forkserver: multiprocessing.context.ForkServerContext,
    *,
    mode: str,
    kills: int,
) -> None:
    system = make_system(url)
    open_operation(system)
    system.dispose()

    seed = int(os.environ.get("MAMAR_CRASH_SEED", random.randrange(2**32)))
    rng = random.Random(seed)
    promised: dict[int, str] = {}
    killed_while_writing = 0
    for run in range(kills):
        out = tmp_path / f"{mode}-{run}.out"
        child = forkserver.Process(target=write_to_file, args=(url, str(run), str(out), mode))
        child.start()
        wait_until_ready(child, out)
        time.sleep(rng.uniform(0.0, 0.5))
        assert child.pid is not None
        os.kill(child.pid, signal.SIGKILL)
        child.join()
        assert child.exitcode == -signal.SIGKILL, "the writer stopped before it was killed"
        acked = acknowledged(out)
        killed_while_writing += bool(acked)
        promised.update(acked)
        check_after_kill(url, promised, f"seed {seed}, run {run}")

    print(f"seed {seed}: {len(promised)} acknowledged events, {kills} kills")
    assert killed_while_writing >= kills // 2, f"seed {seed}: too few kills landed mid-run"
    assert len(promised) > kills


@pytest.mark.slow
def test_acknowledged_events_survive_sigkill(
    tmp_path: Path, forkserver: multiprocessing.context.ForkServerContext
) -> None:
    url = f"sqlite:///{tmp_path / 'crash.db'}"
    kill_at_random(url, tmp_path, forkserver, mode="serial", kills=KILLS)


@pytest.mark.slow
def test_acknowledged_events_survive_sigkill_under_concurrent_writers(
    database_url: str, tmp_path: Path, forkserver: multiprocessing.context.ForkServerContext
) -> None:
    """Eight threads write at once, so most commits carry several commands."""
    kill_at_random(database_url, tmp_path, forkserver, mode="concurrent", kills=KILLS // 2)


@pytest.mark.slow
def test_a_group_killed_between_decide_and_commit_leaves_nothing(
    database_url: str, tmp_path: Path, forkserver: multiprocessing.context.ForkServerContext
) -> None:
    system = make_system(database_url)
    open_operation(system)
    with system.reading() as conn:
        head_before = store.head(conn)[0]
    system.dispose()
    out = tmp_path / "group.out"
    child = forkserver.Process(target=write_to_file, args=(database_url, "0", str(out), "group"))
    child.start()
    wait_until_ready(child, out)
    deadline = time.monotonic() + 30
    while b"\ndecided " not in out.read_bytes():
        assert child.is_alive() and time.monotonic() < deadline, "no group was decided"
        time.sleep(0.005)
    assert child.pid is not None
    os.kill(child.pid, signal.SIGKILL)
    child.join()

    decided = next(
        line.split()[1:] for line in out.read_bytes().splitlines() if line.startswith(b"decided")
    )
    acked = acknowledged(out)
    check_after_kill(database_url, acked, "group")
    system = make_system(database_url)
    try:
        with system.reading() as conn:
            kept = [c.decode() for c in decided if current(conn, f"convoy:{c.decode()}")]
            # The first convoy led the group and took the others in once it had the
            # writer: none was acknowledged, and none is kept.
            assert acked == {}
            assert kept == []
            assert store.head(conn)[0] == head_before
    finally:
        system.dispose()
