"""The RFC 6962 Merkle tree over the journal: hashes, its growth, proofs and their checks.

Pure functions, no database: :mod:`mamar.journal.tree` keeps the nodes. Leaf ``i``
(0-based) is the event at position ``i + 1``; its hash is ``SHA-256(0x00 ‖ body)``
over the canonical body, an inner node's ``SHA-256(0x01 ‖ left ‖ right)``.

Every node of a *complete* subtree (``2**level`` leaves starting at a multiple of
``2**level``) is kept once it is complete and never changes. Nodes are numbered in
order of their place along the leaves (:func:`node_id`), so the nodes one append
completes are all near the end of the numbering: they land in the same storage page.
A proof names leaf ranges (:func:`inclusion_ranges`, :func:`consistency_ranges`);
the hash of each is folded from at most ``log2(n)`` kept nodes (:func:`range_nodes`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence

HASH_SIZE = 32
EMPTY_ROOT = hashlib.sha256(b"").digest()
_sha256 = hashlib.sha256


class ProofError(ValueError):
    """A proof that does not prove what it claims; ``code`` names why, the message says it."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


def leaf_hash(body: bytes) -> bytes:
    return _sha256(b"\x00" + body).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return _sha256(b"\x01" + left + right).digest()


def node_id(level: int, index: int) -> int:
    """The number of the complete subtree of ``2**level`` leaves starting at leaf ``index << level``.

    In-order numbering: leaf ``i`` is ``2i``, and a subtree sits between its two halves.
    """
    return (index << (level + 1)) + (1 << level) - 1


def split_point(count: int) -> int:
    """The largest power of two smaller than ``count`` (``count`` ≥ 2)."""
    return 1 << ((count - 1).bit_length() - 1)


def grow(
    size: int, frontier: list[bytes], leaves: Iterable[bytes]
) -> tuple[list[bytes], list[tuple[int, bytes]]]:
    """Add leaf hashes to a tree of ``size`` leaves; return the new frontier and new nodes.

    The frontier is the roots of the complete subtrees the tree splits into, largest
    first (one per bit set in ``size``). New nodes are ``(node_id, hash)``: each leaf
    and every subtree it completes.
    """
    frontier = list(frontier)
    nodes: list[tuple[int, bytes]] = []
    for leaf in leaves:
        nodes.append((size << 1, leaf))
        carry, level, index = leaf, 0, size
        while index & 1:  # the subtree to the left is complete at this level: merge
            carry = node_hash(frontier.pop(), carry)
            level += 1
            index >>= 1
            nodes.append((node_id(level, index), carry))
        frontier.append(carry)
        size += 1
    return frontier, nodes


def root_of(frontier: Sequence[bytes]) -> bytes:
    """The tree's root from its frontier (the empty tree's root is ``SHA-256("")``)."""
    if not frontier:
        return EMPTY_ROOT
    root = frontier[-1]
    for left in reversed(frontier[:-1]):
        root = node_hash(left, root)
    return root


def range_parts(start: int, end: int) -> list[tuple[int, int]]:
    """The complete subtrees ``(level, index)`` whose fold is the hash of leaves ``[start, end)``.

    ``start`` must be a multiple of the largest of them, as every range of a proof is.
    """
    parts: list[tuple[int, int]] = []
    while start < end:
        count = end - start
        width = count if count & (count - 1) == 0 else split_point(count)
        if start % width:
            raise ValueError(f"leaves [{start}, {end}) are not a subtree of the tree")
        parts.append((width.bit_length() - 1, start // width))
        start += width
    return parts


def range_nodes(start: int, end: int) -> list[int]:
    return [node_id(level, index) for level, index in range_parts(start, end)]


def fold_range(start: int, end: int, nodes: Mapping[int, bytes]) -> bytes:
    """The hash of leaves ``[start, end)`` from the kept nodes it needs."""
    return root_of([nodes[node_id(level, index)] for level, index in range_parts(start, end)])


def inclusion_ranges(index: int, size: int) -> list[tuple[int, int]]:
    """The leaf ranges whose hashes make the RFC 6962 audit path of ``index``, leaf first."""
    if not 0 <= index < size:
        raise ValueError(f"leaf {index} is not in a tree of {size} leaves")
    ranges: list[tuple[int, int]] = []
    low, high = 0, size
    while high - low > 1:
        middle = low + split_point(high - low)
        if index < middle:
            ranges.append((middle, high))
            high = middle
        else:
            ranges.append((low, middle))
            low = middle
    ranges.reverse()
    return ranges


def consistency_ranges(first: int, second: int) -> list[tuple[int, int]]:
    """The leaf ranges whose hashes make the RFC 6962 consistency proof, deepest first."""
    if not 0 <= first <= second:
        raise ValueError(f"no consistency proof from a tree of {first} to one of {second}")
    if first in (0, second):
        return []
    ranges: list[tuple[int, int]] = []
    low, high, inside, whole = 0, second, first, True
    while inside != high - low:
        middle = split_point(high - low)
        if inside <= middle:
            ranges.append((low + middle, high))
            high = low + middle
        else:
            ranges.append((low, low + middle))
            low += middle
            inside -= middle
            whole = False
    if not whole:  # the old tree's part is not a node the verifier already has
        ranges.append((low, high))
    ranges.reverse()
    return ranges


def _check_hashes(proof: Sequence[bytes], expected: int, what: str) -> None:
    if len(proof) != expected:
        raise ProofError(
            "proof_length",
            f"the {what} proof has {len(proof)} hashes; one for these sizes has {expected}",
        )
    for number, item in enumerate(proof, start=1):
        if len(item) != HASH_SIZE:
            raise ProofError(
                "hash_size",
                f"hash {number} of the {what} proof has {len(item)} bytes, not {HASH_SIZE}",
            )


def root_from_inclusion(leaf: bytes, index: int, size: int, proof: Sequence[bytes]) -> bytes:
    """The root that ``proof`` leads to from ``leaf`` at ``index`` (RFC 9162 §2.1.3.2)."""
    if not 0 <= index < size:
        raise ProofError(
            "index_out_of_range", f"leaf index {index} is outside a tree of {size} leaves"
        )
    _check_hashes(proof, len(inclusion_ranges(index, size)), "inclusion")
    place, last, hashed = index, size - 1, leaf
    for sibling in proof:
        if place & 1 or place == last:
            hashed = node_hash(sibling, hashed)
            while not place & 1 and place:
                place >>= 1
                last >>= 1
        else:
            hashed = node_hash(hashed, sibling)
        place >>= 1
        last >>= 1
    return hashed


def verify_inclusion(
    leaf: bytes, index: int, size: int, proof: Sequence[bytes], root: bytes
) -> None:
    """Raise :class:`ProofError` unless ``proof`` shows ``leaf`` at ``index`` under ``root``."""
    if root_from_inclusion(leaf, index, size, proof) != root:
        raise ProofError(
            "root_mismatch",
            f"the inclusion proof for leaf {index} does not lead to the root of the tree of {size}",
        )


def verify_consistency(
    first: int, second: int, first_root: bytes, second_root: bytes, proof: Sequence[bytes]
) -> None:
    """Raise :class:`ProofError` unless ``proof`` shows the tree of ``first`` leaves is a
    prefix of the tree of ``second`` (RFC 9162 §2.1.4.2)."""
    if not 0 <= first <= second:
        raise ProofError("size_order", f"a tree of {second} leaves cannot extend one of {first}")
    _check_hashes(proof, len(consistency_ranges(first, second)), "consistency")
    if first == second:
        if first_root != second_root:
            raise ProofError("root_mismatch", f"two different roots for the tree of {first}")
        return
    if first == 0:
        return
    path = list(proof)
    if first & (first - 1) == 0:  # the old tree is itself a node on the path
        path.insert(0, first_root)
    place, last = first - 1, second - 1
    while place & 1:
        place >>= 1
        last >>= 1
    old = new = path[0]
    for item in path[1:]:
        if last == 0:
            raise ProofError("proof_length", "the consistency proof is longer than the tree")
        if place & 1 or place == last:
            old = node_hash(item, old)
            new = node_hash(item, new)
            while not place & 1 and place:
                place >>= 1
                last >>= 1
        else:
            new = node_hash(new, item)
        place >>= 1
        last >>= 1
    if old != first_root:
        raise ProofError(
            "root_mismatch",
            f"the consistency proof does not lead to the root of the tree of {first}",
        )
    if new != second_root:
        raise ProofError(
            "root_mismatch",
            f"the consistency proof does not lead to the root of the tree of {second}",
        )
