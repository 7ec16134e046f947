"""Canonical bytes of an event (RFC 8785, JSON Canonicalization Scheme)."""

from __future__ import annotations

import hashlib
from typing import Any

import orjson
import rfc8785

GENESIS_HASH = bytes(32)

# Values orjson writes exactly as RFC 8785 does (integers: see OPT_STRICT_INTEGER below).
_PLAIN = frozenset({str, int, bool, type(None)})


def _orjson_is_canonical(value: Any) -> bool:
    """True when orjson with sorted keys writes exactly the RFC 8785 form of ``value``.

    That holds for strings, booleans, null, integers a double represents exactly,
    and arrays and objects of those with ASCII keys (so byte order is UTF-16 order).
    Floats and anything else take the reference implementation.
    """
    stack = [value]
    pop, push = stack.pop, stack.extend
    while stack:
        item = pop()
        kind = type(item)
        if kind is dict:
            try:
                if not "".join(item).isascii():
                    return False
            except TypeError:  # a key that is not a string
                return False
            push(item.values())
        elif kind is list or kind is tuple:
            push(item)
        elif kind not in _PLAIN:
            return False
    return True


def canonical_bytes(value: Any) -> bytes:
    """Serialise ``value`` in RFC 8785 form: the exact bytes that are hashed and stored."""
    # The reference implementation is pure Python and dominated append and bulk
    # loads; orjson gives the same bytes for the plain values events hold. Integers
    # beyond 2**53 make orjson refuse (OPT_STRICT_INTEGER): the reference decides.
    if _orjson_is_canonical(value):
        try:
            return orjson.dumps(value, option=orjson.OPT_SORT_KEYS | orjson.OPT_STRICT_INTEGER)
        except orjson.JSONEncodeError:
            pass  # e.g. a lone surrogate, a large integer: the reference implementation decides
    return bytes(rfc8785.dumps(value))


def canonical_envelope(envelope: dict[str, Any]) -> bytes:
    """:func:`canonical_bytes` of an event's envelope (``journal.store``): the same bytes,
    checked faster. Only ``data`` and a ``phrase`` kept with its language (an object) are
    walked value by value; the envelope's other fields (texts, integers, null under ASCII
    keys) are checked together, which halves the check on a typical event."""
    fields = envelope.copy()
    data = fields.pop("data", None)
    phrase = fields.pop("phrase", None)
    if (
        "".join(fields).isascii()
        and set(map(type, fields.values())) <= _PLAIN
        and (type(phrase) in _PLAIN or _orjson_is_canonical(phrase))
        and _orjson_is_canonical(data)
    ):
        try:
            return orjson.dumps(envelope, option=orjson.OPT_SORT_KEYS | orjson.OPT_STRICT_INTEGER)
        except orjson.JSONEncodeError:
            pass
    return canonical_bytes(envelope)


def chain_hash(prev_hash: bytes, body: bytes) -> bytes:
    """``SHA-256(prev_hash ‖ body)``."""
    return hashlib.sha256(prev_hash + body).digest()
