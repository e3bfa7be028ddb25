"""The settings sections every feature may read (``config.yml``, ``PINTU_*``).

The provider channels' sections and the loader live in the composition root
(``bot.app.settings``); features see :class:`CoreSettings` only. Secrets are
:class:`~pydantic.SecretStr`, so they never show in a repr, a log line or an
error message; :func:`secret_value` unwraps one where a plain string is needed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class ConfigError(ValueError):
    """A configuration value is invalid; the message names the key."""


def secret_value(secret: SecretStr | None) -> str | None:
    """The plain text of an optional secret (``None`` when it is not set)."""
    return None if secret is None else secret.get_secret_value()


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ServerSettings(_Section):
    host: str = "127.0.0.1"
    port: int = Field(8080, ge=1, le=65535)
    public_url: str | None = None
    workers: bool = True


class DatabaseSettings(_Section):
    url: str = "sqlite+aiosqlite:///./pintu.db"
    echo: bool = False


class TicketSettings(_Section):
    prefix: str = Field("PTU", pattern=r"^[A-Z]{2,6}$")
    reopen_days: int = Field(14, ge=0)
    escalation_interval_seconds: float = Field(300, gt=0)


class DialogueSettings(_Section):
    # A conversation untouched this long starts afresh (a half-told report is kept in history).
    idle_reset_hours: float = Field(24, gt=0)


class CatalogSettings(_Section):
    path: str | None = None
    holidays: list[str] = Field(default_factory=list)
    # Service edits made in the admin console (examples, owners per region), applied on top
    # of the catalog file; None means ./catalog_overrides.yml.
    overrides_path: str | None = None

    def overrides_file(self) -> Path:
        """Where the console's service edits are kept."""
        return Path(self.overrides_path or "catalog_overrides.yml")


class NluSettings(_Section):
    backend: Literal["embedded", "rasa"] = "embedded"
    model_dir: str | None = None
    intent_threshold: float = Field(0.45, ge=0, le=1)
    category_threshold: float = Field(0.40, ge=0, le=1)
    # Below this the service picker's choice is shown but the category's owner is used.
    service_threshold: float = Field(0.50, ge=0, le=1)
    rasa_url: str = "http://127.0.0.1:5005"
    rasa_timeout_seconds: float = Field(5.0, gt=0)
    # How often each server process looks for a newly promoted model version.
    watch_interval_seconds: float = Field(2.0, gt=0)


class OutboxSettings(_Section):
    poll_interval_seconds: float = Field(1.0, gt=0)
    max_attempts: int = Field(12, ge=1)
    backoff_base_seconds: float = Field(2.0, gt=0)
    backoff_max_seconds: float = Field(600.0, gt=0)
    batch_size: int = Field(50, ge=1)


class RestSettings(_Section):
    callback_url: str | None = None
    # When set, both REST routes require "Authorization: Bearer <token>".
    token: SecretStr | None = None  # secret


class WebchatSettings(_Section):
    cors_allowed_origins: str = "*"


class ConsoleSettings(_Section):
    session_hours: float = Field(12, gt=0)
    language: Literal["id", "en"] = "id"
    session_secret: SecretStr | None = None  # secret


class SurveySettings(_Section):
    enabled: bool = True
    form: str | list[str] = "short"
    cooldown_days: float = Field(30, ge=0)
    expire_hours: float = Field(24, gt=0)
    ask_comment: bool = True


class CoreSettings(BaseSettings):
    """The settings every feature may read: everything but the provider channels'.

    ``PINTU_<SECTION>__<KEY>`` sets one key; values are read as plain strings
    and converted by the field's type (never parsed as YAML). Build them with
    ``bot.app.settings.load_settings``, which adds ``config.yml`` and its checks.
    """

    model_config = SettingsConfigDict(
        env_prefix="PINTU_", env_nested_delimiter="__", case_sensitive=False, extra="forbid"
    )

    server: ServerSettings = Field(default_factory=ServerSettings)
    database: DatabaseSettings = Field(default_factory=DatabaseSettings)
    tickets: TicketSettings = Field(default_factory=TicketSettings)
    dialogue: DialogueSettings = Field(default_factory=DialogueSettings)
    catalog: CatalogSettings = Field(default_factory=CatalogSettings)
    nlu: NluSettings = Field(default_factory=NluSettings)
    outbox: OutboxSettings = Field(default_factory=OutboxSettings)
    rest: RestSettings = Field(default_factory=RestSettings)
    webchat: WebchatSettings = Field(default_factory=WebchatSettings)
    console: ConsoleSettings = Field(default_factory=ConsoleSettings)
    surveys: SurveySettings = Field(default_factory=SurveySettings)
