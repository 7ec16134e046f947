"""The journal's Merkle tree as stored: its nodes, its head, and proofs read from them.

``journal.store.append`` grows the tree in the append's own transaction (the
frontier lives in the chain head row, the inner nodes of completed subtrees in
``merkle_nodes``). Leaves are not stored: a leaf's hash is ``SHA-256(0x00 ‖ body)``
of the journal row itself, so an append writes one node row on average (none for
half of them) instead of two. A proof reads only the nodes it needs: at most about
``2·log2(n)`` rows (a leaf among them from its journal row), in two queries.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import Connection, select

from mamar.db.raw import Statement
from mamar.db.tables import journal, merkle_nodes
from mamar.journal import merkle

_INSERT_NODES = Statement("INSERT INTO merkle_nodes (id, hash) VALUES (:id, :hash)")
_MOVE_TREE = Statement(
    "UPDATE journal_head SET tree_size = :tree_size, frontier = :frontier WHERE id = 1"
)
_HEAD = Statement("SELECT position, tree_size, frontier FROM journal_head WHERE id = 1")


def split_frontier(blob: bytes | None) -> list[bytes]:
    if not blob:
        return []
    return [blob[i : i + merkle.HASH_SIZE] for i in range(0, len(blob), merkle.HASH_SIZE)]


def add_leaves(
    conn: Connection, size: int, frontier: list[bytes], leaves: Sequence[bytes]
) -> tuple[int, bytes]:
    """Store the nodes ``leaves`` complete; return the new (size, frontier blob) for the head."""
    grown, nodes = merkle.grow(size, frontier, leaves)
    _store(conn, nodes)
    return size + len(leaves), b"".join(grown)


def _store(conn: Connection, nodes: list[tuple[int, bytes]]) -> None:
    inner = [{"id": node, "hash": value} for node, value in nodes if node & 1]
    if inner:  # leaves (even numbers) are read from the journal itself
        _INSERT_NODES.many(conn, inner)


def catch_up(conn: Connection, batch: int = 5000) -> int:
    """Add the events the tree does not hold yet (bulk loads, a journal from before the
    tree); return the tree's size. The caller holds the append lock."""
    row = _HEAD.run(conn).fetchone()
    if row is None:
        return 0
    position, size, frontier = int(row[0]), int(row[1]), split_frontier(row[2])
    if size == position:
        return size
    while size < position:
        bodies = conn.execute(
            select(journal.c.body)
            .where(journal.c.position > size, journal.c.position <= position)
            .order_by(journal.c.position)
            .limit(batch)
        ).scalars()
        leaves = [merkle.leaf_hash(bytes(body)) for body in bodies]
        if not leaves:
            break
        grown, nodes = merkle.grow(size, frontier, leaves)
        _store(conn, nodes)
        size, frontier = size + len(leaves), grown
    _MOVE_TREE.run(conn, {"tree_size": size, "frontier": b"".join(frontier)})
    return size


@dataclass(frozen=True)
class TreeHead:
    size: int
    root: bytes


def tree_head(conn: Connection) -> TreeHead:
    """The tree's current size and root (from the frontier kept in the head row)."""
    row = _HEAD.run(conn).fetchone()
    if row is None:
        return TreeHead(0, merkle.EMPTY_ROOT)
    return TreeHead(int(row[1]), merkle.root_of(split_frontier(row[2])))


def _nodes(conn: Connection, ids: Iterable[int]) -> dict[int, bytes]:
    wanted = sorted(set(ids))
    inner = [i for i in wanted if i & 1]
    positions = [(i >> 1) + 1 for i in wanted if not i & 1]
    found: dict[int, bytes] = {}
    if inner:
        rows = conn.execute(
            select(merkle_nodes.c.id, merkle_nodes.c.hash).where(merkle_nodes.c.id.in_(inner))
        )
        found.update((int(r.id), bytes(r.hash)) for r in rows)
    if positions:
        rows = conn.execute(
            select(journal.c.position, journal.c.body).where(journal.c.position.in_(positions))
        )
        found.update(((int(r.position) - 1) << 1, merkle.leaf_hash(bytes(r.body))) for r in rows)
    missing = [i for i in wanted if i not in found]
    if missing:
        raise LookupError(f"the Merkle tree lacks node {missing[0]}: run `mamar verify`")
    return found


def _hashes(conn: Connection, ranges: Sequence[tuple[int, int]]) -> list[bytes]:
    nodes = _nodes(conn, (n for start, end in ranges for n in merkle.range_nodes(start, end)))
    return [merkle.fold_range(start, end, nodes) for start, end in ranges]


def _require_size(conn: Connection, size: int) -> None:
    held = tree_head(conn).size
    if size > held:
        raise ValueError(f"the tree holds {held} events, not {size}")


def root_at(conn: Connection, size: int) -> bytes:
    """The root of the tree of the first ``size`` events."""
    _require_size(conn, size)
    return merkle.EMPTY_ROOT if size == 0 else _hashes(conn, [(0, size)])[0]


def leaf_at(conn: Connection, index: int) -> bytes:
    return _nodes(conn, [merkle.node_id(0, index)])[merkle.node_id(0, index)]


def inclusion_proof(conn: Connection, index: int, size: int) -> list[bytes]:
    """The audit path of leaf ``index`` (event ``index + 1``) in the tree of ``size``."""
    _require_size(conn, size)
    return _hashes(conn, merkle.inclusion_ranges(index, size))


def consistency_proof(conn: Connection, first: int, second: int) -> list[bytes]:
    """The proof that the tree of ``first`` events is a prefix of the tree of ``second``."""
    _require_size(conn, second)
    return _hashes(conn, merkle.consistency_ranges(first, second))
