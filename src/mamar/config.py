"""Settings, from the environment (``MAMAR_…``) or arguments."""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Literal

from pydantic import model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from mamar.vault.store import generate_key

# Development only: sessions then last as long as the process.
_PROCESS_SECRET = secrets.token_bytes(32)


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="MAMAR_", extra="ignore")

    database_url: str = "sqlite:///mamar.db"
    environment: str = "development"
    vault_key: str | None = None
    # A file holding the vault key (mode 0600); outside development never beside the database.
    vault_key_file: Path | None = None
    secret_key: str | None = None
    max_body_bytes: int = 256 * 1024
    # The installation's checkpoint signing key (a C2SP signed-note private key, 0600);
    # default: in development a file beside the database, else none (see docs/evidence.md).
    log_key_file: Path | None = None
    # Seconds between scheduled checkpoints while serving (signed only when the tree grew).
    checkpoint_interval: float = 60.0
    # Seconds between rounds of erasing personal data whose retention ran out (0: none).
    retention_interval: float = 3600.0
    # The map's basemap tiles, e.g. "http://tiles.local/{z}/{x}/{y}.png"; none: layers only.
    tile_url: str | None = None
    # Digits in Arabic: "latn" (0-9) or "arab" (Arabic-Indic, ٠-٩); English uses 0-9.
    digits: Literal["latn", "arab"] = "latn"

    @model_validator(mode="after")
    def _secrets_outside_development(self) -> Settings:
        missing = [
            name
            for name, value in (
                ("MAMAR_SECRET_KEY", self.secret_key),
                (
                    "MAMAR_VAULT_KEY (or MAMAR_VAULT_KEY_FILE)",
                    self.vault_key or self.vault_key_file,
                ),
            )
            if not value
        ]
        if not self.is_development and missing:
            raise ValueError(
                f"refusing to start in the '{self.environment}' environment without "
                f"{' and '.join(missing)}: set them (`mamar vault new-key` prints a fresh key; "
                "use a different one for each), or set MAMAR_ENVIRONMENT=development"
            )
        if not self.is_development and self.vault_key_file is not None and not self.vault_key:
            self._check_key_file(self.vault_key_file)
        return self

    def _check_key_file(self, path: Path) -> None:
        """Outside development: the key file exists, only its owner may read it, and it
        is not beside the database (a copy of the database's directory would carry it)."""
        db_path = self.sqlite_path()
        if db_path is not None and path.resolve().parent == db_path.resolve().parent:
            raise ValueError(
                f"refusing the vault key file {path}: it is in the database's directory, "
                "so a copy or backup of the database would carry the key that opens it; "
                "keep it elsewhere (e.g. /etc/mamar/vault.key, mode 0600)"
            )
        if not path.is_file():
            raise ValueError(f"the vault key file {path} does not exist")
        if path.stat().st_mode & 0o077:
            raise ValueError(
                f"refusing the vault key file {path}: others than its owner may read it "
                f"(chmod 600 {path})"
            )

    def resolve_secret_key(self) -> bytes:
        """The key that signs sessions; in development without one, a key for this process."""
        if self.secret_key:
            return self.secret_key.encode()
        return _PROCESS_SECRET

    @property
    def is_development(self) -> bool:
        return self.environment == "development"

    def sqlite_path(self) -> Path | None:
        prefix = "sqlite:///"
        if self.database_url.startswith(prefix) and self.database_url != "sqlite:///:memory:":
            return Path(self.database_url[len(prefix) :])
        return None

    def key_file(self) -> Path | None:
        """The file the vault key is read from: the configured one, or in development
        without a configured key, ``<database>.vault.key`` beside the database."""
        if self.vault_key:
            return None
        if self.vault_key_file is not None:
            return self.vault_key_file
        if not self.is_development:
            return None
        db_path = self.sqlite_path()
        return (db_path.parent if db_path else Path.cwd()) / (
            (db_path.name if db_path else "mamar") + ".vault.key"
        )

    def resolve_log_key_file(self) -> Path | None:
        """Where the checkpoint signing key is kept: the setting, or in development a file
        beside the database (``mamar.db.log.key``)."""
        if self.log_key_file is not None:
            return self.log_key_file
        if not self.is_development:
            return None
        db_path = self.sqlite_path()
        return (db_path.parent if db_path else Path.cwd()) / (
            (db_path.name if db_path else "mamar") + ".log.key"
        )

    def resolve_vault_key(self) -> str | None:
        """The configured key; in development, a key file kept beside the database."""
        if self.vault_key:
            return self.vault_key
        key_file = self.key_file()
        if key_file is None:
            return None
        if not key_file.exists():
            key_file.write_text(generate_key())
            os.chmod(key_file, 0o600)
        return key_file.read_text().strip()
