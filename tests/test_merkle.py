"""The RFC 6962 Merkle tree: reference vectors, proofs that must fail, and random journals.

The vectors are facts published with RFC 6962 implementations (the eight leaves,
the roots of the trees of 1 to 8 of them, and the audit and consistency paths
used by the transparency-dev and certificate-transparency test suites).
"""

from __future__ import annotations

import hashlib

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mamar.domain.visibility import Visibility
from mamar.journal import merkle, store, tree
from mamar.journal.envelope import PendingEvent
from mamar.journal.merkle import ProofError
from mamar.journal.verify import verify
from mamar.notes.commands import AddNote
from mamar.notes.events import NoteAdded, NoteKind
from mamar.services.commands import SYSTEM
from mamar.system import Mamar
from tests.helpers import at, open_operation

LEAVES = [
    bytes.fromhex(h)
    for h in (
        "",
        "00",
        "10",
        "2021",
        "3031",
        "40414243",
        "5051525354555657",
        "606162636465666768696a6b6c6d6e6f",
    )
]
ROOTS = [
    bytes.fromhex(h)
    for h in (
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
        "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
        "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
        "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
        "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
    )
]
H = bytes.fromhex
# (leaf index, tree size, audit path)
INCLUSION = [
    (
        0,
        8,
        [
            H("96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7"),
            H("5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e"),
            H("6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"),
        ],
    ),
    (
        5,
        8,
        [
            H("bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"),
            H("ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0"),
            H("d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"),
        ],
    ),
    (2, 3, [H("fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125")]),
    (
        1,
        5,
        [
            H("6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d"),
            H("5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e"),
            H("bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"),
        ],
    ),
]
# (first size, second size, consistency proof)
CONSISTENCY = [
    (1, 1, []),
    (
        1,
        8,
        [
            H("96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7"),
            H("5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e"),
            H("6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"),
        ],
    ),
    (
        6,
        8,
        [
            H("0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a"),
            H("ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0"),
            H("d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"),
        ],
    ),
    (
        2,
        5,
        [
            H("5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e"),
            H("bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"),
        ],
    ),
    (
        6,
        7,
        [
            H("0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a"),
            H("b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f"),
            H("d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"),
        ],
    ),
]


class MemoryTree:
    """The nodes :func:`merkle.grow` makes, in a dict: proofs without a database."""

    def __init__(self, leaves: list[bytes]) -> None:
        self.frontier: list[bytes] = []
        self.nodes: dict[int, bytes] = {}
        self.roots = [merkle.EMPTY_ROOT]
        for size, leaf in enumerate(leaves):
            self.frontier, new = merkle.grow(size, self.frontier, [merkle.leaf_hash(leaf)])
            self.nodes.update(new)
            self.roots.append(merkle.root_of(self.frontier))

    def inclusion(self, index: int, size: int) -> list[bytes]:
        ranges = merkle.inclusion_ranges(index, size)
        return [merkle.fold_range(a, b, self.nodes) for a, b in ranges]

    def consistency(self, first: int, second: int) -> list[bytes]:
        ranges = merkle.consistency_ranges(first, second)
        return [merkle.fold_range(a, b, self.nodes) for a, b in ranges]


REFERENCE = MemoryTree(LEAVES)


def flip(proof: list[bytes], item: int, bit: int) -> list[bytes]:
    changed = list(proof)
    value = bytearray(changed[item])
    value[bit // 8] ^= 1 << (bit % 8)
    changed[item] = bytes(value)
    return changed


def test_the_empty_tree_and_the_leaf_and_node_hashes() -> None:
    assert merkle.root_of([]) == hashlib.sha256(b"").digest()
    assert merkle.leaf_hash(b"") == ROOTS[0]
    assert merkle.node_hash(ROOTS[0], merkle.leaf_hash(b"\x00")) == ROOTS[1]


@pytest.mark.parametrize("size", range(1, 9))
def test_roots_of_the_reference_trees(size: int) -> None:
    assert REFERENCE.roots[size] == ROOTS[size - 1]


@pytest.mark.parametrize(("index", "size", "path"), INCLUSION)
def test_reference_audit_paths_are_made_and_verify(
    index: int, size: int, path: list[bytes]
) -> None:
    assert REFERENCE.inclusion(index, size) == path
    merkle.verify_inclusion(merkle.leaf_hash(LEAVES[index]), index, size, path, ROOTS[size - 1])


@pytest.mark.parametrize(("first", "second", "path"), CONSISTENCY)
def test_reference_consistency_proofs_are_made_and_verify(
    first: int, second: int, path: list[bytes]
) -> None:
    assert REFERENCE.consistency(first, second) == path
    merkle.verify_consistency(first, second, ROOTS[first - 1], ROOTS[second - 1], path)


def inclusion_failures(index: int, size: int, path: list[bytes]) -> list[tuple[str, dict]]:
    leaf = merkle.leaf_hash(LEAVES[index])
    root = ROOTS[size - 1]
    base = {"leaf": leaf, "index": index, "size": size, "proof": path, "root": root}
    cases = [
        ("flipped bit", {"proof": flip(path, 0, 3)}),
        ("flipped bit in the last hash", {"proof": flip(path, len(path) - 1, 200)}),
        ("proof one hash short", {"proof": path[:-1]}),
        ("extra hash at the end", {"proof": [*path, root]}),
        ("extra hash in front", {"proof": [root, *path]}),
        ("a hash of 31 bytes", {"proof": [path[0][:31], *path[1:]]}),
        ("wrong leaf index (+1)", {"index": (index + 1) % size}),
        ("wrong leaf index (xor 2)", {"index": index ^ 2}),
        ("leaf index beyond the tree", {"index": size}),
        ("wrong tree size (x2)", {"size": size * 2}),
        ("wrong tree size (/2)", {"size": size // 2 or 1}),
        ("wrong leaf", {"leaf": merkle.leaf_hash(b"WrongLeaf")}),
        ("wrong root", {"root": merkle.EMPTY_ROOT}),
    ]
    return [(name, base | change) for name, change in cases]


@pytest.mark.parametrize(
    ("name", "probe"),
    [case for index, size, path in INCLUSION for case in inclusion_failures(index, size, path)],
)
def test_a_corrupted_inclusion_proof_fails_with_its_reason(name: str, probe: dict) -> None:
    with pytest.raises(ProofError) as failure:
        merkle.verify_inclusion(
            probe["leaf"], probe["index"], probe["size"], probe["proof"], probe["root"]
        )
    assert failure.value.code in {
        "root_mismatch",
        "proof_length",
        "hash_size",
        "index_out_of_range",
    }
    assert str(failure.value)


def consistency_failures(first: int, second: int, path: list[bytes]) -> list[tuple[str, dict]]:
    one, two = ROOTS[first - 1], ROOTS[second - 1]
    base = {"first": first, "second": second, "one": one, "two": two, "proof": path}
    cases = [
        ("flipped bit", {"proof": flip(path, 0, 4)}),
        ("flipped bit in the last hash", {"proof": flip(path, len(path) - 1, 255)}),
        ("truncated", {"proof": path[:-1]}),
        ("empty", {"proof": []}),
        ("extra hash at the end", {"proof": [*path, two]}),
        ("extra hash in front", {"proof": [one, *path]}),
        ("first size - 1", {"first": first - 1}),
        ("first size + 1", {"first": first + 1}),
        ("second size x2", {"second": second * 2}),
        ("second size smaller than first", {"second": first - 1}),
        ("wrong first root", {"one": merkle.EMPTY_ROOT}),
        ("wrong second root", {"two": merkle.EMPTY_ROOT}),
        ("swapped roots", {"one": two, "two": one}),
    ]
    return [(name, base | change) for name, change in cases]


@pytest.mark.parametrize(
    ("name", "probe"),
    [
        case
        for first, second, path in CONSISTENCY
        if path
        for case in consistency_failures(first, second, path)
    ],
)
def test_a_corrupted_consistency_proof_fails_with_its_reason(name: str, probe: dict) -> None:
    with pytest.raises(ProofError) as failure:
        merkle.verify_consistency(
            probe["first"], probe["second"], probe["one"], probe["two"], probe["proof"]
        )
    assert str(failure.value)


def test_a_smaller_tree_never_extends_a_larger_one() -> None:
    with pytest.raises(ProofError, match="cannot extend") as failure:
        merkle.verify_consistency(5, 3, ROOTS[4], ROOTS[2], [])
    assert failure.value.code == "size_order"


journals = st.lists(st.binary(max_size=24), min_size=1, max_size=70)


@settings(max_examples=60, deadline=None)
@given(leaves=journals, data=st.data())
def test_every_proof_of_a_random_journal_verifies_and_every_bit_flip_fails(
    leaves: list[bytes], data: st.DataObject
) -> None:
    built = MemoryTree(leaves)
    size = data.draw(st.integers(1, len(leaves)), label="size")
    first = data.draw(st.integers(0, size), label="first")
    index = data.draw(st.integers(0, size - 1), label="index")
    leaf = merkle.leaf_hash(leaves[index])
    path = built.inclusion(index, size)
    merkle.verify_inclusion(leaf, index, size, path, built.roots[size])
    proof = built.consistency(first, size)
    merkle.verify_consistency(first, size, built.roots[first], built.roots[size], proof)
    for item in range(len(path)):
        bit = data.draw(st.integers(0, 255), label="bit")
        with pytest.raises(ProofError):
            merkle.verify_inclusion(leaf, index, size, flip(path, item, bit), built.roots[size])
    for item in range(len(proof)):
        bit = data.draw(st.integers(0, 255), label="bit")
        with pytest.raises(ProofError):
            merkle.verify_consistency(
                first, size, built.roots[first], built.roots[size], flip(proof, item, bit)
            )


def add_notes(system: Mamar, count: int, start: int = 0) -> None:
    for n in range(start, start + count):
        system.execute(
            AddNote(id=f"n{n}", operation="op", text={"original": f"note {n}"}),
            actor=SYSTEM,
            occurred=at("2016-12-13T20:00+02:00"),
        )


def test_the_stored_tree_grows_with_the_journal_and_proves_every_event(system: Mamar) -> None:
    open_operation(system)
    add_notes(system, 12)
    with system.reading() as conn:
        bodies = [e.body for e in store.read_all(conn)]
        memory = MemoryTree(bodies)
        head = tree.tree_head(conn)
        assert head.size == len(bodies) == store.head(conn)[0]
        assert head.root == memory.roots[-1]
        for size in (1, 2, 5, 8, len(bodies)):
            assert tree.root_at(conn, size) == memory.roots[size]
            for index in range(size):
                assert tree.inclusion_proof(conn, index, size) == memory.inclusion(index, size)
            for first in range(size + 1):
                assert tree.consistency_proof(conn, first, size) == memory.consistency(first, size)
        with pytest.raises(ValueError, match="holds"):
            tree.inclusion_proof(conn, 0, len(bodies) + 1)


def test_a_journal_loaded_without_its_tree_is_caught_up_before_the_next_append(
    sqlite_system: Mamar,
) -> None:
    open_operation(sqlite_system)
    add_notes(sqlite_system, 5)
    with sqlite_system.writing() as conn:  # as a bulk load leaves it: events, no tree
        conn.exec_driver_sql("DELETE FROM merkle_nodes")
        conn.exec_driver_sql("UPDATE journal_head SET tree_size = 0, frontier = NULL")
    add_notes(sqlite_system, 2, start=5)
    with sqlite_system.reading() as conn:
        memory = MemoryTree([e.body for e in store.read_all(conn)])
        assert tree.tree_head(conn).root == memory.roots[-1]
        assert tree.inclusion_proof(conn, 3, 8) == memory.inclusion(3, 8)
        assert verify(conn).ok


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(batches=st.lists(st.integers(1, 9), min_size=1, max_size=6), data=st.data())
def test_batched_appends_build_the_same_tree_and_its_stored_proofs_verify(
    sqlite_system: Mamar, batches: list[int], data: st.DataObject
) -> None:
    with sqlite_system.writing() as conn:
        start = tree.tree_head(conn).size
        for number, count in enumerate(batches):
            stream = f"note:batch-{start}-{number}"
            store.append(
                conn,
                [
                    PendingEvent(
                        stream=stream,
                        version=v,
                        data=NoteAdded(note_kind=NoteKind.GENERAL, text={"original": f"{v}"}),
                        occurred=at("2016-12-13T20:00+02:00"),
                        actor="system",
                        visibility=Visibility.SHARED,
                    )
                    for v in range(1, count + 1)
                ],
            )
    with sqlite_system.reading() as conn:
        bodies = [e.body for e in store.read_all(conn)]
        memory = MemoryTree(bodies)
        assert tree.tree_head(conn).root == memory.roots[-1]
        # The fixture's journal grows from one example to the next: draw choices, not sizes.
        pick = data.draw(st.tuples(*[st.integers(0, 2**20)] * 3), label="picks")
        size = 1 + pick[0] % len(bodies)
        index, first = pick[1] % size, pick[2] % (size + 1)
        root, old = tree.root_at(conn, size), tree.root_at(conn, first)
        path = tree.inclusion_proof(conn, index, size)
        merkle.verify_inclusion(merkle.leaf_hash(bodies[index]), index, size, path, root)
        proof = tree.consistency_proof(conn, first, size)
        merkle.verify_consistency(first, size, old, root, proof)
        if proof:
            item_pick, bit = data.draw(st.tuples(st.integers(0, 2**20), st.integers(0, 255)))
            item = item_pick % len(proof)
            with pytest.raises(ProofError):
                merkle.verify_consistency(first, size, old, root, flip(proof, item, bit))


def test_a_journal_from_before_the_tree_gets_its_tree_when_migrated(database_url: str) -> None:
    from mamar.db.engine import make_engine
    from mamar.db.migrate import upgrade
    from tests.test_migrations import fill_old_journal, migrate_to, old_rows

    engine = make_engine(database_url)
    try:
        migrate_to(engine, "0004")
        rows = old_rows(30)
        fill_old_journal(engine, rows)
        upgrade(engine)
        with engine.connect() as conn:
            memory = MemoryTree([bytes(r["body"]) for r in rows])
            assert tree.tree_head(conn) == tree.TreeHead(30, memory.roots[30])
            assert tree.inclusion_proof(conn, 17, 30) == memory.inclusion(17, 30)
    finally:
        engine.dispose()
