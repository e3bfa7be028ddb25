"""Media in an S3-compatible bucket (issue 16, item 5): the SigV4 signer against AWS's
published examples, and the store over real HTTP against moto's S3 server with IAM
authentication on (it recomputes every signature and refuses unknown keys): media from
the fake WhatsApp and Telegram providers land in the bucket, the console streams them to
the officer who may see the ticket, retention deletes them, and wrong credentials keep
the citizen's media reference and say what to fix."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import boto3
import httpx
import pytest
from moto.server import ThreadedMotoServer
from pydantic import SecretStr

from bot.cases.media import MAX_ATTEMPTS, expire_media, fetch_pending_media, retry_failed_media
from bot.cases.media_store import FolderStore, MediaStore, MediaStoreError, read_all
from bot.cases.s3 import S3Store, explain
from bot.cases.sigv4 import (
    EMPTY_SHA256,
    Credentials,
    canonical_query,
    canonical_request,
    quote_key,
    sign_headers,
    signing_key,
    string_to_sign,
)
from bot.core.settings import S3Settings
from storage.models import utcnow
from tests.bot.test_media import MediaBotAPI, MediaGraphAPI, jpeg, media_rows
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
from tests.channels.fakes import serve
from tests.staff_support import NUMBER, console_login, light_argon2, make_staff  # noqa: F401

# ---- the signature against AWS's published examples ------------------------------------

# "Signature Calculations for the Authorization Header" (Amazon S3 API reference, examples
# for examplebucket on 2013-05-24) and "Create a signed AWS API request" (IAM ListUsers).
S3_EXAMPLE_KEYS = Credentials("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")
EXAMPLE_HOST = "examplebucket.s3.amazonaws.com"
SCOPE = "AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request"


@pytest.mark.parametrize(("method", "path", "params", "headers", "payload", "signed", "sig"), [
    ("GET", "/test.txt", [], {"range": "bytes=0-9"}, b"",
     "host;range;x-amz-content-sha256;x-amz-date",
     "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41"),
    ("PUT", "/" + quote_key("test$file.text"), [],
     {"date": "Fri, 24 May 2013 00:00:00 GMT", "x-amz-storage-class": "REDUCED_REDUNDANCY"},
     b"Welcome to Amazon S3.", "date;host;x-amz-content-sha256;x-amz-date;x-amz-storage-class",
     "98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd"),
    ("GET", "/", [("lifecycle", "")], {}, b"", "host;x-amz-content-sha256;x-amz-date",
     "fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543"),
    ("GET", "/", [("max-keys", "2"), ("prefix", "J")], {}, b"",
     "host;x-amz-content-sha256;x-amz-date",
     "34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7"),
])
def test_signatures_match_the_published_s3_examples(
        method: str, path: str, params: list[tuple[str, str]], headers: dict[str, str],
        payload: bytes, signed: str, sig: str) -> None:
    out = sign_headers(method, path, params, {"host": EXAMPLE_HOST, **headers},
                       hashlib.sha256(payload).hexdigest(), S3_EXAMPLE_KEYS, "us-east-1",
                       datetime(2013, 5, 24, tzinfo=UTC))
    assert out == {"host": EXAMPLE_HOST, **headers, "x-amz-date": "20130524T000000Z",
                   "x-amz-content-sha256": hashlib.sha256(payload).hexdigest(),
                   "Authorization": f"AWS4-HMAC-SHA256 Credential={SCOPE}, "
                                    f"SignedHeaders={signed}, Signature={sig}"}


def test_the_published_general_example_step_by_step() -> None:
    canonical = canonical_request(
        "GET", "/", [("Version", "2010-05-08"), ("Action", "ListUsers")],
        {"Host": "iam.amazonaws.com", "X-Amz-Date": "20150830T123600Z",
         "Content-Type": "application/x-www-form-urlencoded;  charset=utf-8"}, EMPTY_SHA256)
    assert canonical == (
        "GET\n/\nAction=ListUsers&Version=2010-05-08\n"
        "content-type:application/x-www-form-urlencoded; charset=utf-8\n"
        "host:iam.amazonaws.com\nx-amz-date:20150830T123600Z\n\n"
        "content-type;host;x-amz-date\n" + EMPTY_SHA256)
    assert hashlib.sha256(canonical.encode()).hexdigest() == (
        "f536975d06c0309214f805bb90ccff089219ecd68b2577efef23edd43b7e1a59")
    to_sign = string_to_sign("20150830T123600Z", "20150830/us-east-1/iam/aws4_request",
                             canonical)
    key = signing_key("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "20150830", "us-east-1",
                      "iam")
    assert hmac.new(key, to_sign.encode(), hashlib.sha256).hexdigest() == (
        "5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7")
    assert signing_key("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "20120215", "us-east-1",
                       "iam").hex() == (
        "f4780e2d9f65fa895f9c67b32ce1baf0b0d8a43505a000a1a9e090d414db404d")


def test_canonical_parts_encode_as_s3_expects() -> None:
    assert canonical_query([("prefix", "media/2026 11"), ("a/b", "~x*"), ("list-type", "2")]
                           ) == "a%2Fb=~x%2A&list-type=2&prefix=media%2F2026%2011"
    assert quote_key("pintu media/2026/11/1-a+b~c.jpg") == "pintu%20media/2026/11/1-a%2Bb~c.jpg"
    assert canonical_request("get", "", [], {"Host": " h  x "}, EMPTY_SHA256) == (
        "GET\n/\n\nhost:h x\n\nhost\n" + EMPTY_SHA256)


def test_credentials_never_show_their_secret() -> None:
    assert repr(S3_EXAMPLE_KEYS) == (
        "Credentials(access_key_id='AKIAIOSFODNN7EXAMPLE', secret_access_key=***)")


def _store(**cfg: Any) -> S3Store:
    return S3Store(S3Settings(bucket="pintu", access_key_id=SecretStr("AK"),
                              secret_access_key=SecretStr("SK"), **cfg))


def test_urls_path_style_and_virtual_hosted() -> None:
    now = datetime(2026, 11, 26, tzinfo=UTC)
    path = _store(endpoint_url="http://minio.local:9000/", key_prefix="p/",
                  path_style=True).request("GET", "2026/11/1-a b.jpg", now=now)
    assert (str(path.url), path.headers["host"]) == (
        "http://minio.local:9000/pintu/p/2026/11/1-a%20b.jpg", "minio.local:9000")
    virtual = _store(region="ap-southeast-3", path_style=False).request(
        "GET", None, params=[("prefix", "media/"), ("list-type", "2")], now=now)
    assert (str(virtual.url), virtual.headers["host"]) == (
        "https://pintu.s3.ap-southeast-3.amazonaws.com/?list-type=2&prefix=media%2F",
        "pintu.s3.ap-southeast-3.amazonaws.com")
    assert virtual.headers["authorization"].startswith(
        "AWS4-HMAC-SHA256 Credential=AK/20261126/ap-southeast-3/s3/aws4_request, ")


def test_errors_say_what_to_fix() -> None:
    def doc(code: str, message: str) -> bytes:
        return (f"<?xml version='1.0'?><Error><Code>{code}</Code><Message>{message}</Message>"
                "</Error>").encode()

    where = ("pintu", "http://s3.local")
    assert explain(403, doc("InvalidAccessKeyId", "No such key."), *where, "PUT k") == (
        "the S3 server refused the credentials (InvalidAccessKeyId: No such key.): check "
        "PINTU_MEDIA__S3__ACCESS_KEY_ID and PINTU_MEDIA__S3__SECRET_ACCESS_KEY "
        "(and media.s3.region)")
    assert explain(404, doc("NoSuchBucket", "x"), *where, "PUT k") == (
        "there is no bucket 'pintu' at http://s3.local: create it or fix media.s3.bucket")
    assert explain(403, doc("AccessDenied", "Denied"), *where, "GET k") == (
        "access to bucket 'pintu' denied (AccessDenied: Denied): the key needs s3:PutObject, "
        "s3:GetObject, s3:DeleteObject and s3:ListBucket on it")
    assert explain(502, b"<html>bad gateway</html>", *where, "GET k") == (
        "S3 GET k failed at http://s3.local (HTTP 502, HTTP 502)")


# ---- a real S3-compatible server -----------------------------------------------------------

@dataclass
class S3Server:
    url: str
    access_key_id: str
    secret_access_key: str
    bucket: str = "pintu-media"

    def settings(self, **changes: Any) -> dict[str, Any]:
        """The ``media`` section for this bucket."""
        return {"storage": "s3", "s3": {
            "endpoint_url": self.url, "bucket": self.bucket, "region": "us-east-1",
            # moto's server decodes %2F in the query before it checks a ListObjectsV2
            # signature (botocore's own requests fail there too), so no "/" in this prefix.
            "key_prefix": "pintu-", "path_style": True,
            "access_key_id": self.access_key_id, "secret_access_key": self.secret_access_key,
            **changes}}

    def client(self) -> Any:
        return boto3.client("s3", endpoint_url=self.url, region_name="us-east-1",
                            aws_access_key_id=self.access_key_id,
                            aws_secret_access_key=self.secret_access_key)

    def keys(self) -> list[str]:
        found = self.client().list_objects_v2(Bucket=self.bucket).get("Contents", [])
        return sorted(o["Key"] for o in found)


@pytest.fixture(scope="module")
def moto_url() -> Iterator[str]:
    """moto's S3 (and IAM) server on a free local port, for this module."""
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    url = f"http://{host}:{port}"
    try:
        yield url
    finally:
        httpx.post(f"{url}/moto-api/reset-auth", content=b"inf")
        httpx.post(f"{url}/moto-api/reset")
        server.stop()


@pytest.fixture
def s3(moto_url: str) -> Iterator[S3Server]:
    """An empty bucket and an IAM user allowed S3, then authentication on (every request
    must carry a valid signature of that user's key)."""
    httpx.post(f"{moto_url}/moto-api/reset-auth", content=b"inf").raise_for_status()
    httpx.post(f"{moto_url}/moto-api/reset").raise_for_status()
    setup = {"endpoint_url": moto_url, "region_name": "us-east-1",
             "aws_access_key_id": "setup", "aws_secret_access_key": "setup"}
    iam = boto3.client("iam", **setup)
    iam.create_user(UserName="pintu")
    iam.put_user_policy(UserName="pintu", PolicyName="media", PolicyDocument=json.dumps({
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}))
    key = iam.create_access_key(UserName="pintu")["AccessKey"]
    boto3.client("s3", **setup).create_bucket(Bucket="pintu-media")
    httpx.post(f"{moto_url}/moto-api/reset-auth", content=b"0").raise_for_status()
    yield S3Server(moto_url, key["AccessKeyId"], key["SecretAccessKey"])
    httpx.post(f"{moto_url}/moto-api/reset-auth", content=b"inf")


@pytest.fixture(params=["folder", "s3"])
async def store(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[MediaStore]:
    """Each MediaStore implementation."""
    if request.param == "folder":
        yield FolderStore(tmp_path / "media")
    else:
        server: S3Server = request.getfixturevalue("s3")
        yield S3Store(S3Settings.model_validate(server.settings()["s3"]))


async def test_every_store_keeps_reads_lists_and_deletes(store: MediaStore) -> None:
    data = jpeg() * 30  # over one read chunk
    await store.put("2026/11/7-abc.jpg", data, "image/jpeg")
    await store.put("2026/11/8-def.pdf", b"%PDF-1.7\n", "application/pdf")
    body = await store.open("2026/11/7-abc.jpg")
    assert body is not None and body.size == len(data)
    chunks = [c async for c in body.chunks]
    await body.close()
    assert b"".join(chunks) == data
    assert await store.open("2026/11/9-missing.jpg") is None
    # A reader that stops after the first chunk releases the file; closing twice is fine.
    partial = await store.open("2026/11/7-abc.jpg")
    assert partial is not None
    first = await anext(partial.chunks)
    await partial.close()
    await partial.close()
    assert first == data[:len(first)] and first
    later = datetime.now(UTC) + timedelta(minutes=1)
    assert await store.keys_older_than(later) == ["2026/11/7-abc.jpg", "2026/11/8-def.pdf"]
    assert await store.keys_older_than(datetime.now(UTC) - timedelta(days=1)) == []
    await store.delete("2026/11/7-abc.jpg")
    await store.delete("2026/11/7-abc.jpg")  # gone already: no error
    assert await store.keys_older_than(later) == ["2026/11/8-def.pdf"]
    assert await read_all(store, "2026/11/8-def.pdf") == b"%PDF-1.7\n"


async def test_the_bucket_refuses_a_wrong_key_with_a_clear_error(s3: S3Server) -> None:
    wrong_secret = S3Store(S3Settings.model_validate(
        s3.settings(secret_access_key="not-the-secret")["s3"]))
    with pytest.raises(MediaStoreError) as err:
        await wrong_secret.put("k.jpg", b"x", "image/jpeg")
    assert str(err.value) == (
        "the S3 server refused the credentials (SignatureDoesNotMatch: The request signature "
        "we calculated does not match the signature you provided. Check your key and signing "
        "method.): check PINTU_MEDIA__S3__ACCESS_KEY_ID and PINTU_MEDIA__S3__SECRET_ACCESS_KEY"
        " (and media.s3.region)")
    unknown = S3Store(S3Settings.model_validate(s3.settings(access_key_id="AKIANOBODY")["s3"]))
    with pytest.raises(MediaStoreError) as err:
        await unknown.open("k.jpg")
    assert str(err.value).startswith("the S3 server refused the credentials (InvalidAccessKeyId")
    no_bucket = S3Store(S3Settings.model_validate(s3.settings(bucket="elsewhere")["s3"]))
    with pytest.raises(MediaStoreError) as err:
        await no_bucket.put("k.jpg", b"x", "image/jpeg")
    assert str(err.value) == (
        f"there is no bucket 'elsewhere' at {s3.url}: create it or fix media.s3.bucket")
    closed = S3Store(S3Settings.model_validate(
        s3.settings(endpoint_url="http://127.0.0.1:9")["s3"]))
    with pytest.raises(MediaStoreError) as err:
        await closed.put("k.jpg", b"x", "image/jpeg")
    assert str(err.value).startswith("cannot reach the S3 endpoint http://127.0.0.1:9: Connect")
    assert s3.keys() == []


async def _whatsapp_report_with_photo(h: Any) -> str:
    reply = await h.say(incoming("image", {"id": "MEDIA-PHOTO", "mime_type": "image/jpeg",
                                           "caption": COMPLAINT}))
    if "/confirm" not in reply_ids(reply):
        await h.say(text(PLACE))
    done = await h.say(button_reply("/confirm", "Kirim"))
    return str(NUMBER.findall(body_text(done))[0])


async def test_whatsapp_photo_goes_to_the_bucket_and_reaches_only_its_officer(
        make_runtime: Any, db_url: str, s3: S3Server) -> None:
    graph = MediaGraphAPI()
    photo = jpeg("green", (90, 60))
    graph.files = {"MEDIA-PHOTO": (photo, "image/jpeg", None)}
    async with serve(graph.app) as url:
        graph.url = url
        async with running(make_runtime, db_url, graph, media=s3.settings()) as h:
            number = await _whatsapp_report_with_photo(h)
            assert await fetch_pending_media(h.rt) == 1
            (row,) = await media_rows(h.rt)
            assert (row.status, row.mime_type, row.size, row.error) == (
                "stored", "image/jpeg", len(photo), None)
            assert row.path is not None and row.path.endswith(".jpg")
            assert s3.keys() == [f"pintu-{row.path}"]
            stored = s3.client().get_object(Bucket=s3.bucket, Key=f"pintu-{row.path}")
            assert (stored["Body"].read(), stored["ContentType"]) == (photo, "image/jpeg")

            # The console streams the bytes to the ticket's officer, no bucket URL.
            await make_staff(h.rt, "pupr", "officer", "dinas-pupr-batu")
            await make_staff(h.rt, "dinkes", "officer", "dinkes-batu")
            await console_login(h.client, "pupr")
            page = await h.client.get(f"/console/tickets/{number}")
            assert f'<img src="/console/media/{row.id}"' in page.text
            assert s3.url not in page.text
            image = await h.client.get(f"/console/media/{row.id}")
            assert (image.status_code, image.content, image.headers["content-type"],
                    image.headers["content-length"]) == (200, photo, "image/jpeg",
                                                         str(len(photo)))
            async with httpx.AsyncClient(transport=h.client._transport,
                                         base_url="http://pintu.test") as other:
                await console_login(other, "dinkes")
                assert (await other.get(f"/console/media/{row.id}")).status_code == 404
            async with httpx.AsyncClient(transport=h.client._transport,
                                         base_url="http://pintu.test") as anonymous:
                refused = await anonymous.get(f"/console/media/{row.id}")
                assert (refused.status_code, refused.headers["location"]) == (
                    303, "/console/login")
            # The bucket itself answers nobody without a signature.
            async with httpx.AsyncClient() as plain:
                unsigned = await plain.get(f"{s3.url}/{s3.bucket}/pintu-{row.path}")
            assert unsigned.status_code == 403

            # Retention: the object goes after media.retention_days, with any stray object
            # of that age the bucket holds (a write whose transaction was lost).
            s3.client().put_object(Bucket=s3.bucket, Key="pintu-2026/01/999-orphan.jpg",
                                   Body=b"x")
            assert await expire_media(h.rt, now=utcnow() + timedelta(days=364)) == 0
            assert s3.keys() == ["pintu-2026/01/999-orphan.jpg", f"pintu-{row.path}"]
            assert await expire_media(h.rt, now=utcnow() + timedelta(days=366)) == 1
            assert s3.keys() == []
            assert (await h.client.get(f"/console/media/{row.id}")).status_code == 404
            (expired,) = await media_rows(h.rt)
            assert (expired.status, expired.path, expired.media_id) == (
                "expired", None, "MEDIA-PHOTO")


async def test_telegram_voice_note_goes_to_the_bucket(make_runtime: Any, sqlite_url: str,
                                                      s3: S3Server) -> None:
    fake = MediaBotAPI()
    voice = b"OggS\x00\x02" + b"\x00" * 300
    fake.files = {"VOICE-9": voice}
    async with serve(fake.app) as url:
        fake.url = url
        async with tg_running(make_runtime, sqlite_url, fake, media=s3.settings()) as h:
            update = {"update_id": 900101, "message": {
                "message_id": 9, "date": int(time.time()),
                "chat": {"id": 555009, "type": "private", "first_name": "Sri"},
                "from": {"id": 555009, "is_bot": False, "first_name": "Sri"},
                "voice": {"file_id": "VOICE-9", "file_unique_id": "v9", "duration": 2,
                          "mime_type": "audio/ogg", "file_size": len(voice)}}}
            assert (await h.post(update)).status_code == 200
            assert await fetch_pending_media(h.rt) == 1
            (row,) = await media_rows(h.rt)
            assert (row.status, row.mime_type, row.kind) == ("stored", "audio/ogg", "audio")
            assert s3.keys() == [f"pintu-{row.path}"]
            got = s3.client().get_object(Bucket=s3.bucket, Key=f"pintu-{row.path}")
            assert got["Body"].read() == voice


async def test_wrong_credentials_keep_the_media_reference_until_fixed(
        make_runtime: Any, sqlite_url: str, s3: S3Server) -> None:
    graph = MediaGraphAPI()
    photo = jpeg("orange")
    graph.files = {"MEDIA-PHOTO": (photo, "image/jpeg", None)}
    async with serve(graph.app) as url:
        graph.url = url
        media = s3.settings(secret_access_key="rotated-away")
        async with running(make_runtime, sqlite_url, graph, media=media) as h:
            number = await _whatsapp_report_with_photo(h)
            for attempt in range(1, MAX_ATTEMPTS + 1):
                assert await fetch_pending_media(h.rt) == 1
                (row,) = await media_rows(h.rt)
                assert (row.status, row.attempts) == (
                    "pending" if attempt < MAX_ATTEMPTS else "failed", attempt)
            assert await fetch_pending_media(h.rt) == 0
            assert row.error == (
                f"storage (bucket pintu-media at {s3.url}): the S3 server refused the "
                "credentials (SignatureDoesNotMatch: The request signature we calculated does "
                "not match the signature you provided. Check your key and signing method.): "
                "check PINTU_MEDIA__S3__ACCESS_KEY_ID and PINTU_MEDIA__S3__SECRET_ACCESS_KEY "
                "(and media.s3.region)")
            assert (row.media_id, row.path) == ("MEDIA-PHOTO", None)
            assert s3.keys() == []
            # The report went through all the same, and the officer sees why the photo is
            # not there.
            await make_staff(h.rt, "pupr", "officer", "dinas-pupr-batu")
            await console_login(h.client, "pupr")
            page = await h.client.get(f"/console/tickets/{number}")
            assert page.status_code == 200 and "refused the credentials" in page.text

            # The operator fixes the key and puts the failed downloads back in the queue.
            h.rt.settings.media.s3.secret_access_key = SecretStr(s3.secret_access_key)
            async with h.rt.sessions() as session, session.begin():
                assert await retry_failed_media(h.rt.repositories(session)) == 1
            assert await fetch_pending_media(h.rt) == 1
            (row,) = await media_rows(h.rt)
            assert (row.status, row.error) == ("stored", None)
            assert s3.keys() == [f"pintu-{row.path}"]
            image = await h.client.get(f"/console/media/{row.id}")
            assert (image.status_code, image.content) == (200, photo)

            # A store that stops answering later gives the officer a 503, not a broken page.
            h.rt.settings.media.s3.secret_access_key = SecretStr("rotated-again")
            failed = await h.client.get(f"/console/media/{row.id}")
            assert (failed.status_code, failed.text) == (
                503, "The media store cannot be read now; try again later.")


async def test_pintu_media_check_and_retry(s3: S3Server, sqlite_url: str,
                                           tmp_path: Path) -> None:
    import asyncio
    import io

    from bot.cli.media import check_command, retry_command
    from tests.conftest import make_settings

    def run(settings: Any, command: str) -> tuple[int, str, str]:
        out, err = io.StringIO(), io.StringIO()
        code = (check_command(settings, out, err) if command == "check"
                else retry_command(settings, out))
        return code, out.getvalue(), err.getvalue()

    good = make_settings(sqlite_url, tmp_path, media=s3.settings())
    assert await asyncio.to_thread(run, good, "check") == (
        0, f"media store ok: bucket pintu-media at {s3.url} (write, read, delete)\n", "")
    assert s3.keys() == []  # the probe file is gone again
    wrong = make_settings(sqlite_url, tmp_path, media=s3.settings(bucket="nope"))
    assert await asyncio.to_thread(run, wrong, "check") == (
        1, "", f"pintu: media store not usable: there is no bucket 'nope' at {s3.url}: "
               "create it or fix media.s3.bucket\n")
    folder = make_settings(sqlite_url, tmp_path, media={"dir": str(tmp_path / "m")})
    assert await asyncio.to_thread(run, folder, "check") == (
        0, f"media store ok: folder {tmp_path / 'm'} (write, read, delete)\n", "")
    assert await asyncio.to_thread(run, good, "retry") == (
        0, "0 failed media download(s) queued again\n", "")


async def test_an_erased_citizens_media_leave_the_bucket(make_runtime: Any, db_url: str,
                                                         s3: S3Server) -> None:
    from bot.cases.media import erase_citizens_media
    from bot.privacy.rights import erase_citizen
    from storage.models import Message

    graph = MediaGraphAPI()
    graph.files = {"MEDIA-PHOTO": (jpeg("purple"), "image/jpeg", None),
                   "MEDIA-LATE": (jpeg("grey"), "image/jpeg", None)}
    async with serve(graph.app) as url:
        graph.url = url
        async with running(make_runtime, db_url, graph, media=s3.settings()) as h:
            number = await _whatsapp_report_with_photo(h)
            assert await fetch_pending_media(h.rt) == 1
            # A second photo arrives; the citizen is erased before it is downloaded.
            await h.post(incoming("image", {"id": "MEDIA-LATE", "mime_type": "image/jpeg"}))
            rows = await media_rows(h.rt)
            assert sorted(r.status for r in rows) == ["pending", "stored"]
            (stored,) = [r for r in rows if r.status == "stored"]
            assert len(s3.keys()) == 1
            async with h.rt.sessions() as session:
                message = await session.get(Message, stored.message_id)
                assert message is not None
                citizen_id = message.citizen_id
            await erase_citizen(h.rt, citizen_id)
            assert await fetch_pending_media(h.rt) == 0  # never downloaded after erasure
            assert graph.downloads == 1
            assert await erase_citizens_media(h.rt) == 2
            assert await erase_citizens_media(h.rt) == 0
            assert s3.keys() == []
            async with h.rt.sessions() as session:
                repos = h.rt.repositories(session)
                after = [await repos.cases.media(r.id) for r in rows]
            assert [(r.status, r.path, r.media_id, r.filename, r.sha256) for r in after
                    if r is not None] == [("erased", None, "erased", None, None)] * 2
            await make_staff(h.rt, "pupr", "officer", "dinas-pupr-batu")
            await console_login(h.client, "pupr")
            page = await h.client.get(f"/console/tickets/{number}")
            assert "data-media-status=\"erased\"" in page.text
            assert (await h.client.get(f"/console/media/{stored.id}")).status_code == 404
