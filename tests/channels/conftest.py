"""Fixtures: fake provider servers running on 127.0.0.1 for the duration of a test."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from tests.channels.fakes import FakeBotAPI, FakeGraphAPI, serve


@pytest.fixture
async def bot_api() -> AsyncIterator[FakeBotAPI]:
    """A fake Telegram Bot API server."""
    fake = FakeBotAPI()
    async with serve(fake.app) as url:
        fake.url = url
        yield fake


@pytest.fixture
async def graph_api() -> AsyncIterator[FakeGraphAPI]:
    """A fake WhatsApp Cloud (Graph) API server."""
    fake = FakeGraphAPI()
    async with serve(fake.app) as url:
        fake.url = url
        yield fake
