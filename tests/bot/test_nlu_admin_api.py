"""The NLU administration API (``/api/nlu``): every action, the admin-only rule, the audit
trail, and retraining -> report -> promote -> rollback as seen by ``POST /model/parse``."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from bot.app import build_runtime, create_app, model_dir
from bot.core.runtime import NluHolder, Runtime
from bot.nlu_admin.data import NluAdminError
from bot.nlu_admin.jobs import wait_for_training
from bot.nlu_admin.review import decide
from bot.staff.sessions import StaffContext
from nlu.embedded import EmbeddedClassifier
from nlu.model_store import ModelStore
from nlu.rasa_yaml import read_nlu_yaml
from nlu.training import load_shipped_examples
from storage.models import AuditLog, NluModelVersion, NluReviewItem, TrainingExample, utcnow
from tests.conftest import make_settings
from tests.lapor_support import csv_bytes, make_rows, special_rows, xlsx_bytes
from tests.staff_support import api_headers, light_argon2, make_staff  # noqa: F401

IMPORT_YAML = """\
version: "3.1"
nlu:
- intent: complaint+electricity
  examples: |
    - zorblat kemarin sore
    - zorblat di rumah saya
- intent: greet
  examples: |
    - salam sejahtera wahai admin pintu
"""


@pytest.fixture
async def nlu_rt(nlu_holder: NluHolder, tmp_path: Path, db_url: str) -> AsyncIterator[Runtime]:
    """A runtime with its own NLU holder (promotions must not leak into other tests)."""
    holder = NluHolder(nlu_holder.classifier, nlu_holder.version)
    rt = await build_runtime(make_settings(db_url, tmp_path), nlu=holder)
    yield rt
    await wait_for_training(rt)
    await rt.engine.dispose()


@pytest.fixture
async def sqlite_rt(nlu_holder: NluHolder, tmp_path: Path, sqlite_url: str
                    ) -> AsyncIterator[Runtime]:
    """Like ``nlu_rt`` on SQLite only (for the tests that train a model)."""
    holder = NluHolder(nlu_holder.classifier, nlu_holder.version)
    rt = await build_runtime(make_settings(sqlite_url, tmp_path), nlu=holder)
    yield rt
    await wait_for_training(rt)
    await rt.engine.dispose()


async def _client(rt: Runtime) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(runtime=rt, workers=False)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://pintu.test") as c:
            yield c


@pytest.fixture
async def api(nlu_rt: Runtime) -> AsyncIterator[httpx.AsyncClient]:
    """httpx on the app of ``nlu_rt``."""
    async for c in _client(nlu_rt):
        yield c


@pytest.fixture
async def sqlite_api(sqlite_rt: Runtime) -> AsyncIterator[httpx.AsyncClient]:
    """httpx on the app of ``sqlite_rt``."""
    async for c in _client(sqlite_rt):
        yield c


async def _admin(rt: Runtime, client: httpx.AsyncClient) -> dict[str, str]:
    await make_staff(rt, "admin", "admin", None)
    return await api_headers(client, "admin")


async def _audit_actions(rt: Runtime) -> list[str]:
    async with rt.sessions() as s:
        return list((await s.execute(select(AuditLog.action).order_by(AuditLog.id))).scalars())


async def _count(rt: Runtime) -> int:
    async with rt.sessions() as s:
        stmt = select(func.count()).select_from(TrainingExample)
        return int((await s.execute(stmt)).scalar_one())


# --------------------------------------------------------------------------- access

ENDPOINTS: list[tuple[str, str]] = [
    ("GET", "/api/nlu/examples"), ("POST", "/api/nlu/examples"),
    ("PUT", "/api/nlu/examples/1"), ("DELETE", "/api/nlu/examples/1"),
    ("POST", "/api/nlu/examples/import"), ("GET", "/api/nlu/examples/export"),
    ("GET", "/api/nlu/review"), ("POST", "/api/nlu/review/1/accept"),
    ("POST", "/api/nlu/review/1/relabel"), ("POST", "/api/nlu/review/1/dismiss"),
    ("POST", "/api/nlu/train"), ("GET", "/api/nlu/versions"), ("GET", "/api/nlu/versions/x"),
    ("GET", "/api/nlu/versions/x/confusion.png"), ("POST", "/api/nlu/versions/x/promote"),
    ("POST", "/api/nlu/rollback"), ("GET", "/api/nlu/evalsets"), ("POST", "/api/nlu/evalsets"),
]


async def test_only_admins(api: httpx.AsyncClient, nlu_rt: Runtime) -> None:
    await make_staff(nlu_rt, "officer", "officer", "dinas-pupr-batu")
    await make_staff(nlu_rt, "supervisor", "supervisor", "setda-batu")
    body = {"text": "halo", "intent": "greet"}
    for method, path in ENDPOINTS:
        resp = await api.request(method, path, json=body)
        assert resp.status_code == 401, (method, path)
    for who in ("officer", "supervisor"):
        headers = await api_headers(api, who)
        for method, path in ENDPOINTS:
            resp = await api.request(method, path, json=body, headers=headers)
            assert resp.status_code == 403, (who, method, path, resp.text)
    assert await _count(nlu_rt) == 0  # nothing was seeded or changed by the refused calls
    async with nlu_rt.sessions() as s:
        assert (await s.execute(select(func.count()).select_from(NluModelVersion))
                ).scalar_one() == 0
    schema = (await api.get("/openapi.json")).json()
    tagged = {p for p, ops in schema["paths"].items()
              if any("nlu-admin" in op.get("tags", []) for op in ops.values())}
    assert "/api/nlu/examples" in tagged and "/api/nlu/versions/{version}/promote" in tagged


# --------------------------------------------------------------------------- examples

async def test_examples_crud_flags_and_audit(api: httpx.AsyncClient, nlu_rt: Runtime) -> None:
    h = await _admin(nlu_rt, api)
    listing = (await api.get("/api/nlu/examples?limit=5", headers=h)).json()
    shipped = len(load_shipped_examples())
    assert listing["total"] == shipped  # seeded from the shipped YAML on first use
    assert len(listing["items"]) == 5

    resp = await api.post("/api/nlu/examples", headers=h,
                          json={"text": "  Lampu  PJU di gang mati ", "intent": "complaint",
                                "category": "infrastructure"})
    assert resp.status_code == 201, resp.text
    created = resp.json()
    assert created["text"] == "Lampu PJU di gang mati" and created["source"] == "admin"

    for bad, message in [
        ({"text": "x", "intent": "nonsense"}, "unknown intent"),
        ({"text": "jalan rusak", "intent": "complaint"}, "needs a category"),
        ({"text": "halo", "intent": "greet", "category": "health"}, "takes no category"),
        ({"text": "jalan", "intent": "complaint", "category": "moon"}, "unknown category"),
        ({"text": "   ", "intent": "greet"}, "empty"),
    ]:
        resp = await api.post("/api/nlu/examples", headers=h, json=bad)
        assert resp.status_code == 400, (bad, resp.text)
        assert message in resp.json()["detail"]
    assert await _count(nlu_rt) == shipped + 1

    # The same text again (other case and punctuation): a duplicate; another label: a conflict.
    await api.post("/api/nlu/examples", headers=h,
                   json={"text": "lampu pju di gang mati!", "intent": "complaint",
                         "category": "infrastructure"})
    flagged = (await api.get("/api/nlu/examples?q=pju di gang&flag=duplicate",
                             headers=h)).json()
    assert flagged["total"] == 2
    assert {i["flag"] for i in flagged["items"]} == {"duplicate"}
    await api.post("/api/nlu/examples", headers=h,
                   json={"text": "Lampu PJU di gang mati.", "intent": "complaint",
                         "category": "electricity"})
    conflicts = (await api.get("/api/nlu/examples?q=pju di gang&flag=conflict",
                               headers=h)).json()
    assert conflicts["total"] == 3 and conflicts["flags"]["conflict_groups"] >= 1

    resp = await api.put(f"/api/nlu/examples/{created['id']}", headers=h,
                         json={"text": "lampu jalan umum di gang padam", "intent": "complaint",
                               "category": "electricity"})
    assert resp.status_code == 200 and resp.json()["category"] == "electricity"
    resp = await api.put(f"/api/nlu/examples/{created['id']}", headers=h,
                         json={"text": "x", "intent": "greet", "category": "health"})
    assert resp.status_code == 400
    async with nlu_rt.sessions() as s:
        row = await s.get(TrainingExample, created["id"])
        assert row is not None and row.text == "lampu jalan umum di gang padam"
    assert (await api.put("/api/nlu/examples/999999", headers=h,
                          json={"text": "x", "intent": "greet"})).status_code == 404

    # A shipped example can be edited and deleted like any other.
    shipped_row = (await api.get("/api/nlu/examples?source=shipped&limit=1",
                                 headers=h)).json()["items"][0]
    assert (await api.delete(f"/api/nlu/examples/{shipped_row['id']}",
                             headers=h)).status_code == 204
    assert (await api.delete(f"/api/nlu/examples/{shipped_row['id']}",
                             headers=h)).status_code == 404
    by_intent = (await api.get("/api/nlu/examples?intent=complaint&category=electricity"
                               "&source=admin", headers=h)).json()
    assert by_intent["total"] == 2

    actions = await _audit_actions(nlu_rt)
    assert actions.count("nlu_example_added") == 3
    assert {"nlu_examples_seeded", "nlu_example_updated", "nlu_example_deleted"} <= set(actions)


async def test_import_and_export(api: httpx.AsyncClient, nlu_rt: Runtime) -> None:
    h = await _admin(nlu_rt, api)
    headers = {**h, "Content-Type": "application/x-yaml"}
    resp = await api.post("/api/nlu/examples/import", headers=headers, content=IMPORT_YAML)
    assert resp.status_code == 200, resp.text
    assert (resp.json()["in_file"], resp.json()["added"]) == (3, 3)
    resp = await api.post("/api/nlu/examples/import", headers=h,
                          files={"file": ("more.yml", IMPORT_YAML.encode(), "application/x-yaml")})
    # idempotent, also as an upload
    assert (resp.json()["in_file"], resp.json()["added"]) == (3, 0)
    total = await _count(nlu_rt)

    # An intent outside the taxonomy is an admin's own now; a malformed name is refused.
    bad = IMPORT_YAML.replace("greet", "no such intent")
    resp = await api.post("/api/nlu/examples/import", headers=headers, content=bad)
    assert resp.status_code == 400 and "line 7" in resp.json()["detail"]
    assert "intent name 'no such intent'" in resp.json()["detail"]
    resp = await api.post("/api/nlu/examples/import", headers=headers, content=b"")
    assert resp.status_code == 400
    assert await _count(nlu_rt) == total

    resp = await api.get("/api/nlu/examples/export", headers=h)
    assert resp.status_code == 200 and resp.headers["content-type"].startswith("application/x-yaml")
    data = read_nlu_yaml(resp.text)
    assert len(data.examples) == total
    assert ("zorblat kemarin sore", "complaint", "electricity") in {
        (e.text, e.intent, e.category) for e in data.examples}
    assert data.lookups  # the shipped lookup tables travel along
    only = read_nlu_yaml((await api.get("/api/nlu/examples/export?source=import",
                                        headers=h)).text)
    assert len(only.examples) == 3
    assert (await _audit_actions(nlu_rt)).count("nlu_rasa_imported") == 2


# --------------------------------------------------------------------------- review queue

async def _queue(rt: Runtime) -> dict[str, int]:
    async with rt.sessions() as s, s.begin():
        items = {
            "low": NluReviewItem(text="NIK saya 3573010101900001 hp 0812-3456-7890 gimana",
                                 reason="low_confidence", predicted_intent="info_request",
                                 intent_confidence=0.31, predicted_category="population_registry",
                                 status="open", created_at=utcnow()),
            "forwarded": NluReviewItem(text="sampah menumpuk di pasar, email saya a.b@contoh.id",
                                       reason="forwarded", predicted_intent="complaint",
                                       predicted_category="infrastructure",
                                       suggested_intent="complaint",
                                       suggested_category="environment", status="open",
                                       created_at=utcnow()),
            "flag": NluReviewItem(text="mau tanya jadwal posyandu", reason="citizen_flag",
                                  predicted_intent="greet", status="open", created_at=utcnow()),
        }
        s.add_all(items.values())
        await s.flush()
        return {k: v.id for k, v in items.items()}


async def test_review_queue_actions(api: httpx.AsyncClient, nlu_rt: Runtime) -> None:
    h = await _admin(nlu_rt, api)
    ids = await _queue(nlu_rt)
    queue = (await api.get("/api/nlu/review", headers=h)).json()
    assert queue["total"] == 3
    texts = {i["id"]: i["text"] for i in queue["items"]}
    assert "3573010101900001" not in texts[ids["low"]] and "[NIK]" in texts[ids["low"]]
    assert "0812" not in texts[ids["low"]] and "[TELEPON]" in texts[ids["low"]]
    assert "a.b@contoh.id" not in texts[ids["forwarded"]]
    forwarded = next(i for i in queue["items"] if i["id"] == ids["forwarded"])
    assert (forwarded["proposed_intent"], forwarded["proposed_category"]) == (
        "complaint", "environment")
    only_flags = (await api.get("/api/nlu/review?reason=citizen_flag", headers=h)).json()
    assert [i["id"] for i in only_flags["items"]] == [ids["flag"]]

    resp = await api.post(f"/api/nlu/review/{ids['forwarded']}/accept", headers=h)
    assert resp.status_code == 200, resp.text
    accepted = resp.json()
    assert accepted["item"]["status"] == "accepted"
    async with nlu_rt.sessions() as s:
        example = await s.get(TrainingExample, accepted["example_id"])
        assert example is not None
        assert (example.intent, example.category, example.source) == (
            "complaint", "environment", "review")
        assert "[EMAIL]" in example.text and example.created_by is not None

    resp = await api.post(f"/api/nlu/review/{ids['low']}/relabel", headers=h,
                          json={"intent": "complaint"})
    assert resp.status_code == 400  # a complaint needs a category; the item stays open
    resp = await api.post(f"/api/nlu/review/{ids['low']}/relabel", headers=h,
                          json={"intent": "info_request", "category": None})
    assert resp.status_code == 200
    async with nlu_rt.sessions() as s:
        example = await s.get(TrainingExample, resp.json()["example_id"])
        assert example is not None and example.intent == "info_request"
        assert "3573010101900001" not in example.text  # personal data is never learned

    before = await _count(nlu_rt)
    resp = await api.post(f"/api/nlu/review/{ids['flag']}/dismiss", headers=h)
    assert resp.status_code == 200 and resp.json()["example_id"] is None
    assert await _count(nlu_rt) == before
    assert (await api.post(f"/api/nlu/review/{ids['flag']}/accept",
                           headers=h)).status_code == 409
    assert (await api.post("/api/nlu/review/999999/dismiss", headers=h)).status_code == 404
    assert (await api.get("/api/nlu/review", headers=h)).json()["total"] == 0
    done = (await api.get("/api/nlu/review?status=accepted", headers=h)).json()
    assert [i["id"] for i in done["items"]] == [ids["forwarded"]]
    actions = await _audit_actions(nlu_rt)
    assert {"nlu_review_accepted", "nlu_review_relabelled", "nlu_review_dismissed"} <= set(actions)


async def test_two_admins_deciding_one_item_one_wins(nlu_rt: Runtime) -> None:
    """Both admins saw the item open; the second decision finds it taken (409) and
    changes nothing: one training example, one audit entry."""
    first_admin = await make_staff(nlu_rt, "admin", "admin", None)
    second_admin = await make_staff(nlu_rt, "admin2", "admin", None)
    ids = await _queue(nlu_rt)
    item_id = ids["forwarded"]

    def ctx(user: Any) -> StaffContext:
        return StaffContext(user=user, session_id=0, kind="api", csrf_token=None,
                            expires_at=utcnow())

    async with nlu_rt.sessions() as late:
        seen = await late.get(NluReviewItem, item_id)  # the loser loaded it while still open
        assert seen is not None and seen.status == "open"
        async with nlu_rt.sessions() as s, s.begin():
            await decide(nlu_rt.repositories(s), ctx(first_admin), item_id, "accept")
        with pytest.raises(NluAdminError) as lost:
            await decide(nlu_rt.repositories(late), ctx(second_admin), item_id, "dismiss")
        assert lost.value.status == 409
        await late.rollback()
    async with nlu_rt.sessions() as s:
        item = await s.get(NluReviewItem, item_id)
        assert item is not None
        assert (item.status, item.resolved_by) == ("accepted", first_admin.id)
    async with nlu_rt.sessions() as s:
        learned = await s.execute(select(func.count()).select_from(TrainingExample)
                                  .where(TrainingExample.source == "review"))
        assert learned.scalar_one() == 1
    actions = await _audit_actions(nlu_rt)
    assert actions.count("nlu_review_accepted") == 1 and "nlu_review_dismissed" not in actions


# --------------------------------------------------------------------------- versions

async def _copy_version(rt: Runtime, name: str, status: str) -> None:
    """Store the running model under another version name (no training needed)."""
    clf = rt.nlu.classifier
    assert isinstance(clf, EmbeddedClassifier)
    info = ModelStore(model_dir(rt.settings)).save(clf.with_version(name))
    async with rt.sessions() as s, s.begin():
        s.add(NluModelVersion(version=name, path=str(info.path), status=status, n_examples=1,
                              metrics={}, created_at=utcnow()))


async def test_promote_and_rollback_errors(api: httpx.AsyncClient, nlu_rt: Runtime) -> None:
    h = await _admin(nlu_rt, api)
    initial = nlu_rt.nlu.version
    listing = (await api.get("/api/nlu/versions", headers=h)).json()
    assert listing["live"] == initial  # the running model is registered as live
    assert listing["items"][0]["created_by"] is None
    assert (await api.post("/api/nlu/rollback", headers=h)).status_code == 409
    assert (await api.post("/api/nlu/versions/nope/promote", headers=h)).status_code == 404
    assert (await api.post(f"/api/nlu/versions/{initial}/promote",
                           headers=h)).status_code == 409
    await _copy_version(nlu_rt, "nlu-test-failed", "failed")
    assert (await api.post("/api/nlu/versions/nlu-test-failed/promote",
                           headers=h)).status_code == 409
    async with nlu_rt.sessions() as s, s.begin():
        s.add(NluModelVersion(version="nlu-test-nofile", path="/nonexistent/x.joblib",
                              status="trained", metrics={}, created_at=utcnow()))
    resp = await api.post("/api/nlu/versions/nlu-test-nofile/promote", headers=h)
    assert resp.status_code == 409 and "missing" in resp.json()["detail"]
    assert (await api.get("/api/nlu/versions", headers=h)).json()["live"] == initial

    await _copy_version(nlu_rt, "nlu-test-copy", "trained")
    resp = await api.post("/api/nlu/versions/nlu-test-copy/promote", headers=h)
    assert resp.status_code == 200 and resp.json()["status"] == "live"
    assert nlu_rt.nlu.version == "nlu-test-copy"
    parsed = (await api.post("/model/parse", json={"text": "halo"})).json()
    assert parsed["model_version"] == "nlu-test-copy"
    resp = await api.post("/api/nlu/rollback", headers=h)
    assert resp.status_code == 200 and resp.json()["version"] == initial
    assert nlu_rt.nlu.version == initial
    statuses = {v["version"]: v["status"]
                for v in (await api.get("/api/nlu/versions", headers=h)).json()["items"]}
    assert statuses[initial] == "live" and statuses["nlu-test-copy"] == "retired"
    assert sum(1 for s in statuses.values() if s == "live") == 1
    actions = await _audit_actions(nlu_rt)
    assert "nlu_version_promoted" in actions and "nlu_version_rolled_back" in actions


async def test_evalset_upload(api: httpx.AsyncClient, nlu_rt: Runtime) -> None:
    h = await _admin(nlu_rt, api)
    bad = b'{"text": "halo", "intent": "greet"}\n{"intent": "greet"}\n'
    resp = await api.post("/api/nlu/evalsets", headers=h,
                          files={"file": ("mine.jsonl", bad, "application/x-ndjson")})
    assert resp.status_code == 400 and "mine.jsonl:2" in resp.json()["detail"]
    assert (await api.get("/api/nlu/evalsets", headers=h)).json()["items"] == []
    resp = await api.post("/api/nlu/evalsets", headers=h,
                          files={"file": ("../../evil.jsonl", b'{"text": "x"}\n', "text/plain")})
    assert resp.status_code == 201 and resp.json()["name"] == "evil"  # no path escapes
    good = b'{"text": "halo", "intent": "greet", "region": null}\n'
    resp = await api.post("/api/nlu/evalsets?name=small.jsonl", headers=h, content=good)
    assert resp.status_code == 201 and resp.json() == {"name": "small", "rows": 1}
    assert (await api.get("/api/nlu/evalsets", headers=h)).json()["items"] == ["evil", "small"]
    assert "nlu_evalset_uploaded" in await _audit_actions(nlu_rt)


XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _eval_file(n: int = 40) -> bytes:
    shared = Path(__file__).resolve().parents[2].parent / "shared" / "eval" / "dev.jsonl"
    if shared.exists():
        lines = [ln for ln in shared.read_text(encoding="utf-8").splitlines() if ln.strip()][:n]
    else:
        lines = [json.dumps({"text": "Halo admin", "intent": "greet", "category": None,
                             "region": None})]
    return ("\n".join(lines) + "\n").encode()


async def test_import_lapor_upload(api: httpx.AsyncClient, nlu_rt: Runtime) -> None:
    h = await _admin(nlu_rt, api)
    rows = special_rows(date(2024, 2, 2))
    resp = await api.post("/api/nlu/examples/import-lapor?dry_run=true", headers=h,
                          files={"file": ("laporan.csv", csv_bytes(rows), "text/csv")})
    assert resp.status_code == 200, resp.text
    dry = resp.json()
    assert (dry["dry_run"], dry["read"], dry["imported"], dry["skipped_total"]) == (
        True, 12, 5, 7)
    listed = await api.get("/api/nlu/examples?source=lapor", headers=h)
    assert listed.json()["total"] == 0  # a dry run stores nothing
    resp = await api.post("/api/nlu/examples/import-lapor?include_confidential=true",
                          headers=h,
                          files={"file": ("laporan.xlsx", xlsx_bytes(rows), XLSX_TYPE)})
    counts = resp.json()
    assert (counts["dry_run"], counts["imported"], counts["skipped"]["confidential"]) == (
        False, 7, 0)
    listed = (await api.get("/api/nlu/examples?source=lapor", headers=h)).json()
    assert listed["total"] == 7 and {i["source"] for i in listed["items"]} == {"lapor"}
    assert "nlu_lapor_imported" in await _audit_actions(nlu_rt)
    resp = await api.post("/api/nlu/examples/import-lapor", headers=h,
                          files={"file": ("x.csv", b"a,b\n1,2\n", "text/csv")})
    assert resp.status_code == 400 and "Tracking ID" in resp.json()["detail"]


async def test_retrain_report_promote_parse(sqlite_api: httpx.AsyncClient,
                                            sqlite_rt: Runtime) -> None:
    api, rt = sqlite_api, sqlite_rt
    h = await _admin(rt, api)
    phrase = "zorblat kemarin"
    before = (await api.post("/model/parse", json={"text": phrase})).json()
    assert before["category"]["name"] != "electricity"
    resp = await api.post("/api/nlu/evalsets?name=dev-sample", headers=h, content=_eval_file())
    assert resp.status_code == 201
    resp = await api.post("/api/nlu/examples/import", headers={
        **h, "Content-Type": "application/x-yaml"}, content=IMPORT_YAML)
    assert resp.json()["added"] == 3
    await api.post("/api/nlu/examples", headers=h, json={
        "text": "tolong zorblat lagi", "intent": "complaint", "category": "electricity"})
    lapor = make_rows(120, start=date(2022, 1, 1), days=600, local_share=0.8, seed=5)
    resp = await api.post("/api/nlu/examples/import-lapor", headers=h,
                          files={"file": ("older.xlsx", xlsx_bytes(lapor), XLSX_TYPE)})
    assert resp.status_code == 200 and resp.json()["imported"] > 100, resp.text

    resp = await api.post("/api/nlu/train", headers=h)
    assert resp.status_code == 202, resp.text
    version = resp.json()["version"]
    assert (await api.post("/api/nlu/train", headers=h)).status_code == 409  # one at a time
    await wait_for_training(rt)

    detail = (await api.get(f"/api/nlu/versions/{version}", headers=h)).json()
    assert detail["status"] == "trained", detail.get("error")
    assert detail["progress"] == {"version": version, "status": "trained", "stage": "done",
                                  "percent": 100, "error": None}
    metrics: dict[str, Any] = detail["metrics"]
    heldout = metrics["heldout"]
    assert heldout["intent"]["accuracy"] > 0.7 and heldout["category"]["macro_f1"] > 0.5
    assert {"precision", "recall", "f1", "support"} <= set(heldout["intent"]["per_label"]["greet"])
    assert metrics["split"]["held_out"] > 0
    # the agency's own reports are measured apart, beside the uploaded eval sets
    lapor_heldout = metrics["heldout_lapor"]
    assert lapor_heldout["category"]["n"] >= 15 and lapor_heldout["category"]["accuracy"] > 0.8
    page_api = detail["heldout_lapor"]
    assert page_api["category"]["n"] == lapor_heldout["category"]["n"]
    assert metrics["split"]["train"] + metrics["split"]["held_out"] == detail["n_examples"]
    assert "dev-sample" in metrics["evalsets"] and "intent" in metrics["evalsets"]["dev-sample"]
    assert metrics["live_compare"]["version"] == rt.nlu.version
    assert "dev-sample" in metrics["live_compare"]["evalsets"]
    assert detail["created_by_name"] == "Admin"
    picture = await api.get(detail["confusion_matrix_url"], headers=h)
    assert picture.status_code == 200 and picture.content.startswith(b"\x89PNG")

    old = rt.nlu.version
    assert (await api.post("/model/parse", json={"text": phrase})).json()["category"]["name"] \
        == before["category"]["name"]  # trained, not live yet
    resp = await api.post(f"/api/nlu/versions/{version}/promote", headers=h)
    assert resp.status_code == 200 and resp.json()["promoted_by_name"] == "Admin"
    after = (await api.post("/model/parse", json={"text": phrase})).json()
    assert after["intent"]["name"] == "complaint"
    assert after["category"]["name"] == "electricity"
    assert after["model_version"] == version

    resp = await api.post("/api/nlu/rollback", headers=h)
    assert resp.json()["version"] == old
    again = (await api.post("/model/parse", json={"text": phrase})).json()
    assert again["category"]["name"] == before["category"]["name"]
    listing = (await api.get("/api/nlu/versions", headers=h)).json()
    assert listing["live"] == old and listing["running"] == old
    assert listing["items"][0]["version"] == version  # newest first
    actions = await _audit_actions(rt)
    assert {"nlu_training_started", "nlu_version_promoted",
            "nlu_version_rolled_back"} <= set(actions)
