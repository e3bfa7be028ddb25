"""Shared fixtures: settings, a trained NLU (once per session), runtimes on SQLite and
PostgreSQL, and an HTTP client on the app.

PostgreSQL tests use ``PINTU_TEST_POSTGRES_URL`` (default
``postgresql+asyncpg://postgres@127.0.0.1:5432/test``). Where it is unreachable
they are skipped with the reason, unless ``PINTU_REQUIRE_POSTGRES=1`` (set by
``.ci/run``), which turns the skip into a failure.
"""

from __future__ import annotations

import asyncio
import os
import socket
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

from bot.app import build_runtime, create_app
from bot.app.settings import Settings, load_settings
from bot.core.runtime import NluHolder, Runtime

PG_URL = os.environ.get(
    "PINTU_TEST_POSTGRES_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/test"
)
REQUIRE_PG = os.environ.get("PINTU_REQUIRE_POSTGRES") == "1"
SHARED = Path(__file__).resolve().parents[1].parent / "shared"


def _pg_reachable() -> str | None:
    """None when PostgreSQL answers, else the reason it does not."""
    try:
        import asyncpg  # noqa: F401
    except ImportError:
        return "asyncpg is not installed"
    from sqlalchemy.engine import make_url

    url = make_url(PG_URL)
    try:
        with socket.create_connection((url.host or "127.0.0.1", url.port or 5432), timeout=2):
            pass
    except OSError as exc:
        return f"PostgreSQL at {url.host}:{url.port or 5432} is unreachable ({exc})"
    return None


def require_postgres() -> None:
    """Skip (or, under CI, fail) when PostgreSQL is not there."""
    reason = _pg_reachable()
    if reason is None:
        return
    if REQUIRE_PG:
        pytest.fail(f"PINTU_REQUIRE_POSTGRES=1 but {reason}")
    pytest.skip(f"{reason}; set PINTU_TEST_POSTGRES_URL to run the PostgreSQL tests")


def make_settings(db_url: str, tmp: Path, **overrides: dict[str, Any]) -> Settings:
    """Settings for a test: the project's config.yml with test overrides, no environment."""
    base: dict[str, dict[str, Any]] = {
        "database": {"url": db_url},
        "nlu": {"model_dir": str(tmp / "models")},
        "server": {"workers": False},
        "outbox": {
            "poll_interval_seconds": 0.05,
            "backoff_base_seconds": 0.05,
            "backoff_max_seconds": 0.2,
        },
        # Off by default in tests (every test client is one address, and tests talk fast);
        # the limits' and the privacy notice's own tests turn them on.
        "limits": {"address_per_minute": 0, "citizen_per_minute": 0},
        "privacy": {"notice": False},
        # "Saya juga" off too: many tests file the same complaint for several citizens; its
        # own tests (tests/bot/test_me_too.py) turn it on.
        "cases": {"me_too": {"enabled": False}},
    }
    for section, values in overrides.items():
        base.setdefault(section, {}).update(values)
    return load_settings(env={}, overrides=base)


@pytest.fixture(autouse=True)
def _quiet_defaults_in_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests that configure Pintu through ``PINTU_*`` (the CLI) get the same test defaults
    as :func:`make_settings`: no privacy notice, no rate limits, no "saya juga" (their own tests
    set them)."""
    monkeypatch.setenv("PINTU_PRIVACY__NOTICE", "false")
    monkeypatch.setenv("PINTU_LIMITS__ADDRESS_PER_MINUTE", "0")
    monkeypatch.setenv("PINTU_LIMITS__CITIZEN_PER_MINUTE", "0")
    monkeypatch.setenv("PINTU_CASES__ME_TOO__ENABLED", "false")


@pytest.fixture(scope="session")
def nlu_model_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A model directory holding one model trained on the shipped data (once per session)."""
    from nlu.model_store import load_or_train_default

    path = tmp_path_factory.mktemp("models")
    load_or_train_default(path)
    return path


@pytest.fixture(scope="session")
def nlu_holder(nlu_model_dir: Path) -> NluHolder:
    """The embedded NLU, loaded from the session's model directory."""
    from nlu.model_store import load_or_train_default

    clf = load_or_train_default(nlu_model_dir)
    return NluHolder(clf, getattr(clf, "version", None))


async def _reset_postgres() -> None:
    from sqlalchemy import text

    from storage.db import create_engine

    engine = create_engine(PG_URL)
    async with engine.begin() as conn:
        await conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        await conn.execute(text("CREATE SCHEMA public"))
    await engine.dispose()


@pytest.fixture(params=["sqlite", "postgres"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh, empty database: SQLite in a temp file, or the PostgreSQL test database."""
    if request.param == "sqlite":
        return f"sqlite+aiosqlite:///{tmp_path / 'pintu.db'}"
    require_postgres()
    asyncio.run(_reset_postgres())
    return PG_URL


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    """A fresh SQLite database only (for tests that need no PostgreSQL run)."""
    return f"sqlite+aiosqlite:///{tmp_path / 'pintu.db'}"


RuntimeFactory = Callable[..., Any]


@pytest.fixture
async def make_runtime(nlu_holder: NluHolder, tmp_path: Path) -> AsyncIterator[RuntimeFactory]:
    """Build runtimes on a database URL with optional settings overrides."""
    made: list[Runtime] = []

    async def factory(url: str, **overrides: dict[str, Any]) -> Runtime:
        rt = await build_runtime(make_settings(url, tmp_path, **overrides), nlu=nlu_holder)
        made.append(rt)
        return rt

    yield factory
    for rt in made:
        await rt.engine.dispose()


@pytest.fixture
async def runtime(make_runtime: RuntimeFactory, db_url: str) -> Runtime:
    """A runtime on a fresh database (SQLite and PostgreSQL)."""
    rt: Runtime = await make_runtime(db_url)
    return rt


class AppClient(httpx.AsyncClient):
    """An HTTP client on the ASGI app that also exposes the app's runtime."""

    runtime: Runtime
    app: Any


@pytest.fixture
async def client(runtime: Runtime) -> AsyncIterator[AppClient]:
    """httpx on the app (lifespan run), without background workers."""
    app = create_app(runtime=runtime, workers=False)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with AppClient(transport=transport, base_url="http://pintu.test") as c:
            c.runtime = runtime
            c.app = app
            yield c


async def talk(
    client: httpx.AsyncClient, sender: str, message: str, **extra: Any
) -> list[dict[str, Any]]:
    """Send one REST message and return the bot's answers."""
    resp = await client.post(
        "/webhooks/rest/webhook", json={"sender": sender, "message": message, **extra}
    )
    assert resp.status_code == 200, resp.text
    data: list[dict[str, Any]] = resp.json()
    return data
