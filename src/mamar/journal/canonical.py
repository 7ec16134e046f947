"""Canonical bytes of an event (RFC 8785, JSON Canonicalization Scheme)."""

from __future__ import annotations

import hashlib
from typing import Any

import rfc8785

GENESIS_HASH = bytes(32)


def canonical_bytes(value: Any) -> bytes:
    """Serialise ``value`` in RFC 8785 form: the exact bytes that are hashed and stored."""
    return bytes(rfc8785.dumps(value))


def chain_hash(prev_hash: bytes, body: bytes) -> bytes:
    """``SHA-256(prev_hash ‖ body)``."""
    return hashlib.sha256(prev_hash + body).digest()
