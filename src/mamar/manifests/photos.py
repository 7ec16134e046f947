"""A person's photo, taken on a phone at registration: checked, then re-encoded.

What a phone sends is checked by its first bytes (JPEG, PNG or WebP; the name and the
type the browser claims are ignored), refused above :data:`MAX_BYTES` or
:data:`MAX_PIXELS`, and drawn again as a plain JPEG: turned upright as the camera
said, at most :data:`SIDE` pixels a side, with no metadata at all. A camera's EXIF
holds where and when the photo was taken (GPS), the phone's make and serial: none of
it is kept. Re-encoding also means no bytes the sender chose reach a reader's
browser. Pillow does this; it was already installed (WeasyPrint uses it) and is now
pinned as a dependency of its own.

Pure: bytes in, bytes out; refusals are :class:`PhotoRefused` with a code.
"""

from __future__ import annotations

import io
import warnings

from PIL import Image, ImageOps

#: Largest photo accepted as sent (a phone's camera gives 2-8 MB).
MAX_BYTES = 12 * 1000 * 1000
#: Largest picture decoded (a "decompression bomb" is a small file of a huge picture).
MAX_PIXELS = 60_000_000
#: Longest side kept, in pixels: enough to recognise a face on paper or a screen.
SIDE = 1280
QUALITY = 82
MEDIA_TYPE = "image/jpeg"

_FORMATS = {"JPEG", "PNG", "WEBP"}


class PhotoRefused(ValueError):
    """``code``: ``photo_too_large``, ``photo_not_image`` or ``photo_unreadable``."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def kind_of(data: bytes) -> str | None:
    """The image format by its first bytes: ``JPEG``, ``PNG``, ``WEBP``, or None."""
    if data[:3] == b"\xff\xd8\xff":
        return "JPEG"
    if data[:8] == b"\x89PNG\r\n\x1a\n":
        return "PNG"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "WEBP"
    return None


def clean(data: bytes) -> bytes:
    """The photo as a JPEG with no metadata, upright, at most :data:`SIDE` a side."""
    if len(data) > MAX_BYTES:
        raise PhotoRefused("photo_too_large")
    kind = kind_of(data)
    if kind is None:
        raise PhotoRefused("photo_not_image")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=[kind]) as opened:
                if opened.width * opened.height > MAX_PIXELS:
                    raise PhotoRefused("photo_too_large")
                opened.load()
                upright = ImageOps.exif_transpose(opened)
    except PhotoRefused:
        raise
    except (Image.DecompressionBombWarning, Image.DecompressionBombError):
        raise PhotoRefused("photo_too_large") from None
    except Exception:  # a damaged file, or not what its first bytes say
        raise PhotoRefused("photo_unreadable") from None
    if upright.mode in ("RGBA", "LA", "PA") or (
        upright.mode == "P" and "transparency" in upright.info
    ):
        rgba = upright.convert("RGBA")
        flat = Image.new("RGB", rgba.size, (255, 255, 255))
        flat.paste(rgba, mask=rgba.getchannel("A"))
        upright = flat
    picture = upright.convert("RGB")
    picture.thumbnail((SIDE, SIDE))
    out = io.BytesIO()
    # A new image: no EXIF, ICC, XMP or comment is carried over.
    picture.save(out, format="JPEG", quality=QUALITY, optimize=True)
    return out.getvalue()
