"""Canonical bytes of an event (RFC 8785, JSON Canonicalization Scheme)."""

from __future__ import annotations

import hashlib
from typing import Any

import orjson
import rfc8785

GENESIS_HASH = bytes(32)

_SAFE_INT = 2**53 - 1


def _orjson_is_canonical(value: Any) -> bool:
    """True when orjson with sorted keys writes exactly the RFC 8785 form of ``value``.

    That holds for strings, booleans, null, integers a double represents exactly,
    and arrays and objects of those with ASCII keys (so byte order is UTF-16 order).
    Floats and anything else take the reference implementation.
    """
    kind = type(value)
    if kind is str or kind is bool or value is None:
        return True
    if kind is int:
        return bool(-_SAFE_INT <= value <= _SAFE_INT)
    if kind is dict:
        return all(
            type(k) is str and k.isascii() and _orjson_is_canonical(v) for k, v in value.items()
        )
    if kind is list or kind is tuple:
        return all(_orjson_is_canonical(v) for v in value)
    return False


def canonical_bytes(value: Any) -> bytes:
    """Serialise ``value`` in RFC 8785 form: the exact bytes that are hashed and stored."""
    # The reference implementation is pure Python and dominated append and bulk
    # loads; orjson gives the same bytes for the plain values events hold.
    if _orjson_is_canonical(value):
        try:
            return orjson.dumps(value, option=orjson.OPT_SORT_KEYS)
        except orjson.JSONEncodeError:
            pass  # e.g. a lone surrogate: the reference implementation reports it
    return bytes(rfc8785.dumps(value))


def chain_hash(prev_hash: bytes, body: bytes) -> bytes:
    """``SHA-256(prev_hash ‖ body)``."""
    return hashlib.sha256(prev_hash + body).digest()
