"""NLU administration internals: masking, the citizen-flag hook, splitting, flags, seeding,
the console pages, live-version switching across processes, and the DB-backed CLI."""

from __future__ import annotations

import asyncio
import os
import socket
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import delete, func, select

from bot.app import build_runtime, create_app, model_dir
from bot.app.settings import load_settings
from bot.cli.main import main
from bot.cli.nlu import collect_training_examples
from bot.core.runtime import NluHolder, Runtime
from bot.nlu_admin import jobs, versions
from bot.nlu_admin.data import (
    NluAdminError,
    check_label,
    ensure_seeded,
    find_flags,
    normalized_key,
)
from bot.nlu_admin.jobs import stratified_split, wait_for_training
from bot.nlu_admin.review import is_misunderstanding, on_citizen_message
from nlu.embedded import EmbeddedClassifier
from nlu.entities import mask_personal_data as mask_text
from nlu.examples import TrainingExample as Example
from nlu.model_store import ModelStore
from nlu.training import load_shipped_examples
from storage.db import upgrade
from storage.models import Message, NluModelVersion, NluReviewItem, TrainingExample, utcnow
from tests.conftest import make_settings, talk
from tests.staff_support import (  # noqa: F401
    console_login,
    csrf_of,
    light_argon2,
    make_staff,
)

# --------------------------------------------------------------------------- pure helpers


def test_mask_text_hides_personal_data() -> None:
    text = ("NIK 3573010101900001, atau 3573 0101 0190 0001; hp 0812-3456-7890 / +62 812 3456 "
            "7890, kantor (021) 5551234, mail warga.satu@contoh.go.id, RT 05 no 12 tahun 2024")
    masked = mask_text(text)
    for secret in ("3573010101900001", "3573 0101 0190 0001", "0812-3456-7890",
                   "812 3456 7890", "5551234", "warga.satu@contoh.go.id"):
        assert secret not in masked, secret
    assert masked.count("[NIK]") == 2 and "[EMAIL]" in masked and "[TELEPON]" in masked
    assert "RT 05 no 12 tahun 2024" in masked  # ordinary numbers stay
    assert mask_text("jalan rusak di Batu") == "jalan rusak di Batu"


@pytest.mark.parametrize("text", ["bukan itu maksud saya", "Bukan itu yang saya maksud kak",
                                  "kamu salah paham", "gak nyambung min", "You misunderstood me",
                                  "that's not what I meant"])
def test_misunderstanding_detected(text: str) -> None:
    assert is_misunderstanding(text)


@pytest.mark.parametrize("text", ["jalan rusak parah", "terima kasih", "",
                                  "saya rasa petugas kelurahan salah paham soal berkas "
                                  "yang saya serahkan minggu lalu ke loket"])
def test_misunderstanding_not_detected(text: str) -> None:
    assert not is_misunderstanding(text)


def test_check_label() -> None:
    assert check_label("complaint", "health") == ("complaint", "health")
    assert check_label("greet", "") == ("greet", None)
    for intent, category in [("complaint", None), ("greet", "health"), ("x", None),
                             ("aspiration", "moon")]:
        with pytest.raises(NluAdminError):
            check_label(intent, category)


def test_flags_duplicates_and_conflicts() -> None:
    rows = [(1, "Jalan rusak!", "complaint", "infrastructure", "shipped"),
            (2, "jalan  RUSAK", "complaint", "infrastructure", "admin"),
            (3, "Halo", "greet", None, "shipped"),
            (4, "halo.", "thanks", None, "admin"),
            (5, "unik sekali", "greet", None, "admin")]
    flags = find_flags(rows)
    assert flags.by_id == {1: "duplicate", 2: "duplicate", 3: "conflict", 4: "conflict"}
    assert (flags.duplicate_groups, flags.conflict_groups) == (1, 1)
    assert normalized_key("Héllo,  Wörld!") == "hello world"


def test_stratified_split_is_fixed_and_per_label() -> None:
    examples = load_shipped_examples()
    train, test = stratified_split(examples)
    assert len(train) + len(test) == len(examples)
    assert stratified_split(examples) == (train, test)  # same data, same split
    by_label: dict[tuple[str, str | None], int] = {}
    for ex in examples:
        by_label[(ex.intent, ex.category)] = by_label.get((ex.intent, ex.category), 0) + 1
    for label, total in by_label.items():
        held = sum(1 for ex in test if (ex.intent, ex.category) == label)
        assert held == (int(total * 0.2) if total >= 5 else 0), label
    tiny = [Example("a", "greet"), Example("b", "greet"), Example("c", "thanks")]
    small_train, small_test = stratified_split(tiny)
    assert small_test == [] and sorted(small_train, key=lambda e: e.text) == tiny


# --------------------------------------------------------------------------- database

@pytest.fixture
async def own_rt(nlu_holder: NluHolder, tmp_path: Path, db_url: str) -> AsyncIterator[Runtime]:
    """A runtime with its own NLU holder, so a promotion does not leak into other tests."""
    rt = await build_runtime(make_settings(db_url, tmp_path),
                             nlu=NluHolder(nlu_holder.classifier, nlu_holder.version))
    yield rt
    await wait_for_training(rt)
    await rt.engine.dispose()


async def test_seeding_happens_once(own_rt: Runtime, tmp_path: Path) -> None:
    legacy = tmp_path / "extra.yml"
    legacy.write_text('version: "3.1"\nnlu:\n- intent: greet\n  examples: |\n'
                      '    - salam kenal dari arsip lama\n', encoding="utf-8")
    async with own_rt.sessions() as s, s.begin():
        added = await ensure_seeded(own_rt.repositories(s), legacy_extra=legacy)
    assert added == len(load_shipped_examples()) + 1
    async with own_rt.sessions() as s, s.begin():
        assert await ensure_seeded(own_rt.repositories(s)) == 0
        sources = dict((await s.execute(select(TrainingExample.source, func.count())
                                        .group_by(TrainingExample.source))).all())
        assert sources == {"shipped": added - 1, "import": 1}
        await s.execute(delete(TrainingExample))
    async with own_rt.sessions() as s, s.begin():
        assert await ensure_seeded(own_rt.repositories(s)) == 0  # emptied on purpose: not refilled
        assert (await s.execute(select(func.count()).select_from(TrainingExample))
                ).scalar_one() == 0


async def test_citizen_flag_hook(own_rt: Runtime) -> None:
    app = create_app(runtime=own_rt, workers=False)
    assert on_citizen_message not in own_rt.hooks.on_citizen_message
    async with app.router.lifespan_context(app):
        assert on_citizen_message in own_rt.hooks.on_citizen_message
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
            await talk(client, "warga-9", "mau tanya syarat bikin KTP, hp saya 081234567890")
            await talk(client, "warga-9", "bukan itu maksud saya")
    async with own_rt.sessions() as s, s.begin():
        msgs = (await s.execute(select(Message).where(Message.direction == "in")
                                .order_by(Message.id))).scalars().all()
        first, flag = msgs[0], msgs[1]
        # The conversation service ran the hook on each message: only the flag queued one.
        assert await on_citizen_message(own_rt.repositories(s), first) is None  # nothing before it
        item = (await s.execute(select(NluReviewItem).where(
            NluReviewItem.reason == "citizen_flag"))).scalar_one()
        assert item.message_id == first.id
        assert item.reason == "citizen_flag" and "081234567890" not in item.text
        assert item.predicted_intent == (first.nlu or {}).get("intent")
        assert await on_citizen_message(own_rt.repositories(s), flag) is None  # queued once
        count = (await s.execute(select(func.count()).select_from(NluReviewItem)
                                 .where(NluReviewItem.reason == "citizen_flag"))).scalar_one()
        assert count == 1


async def _copy(rt: Runtime, name: str) -> None:
    clf = rt.nlu.classifier
    assert isinstance(clf, EmbeddedClassifier)
    info = ModelStore(model_dir(rt.settings)).save(clf.with_version(name))
    async with rt.sessions() as s, s.begin():
        s.add(NluModelVersion(version=name, path=str(info.path), status="trained",
                              n_examples=1, metrics={}, created_at=utcnow()))


async def test_every_process_follows_the_live_version(own_rt: Runtime, db_url: str,
                                                      tmp_path: Path) -> None:
    """Process A promotes; process B (another runtime on the same database) switches by
    its watcher, while messages keep being parsed."""
    other = await build_runtime(make_settings(db_url, tmp_path), migrate=False,
                                nlu=NluHolder(own_rt.nlu.classifier, own_rt.nlu.version))
    initial = own_rt.nlu.version
    try:
        await versions.ensure_registered(own_rt)
        await _copy(own_rt, "nlu-v2")
        await _copy(own_rt, "nlu-v3")
        await versions.promote(own_rt, None, "nlu-v2")
        assert own_rt.nlu.version == "nlu-v2" and other.nlu.version == initial
        assert await versions.sync_live(other) is True
        assert other.nlu.version == "nlu-v2"
        assert await versions.sync_live(other) is False  # nothing new: no reload

        other.nlu_live.watch_seconds = 0.05
        watcher = asyncio.create_task(versions.watch_live(other))
        seen: set[str | None] = set()

        def parse_many() -> None:
            for _ in range(300):
                result = other.nlu.classifier.parse("jalan rusak di Batu")
                assert result.intent.label == "complaint"
                seen.add(result.model_version)

        parsing = asyncio.create_task(asyncio.to_thread(parse_many))
        await versions.promote(own_rt, None, "nlu-v3")
        for _ in range(100):
            if other.nlu.version == "nlu-v3":
                break
            await asyncio.sleep(0.05)
        assert other.nlu.version == "nlu-v3"
        await parsing
        assert seen <= {"nlu-v2", "nlu-v3"}
        await versions.rollback(own_rt, None)
        for _ in range(100):
            if other.nlu.version == "nlu-v2":
                break
            await asyncio.sleep(0.05)
        assert other.nlu.version == "nlu-v2"
        watcher.cancel()
        async with own_rt.sessions() as s:
            live = (await s.execute(select(NluModelVersion.version)
                                    .where(NluModelVersion.status == "live"))).scalars().all()
        assert live == ["nlu-v2"]
    finally:
        await other.engine.dispose()


async def test_registering_at_once_leaves_one_live_version(own_rt: Runtime, db_url: str,
                                                           tmp_path: Path) -> None:
    """Two processes running different models register at the same moment: one of them
    becomes live, the other is not recorded as live too."""
    clf = own_rt.nlu.classifier
    assert isinstance(clf, EmbeddedClassifier)
    others = [await build_runtime(make_settings(db_url, tmp_path), migrate=False,
                                  nlu=NluHolder(clf.with_version(f"nlu-proc-{i}"),
                                                f"nlu-proc-{i}"))
              for i in range(3)]
    try:
        await asyncio.gather(versions.ensure_registered(own_rt),
                             *(versions.ensure_registered(o) for o in others))
        async with own_rt.sessions() as s:
            live = (await s.execute(select(NluModelVersion.version)
                                    .where(NluModelVersion.status == "live"))).scalars().all()
        assert len(live) == 1, live
    finally:
        for other in others:
            await other.engine.dispose()


async def test_startup_loads_the_live_version(own_rt: Runtime) -> None:
    await versions.ensure_registered(own_rt)
    await _copy(own_rt, "nlu-promoted")
    async with own_rt.sessions() as s, s.begin():
        row = await s.get(NluModelVersion, "nlu-promoted")
        assert row is not None
        row.status, row.promoted_at = "live", utcnow()
        old = await s.get(NluModelVersion, own_rt.nlu.version)
        assert old is not None
        old.status = "retired"
    app = create_app(runtime=own_rt, workers=False)
    async with app.router.lifespan_context(app):
        assert own_rt.nlu.version == "nlu-promoted"


# --------------------------------------------------------------------------- training jobs

@pytest.fixture
def stalled_training(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Training jobs that stop at their first progress report until cancelled (no model is
    fitted); the versions that got there."""
    reached: list[str] = []

    async def stall(rt: Runtime, version: str, stage: str, percent: int) -> None:
        reached.append(version)
        await asyncio.Event().wait()

    monkeypatch.setattr(jobs, "_progress", stall)
    return reached


async def _status(rt: Runtime, version: str) -> tuple[str, str | None]:
    async with rt.sessions() as s:
        row = await s.get(NluModelVersion, version)
        assert row is not None
        return row.status, row.error


async def test_two_trainings_at_once_start_one(own_rt: Runtime,
                                               stalled_training: list[str]) -> None:
    results = await asyncio.gather(jobs.start_training(own_rt, None),
                                   jobs.start_training(own_rt, None), return_exceptions=True)
    started = [r for r in results if isinstance(r, NluModelVersion)]
    refused = [r for r in results if isinstance(r, NluAdminError)]
    assert len(started) == 1 and len(refused) == 1, results
    assert refused[0].status == 409
    async with own_rt.sessions() as s:
        training = (await s.execute(select(NluModelVersion.version).where(
            NluModelVersion.status == "training"))).scalars().all()
    assert training == [started[0].version]
    for task in list(jobs._tasks(own_rt)):
        task.cancel()
    await wait_for_training(own_rt)


async def test_shutdown_fails_the_running_job_and_retraining_can_start(
        own_rt: Runtime, stalled_training: list[str]) -> None:
    async def started(version: str) -> None:
        for _ in range(100):
            if version in stalled_training:
                return
            await asyncio.sleep(0.02)
        raise AssertionError(f"{version} did not start")

    app = create_app(runtime=own_rt, workers=False)
    async with app.router.lifespan_context(app):
        row = await jobs.start_training(own_rt, None)
        await started(row.version)
    # The shutdown cancelled and awaited the job; it recorded why it stopped.
    assert not jobs._tasks(own_rt)
    assert await _status(own_rt, row.version) == ("failed", jobs.INTERRUPTED)
    again = await jobs.start_training(own_rt, None)  # not blocked for an hour
    assert again.version != row.version
    await started(again.version)
    for task in list(jobs._tasks(own_rt)):
        task.cancel()
    await wait_for_training(own_rt)
    assert await _status(own_rt, again.version) == ("failed", jobs.INTERRUPTED)


async def test_startup_fails_jobs_left_by_a_dead_process(own_rt: Runtime) -> None:
    """A killed process could not record anything: the next start-up does, for the jobs of
    its host whose process is gone, and leaves running ones (here or elsewhere) alone."""
    dead = await asyncio.create_subprocess_exec("true")
    await dead.wait()
    host, me = socket.gethostname(), os.getpid()
    owners = {"nlu-dead": {"host": host, "pid": dead.pid},
              "nlu-same-pid": {"host": host, "pid": me},  # a restarted container's pid 1
              "nlu-legacy": None,
              "nlu-other-host": {"host": f"not-{host}", "pid": dead.pid},
              "nlu-alive": {"host": host, "pid": os.getppid()}}
    async with own_rt.sessions() as s, s.begin():
        for version, owner in owners.items():
            metrics = {"progress": {"stage": "training", "percent": 45}}
            if owner is not None:
                metrics["owner"] = owner
            s.add(NluModelVersion(version=version, path="", status="training", n_examples=1,
                                  metrics=metrics, created_at=utcnow()))
    app = create_app(runtime=own_rt, workers=False)
    async with app.router.lifespan_context(app):
        for version in ("nlu-dead", "nlu-same-pid", "nlu-legacy"):
            assert await _status(own_rt, version) == ("failed", jobs.INTERRUPTED), version
        for version in ("nlu-other-host", "nlu-alive"):
            assert await _status(own_rt, version) == ("training", None), version


# --------------------------------------------------------------------------- console pages

async def test_console_pages(own_rt: Runtime) -> None:
    await make_staff(own_rt, "admin", "admin", None)
    await make_staff(own_rt, "officer", "officer", "dinas-pupr-batu")
    app = create_app(runtime=own_rt, workers=False)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as officer:
            await console_login(officer, "officer")
            inbox = await officer.get("/console/inbox")
            assert "/console/admin/nlu" not in inbox.text
            for path in ("/console/admin/nlu", "/console/admin/nlu/examples",
                         "/console/admin/nlu/review"):
                resp = await officer.get(path)
                assert resp.status_code == 403 and "hanya untuk admin" in resp.text
            resp = await officer.post("/console/admin/nlu/train",
                                      data={"csrf_token": csrf_of(inbox.text)})
            assert resp.status_code == 403
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as admin:
            await console_login(admin, "admin")
            inbox = await admin.get("/console/inbox")
            assert 'href="/console/admin/nlu"' in inbox.text
            overview = await admin.get("/console/admin/nlu")
            assert overview.status_code == 200 and str(own_rt.nlu.version) in overview.text
            # A fresh install counts the shipped examples it will train on, not "0 contoh".
            assert " 0 contoh" not in overview.text
            assert f"{len(load_shipped_examples())} contoh" in overview.text
            csrf = csrf_of(overview.text)

            resp = await admin.post("/console/admin/nlu/examples",
                                    data={"text": "zorblat mati lagi", "intent": "complaint",
                                          "category": "electricity"})
            assert resp.status_code == 403  # no CSRF token
            resp = await admin.post("/console/admin/nlu/examples",
                                    data={"csrf_token": csrf, "text": "zorblat mati lagi",
                                          "intent": "complaint", "category": ""})
            assert resp.status_code == 400 and "needs a category" in resp.text
            resp = await admin.post("/console/admin/nlu/examples",
                                    data={"csrf_token": csrf, "text": "zorblat mati lagi",
                                          "intent": "complaint", "category": "electricity"})
            assert resp.status_code == 303
            await admin.post("/console/admin/nlu/examples",
                             data={"csrf_token": csrf, "text": "Zorblat mati lagi!",
                                   "intent": "greet"})
            page = await admin.get("/console/admin/nlu/examples?q=zorblat&flag=conflict")
            assert page.text.count("Label bertentangan") >= 3 and "zorblat mati lagi" in page.text
            page_en = await admin.get("/console/admin/nlu/examples?q=zorblat&lang=en")
            assert "Conflicting labels" in page_en.text

            async with own_rt.sessions() as s, s.begin():
                item = NluReviewItem(text="zorblat hp 081298765432", reason="low_confidence",
                                     predicted_intent="greet", intent_confidence=0.2,
                                     status="open", created_at=utcnow())
                s.add(item)
                await s.flush()
                item_id = item.id
            review = await admin.get("/console/admin/nlu/review")
            assert "081298765432" not in review.text and "[TELEPON]" in review.text
            resp = await admin.post(f"/console/admin/nlu/review/{item_id}/relabel",
                                    data={"csrf_token": csrf, "intent": "complaint",
                                          "category": "electricity"})
            assert resp.status_code == 303
            async with own_rt.sessions() as s:
                row = await s.get(NluReviewItem, item_id)
                assert row is not None and row.status == "relabelled"

            export = await admin.get("/console/admin/nlu/examples/export")
            assert "zorblat hp [TELEPON]" in export.text
            resp = await admin.post("/console/admin/nlu/examples/import",
                                    data={"csrf_token": csrf},
                                    files={"file": ("x.yml", b"nlu: [oops", "text/yaml")})
            assert resp.status_code == 400 and "YAML" in resp.text
            version = await admin.get(f"/console/admin/nlu/versions/{own_rt.nlu.version}")
            assert version.status_code == 200
            progress = await admin.get(
                f"/console/admin/nlu/versions/{own_rt.nlu.version}/progress")
            assert progress.json()["status"] == "live"
            assert (await admin.get("/console/admin/nlu/versions/nope")).status_code == 404


# --------------------------------------------------------------------------- CLI

def test_cli_uses_the_database(tmp_path: Path, nlu_model_dir: Path,
                               capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "pintu.db"
    url = f"sqlite+aiosqlite:///{db}"
    upgrade(url)
    cfg = tmp_path / "config.yml"
    cfg.write_text(f"database:\n  url: {url}\nnlu:\n  model_dir: {tmp_path / 'models'}\n",
                   encoding="utf-8")
    extra = tmp_path / "more.yml"
    extra.write_text('version: "3.1"\nnlu:\n- intent: greet\n  examples: |\n'
                     '    - salam dari baris perintah\n', encoding="utf-8")
    assert main(["--config", str(cfg), "nlu", "import", str(extra)]) == 0
    assert "imported 1 new examples" in capsys.readouterr().out
    settings = load_settings(cfg, env={})
    examples = collect_training_examples(settings)
    assert len(examples) == len(load_shipped_examples()) + 1
    assert ("salam dari baris perintah", "import") in {(e.text, e.source) for e in examples}
    out = tmp_path / "only.yml"
    assert main(["--config", str(cfg), "nlu", "export", "--imported-only", str(out)]) == 0
    assert "salam dari baris perintah" in out.read_text(encoding="utf-8")
    assert "exported 1 examples" in capsys.readouterr().out
