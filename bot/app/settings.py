"""Settings: ``config.yml`` defaults, overridden by ``PINTU_<SECTION>__<KEY>``.

Secrets come only from the environment; a secret written in ``config.yml`` is
refused. Any invalid value raises :class:`ConfigError` naming the key.
Settings are built by :func:`load_settings`, never at import time.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml
from pydantic import Field, ValidationError

from bot.core.settings import ConfigError, CoreSettings, _Section

ENV_PREFIX = "PINTU_"
DEFAULT_CONFIG = Path(__file__).resolve().parents[2] / "config.yml"


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



class Settings(CoreSettings):
    """All of Pintu's settings: the features' and the provider channels'."""

    telegram: TelegramSettings = Field(default_factory=TelegramSettings)
    whatsapp: WhatsAppSettings = Field(default_factory=WhatsAppSettings)


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
