"""Settings: ``config.yml`` defaults, overridden by ``PINTU_<SECTION>__<KEY>``.

Secrets come only from the environment; a secret written in ``config.yml`` is
refused. Any invalid value raises :class:`ConfigError` naming the key.
Settings are built by :func:`load_settings`, never at import time.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

ENV_PREFIX = "PINTU_"
DEFAULT_CONFIG = Path(__file__).resolve().parent.parent / "config.yml"


class ConfigError(ValueError):
    """A configuration value is invalid; the message names the key."""


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


class NluSettings(_Section):
    backend: Literal["embedded", "rasa"] = "embedded"
    model_dir: str | None = None
    intent_threshold: float = Field(0.45, ge=0, le=1)
    category_threshold: float = Field(0.40, ge=0, le=1)
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
    token: str | None = None  # secret


class TelegramSettings(_Section):
    api_url: str = "https://api.telegram.org"
    bot_username: str | None = None
    per_chat_interval_seconds: float = Field(1.0, ge=0)
    token: str | None = None  # secret
    secret: str | None = None  # secret


class WhatsAppSettings(_Section):
    api_url: str = "https://graph.facebook.com/v21.0"
    phone_number_id: str | None = None
    token: str | None = None  # secret
    app_secret: str | None = None  # secret
    verify_token: str | None = None  # secret


class WebchatSettings(_Section):
    cors_allowed_origins: str = "*"


class ConsoleSettings(_Section):
    session_hours: float = Field(12, gt=0)
    language: Literal["id", "en"] = "id"
    session_secret: str | None = None  # secret


class SurveySettings(_Section):
    enabled: bool = True
    form: str | list[str] = "short"
    cooldown_days: float = Field(30, ge=0)
    expire_hours: float = Field(24, gt=0)
    ask_comment: bool = True


class Settings(_Section):
    """All of Pintu's settings."""

    server: ServerSettings = Field(default_factory=ServerSettings)
    database: DatabaseSettings = Field(default_factory=DatabaseSettings)
    tickets: TicketSettings = Field(default_factory=TicketSettings)
    dialogue: DialogueSettings = Field(default_factory=DialogueSettings)
    catalog: CatalogSettings = Field(default_factory=CatalogSettings)
    nlu: NluSettings = Field(default_factory=NluSettings)
    outbox: OutboxSettings = Field(default_factory=OutboxSettings)
    rest: RestSettings = Field(default_factory=RestSettings)
    telegram: TelegramSettings = Field(default_factory=TelegramSettings)
    whatsapp: WhatsAppSettings = Field(default_factory=WhatsAppSettings)
    webchat: WebchatSettings = Field(default_factory=WebchatSettings)
    console: ConsoleSettings = Field(default_factory=ConsoleSettings)
    surveys: SurveySettings = Field(default_factory=SurveySettings)


# Keys that may only come from the environment.
SECRET_KEYS: frozenset[tuple[str, str]] = frozenset(
    {
        ("rest", "token"),
        ("telegram", "token"),
        ("telegram", "secret"),
        ("whatsapp", "token"),
        ("whatsapp", "app_secret"),
        ("whatsapp", "verify_token"),
        ("console", "session_secret"),
    }
)

_NULLS = {"", "null", "none", "~"}


def _env_value(raw: str) -> Any:
    """Environment strings are YAML scalars/lists ("true", "8080", "[a, b]", "null")."""
    if raw.strip().lower() in _NULLS:
        return None
    try:
        return yaml.safe_load(raw)
    except yaml.YAMLError:
        return raw


def load_settings(
    path: str | Path | None = None,
    env: Mapping[str, str] | None = None,
    overrides: Mapping[str, Mapping[str, Any]] | None = None,
) -> Settings:
    """Build settings from a YAML file, ``PINTU_*`` variables and explicit overrides.

    ``path`` defaults to ``$PINTU_CONFIG`` or the project's ``config.yml``.
    Raises :class:`ConfigError` naming the offending key.
    """
    env = os.environ if env is None else env
    cfg_path = Path(path or env.get("PINTU_CONFIG") or DEFAULT_CONFIG)
    data: dict[str, dict[str, Any]] = {}
    if cfg_path.exists():
        try:
            loaded = yaml.safe_load(cfg_path.read_text(encoding="utf-8")) or {}
        except yaml.YAMLError as exc:
            raise ConfigError(f"{cfg_path}: not valid YAML: {exc}") from exc
        if not isinstance(loaded, dict):
            raise ConfigError(f"{cfg_path}: the top level must be a mapping of sections")
        for section, values in loaded.items():
            if values is None:
                continue
            if not isinstance(values, dict):
                raise ConfigError(f"{section}: must be a mapping of keys")
            for key in values:
                if (section, key) in SECRET_KEYS:
                    raise ConfigError(
                        f"{section}.{key} is a secret: set it with the environment variable "
                        f"{ENV_PREFIX}{section.upper()}__{key.upper()}, not in {cfg_path.name}"
                    )
            data[section] = dict(values)
    elif path is not None:
        raise ConfigError(f"configuration file not found: {cfg_path}")

    for name, raw in env.items():
        if not name.startswith(ENV_PREFIX) or "__" not in name:
            continue
        section, _, key = name[len(ENV_PREFIX) :].partition("__")
        section, key = section.lower(), key.lower()
        if section not in Settings.model_fields:
            raise ConfigError(f"{name}: unknown section '{section}'")
        section_model = Settings.model_fields[section].annotation
        fields = getattr(section_model, "model_fields", {})
        if key not in fields:
            raise ConfigError(f"{name}: unknown key '{section}.{key}'")
        data.setdefault(section, {})[key] = _env_value(raw)

    for section, values in (overrides or {}).items():
        data.setdefault(section, {}).update(values)

    try:
        return Settings.model_validate(data)
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            key = ".".join(str(p) for p in err["loc"])
            env_name = ENV_PREFIX + "__".join(str(p).upper() for p in err["loc"][:2])
            problems.append(f"{key} ({env_name}): {err['msg']}")
        raise ConfigError("invalid configuration: " + "; ".join(problems)) from exc
