"""Static files under a content hash: ``/static/<hash>/<name>``, cached for a year.

A changed file gets a new address, so browsers never use a stale copy and never
ask again for an unchanged one.
"""

from __future__ import annotations

import hashlib
import mimetypes
from dataclasses import dataclass, field
from pathlib import Path

from starlette.responses import Response

STATIC = Path(__file__).parent / "static"
LONG_CACHE = "public, max-age=31536000, immutable"


@dataclass
class Assets:
    """Every served file by name (``app.css``, ``leaflet/leaflet.js``) with its digest."""

    files: dict[str, tuple[Path, str]] = field(default_factory=dict)

    def add_dir(self, directory: Path, prefix: str = "") -> None:
        """Serve every file below ``directory`` as ``prefix + relative path``."""
        for path in sorted(directory.rglob("*")):
            if path.is_file() and not path.name.startswith("."):
                name = prefix + path.relative_to(directory).as_posix()
                digest = hashlib.sha256(path.read_bytes()).hexdigest()[:12]
                self.files[name] = (path, digest)

    def url(self, name: str) -> str:
        path_digest = self.files.get(name)
        if path_digest is None:
            raise KeyError(f"no static file '{name}'")
        return f"/static/{path_digest[1]}/{name}"

    def response(self, digest: str, name: str) -> Response:
        found = self.files.get(name)
        if found is None or found[1] != digest:
            return Response(status_code=404)
        path = found[0]
        media = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        if media.startswith("text/") or media == "application/javascript":
            media += "; charset=utf-8"
        return Response(path.read_bytes(), media_type=media, headers={"Cache-Control": LONG_CACHE})


def default_assets() -> Assets:
    assets = Assets()
    assets.add_dir(STATIC)
    return assets
