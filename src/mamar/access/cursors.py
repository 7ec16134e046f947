"""Cursors: what a viewer is given instead of journal positions.

A journal position counts every event of every organisation: two positions a
viewer saw, far apart, would tell it how much was recorded that it may not see.
So no surface hands out positions. Where a client needs to say "after this event"
(a timeline read by a syncing client, a live stream resumed with ``Last-Event-ID``,
a command's receipt), it gets a cursor: the position sealed with AES-SIV under a
key derived from the installation's secret and the viewer's :attr:`Viewer.key`.

A cursor is opaque (it cannot be read, compared or ordered without the key), fixed
for an event and a kind of viewer (equal keys see the same events), useless to
another kind of viewer, and refused if altered. Viewers whose keys differ get
different cursors for the same event, so two cursors cannot be matched across
organisations either.
"""

from __future__ import annotations

import base64
import binascii
import threading

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESSIV
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from mamar.access.viewer import Viewer
from mamar.domain.errors import DomainError

_INFO = b"mamar cursor v1\x00"
_SIZE = 8  # bytes of a position


class BadCursor(DomainError):
    def __init__(self, field: str = "after") -> None:
        super().__init__(
            "bad_cursor",
            "this cursor was not given to you by this installation, or was altered",
            field=field,
        )


class Cursors:
    """Seals and opens the cursors of one installation (one secret)."""

    def __init__(self, secret: bytes) -> None:
        self._secret = secret
        self._ciphers: dict[tuple[object, ...], AESSIV] = {}
        self._lock = threading.Lock()

    def _cipher(self, viewer: Viewer) -> AESSIV:
        key = viewer.key
        with self._lock:
            found = self._ciphers.get(key)
            if found is None:
                derived = HKDF(
                    algorithm=hashes.SHA256(), length=64, salt=None, info=_INFO + repr(key).encode()
                ).derive(self._secret)
                found = self._ciphers[key] = AESSIV(derived)
            return found

    def seal(self, viewer: Viewer, position: int) -> str:
        """The cursor of the event at ``position``, for ``viewer``."""
        sealed = self._cipher(viewer).encrypt(position.to_bytes(_SIZE, "big"), None)
        return base64.urlsafe_b64encode(sealed).rstrip(b"=").decode("ascii")

    def open(self, viewer: Viewer, cursor: str, *, field: str = "after") -> int:
        """The position sealed in ``cursor``; :class:`BadCursor` if it is not one this
        installation gave this kind of viewer."""
        try:
            raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
            opened = self._cipher(viewer).decrypt(raw, None)
        except (ValueError, binascii.Error, InvalidTag):
            raise BadCursor(field) from None
        if len(opened) != _SIZE:
            raise BadCursor(field)
        return int.from_bytes(opened, "big")
