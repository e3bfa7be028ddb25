"""Media reach the officer (issue 16, item 5), over real HTTP against the fake providers:
WhatsApp (media id -> URL -> bytes, each with the token) and Telegram (getFile -> file),
size and type checks on the file's own bytes, the image on the ticket page (in the
console and in a real browser), visibility, and retention."""

from __future__ import annotations

import io
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import Request
from fastapi.responses import JSONResponse, Response
from PIL import Image

from bot.cases.media import expire_media, fetch_pending_media, sniff
from bot.core.runtime import Runtime
from storage.models import MediaFile, utcnow
from tests.bot.test_webhooks_telegram import running as tg_running
from tests.bot.test_webhooks_whatsapp import (
    COMPLAINT,
    PLACE,
    body_text,
    button_reply,
    incoming,
    reply_ids,
    running,
    text,
)
from tests.browser_support import LiveServer, browser, serve_app  # noqa: F401
from tests.channels.fakes import FakeBotAPI, FakeGraphAPI, serve
from tests.staff_support import NUMBER, PASSWORD, console_login, light_argon2, make_staff  # noqa: F401


def jpeg(color: str = "red", size: tuple[int, int] = (64, 48)) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", size, color).save(buf, format="JPEG")
    return buf.getvalue()


class MediaGraphAPI(FakeGraphAPI):
    """The fake Graph API with media: ``GET /{version}/{media_id}`` gives a URL on the
    fake's own host, which answers the bytes only with the token."""

    def __init__(self) -> None:
        super().__init__()
        self.files: dict[str, tuple[bytes, str, int | None]] = {}
        self.downloads = 0
        self.app.add_api_route("/cdn/{media_id}", self._download, methods=["GET"])
        self.app.add_api_route("/{version}/{media_id}", self._meta, methods=["GET"])

    def _authorised(self, request: Request) -> bool:
        return request.headers.get("authorization") == f"Bearer {self.token}"

    async def _meta(self, version: str, media_id: str, request: Request) -> JSONResponse:
        if not self._authorised(request):
            return JSONResponse({"error": {"code": 190}}, status_code=401)
        if media_id not in self.files:
            return JSONResponse({"error": {"code": 100}}, status_code=404)
        data, mime, claimed = self.files[media_id]
        return JSONResponse({"messaging_product": "whatsapp", "id": media_id,
                             "url": f"{self.url}/cdn/{media_id}", "mime_type": mime,
                             "sha256": "x", "file_size": claimed or len(data)})

    async def _download(self, media_id: str, request: Request) -> Response:
        if not self._authorised(request):
            return Response(status_code=401)
        self.downloads += 1
        data, mime, _ = self.files[media_id]
        return Response(data, media_type=mime)


class MediaBotAPI(FakeBotAPI):
    """The fake Bot API with ``getFile`` and ``/file/bot{token}/{path}``."""

    def __init__(self) -> None:
        super().__init__()
        self.files: dict[str, bytes] = {}
        self.app.add_api_route("/file/bot{token}/{path:path}", self._file, methods=["GET"])
        # The file route must match before the catch-all /bot{token}/{method} route.
        self.app.router.routes.insert(0, self.app.router.routes.pop())

    def _result(self, method: str, params: dict[str, str]) -> Any:
        if method == "getFile":
            file_id = params.get("file_id", "")
            if file_id not in self.files:
                return None
            return {"file_id": file_id, "file_unique_id": f"u-{file_id}",
                    "file_size": len(self.files[file_id]), "file_path": f"files/{file_id}.bin"}
        return super()._result(method, params)

    async def _file(self, token: str, path: str) -> Response:
        if token != self.token:
            return Response(status_code=401)
        file_id = path.rsplit("/", 1)[-1].removesuffix(".bin")
        return Response(self.files[file_id], media_type="application/octet-stream")


async def media_rows(rt: Runtime) -> list[MediaFile]:
    async with rt.sessions() as s:
        repos = rt.repositories(s)
        return [m for m in await repos.cases.pending_media(100)] + [
            m for i in range(1, 50) if (m := await repos.cases.media(i)) is not None
            and m.status != "pending"]


async def test_whatsapp_photo_is_downloaded_checked_and_shown(
        make_runtime: Any, db_url: str, tmp_path: Path) -> None:
    graph = MediaGraphAPI()
    photo = jpeg()
    graph.files = {"MEDIA-PHOTO": (photo, "image/jpeg", None),
                   "MEDIA-FAKE": (b"<html>not a photo</html>", "image/jpeg", None),
                   "MEDIA-HUGE": (b"\xff\xd8\xff" + b"0" * 100, "image/jpeg", 50_000_000)}
    async with serve(graph.app) as url:
        graph.url = url
        async with running(make_runtime, db_url, graph,
                           media={"dir": str(tmp_path / "media")}) as h:
            # The report starts with a photo (caption = the complaint), as citizens do.
            reply = await h.say(incoming("image", {"id": "MEDIA-PHOTO",
                                                   "mime_type": "image/jpeg",
                                                   "caption": COMPLAINT}))
            if "/confirm" not in reply_ids(reply):
                reply = await h.say(text(PLACE))
            done = await h.say(button_reply("/confirm", "Kirim"))
            number = NUMBER.findall(body_text(done))[0]
            await h.post(incoming("image", {"id": "MEDIA-FAKE", "mime_type": "image/jpeg"}))
            await h.post(incoming("document", {"id": "MEDIA-HUGE", "mime_type": "image/jpeg",
                                               "filename": "besar.jpg"}))
            assert await fetch_pending_media(h.rt) == 3
            rows = {m.media_id: m for m in await media_rows(h.rt)}
            stored = rows["MEDIA-PHOTO"]
            assert (stored.status, stored.mime_type, stored.size) == (
                "stored", "image/jpeg", len(photo))
            assert stored.path is not None
            assert (tmp_path / "media" / stored.path).read_bytes() == photo
            assert rows["MEDIA-FAKE"].status == "rejected"
            assert "unknown" in (rows["MEDIA-FAKE"].error or "")
            huge = rows["MEDIA-HUGE"]
            assert huge.status == "rejected" and huge.size == 50_000_000
            assert graph.downloads == 2  # the huge one was never downloaded

            # The officer of the ticket's unit sees the photo on the ticket page.
            rt = h.rt
            await make_staff(rt, "pupr", "officer", "dinas-pupr-batu")
            await make_staff(rt, "dinkes", "officer", "dinkes-batu")
            await console_login(h.client, "pupr")
            page = await h.client.get(f"/console/tickets/{number}")
            assert f'<img src="/console/media/{stored.id}"' in page.text
            image = await h.client.get(f"/console/media/{stored.id}")
            assert image.status_code == 200 and image.content == photo
            assert image.headers["content-type"] == "image/jpeg"
            async with httpx.AsyncClient(transport=h.client._transport,
                                         base_url="http://pintu.test") as other:
                await console_login(other, "dinkes")
                assert (await other.get(f"/console/media/{stored.id}")).status_code == 404
            # A media row on no ticket is for admins only.
            assert (await h.client.get(f"/console/media/{rows['MEDIA-FAKE'].id}")
                    ).status_code == 404

            # Retention: after media.retention_days the file goes, the record stays.
            assert await expire_media(rt, now=utcnow() + timedelta(days=364)) == 0
            assert await expire_media(rt, now=utcnow() + timedelta(days=366)) == 1
            assert not (tmp_path / "media" / stored.path).exists()
            assert (await h.client.get(f"/console/media/{stored.id}")).status_code == 404


async def test_telegram_voice_note_through_getfile(make_runtime: Any, sqlite_url: str,
                                                   tmp_path: Path) -> None:
    fake = MediaBotAPI()
    voice = b"OggS\x00\x02" + b"\x00" * 200
    fake.files = {"VOICE-1": voice}
    async with serve(fake.app) as url:
        fake.url = url
        async with tg_running(make_runtime, sqlite_url, fake,
                              media={"dir": str(tmp_path / "m")}) as h:
            update = {"update_id": 900001, "message": {
                "message_id": 5, "date": int(time.time()),
                "chat": {"id": 555002, "type": "private", "first_name": "Budi"},
                "from": {"id": 555002, "is_bot": False, "first_name": "Budi"},
                "voice": {"file_id": "VOICE-1", "file_unique_id": "v1", "duration": 3,
                          "mime_type": "audio/ogg", "file_size": len(voice)}}}
            resp = await h.post(update)
            assert resp.status_code == 200, resp.text
            assert await fetch_pending_media(h.rt) == 1
            (row,) = await media_rows(h.rt)
            assert (row.status, row.mime_type, row.kind) == ("stored", "audio/ogg", "audio")
            assert row.path is not None
            assert (tmp_path / "m" / row.path).read_bytes() == voice
            assert [fake.params(r)["file_id"] for r in fake.calls("getFile")] == ["VOICE-1"]


@pytest.mark.parametrize(("data", "mime"), [
    (jpeg(), "image/jpeg"), (b"\x89PNG\r\n\x1a\n" + b"\x00" * 8, "image/png"),
    (b"%PDF-1.7\n", "application/pdf"), (b"OggS\x00", "audio/ogg"),
    (b"\x00\x00\x00\x18ftypmp42", "video/mp4"), (b"MZ\x90\x00", None), (b"", None)])
def test_types_are_read_from_the_bytes(data: bytes, mime: str | None) -> None:
    assert sniff(data) == mime


@pytest.mark.browser
async def test_ticket_page_with_an_image_in_a_browser(make_runtime: Any, sqlite_url: str,
                                                      tmp_path: Path,
                                                      browser: Any) -> None:  # noqa: F811
    graph = MediaGraphAPI()
    photo = jpeg("blue", (120, 80))
    graph.files = {"MEDIA-B": (photo, "image/jpeg", None)}
    async with serve(graph.app) as url:
        graph.url = url
        async with running(make_runtime, sqlite_url, graph,
                           media={"dir": str(tmp_path / "media")}) as h:
            reply = await h.say(incoming("image", {"id": "MEDIA-B", "mime_type": "image/jpeg",
                                                   "caption": COMPLAINT}))
            if "/confirm" not in reply_ids(reply):
                await h.say(text(PLACE))
            done = await h.say(button_reply("/confirm", "Kirim"))
            number = NUMBER.findall(body_text(done))[0]
            await fetch_pending_media(h.rt)
            await make_staff(h.rt, "pupr", "officer", "dinas-pupr-batu")
        async with serve_app(h.rt) as live:
            for width, height in ((1280, 800), (390, 844)):
                page = await browser.new_page(viewport={"width": width, "height": height})
                await page.goto(f"{live.url}/console/login")
                await page.fill("input[name=username]", "pupr")
                await page.fill("input[name=password]", PASSWORD)
                await page.click("button[type=submit]")
                await page.wait_for_url("**/console/inbox")
                await page.goto(f"{live.url}/console/tickets/{number}")
                img = page.locator("img.media-image")
                await img.wait_for()
                # The image is lazy: on a phone it sits below the fold until scrolled to.
                await img.scroll_into_view_if_needed()
                await page.wait_for_function("i => i.complete", arg=await img.element_handle())
                natural = await img.evaluate("i => [i.complete, i.naturalWidth, i.naturalHeight]")
                assert natural == [True, 120, 80]
                box = await img.bounding_box()
                assert box is not None and box["width"] <= width
                await page.close()
