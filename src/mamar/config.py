"""Settings, from the environment (``MAMAR_…``) or arguments."""

from __future__ import annotations

import os
from pathlib import Path

from pydantic_settings import BaseSettings, SettingsConfigDict

from mamar.vault.store import generate_key


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="MAMAR_", extra="ignore")

    database_url: str = "sqlite:///mamar.db"
    environment: str = "development"
    vault_key: str | None = None
    secret_key: str | None = None

    @property
    def is_development(self) -> bool:
        return self.environment == "development"

    def sqlite_path(self) -> Path | None:
        prefix = "sqlite:///"
        if self.database_url.startswith(prefix) and self.database_url != "sqlite:///:memory:":
            return Path(self.database_url[len(prefix) :])
        return None

    def resolve_vault_key(self) -> str | None:
        """The configured key; in development, a key file kept beside the database."""
        if self.vault_key:
            return self.vault_key
        if not self.is_development:
            return None
        db_path = self.sqlite_path()
        key_file = (db_path.parent if db_path else Path.cwd()) / (
            (db_path.name if db_path else "mamar") + ".vault.key"
        )
        if not key_file.exists():
            key_file.write_text(generate_key())
            os.chmod(key_file, 0o600)
        return key_file.read_text().strip()
