"""Settings: config.yml defaults, PINTU_* overrides, secrets only from the environment."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.app.settings import load_settings
from bot.core.settings import ConfigError


def test_defaults_from_the_project_config() -> None:
    s = load_settings(env={})
    assert s.database.url == "sqlite+aiosqlite:///./pintu.db"
    assert (s.server.host, s.server.port) == ("127.0.0.1", 8080)
    assert s.tickets.prefix == "PTU"


def test_environment_overrides_any_key() -> None:
    s = load_settings(
        env={
            "PINTU_DATABASE__URL": "postgresql+asyncpg://u@h/db",
            "PINTU_SERVER__PORT": "9090",
            "PINTU_SURVEYS__ENABLED": "false",
            "PINTU_TELEGRAM__TOKEN": "123:abc",
            "PINTU_REST__CALLBACK_URL": "null",
        }
    )
    assert s.database.url == "postgresql+asyncpg://u@h/db"
    assert s.server.port == 9090
    assert s.surveys.enabled is False
    assert s.telegram.token == "123:abc"
    assert s.rest.callback_url is None


@pytest.mark.parametrize(
    ("env", "needle"),
    [
        ({"PINTU_SERVER__PORT": "eighty"}, "server.port (PINTU_SERVER__PORT)"),
        ({"PINTU_SERVER__PORT": "70000"}, "server.port"),
        ({"PINTU_NLU__BACKEND": "spacy"}, "nlu.backend"),
        ({"PINTU_TICKETS__PREFIX": "ptu-x"}, "tickets.prefix"),
        ({"PINTU_NOPE__X": "1"}, "unknown section 'nope'"),
        ({"PINTU_SERVER__NOPE": "1"}, "unknown key 'server.nope'"),
    ],
)
def test_invalid_values_name_the_key(env: dict[str, str], needle: str) -> None:
    with pytest.raises(ConfigError) as err:
        load_settings(env=env)
    assert needle in str(err.value)


def test_secrets_in_the_file_are_refused(tmp_path: Path) -> None:
    cfg = tmp_path / "config.yml"
    cfg.write_text("telegram:\n  token: '123:abc'\n")
    with pytest.raises(ConfigError) as err:
        load_settings(cfg, env={})
    assert "PINTU_TELEGRAM__TOKEN" in str(err.value)


def test_missing_explicit_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not found"):
        load_settings(tmp_path / "nope.yml", env={})
