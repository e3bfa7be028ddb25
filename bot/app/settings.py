"""Settings: ``config.yml`` defaults, overridden by ``PINTU_<SECTION>__<KEY>``.

Built with pydantic-settings. Sources, highest priority first: the explicit
``overrides`` of :func:`load_settings`, the ``PINTU_*`` variables, the YAML file,
the defaults in code. An environment value is a plain string converted by the
field's type (``"9000"`` -> 9000, ``"false"`` -> False, a list as JSON); it is
never parsed as YAML, so ``#s3cret`` or ``1111`` stay what they are. An empty
value or ``null`` unsets an optional key.

Secrets come only from the environment; a secret written in ``config.yml`` is
refused. Any invalid value raises :class:`ConfigError` naming the key and its
variable. Settings are built by :func:`load_settings`, never at import time.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeGuard, get_args, get_origin

import yaml
from pydantic import BaseModel, Field, SecretStr, ValidationError
from pydantic.fields import FieldInfo
from pydantic_settings import (
    BaseSettings,
    EnvSettingsSource,
    PydanticBaseSettingsSource,
)
from pydantic_settings.exceptions import SettingsError

from bot.core.settings import ConfigError, CoreSettings, _Section

ENV_PREFIX = "PINTU_"
DEFAULT_CONFIG = Path(__file__).resolve().parents[2] / "config.yml"

# Environment values that mean "unset" (None) rather than a string.
_NULLS = frozenset({"", "null"})


class TelegramSettings(_Section):
    api_url: str = "https://api.telegram.org"
    bot_username: str | None = None
    per_chat_interval_seconds: float = Field(1.0, ge=0)
    token: SecretStr | None = None  # secret
    secret: SecretStr | None = None  # secret


class WhatsAppSettings(_Section):
    api_url: str = "https://graph.facebook.com/v21.0"
    phone_number_id: str | None = None
    token: SecretStr | None = None  # secret
    app_secret: SecretStr | None = None  # secret
    verify_token: SecretStr | None = None  # secret


@dataclass(frozen=True)
class _Inputs:
    """What one :func:`load_settings` call reads, handed to the sources below."""

    env: Mapping[str, str | None]
    file: dict[str, dict[str, Any]] = field(default_factory=dict)


# pydantic-settings builds its sources inside the class; this carries the call's
# env mapping and file data to them (a ContextVar, so concurrent loads stay apart).
_INPUTS: ContextVar[_Inputs | None] = ContextVar("pintu_settings_inputs", default=None)


class _EnvMappingSource(EnvSettingsSource):
    """pydantic-settings' environment source over a given mapping, not ``os.environ``.

    The mapping holds only checked ``PINTU_<SECTION>__<KEY>`` names; a ``None``
    value (from "" or "null") sets the key to None, overriding the file.
    """

    def __init__(self, settings_cls: type[BaseSettings], env: Mapping[str, str | None]) -> None:
        self._given = env  # read by _load_env_vars, which the base __init__ calls
        super().__init__(settings_cls)

    def _load_env_vars(self) -> Mapping[str, str | None]:
        return {name.lower(): value for name, value in self._given.items()}


class _FileSource(PydanticBaseSettingsSource):
    """The sections read from the YAML file (already checked for secrets)."""

    def __init__(self, settings_cls: type[BaseSettings], data: dict[str, dict[str, Any]]) -> None:
        super().__init__(settings_cls)
        self._data = data

    def get_field_value(self, field: FieldInfo, field_name: str) -> tuple[Any, str, bool]:
        """The file's mapping for one section (None when the file has none)."""
        return self._data.get(field_name), field_name, False

    def __call__(self) -> dict[str, Any]:
        return dict(self._data)


class Settings(CoreSettings):
    """All of Pintu's settings: the features' and the provider channels'."""

    telegram: TelegramSettings = Field(default_factory=TelegramSettings)
    whatsapp: WhatsAppSettings = Field(default_factory=WhatsAppSettings)

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        """Overrides, then ``PINTU_*`` variables, then the YAML file (no .env, no secrets dir).

        Outside :func:`load_settings` (``Settings()``), the variables come from
        ``os.environ`` and no file is read.
        """
        inputs = _INPUTS.get() or _Inputs(env=_checked_env(os.environ))
        return (
            init_settings,
            _EnvMappingSource(settings_cls, inputs.env),
            _FileSource(settings_cls, inputs.file),
        )


def _is_section(ann: Any) -> TypeGuard[type[BaseModel]]:
    return isinstance(ann, type) and issubclass(ann, BaseModel)


def _secret_paths(model: type[BaseModel], prefix: tuple[str, ...]) -> set[tuple[str, ...]]:
    found: set[tuple[str, ...]] = set()
    for name, fld in model.model_fields.items():
        ann = fld.annotation
        if ann is SecretStr or SecretStr in get_args(ann):
            found.add((*prefix, name))
        elif _is_section(ann):
            found |= _secret_paths(ann, (*prefix, name))
    return found


def _secret_keys(model: type[BaseModel]) -> frozenset[tuple[str, ...]]:
    """The key paths typed as secrets (``("media", "s3", "access_key_id")`` in a
    sub-section): they may only come from the environment."""
    found: set[tuple[str, ...]] = set()
    for section, fld in model.model_fields.items():
        if _is_section(fld.annotation):
            found |= _secret_paths(fld.annotation, (section,))
    return frozenset(found)


# Keys that may only come from the environment (every SecretStr field).
SECRET_KEYS: frozenset[tuple[str, ...]] = _secret_keys(Settings)


def env_name(path: tuple[str, ...]) -> str:
    """The variable that sets a key path (``PINTU_MEDIA__S3__BUCKET``)."""
    return ENV_PREFIX + "__".join(p.upper() for p in path)


def _wants_json(key_field: FieldInfo) -> bool:
    """Whether the key is a list/mapping, which an environment value gives as JSON."""
    ann = key_field.annotation
    return ann in (list, dict) or get_origin(ann) in (list, dict, set, tuple, frozenset)


def _checked_env(env: Mapping[str, str]) -> dict[str, str | None]:
    """The ``PINTU_<SECTION>__<KEY>`` variables of ``env``, each naming a known key.

    Other names (``PINTU_CONFIG``, anything without ``__``) are not settings.
    "" and "null" become None. Raises :class:`ConfigError` naming the variable.
    """
    found: dict[str, str | None] = {}
    for name, raw in env.items():
        if not name.startswith(ENV_PREFIX) or "__" not in name:
            continue
        path = [p.lower() for p in name[len(ENV_PREFIX) :].split("__")]
        section = path[0]
        if section not in Settings.model_fields:
            raise ConfigError(f"{name}: unknown section '{section}'")
        model: Any = Settings.model_fields[section].annotation
        key_field: FieldInfo | None = None
        for depth, key in enumerate(path[1:], start=1):
            fields: dict[str, FieldInfo] = getattr(model, "model_fields", {})
            if key not in fields:
                raise ConfigError(f"{name}: unknown key '{'.'.join(path[:depth + 1])}'")
            key_field, model = fields[key], fields[key].annotation
        if key_field is None or _is_section(model):
            raise ConfigError(f"{name}: '{'.'.join(path)}' is a section, not a key")
        dotted = ".".join(path)
        value = None if raw.strip().lower() in _NULLS else raw
        if value is not None and _wants_json(key_field):
            # Checked here so the error names the variable (pydantic-settings names the section).
            try:
                json.loads(value)
            except ValueError as exc:
                raise ConfigError(
                    f"invalid configuration: {dotted} ({name}): "
                    f'not valid JSON (a list is written ["a", "b"]): {exc}'
                ) from exc
        found[name] = value
    return found


def _refuse_secrets(values: Mapping[str, Any], prefix: tuple[str, ...], file_name: str) -> None:
    """Raise ConfigError for a secret written in the file (at any depth)."""
    for key, value in values.items():
        path = (*prefix, key)
        if path in SECRET_KEYS:
            raise ConfigError(
                f"{'.'.join(path)} is a secret: set it with the environment variable "
                f"{env_name(path)}, not in {file_name}"
            )
        if isinstance(value, Mapping):
            _refuse_secrets(value, path, file_name)


def _read_file(cfg_path: Path, explicit: bool) -> dict[str, dict[str, Any]]:
    """The sections of the YAML file; a secret in it, or a bad shape, is a ConfigError."""
    if not cfg_path.exists():
        if explicit:
            raise ConfigError(f"configuration file not found: {cfg_path}")
        return {}
    try:
        loaded = yaml.safe_load(cfg_path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise ConfigError(f"{cfg_path}: not valid YAML: {exc}") from exc
    if not isinstance(loaded, dict):
        raise ConfigError(f"{cfg_path}: the top level must be a mapping of sections")
    data: dict[str, dict[str, Any]] = {}
    for section, values in loaded.items():
        if values is None:
            continue
        if not isinstance(values, dict):
            raise ConfigError(f"{section}: must be a mapping of keys")
        _refuse_secrets(values, (section,), cfg_path.name)
        data[section] = dict(values)
    return data


def _key_path(loc: tuple[str, ...]) -> tuple[str, ...]:
    """The part of an error's location that names settings keys (not list indexes)."""
    model: Any = Settings
    path: list[str] = []
    for part in loc:
        fields = getattr(model, "model_fields", {}) if _is_section(model) else {}
        if part not in fields:
            break
        path.append(part)
        model = fields[part].annotation
    return tuple(path) or loc[:1]


def _invalid(exc: ValidationError) -> ConfigError:
    """One ConfigError naming every invalid key and its variable (never the value)."""
    problems = []
    for err in exc.errors():
        loc = tuple(str(p) for p in err["loc"])
        problems.append(f"{'.'.join(loc)} ({env_name(_key_path(loc))}): {err['msg']}")
    return ConfigError("invalid configuration: " + "; ".join(problems))


def load_settings(
    path: str | Path | None = None,
    env: Mapping[str, str] | None = None,
    overrides: Mapping[str, Mapping[str, Any]] | None = None,
) -> Settings:
    """Build settings from a YAML file, ``PINTU_*`` variables and explicit overrides.

    ``env`` defaults to ``os.environ`` (a given mapping is the only one read);
    ``path`` defaults to ``$PINTU_CONFIG`` or the project's ``config.yml``.
    Raises :class:`ConfigError` naming the offending key.
    """
    env = os.environ if env is None else env
    cfg_path = Path(path or env.get("PINTU_CONFIG") or DEFAULT_CONFIG)
    inputs = _Inputs(env=_checked_env(env), file=_read_file(cfg_path, explicit=path is not None))
    init: dict[str, Any] = {sec: dict(values) for sec, values in (overrides or {}).items()}
    token = _INPUTS.set(inputs)
    try:
        return Settings(**init)
    except ValidationError as exc:
        raise _invalid(exc) from exc
    except SettingsError as exc:  # a value pydantic-settings could not decode
        raise ConfigError(f"invalid configuration: {exc}: {exc.__cause__}") from exc
    finally:
        _INPUTS.reset(token)
