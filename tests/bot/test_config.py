"""Settings: config.yml defaults, PINTU_* overrides, secrets only from the environment."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import SecretStr

from bot.app.settings import SECRET_KEYS, Settings, load_settings
from bot.core.settings import ConfigError, secret_value


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
    assert s.telegram.token is not None and s.telegram.token.get_secret_value() == "123:abc"
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


# Environment values are strings converted by the field's type, never YAML.


@pytest.mark.parametrize(
    "token", ["#s3cret-token", "s3cret #2", "'quoted'", "[not, a, list]", "1111", "true"]
)
def test_secrets_from_the_environment_are_taken_whole(token: str) -> None:
    s = load_settings(env={"PINTU_REST__TOKEN": token, "PINTU_WHATSAPP__VERIFY_TOKEN": token})
    assert secret_value(s.rest.token) == token
    assert secret_value(s.whatsapp.verify_token) == token


def test_a_numeric_looking_string_stays_a_string() -> None:
    s = load_settings(env={"PINTU_WHATSAPP__PHONE_NUMBER_ID": "1111"})
    assert s.whatsapp.phone_number_id == "1111"


def test_typed_values_from_the_environment() -> None:
    s = load_settings(
        env={
            "PINTU_SERVER__PORT": "9000",
            "PINTU_SERVER__WORKERS": "false",
            "PINTU_DATABASE__ECHO": "true",
            "PINTU_NLU__INTENT_THRESHOLD": "0.6",
            "PINTU_CATALOG__HOLIDAYS": '["2026-01-01", "2026-03-20"]',
            "PINTU_SURVEYS__FORM": '["facilities", "speed"]',
        }
    )
    assert (s.server.port, s.server.workers, s.database.echo) == (9000, False, True)
    assert s.nlu.intent_threshold == 0.6
    assert s.catalog.holidays == ["2026-01-01", "2026-03-20"]
    assert s.surveys.form == ["facilities", "speed"]
    assert load_settings(env={"PINTU_SURVEYS__FORM": "full"}).surveys.form == "full"


def test_a_list_that_is_not_json_names_the_key() -> None:
    with pytest.raises(ConfigError) as err:
        load_settings(env={"PINTU_CATALOG__HOLIDAYS": "2026-01-01, 2026-03-20"})
    assert "catalog.holidays (PINTU_CATALOG__HOLIDAYS)" in str(err.value)


@pytest.mark.parametrize("raw", ["", "null", "NULL", "  "])
def test_empty_or_null_unsets_an_optional_key(tmp_path: Path, raw: str) -> None:
    cfg = tmp_path / "config.yml"
    cfg.write_text("server:\n  public_url: https://pintu.example\n")
    assert load_settings(cfg, env={}).server.public_url == "https://pintu.example"
    s = load_settings(cfg, env={"PINTU_SERVER__PUBLIC_URL": raw, "PINTU_REST__TOKEN": raw})
    assert s.server.public_url is None
    assert s.rest.token is None


def test_empty_for_a_required_key_names_the_key() -> None:
    with pytest.raises(ConfigError) as err:
        load_settings(env={"PINTU_SERVER__PORT": ""})
    assert "server.port (PINTU_SERVER__PORT)" in str(err.value)


def test_only_the_given_mapping_is_read(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PINTU_SERVER__PORT", "9999")
    monkeypatch.setenv("PINTU_TELEGRAM__TOKEN", "from-os-environ")
    s = load_settings(env={})
    assert s.server.port == 8080 and s.telegram.token is None
    assert load_settings().server.port == 9999  # env=None means os.environ


def test_layers_merge_key_by_key(tmp_path: Path) -> None:
    cfg = tmp_path / "other.yml"
    cfg.write_text("server:\n  host: 0.0.0.0\n  port: 8000\ntickets:\n  prefix: ABC\n")
    s = load_settings(
        env={"PINTU_CONFIG": str(cfg), "PINTU_SERVER__PORT": "8001"},
        overrides={"server": {"workers": False}},
    )
    assert (s.server.host, s.server.port, s.server.workers) == ("0.0.0.0", 8001, False)
    assert s.tickets.prefix == "ABC"
    assert s.database.url == "sqlite+aiosqlite:///./pintu.db"  # code default: not in this file
    s = load_settings(cfg, env={"PINTU_SERVER__PORT": "8001"}, overrides={"server": {"port": 8002}})
    assert s.server.port == 8002  # explicit overrides win over the environment


def test_other_pintu_variables_are_not_settings() -> None:
    env = {"PINTU_TEST_POSTGRES_URL": "x", "PINTU_SERVER": "{}", "pintu_server__nope": "1"}
    s = load_settings(env=env)
    assert s.server.port == 8080


def _yaml_at(path: tuple[str, ...], value: str) -> str:
    return "".join(f"{'  ' * depth}{name}:\n" for depth, name in enumerate(path[:-1])) + (
        f"{'  ' * (len(path) - 1)}{path[-1]}: {value}\n")


def _get(settings: Settings, path: tuple[str, ...]) -> object:
    value: object = settings
    for name in path:
        value = getattr(value, name)
    return value


def test_every_secret_is_a_secretstr_refused_in_the_file(tmp_path: Path) -> None:
    expected = {
        ("rest", "token"),
        ("telegram", "token"),
        ("telegram", "secret"),
        ("whatsapp", "token"),
        ("whatsapp", "app_secret"),
        ("whatsapp", "verify_token"),
        ("console", "session_secret"),
        ("alerts", "smtp_password"),
        ("media", "s3", "access_key_id"),
        ("media", "s3", "secret_access_key"),
    }
    assert expected == SECRET_KEYS
    cfg = tmp_path / "config.yml"
    for path in sorted(SECRET_KEYS):
        cfg.write_text(_yaml_at(path, "abc"))
        with pytest.raises(ConfigError) as err:
            load_settings(cfg, env={})
        variable = "PINTU_" + "__".join(p.upper() for p in path)
        assert str(err.value) == (
            f"{'.'.join(path)} is a secret: set it with the environment variable "
            f"{variable}, not in config.yml"
        )


def test_secrets_never_show_in_repr_or_errors() -> None:
    env = {"PINTU_" + "__".join(p.upper() for p in path): f"hush-{'-'.join(path)}"
           for path in SECRET_KEYS}
    s = load_settings(env=env)
    for text in (repr(s), str(s), s.model_dump_json()):
        assert "hush-" not in text
    assert all(isinstance(_get(s, path), SecretStr) for path in SECRET_KEYS)
    with pytest.raises(ConfigError) as err:
        load_settings(env={**env, "PINTU_SERVER__PORT": "eighty"})
    assert "hush-" not in str(err.value)


def test_a_sub_section_is_set_by_its_own_variables_over_the_file(tmp_path: Path) -> None:
    cfg = tmp_path / "config.yml"
    cfg.write_text("media:\n  storage: s3\n  s3:\n    bucket: from-file\n"
                   "    region: ap-southeast-3\n")
    s = load_settings(cfg, env={"PINTU_MEDIA__S3__BUCKET": "pintu-media",
                                "PINTU_MEDIA__S3__PATH_STYLE": "false",
                                "PINTU_MEDIA__S3__ACCESS_KEY_ID": "AKID",
                                "PINTU_MEDIA__S3__SECRET_ACCESS_KEY": "#secret"})
    s3 = s.media.s3
    assert (s.media.storage, s3.bucket, s3.region, s3.path_style, s3.key_prefix) == (
        "s3", "pintu-media", "ap-southeast-3", False, "media/")
    assert (secret_value(s3.access_key_id), secret_value(s3.secret_access_key)) == (
        "AKID", "#secret")
    assert s3.endpoint() == "https://s3.ap-southeast-3.amazonaws.com"
    with pytest.raises(ConfigError) as err:
        load_settings(cfg, env={})
    assert str(err.value) == (
        "invalid configuration: media (PINTU_MEDIA): Value error, media.storage is s3 but "
        "these are not set: PINTU_MEDIA__S3__ACCESS_KEY_ID, PINTU_MEDIA__S3__SECRET_ACCESS_KEY")
    with pytest.raises(ConfigError) as err:
        load_settings(env={"PINTU_MEDIA__S3__BUKET": "x"})
    assert str(err.value) == "PINTU_MEDIA__S3__BUKET: unknown key 'media.s3.buket'"
    with pytest.raises(ConfigError) as err:
        load_settings(env={"PINTU_MEDIA__S3": "x"})
    assert str(err.value) == "PINTU_MEDIA__S3: 'media.s3' is a section, not a key"
    with pytest.raises(ConfigError) as err:
        load_settings(env={"PINTU_MEDIA__S3__TIMEOUT_SECONDS": "-1"})
    assert str(err.value) == (
        "invalid configuration: media.s3.timeout_seconds (PINTU_MEDIA__S3__TIMEOUT_SECONDS): "
        "Input should be greater than 0")


def test_settings_without_the_loader_read_os_environ_only(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PINTU_SERVER__PORT", "9001")
    monkeypatch.setenv("PINTU_REST__TOKEN", "#t")
    s = Settings()
    assert s.server.port == 9001 and secret_value(s.rest.token) == "#t"
    assert s.tickets.prefix == "PTU"
