"""Journal benchmark: durable append rates (with projections) against raw inserts, and verify rate.

Run: ``.venv/bin/python bench/journal.py [--quick] [--database-url URL]``.
SQLite runs on a temporary file (WAL, ``synchronous=FULL``, as the product
configures it); PostgreSQL on a scratch database created on the server named by
``--database-url`` and dropped afterwards. The last lines are ``name: value``;
``bench/README.md`` says what each figure means.
"""

from __future__ import annotations

import argparse
import functools
import sqlite3
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import orjson
import psycopg
from sqlalchemy import select, update
from sqlalchemy.engine import make_url

from mamar.config import Settings
from mamar.convoys.commands import ChangeConvoyStatus, PlanConvoy, RecordConvoyCounts
from mamar.convoys.events import (
    ConvoyPlanned,
    ConvoyStatus,
    ConvoyStatusChanged,
    Counts,
)
from mamar.db.tables import entities, journal, journal_head
from mamar.domain.model import Command
from mamar.domain.time import OccurredAt, Precision, utc_key
from mamar.domain.visibility import Visibility
from mamar.journal import merkle, store, tree
from mamar.journal.canonical import GENESIS_HASH, canonical_bytes, chain_hash
from mamar.journal.envelope import PendingEvent
from mamar.journal.verify import verify
from mamar.operations.model import OpenOperation
from mamar.projections import entities as projection
from mamar.projections.entities import Projector
from mamar.services.commands import SYSTEM
from mamar.system import Mamar
from mamar.vault.store import generate_key

DEFAULT_PG = "postgresql://postgres@127.0.0.1:5432/test"
OPERATION = "east-aleppo"
START = datetime.fromisoformat("2016-12-15T06:00+02:00")
BATCH = 100
# A convoy's life as the field records it: one command, one event.
LIFE = ("preparing", "staged", "departed", "arrived")
JOURNAL_COLUMNS = tuple(c.name for c in journal.columns)


@dataclass(frozen=True)
class Size:
    single: int  # commands through Mamar.execute, one transaction each
    batches: int  # transactions of BATCH events
    verify: int  # events in the journal that verify reads
    seconds: float  # time cap for each append measurement


QUICK = Size(single=1500, batches=20, verify=300_000, seconds=3.0)
FULL = Size(single=5000, batches=200, verify=1_000_000, seconds=30.0)


def say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def rate(count: int, seconds: float) -> float:
    return count / seconds if seconds > 0 else float("inf")


# --- Appends through the product. ---


def when(step: int) -> OccurredAt:
    return OccurredAt(at=START + timedelta(seconds=step), precision=Precision.EXACT)


def convoy_commands(prefix: str) -> Iterator[Command]:
    """Endless realistic traffic: plan a convoy, move it through its life, record its counts."""
    n = 0
    while True:
        convoy = f"{prefix}-{n}"
        yield PlanConvoy(
            id=convoy,
            operation=OPERATION,
            name={"ar": f"الدفعة {n}", "en": f"Batch {n}"},
            batch_of="wounded and their families",
            counts=Counts(planned=250),
        )
        for status in LIFE:
            yield ChangeConvoyStatus(id=convoy, status=status, reason="as agreed with the parties")
        yield RecordConvoyCounts(id=convoy, counts=Counts(boarded=240, arrived=238))
        n += 1


def open_operation(system: Mamar) -> None:
    system.execute(
        OpenOperation(id=OPERATION, name={"en": "Benchmark"}, timezone="Asia/Damascus"),
        actor=SYSTEM,
        occurred=when(0),
    )


class Traffic:
    """The commands and batches the rounds append, continuing where the last round stopped."""

    def __init__(self, system: Mamar) -> None:
        self.system = system
        self.commands = convoy_commands("convoy")
        self.step = 0
        self.next_batch_convoy = 0
        for _ in range(12):  # warm up: every code path taken once before measuring
            self.execute()

    def execute(self) -> int:
        self.step += 1
        recorded = self.system.execute(next(self.commands), actor=SYSTEM, occurred=when(self.step))
        return len(recorded)


def append_single(traffic: Traffic, size: Size) -> float:
    """Events per second, one command (authorise, decide, append, project) per transaction."""
    done = 0
    start = time.perf_counter()
    deadline = start + size.seconds
    while done < size.single and time.perf_counter() < deadline:
        done += traffic.execute()
    return rate(done, time.perf_counter() - start)


def pending_batch(first_convoy: int) -> list[PendingEvent]:
    """BATCH events: convoys planned and moved through their life, as one transaction would."""
    events: list[PendingEvent] = []
    n = first_convoy
    while len(events) < BATCH:
        stream = f"convoy:batch-{n}"
        data = [
            ConvoyPlanned(name={"en": f"Batch {n}"}, counts=Counts(planned=250)),
            *(
                ConvoyStatusChanged(status=ConvoyStatus(new), previous=ConvoyStatus(old))
                for old, new in zip(("planned", *LIFE), LIFE, strict=False)
            ),
        ]
        for version, item in enumerate(data, start=1):
            events.append(
                PendingEvent(
                    stream=stream,
                    version=version,
                    data=item,
                    occurred=when(version),
                    actor=SYSTEM.username,
                    visibility=Visibility.INTERNAL,
                    operation=OPERATION,
                )
            )
        n += 1
    return events[:BATCH]


def append_batched(traffic: Traffic, size: Size) -> float:
    """Events per second, BATCH events per transaction (append plus projection)."""
    done = 0
    start = time.perf_counter()
    deadline = start + size.seconds
    while done < size.batches * BATCH and time.perf_counter() < deadline:
        batch = pending_batch(traffic.next_batch_convoy)
        traffic.next_batch_convoy += BATCH  # whole convoys only: never split a stream
        with traffic.system.writing() as conn:
            Projector(conn).apply(store.append(conn, batch))
        done += len(batch)
    return rate(done, time.perf_counter() - start)


@contextmanager
def without_tree(system: Mamar) -> Iterator[None]:
    """The append path with the Merkle tree's work taken out: no leaf hash, no node rows,
    the frontier left as it was. Only for ``merkle_append_overhead``. Afterwards (not
    measured) the tree is put back as it was and caught up with the events appended
    meanwhile, so the next measured appends grow a sound tree."""
    saved = store.add_leaves, store.leaf_hash
    with system.reading() as conn:
        before = conn.execute(select(journal_head.c.tree_size, journal_head.c.frontier)).one()

    def keep_frontier(
        conn: Any, size: int, frontier: list[bytes], leaves: Sequence[bytes]
    ) -> tuple[int, bytes]:
        return size + len(leaves), b"".join(frontier)

    store.add_leaves, store.leaf_hash = keep_frontier, lambda body: b""  # type: ignore[assignment]
    try:
        yield
    finally:
        store.add_leaves, store.leaf_hash = saved
        with system.writing() as conn:
            conn.execute(
                update(journal_head).values(tree_size=before.tree_size, frontier=before.frontier)
            )
            tree.catch_up(conn)


def journal_rows(system: Mamar, limit: int) -> list[tuple[Any, ...]]:
    """Rows as the journal holds them: the raw baselines insert rows of exactly these sizes."""
    with system.reading() as conn:
        rows = conn.execute(select(journal).order_by(journal.c.position).limit(limit)).all()
    return [tuple(row) for row in rows]


# --- The peer: the ``eventsourcing`` library, one aggregate event per save. ---


def peer_application(path: Path) -> Any:
    """An ``eventsourcing`` application on a SQLite file, as its documentation sets one up.

    WAL (the library switches it on), SQLite's default ``synchronous`` (FULL, as
    ours), no read models. Imported here: the library is the optional ``bench``
    extra, never a dependency of the product.
    """
    try:
        from eventsourcing.application import Application
        from eventsourcing.domain import Aggregate, event
    except ImportError as missing:  # pragma: no cover - depends on the environment
        raise SystemExit(
            "bench/journal.py measures the eventsourcing library as a peer: install it with "
            "`.venv/bin/pip install -e '.[bench]'` (scripts/bootstrap does)"
        ) from missing

    class PeerConvoy(Aggregate):
        @event("Planned")
        def __init__(self, name: str, planned: int) -> None:
            self.name = name
            self.planned = planned
            self.status = "planned"

        @event("StatusChanged")
        def change_status(self, status: str, reason: str) -> None:
            self.status = status

        @event("CountsRecorded")
        def record_counts(self, boarded: int, arrived: int) -> None:
            self.counts = (boarded, arrived)

    class Peer(Application):  # type: ignore[type-arg]
        def __init__(self) -> None:
            super().__init__(
                env={"PERSISTENCE_MODULE": "eventsourcing.sqlite", "SQLITE_DBNAME": str(path)}
            )
            self.n = 0

        def convoy_life(self) -> Iterator[Any]:
            """The same traffic as ours: plan, four status changes, counts; one save each."""
            while True:
                convoy = PeerConvoy(name=f"Batch {self.n}", planned=250)
                self.n += 1
                yield convoy
                for status in LIFE:
                    convoy.change_status(status, "as agreed with the parties")
                    yield convoy
                convoy.record_counts(240, 238)
                yield convoy

    return Peer()


class PeerTraffic:
    """The peer's saves, continuing where the last round stopped, its WAL settled first."""

    def __init__(self, path: Path) -> None:
        self.app = peer_application(path)
        self.life = self.app.convoy_life()
        probe = sqlite3.connect(path)
        try:
            settle_wal(probe, path, self.save)
            self.synchronous = int(probe.execute("PRAGMA synchronous").fetchone()[0])
        finally:
            probe.close()

    def save(self) -> None:
        self.app.save(next(self.life))


def peer_single(peer: PeerTraffic, size: Size) -> float:
    """Events per second saved by the peer, one aggregate event per save (one commit)."""
    done = 0
    start = time.perf_counter()
    deadline = start + size.seconds
    while done < size.single and time.perf_counter() < deadline:
        peer.save()
        done += 1
    return rate(done, time.perf_counter() - start)


# --- Raw baselines: the same rows, with nothing of ours in the way. ---


def settle_wal(db: sqlite3.Connection, path: Path, commit: Callable[[], None]) -> None:
    """Commit (unmeasured) until the WAL has filled to its checkpoint size and started over.

    A fresh WAL file grows with every commit, and a commit that grows the file costs
    its ``fsync`` more (the file's size changes too) than one that writes over space
    the file already has. The product's database has been running: its WAL is past
    that stage when ``append_single`` is measured, so the baselines must be too.
    """
    page = int(db.execute("PRAGMA page_size").fetchone()[0])
    pages = int(db.execute("PRAGMA wal_autocheckpoint").fetchone()[0])
    full = 32 + pages * (24 + page)  # the WAL header, then one frame per page written
    wal = path.with_name(path.name + "-wal")
    while not wal.exists() or wal.stat().st_size < full:
        commit()
    commit()  # checkpointed at the last commit: this one starts the WAL over


def raw_sqlite(path: Path, rows: Sequence[tuple[Any, ...]], per_commit: int, size: Size) -> float:
    """Rows per second inserted with the ``sqlite3`` module, same pragmas as the product."""
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=FULL")
    db.execute("DROP TABLE IF EXISTS raw")
    db.execute(
        "CREATE TABLE raw (position INTEGER PRIMARY KEY, "
        + ", ".join(f"{c} ANY" for c in JOURNAL_COLUMNS[1:])
        + ")"
    )
    sql = f"INSERT INTO raw VALUES ({', '.join('?' * len(JOURNAL_COLUMNS))})"
    target = size.single if per_commit == 1 else size.batches * BATCH
    done = 0

    def commit() -> None:
        nonlocal done
        chunk = [(done + i + 1, *rows[(done + i) % len(rows)][1:]) for i in range(per_commit)]
        db.execute("BEGIN IMMEDIATE")
        db.executemany(sql, chunk)
        db.execute("COMMIT")
        done += per_commit

    settle_wal(db, path, commit)
    settled = done
    start = time.perf_counter()
    deadline = start + size.seconds
    while done - settled < target and time.perf_counter() < deadline:
        commit()
    elapsed = time.perf_counter() - start
    db.close()
    return rate(done - settled, elapsed)


def floor_sqlite(path: Path, rows: Sequence[tuple[Any, ...]], state: str, size: Size) -> float:
    """Events per second for the statements one append issues, through ``sqlite3`` with
    every value precomputed, on the product's own schema: what the database work of an
    append (journal row, Merkle nodes, chain head, entity and its history) costs at this
    durability, with none of our Python. The best ``append_single_vs_raw`` this schema
    allows.

    The statements are the product's own (``journal.store``, ``journal.tree`` and
    ``projections.entities`` keep them), so the floor follows any change to them. The
    first rows settle the WAL (see :func:`settle_wal`); the rest are measured."""
    new_system(f"sqlite:///{path}").dispose()
    grown: list[tuple[list[dict[str, Any]], bytes]] = []
    frontier: list[bytes] = []
    for leaves, row in enumerate(rows):
        frontier, nodes = merkle.grow(leaves, frontier, [merkle.leaf_hash(row[-3])])
        inner = [{"id": n, "hash": h} for n, h in nodes if n & 1]  # leaves are not stored
        grown.append((inner, b"".join(frontier)))
    tree_rows = iter(grown)
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=FULL")
    c = dict(zip(JOURNAL_COLUMNS, range(len(JOURNAL_COLUMNS)), strict=True))
    pending = iter(rows)

    def append_next() -> None:
        row = next(pending)  # StopIteration: too few rows to settle the WAL and measure
        stream, version, position = row[c["stream"]], row[c["version"]], row[c["position"]]
        kind, _, entity_id = stream.partition(":")
        moment = row[c["occurred_utc"]]
        entity = {
            "stream": stream,
            "kind": kind,
            "entity_id": entity_id,
            "operation": OPERATION,
            "visibility": "internal",
            "version": version,
            "position": position,
            "occurred_utc": moment,
            "state": state,
            "ref": None,  # internal records have no short reference
        }
        db.execute("BEGIN IMMEDIATE")
        db.execute(store._HEAD.sqlite).fetchone()
        db.execute(projection._CURRENT.sqlite, {"stream": stream}).fetchone()
        db.execute(
            store._INSERT.sqlite,
            {
                "position": position,
                "body": row[c["body"]],
                "prev_hash": row[c["prev_hash"]],
                "hash": row[c["hash"]],
            },
        )
        nodes, blob = next(tree_rows)
        db.executemany(tree._INSERT_NODES.sqlite, nodes)
        db.execute(
            store._MOVE_HEAD.sqlite,
            {"position": position, "hash": row[c["hash"]], "frontier": blob},
        )
        entity_update = projection._INSERT_ENTITY if version == 1 else projection._MOVE_ENTITY
        db.execute(entity_update.sqlite, entity)
        db.execute(projection._INSERT_HISTORY.sqlite, entity)
        db.execute("COMMIT")

    settle_wal(db, path, append_next)
    start = time.perf_counter()
    deadline = start + size.seconds
    done = 0
    while done < size.single and time.perf_counter() < deadline:
        append_next()
        done += 1
    elapsed = time.perf_counter() - start
    db.close()
    return rate(done, elapsed)


def typical_state(system: Mamar) -> str:
    """A convoy's stored state, as the appends above left it (the floor writes its size)."""
    with system.reading() as conn:
        value = conn.execute(
            select(entities.c.state).where(entities.c.kind == "convoy").limit(1)
        ).scalar_one()
    return str(value)


def raw_postgres(url: str, rows: Sequence[tuple[Any, ...]], per_commit: int, size: Size) -> float:
    """Rows per second inserted with psycopg, each commit durable (server defaults)."""
    with psycopg.connect(url) as db:
        db.execute("DROP TABLE IF EXISTS raw")
        db.execute(
            "CREATE TABLE raw (position BIGINT PRIMARY KEY, event_id TEXT, "
            "stream TEXT, version INTEGER, type TEXT, operation TEXT, "
            "occurred_utc TEXT, visibility TEXT, body BYTEA, prev_hash BYTEA, hash BYTEA)"
        )
        db.commit()
        sql = f"INSERT INTO raw VALUES ({', '.join(['%s'] * len(JOURNAL_COLUMNS))})"
        target = size.single if per_commit == 1 else size.batches * BATCH
        done = 0
        start = time.perf_counter()
        deadline = start + size.seconds
        with db.cursor() as cursor:
            while done < target and time.perf_counter() < deadline:
                chunk = [
                    (done + i + 1, *rows[(done + i) % len(rows)][1:]) for i in range(per_commit)
                ]
                if per_commit == 1:
                    cursor.execute(sql, chunk[0])
                else:
                    cursor.executemany(sql, chunk)
                db.commit()
                done += per_commit
        return rate(done, time.perf_counter() - start)


# --- Verify over a large journal. ---


def generated_rows(count: int) -> Iterator[tuple[Any, ...]]:
    """Valid, chained journal rows of realistic shape, built as ``store.append`` builds them."""
    recorded_at = utc_key(START)
    prev = GENESIS_HASH
    templates = [
        ConvoyPlanned(name={"en": "Batch"}, counts=Counts(planned=250)).model_dump(mode="json"),
        *(
            ConvoyStatusChanged(
                status=ConvoyStatus(new), previous=ConvoyStatus(old), reason="as agreed"
            ).model_dump(mode="json")
            for old, new in zip(("planned", *LIFE), LIFE, strict=False)
        ),
    ]
    types = ["convoy.planned", *["convoy.status_changed"] * len(LIFE)]
    for position in range(1, count + 1):
        step = (position - 1) % len(templates)
        moment = START + timedelta(seconds=position)
        envelope = {
            "position": position,
            "event_id": str(uuid.UUID(int=position, version=4)),
            "stream": f"convoy:generated-{(position - 1) // len(templates)}",
            "version": step + 1,
            "type": types[step],
            "schema_version": 1,
            "operation": OPERATION,
            "occurred_at": moment.isoformat(),
            "occurred_utc": utc_key(moment),
            "precision": "exact",
            "phrase": None,
            "recorded_at": recorded_at,
            "actor": "system",
            "visibility": "internal",
            "data": templates[step],
        }
        # These envelopes hold only ASCII keys, strings, integers and null, for which
        # orjson with sorted keys is RFC 8785 (checked on the first of each shape).
        body = orjson.dumps(envelope, option=orjson.OPT_SORT_KEYS)
        if position <= len(templates) and body != canonical_bytes(envelope):
            raise SystemExit("generated bodies are not canonical")
        digest = chain_hash(prev, body)
        yield (*(envelope[c] for c in JOURNAL_COLUMNS[:-3]), body, prev, digest)
        prev = digest


@functools.cache
def generated_journal(count: int) -> list[tuple[Any, ...]]:
    """The generated rows, made once per run (both engines load the same journal)."""
    return list(generated_rows(count))


def fill_journal(system: Mamar, count: int) -> None:
    """Bulk-load ``count`` generated events into an empty journal, then set the chain head."""
    columns = ", ".join(JOURNAL_COLUMNS)
    last: tuple[Any, ...] | None = None
    rows = generated_journal(count)
    with system.writing() as conn:
        store.lock_head(conn)
        raw: Any = conn.connection.driver_connection
        if conn.dialect.name == "postgresql":
            with (
                raw.cursor() as cursor,
                cursor.copy(f"COPY journal ({columns}) FROM STDIN") as copy,
            ):
                for row in rows:
                    copy.write_row(row)
                    last = row
        else:
            # SQLite computes the indexed columns from the body (they are generated).
            sql = "INSERT INTO journal (position, body, prev_hash, hash) VALUES (?, ?, ?, ?)"
            chunk: list[tuple[Any, ...]] = []
            for row in rows:
                chunk.append((row[0], *row[-3:]))
                last = row
                if len(chunk) == 20_000:
                    raw.executemany(sql, chunk)
                    chunk = []
            if chunk:
                raw.executemany(sql, chunk)
        assert last is not None
        conn.execute(
            update(journal_head).where(journal_head.c.id == 1).values(position=count, hash=last[-1])
        )


def verify_rate(system: Mamar, count: int) -> float:
    fill_started = time.perf_counter()
    fill_journal(system, count)
    say(f"  generated {count} events in {time.perf_counter() - fill_started:.1f} s")
    with system.reading() as conn:
        start = time.perf_counter()
        result = verify(conn)
        elapsed = time.perf_counter() - start
    if not result.ok or result.count != count:
        raise SystemExit(f"verify failed on the generated journal: {result.describe()}")
    return rate(count, elapsed)


# --- Running one engine. ---


def new_system(url: str) -> Mamar:
    system = Mamar(Settings(database_url=url, vault_key=generate_key()))
    system.init()
    return system


#: Rows the floor may spend settling its WAL before it measures (see ``settle_wal``).
FLOOR_SETTLING = 300

#: Each rate is measured in this many rounds, ours and the baselines taking turns, and
#: the median of each is kept: a disk or CPU that is busier for a moment then weighs on
#: both sides of a ratio alike.
ROUNDS = 3


def median(values: Sequence[float]) -> float:
    ordered = sorted(values)
    return ordered[len(ordered) // 2]


def measure(
    url: str,
    size: Size,
    raw: Callable[[Sequence[tuple[Any, ...]], int, Size], float],
    verify_url: str,
    floor: Callable[[Sequence[tuple[Any, ...]], str, int, Size], float] | None = None,
    peer: PeerTraffic | None = None,
    tree_overhead: bool = False,
) -> dict[str, float]:
    part = replace(
        size,
        single=max(1, size.single // ROUNDS),
        batches=max(1, size.batches // ROUNDS),
        seconds=size.seconds / ROUNDS,
    )
    rates: dict[str, list[float]] = {
        name: []
        for name in (
            "single",
            "batch",
            "raw_single",
            "raw_batch",
            "floor",
            "peer",
            "untreed",
            "batch_untreed",
        )
    }
    system = new_system(url)
    try:
        open_operation(system)
        traffic = Traffic(system)
        # Rows for the baselines to copy (unmeasured): the floor settles the WAL with
        # the first of them (about 90 at our size) and measures as many as we append.
        while traffic.step < part.single + FLOOR_SETTLING:
            traffic.execute()
        rows = journal_rows(system, 5000)
        state = typical_state(system)
        for turn in range(ROUNDS):
            others = ", floor" * (floor is not None) + ", peer" * (peer is not None)
            say(f"  round {turn + 1} of {ROUNDS}: one command per transaction, raw{others} …")
            rates["single"].append(append_single(traffic, part))
            if tree_overhead:  # the same appends, the tree's work taken out, in turn
                with without_tree(system):
                    rates["untreed"].append(append_single(traffic, part))
            rates["raw_single"].append(raw(rows, 1, part))
            if floor is not None:
                rates["floor"].append(floor(rows, state, turn, part))
            if peer is not None:
                rates["peer"].append(peer_single(peer, part))
            say(f"  round {turn + 1} of {ROUNDS}: batches of {BATCH}, raw …")
            rates["batch"].append(append_batched(traffic, part))
            if tree_overhead:
                with without_tree(system):
                    rates["batch_untreed"].append(append_batched(traffic, part))
            rates["raw_batch"].append(raw(rows, BATCH, part))
    finally:
        system.dispose()
    single, batched = median(rates["single"]), median(rates["batch"])
    raw_single, raw_batch = median(rates["raw_single"]), median(rates["raw_batch"])
    figures: dict[str, float] = {}
    if floor is not None:
        figures["floor_single_per_s"] = median(rates["floor"])
        figures["floor_single_vs_raw"] = figures["floor_single_per_s"] / raw_single
        figures["append_single_vs_floor"] = single / figures["floor_single_per_s"]
    if peer is not None:
        figures["eventsourcing_single_per_s"] = median(rates["peer"])
        figures["append_single_vs_eventsourcing"] = single / figures["eventsourcing_single_per_s"]
    if tree_overhead:
        # Time per append with the tree over time per append without it, minus one.
        figures["merkle_append_overhead"] = median(rates["untreed"]) / single - 1
        figures["merkle_batch_overhead"] = median(rates["batch_untreed"]) / batched - 1
    say(f"  verify over {size.verify} events …")
    verifier = new_system(verify_url)
    try:
        verified = verify_rate(verifier, size.verify)
    finally:
        verifier.dispose()
    return figures | {
        "append_single_per_s": single,
        "append_single_vs_raw": single / raw_single,
        "append_batch_per_s": batched,
        "append_batch_vs_raw": batched / raw_batch,
        "verify_per_s": verified,
        "raw_single_per_s": raw_single,
        "raw_batch_per_s": raw_batch,
    }


def run_sqlite(size: Size) -> dict[str, float]:
    with tempfile.TemporaryDirectory(prefix="mamar-bench-") as directory:
        folder = Path(directory)
        raw_path = folder / "raw.db"

        def raw(rows: Sequence[tuple[Any, ...]], per_commit: int, part: Size) -> float:
            return raw_sqlite(raw_path, rows, per_commit, part)

        def floor(rows: Sequence[tuple[Any, ...]], state: str, turn: int, part: Size) -> float:
            return floor_sqlite(folder / f"floor-{turn}.db", rows, state, part)

        peer = PeerTraffic(folder / "eventsourcing.db")
        say(f"  peer: eventsourcing on SQLite, WAL, synchronous={peer.synchronous} (2 is FULL)")
        return measure(
            f"sqlite:///{folder / 'bench.db'}",
            size,
            raw,
            f"sqlite:///{folder / 'verify.db'}",
            floor,
            peer,
            tree_overhead=True,
        )


@contextmanager
def scratch_databases(server_url: str, count: int) -> Iterator[list[str]]:
    """Fresh PostgreSQL databases on the server, dropped afterwards."""
    base = make_url(server_url)
    admin = base.set(drivername="postgresql").render_as_string(hide_password=False)
    names = [f"mamar_bench_{uuid.uuid4().hex[:10]}" for _ in range(count)]
    with psycopg.connect(admin, autocommit=True, connect_timeout=5) as conn:
        for name in names:
            conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield [
            base.set(drivername="postgresql", database=name).render_as_string(hide_password=False)
            for name in names
        ]
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            for name in names:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def postgres_unreachable(server_url: str) -> str | None:
    admin = make_url(server_url).set(drivername="postgresql")
    try:
        with psycopg.connect(admin.render_as_string(hide_password=False), connect_timeout=5):
            return None
    except psycopg.OperationalError as error:
        return str(error).strip().splitlines()[0]


def run_postgres(server_url: str, size: Size) -> dict[str, float]:
    with scratch_databases(server_url, 2) as (url, verify_url):

        def raw(rows: Sequence[tuple[Any, ...]], per_commit: int, part: Size) -> float:
            return raw_postgres(url, rows, per_commit, part)

        return measure(url, size, raw, verify_url)


FIGURES = (
    "append_single_per_s",
    "append_single_vs_raw",
    "append_batch_per_s",
    "append_batch_vs_raw",
    "verify_per_s",
)


def show(name: str, value: float) -> None:
    print(f"{name}: {value:.2f}" if value < 100 else f"{name}: {value:.0f}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer events (under a minute)")
    parser.add_argument(
        "--database-url",
        default=DEFAULT_PG,
        help=f"PostgreSQL server for the _pg figures (a scratch database is made); {DEFAULT_PG}",
    )
    args = parser.parse_args(argv)
    size = QUICK if args.quick else FULL

    say("SQLite (temporary file, WAL, synchronous=FULL)")
    sqlite_figures = run_sqlite(size)
    pg_figures: dict[str, float] = {}
    reason = postgres_unreachable(args.database_url)
    if reason is None:
        say(f"PostgreSQL ({make_url(args.database_url).render_as_string()})")
        pg_figures = run_postgres(args.database_url, size)

    print(f"raw_single_per_s (baseline): {sqlite_figures['raw_single_per_s']:.0f}")
    print(f"raw_batch_per_s (baseline): {sqlite_figures['raw_batch_per_s']:.0f}")
    print(f"floor_single_per_s: {sqlite_figures['floor_single_per_s']:.0f}")
    print(f"floor_single_vs_raw: {sqlite_figures['floor_single_vs_raw']:.2f}")
    print(f"eventsourcing_single_per_s: {sqlite_figures['eventsourcing_single_per_s']:.0f}")
    print(f"merkle_append_overhead: {sqlite_figures['merkle_append_overhead']:.3f}")
    print(f"merkle_batch_overhead: {sqlite_figures['merkle_batch_overhead']:.3f}")
    if pg_figures:
        print(f"raw_single_per_s_pg (baseline): {pg_figures['raw_single_per_s']:.0f}")
        print(f"raw_batch_per_s_pg (baseline): {pg_figures['raw_batch_per_s']:.0f}")
    else:
        print(f"PostgreSQL figures skipped: server unreachable ({reason})")
    for name in FIGURES:
        show(name, sqlite_figures[name])
    for name, target in (("append_single_vs_eventsourcing", 1.0), ("append_single_vs_floor", 0.7)):
        value = sqlite_figures[name]
        say(f"{name}: {'met' if value >= target else 'MISSED'} (target ≥ {target})")
        show(name, value)
    for name in FIGURES:
        if pg_figures:
            show(f"{name}_pg", pg_figures[name])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
