"""Secrets from the environment are plain strings, never YAML (issue 15, item 4),
checked end to end: the REST token that YAML would read as a comment still guards
the channel, and a numeric-looking WhatsApp phone number id starts the app."""

from __future__ import annotations

from pathlib import Path

import httpx

from bot.app import create_app
from bot.app.settings import load_settings
from bot.core.runtime import NluHolder


async def test_a_hash_token_guards_the_rest_channel(tmp_path: Path,
                                                    nlu_holder: NluHolder) -> None:
    from bot.app import build_runtime

    env = {"PINTU_REST__TOKEN": "#s3cret-token", "PINTU_WHATSAPP__PHONE_NUMBER_ID": "1111",
           "PINTU_WHATSAPP__TOKEN": "wa token #2", "PINTU_WHATSAPP__APP_SECRET": "s3cret #2",
           "PINTU_DATABASE__URL": f"sqlite+aiosqlite:///{tmp_path / 'p.db'}",
           "PINTU_NLU__MODEL_DIR": str(tmp_path / "models"), "PINTU_SERVER__WORKERS": "false"}
    settings = load_settings(env=env)
    assert settings.rest.token is not None
    assert settings.rest.token.get_secret_value() == "#s3cret-token"
    assert settings.whatsapp.phone_number_id == "1111"
    assert settings.whatsapp.app_secret is not None
    assert settings.whatsapp.app_secret.get_secret_value() == "s3cret #2"
    rt = await build_runtime(settings, nlu=nlu_holder)
    app = create_app(runtime=rt, workers=False)
    try:
        async with app.router.lifespan_context(app):
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://p.test") as c:
                body = {"sender": "warga-t", "message": "halo"}
                assert (await c.post("/webhooks/rest/webhook", json=body)).status_code == 401
                wrong = {"Authorization": "Bearer s3cret-token"}
                assert (await c.post("/webhooks/rest/webhook", json=body,
                                     headers=wrong)).status_code == 401
                right = {"Authorization": "Bearer #s3cret-token"}
                assert (await c.post("/webhooks/rest/webhook", json=body,
                                     headers=right)).status_code == 200
            assert "whatsapp" in rt.adapters
    finally:
        await rt.engine.dispose()
