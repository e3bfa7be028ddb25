"""The NLU administration over JSON (``/api/nlu/*``, OpenAPI tag "nlu-admin"): admins only.

Same actions as the console pages, with bearer tokens. Every change is in the
audit trail; bad input answers 4xx with a clear ``detail`` and changes nothing.
"""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import FileResponse, Response
from pydantic import BaseModel, Field
from starlette.datastructures import UploadFile

from bot.nlu_admin import jobs, versions
from bot.nlu_admin.custom_intents import (
    delete_custom_intent,
    export_project,
    import_rasa,
    intent_dict,
    save_custom_intent,
)
from bot.nlu_admin.data import (
    NluAdminError,
    add_example,
    delete_example,
    ensure_seeded,
    example_dict,
    flags,
    update_example,
)
from bot.nlu_admin.review import decide, item_dict
from bot.nlu_admin.service import public_version, user_names
from bot.staff.audit import audit
from bot.staff.sessions import StaffContext
from bot.web.api import staff
from bot.web.deps import MAX_ROW_ID, RowId, json_error, runtime_of
from bot.web.nlu_admin.pages import MAX_UPLOAD_BYTES, confusion_path
from bot.web.staff_deps import client_ip
from storage.repositories.nlu import ExampleFilter

router = APIRouter(prefix="/api/nlu", tags=["nlu-admin"],
                   responses={401: {"description": "not signed in"},
                              403: {"description": "not an admin"}})


async def admin(ctx: StaffContext = Depends(staff)) -> StaffContext:
    """The caller, who must be an admin (403 otherwise)."""
    if ctx.user.role != "admin":
        raise HTTPException(status_code=403, detail="the NLU administration is for admins only")
    return ctx


def _fail(exc: NluAdminError) -> Response:
    return json_error(exc.status, str(exc))


# --------------------------------------------------------------------------- models

class ExampleIn(BaseModel):
    """A training example: text and label (a category for complaints and aspirations)."""

    text: str = Field(..., min_length=1, max_length=1000)
    intent: str = Field(..., max_length=32)
    category: str | None = Field(default=None, max_length=32)


class RelabelIn(BaseModel):
    """The label an admin gives a review item."""

    intent: str = Field(..., max_length=32)
    category: str | None = Field(default=None, max_length=32)


# --------------------------------------------------------------------------- examples

@router.get("/examples")
async def list_examples(
    request: Request,
    intent: str | None = Query(None, max_length=32),
    category: str | None = Query(None, max_length=32),
    source: Literal["shipped", "import", "admin", "review", "lapor"] | None = None,
    flag: Literal["duplicate", "conflict", "any"] | None = None,
    q: str | None = Query(None, max_length=200),
    limit: int = Query(100, ge=1, le=1000),
    offset: int = Query(0, ge=0, le=MAX_ROW_ID),
    ctx: StaffContext = Depends(admin),
) -> Any:
    """Training examples, newest first, filtered; each with its duplicate/conflict flag."""
    rt = runtime_of(request)
    async with rt.sessions() as session, session.begin():
        repos = rt.repositories(session)
        await ensure_seeded(repos)
        found = await flags(repos)
        ids = None
        if flag == "any":
            ids = frozenset(found.by_id)
        elif flag:
            ids = found.ids(flag)
        rows, total = await repos.examples.search(ExampleFilter(
            intent=intent, category=category, source=source, search=q, ids=ids, limit=limit,
            offset=offset))
    return {"total": total, "items": [example_dict(r, found.by_id.get(r.id)) for r in rows],
            "flags": {"duplicate_groups": found.duplicate_groups,
                      "conflict_groups": found.conflict_groups,
                      "flagged_examples": len(found.by_id)}}


@router.post("/examples", status_code=201)
async def create_example(body: ExampleIn, request: Request,
                         ctx: StaffContext = Depends(admin)) -> Any:
    """Add an example (source "admin")."""
    try:
        rt = runtime_of(request)
        async with rt.sessions() as session, session.begin():
            row = await add_example(rt.repositories(session), ctx, body.text, body.intent,
                                    body.category, ip=client_ip(request))
    except NluAdminError as exc:
        return _fail(exc)
    return example_dict(row)


@router.get("/examples/export", response_class=Response,
            responses={200: {"content": {"application/x-yaml": {}}}})
async def export_examples(request: Request, source: Literal["shipped", "import", "admin",
                                                              "review", "lapor"] | None = None,
                          ctx: StaffContext = Depends(admin)) -> Response:
    """The examples as Rasa NLU YAML (the shipped format)."""
    rt = runtime_of(request)
    async with rt.sessions() as session, session.begin():
        text, _count = await export_project(rt.repositories(session), source=source)
    return Response(text, media_type="application/x-yaml",
                    headers={"Content-Disposition": 'attachment; filename="nlu.yml"'})


@router.post("/examples/import",
             openapi_extra={"requestBody": {"content": {
                 "application/x-yaml": {"schema": {"type": "string"}},
                 "multipart/form-data": {"schema": {"type": "object", "properties": {
                     "file": {"type": "string", "format": "binary"}}}}}}})
async def import_examples(request: Request, ctx: StaffContext = Depends(admin)) -> Any:
    """Add the new examples of a Rasa NLU YAML file (the body, or an upload named "file")."""
    try:
        raw = await _body_or_upload(request)
        try:
            text = raw[1].decode("utf-8")
        except UnicodeDecodeError as exc:
            raise NluAdminError("the file is not UTF-8 text") from exc
        rt = runtime_of(request)
        async with rt.sessions() as session, session.begin():
            report = await import_rasa(rt.repositories(session), ctx,
                                       [(raw[0] or "nlu.yml", text)], ip=client_ip(request))
    except NluAdminError as exc:
        return _fail(exc)
    return report.as_dict()


@router.post("/examples/import-lapor",
             openapi_extra={"requestBody": {"content": {
                 "multipart/form-data": {"schema": {"type": "object", "properties": {
                     "file": {"type": "string", "format": "binary"}}}}}}})
async def import_lapor_export(request: Request, ctx: StaffContext = Depends(admin),
                              include_confidential: bool = False, dry_run: bool = False
                              ) -> Any:
    """Import an SP4N-LAPOR! export (XLSX or CSV upload named "file", or the raw body);
    answers the counts of ``pintu nlu import-lapor --json``."""
    from bot.nlu_admin.lapor_import import import_lapor

    try:
        filename, content = await _body_or_upload(request)
        rt = runtime_of(request)
        async with rt.sessions() as session, session.begin():
            result = await import_lapor(rt.repositories(session), ctx, content, filename,
                                        include_confidential=include_confidential,
                                        dry_run=dry_run, ip=client_ip(request))
    except NluAdminError as exc:
        return _fail(exc)
    return result.to_dict()


@router.put("/examples/{example_id}")
async def put_example(example_id: RowId, body: ExampleIn, request: Request,
                      ctx: StaffContext = Depends(admin)) -> Any:
    """Change an example's text or label."""
    try:
        rt = runtime_of(request)
        async with rt.sessions() as session, session.begin():
            row = await update_example(rt.repositories(session), ctx, example_id, body.text,
                                       body.intent, body.category, ip=client_ip(request))
    except NluAdminError as exc:
        return _fail(exc)
    return example_dict(row)


@router.delete("/examples/{example_id}", status_code=204)
async def remove_example(example_id: RowId, request: Request,
                         ctx: StaffContext = Depends(admin)) -> Response:
    """Delete an example."""
    try:
        rt = runtime_of(request)
        async with rt.sessions() as session, session.begin():
            await delete_example(rt.repositories(session), ctx, example_id,
                                 ip=client_ip(request))
    except NluAdminError as exc:
        return _fail(exc)
    return Response(status_code=204)


async def _body_or_upload(request: Request) -> tuple[str, bytes]:
    """(file name, bytes) of a multipart upload named "file", else of the raw body."""
    if request.headers.get("content-type", "").startswith("multipart/form-data"):
        form = await request.form()
        item = form.get("file")
        if not isinstance(item, UploadFile):
            raise NluAdminError("the upload needs a file field named 'file'")
        content = await item.read(MAX_UPLOAD_BYTES + 1)
        name = item.filename or ""
    else:
        content = await request.body()
        name = request.query_params.get("name", "")
    if len(content) > MAX_UPLOAD_BYTES:
        raise NluAdminError("the file is larger than 20 MB", 413)
    if not content.strip():
        raise NluAdminError("the file is empty")
    return name, content


# --------------------------------------------------------------------------- review

@router.get("/review")
async def list_review(
    request: Request,
    status: Literal["open", "accepted", "relabelled", "dismissed"] | None = "open",
    reason: Literal["low_confidence", "forwarded", "citizen_flag"] | None = None,
    limit: int = Query(100, ge=1, le=500),
    offset: int = Query(0, ge=0, le=MAX_ROW_ID),
    ctx: StaffContext = Depends(admin),
) -> Any:
    """Review items (texts masked), oldest first."""
    rt = runtime_of(request)
    async with rt.sessions() as session:
        items, total = await rt.repositories(session).reviews.list(
            status=status, reason=reason, limit=limit, offset=offset)
    return {"total": total, "items": [item_dict(i) for i in items]}


async def _decide(request: Request, ctx: StaffContext, item_id: int, decision: str,
                  body: RelabelIn | None = None) -> Any:
    try:
        rt = runtime_of(request)
        async with rt.sessions() as session, session.begin():
            item, example_id = await decide(
                rt.repositories(session), ctx, item_id, decision,
                intent=body.intent if body else None,
                category=body.category if body else None, ip=client_ip(request))
    except NluAdminError as exc:
        return _fail(exc)
    return {"item": item_dict(item), "example_id": example_id}


@router.post("/review/{item_id}/accept")
async def accept_item(item_id: RowId, request: Request, ctx: StaffContext = Depends(admin)) -> Any:
    """Learn the suggested (or predicted) label of an item as a training example."""
    return await _decide(request, ctx, item_id, "accept")


@router.post("/review/{item_id}/relabel")
async def relabel_item(item_id: RowId, body: RelabelIn, request: Request,
                       ctx: StaffContext = Depends(admin)) -> Any:
    """Learn the item with the label given."""
    return await _decide(request, ctx, item_id, "relabel", body)


@router.post("/review/{item_id}/dismiss")
async def dismiss_item(item_id: RowId, request: Request,
                       ctx: StaffContext = Depends(admin)) -> Any:
    """Close the item without learning anything."""
    return await _decide(request, ctx, item_id, "dismiss")


# --------------------------------------------------------------------------- training, versions

@router.post("/train", status_code=202)
async def train(request: Request, ctx: StaffContext = Depends(admin)) -> Any:
    """Start retraining in the background; the new version's name (poll its status)."""
    rt = runtime_of(request)
    try:
        row = await jobs.start_training(rt, ctx, ip=client_ip(request))
    except NluAdminError as exc:
        return _fail(exc)
    return {"version": row.version, "status": row.status,
            "url": f"/api/nlu/versions/{row.version}"}


@router.get("/versions")
async def list_versions(request: Request, ctx: StaffContext = Depends(admin)) -> Any:
    """Every version, newest first: who trained and promoted it, headline scores."""
    rt = runtime_of(request)
    await versions.ensure_registered(rt)
    async with rt.sessions() as session:
        repos = rt.repositories(session)
        rows = await repos.versions.all()
        names = await user_names(repos)
    live = next((r.version for r in rows if r.status == "live"), None)
    return {"live": live, "running": rt.nlu.version,
            "items": [public_version(r, names) for r in rows]}


@router.get("/versions/{version}")
async def get_version(version: str, request: Request, ctx: StaffContext = Depends(admin)) -> Any:
    """One version with its progress and whole evaluation report."""
    rt = runtime_of(request)
    await versions.ensure_registered(rt)
    async with rt.sessions() as session:
        repos = rt.repositories(session)
        row = await repos.versions.get(version)
        names = await user_names(repos)
    if row is None:
        return json_error(404, "no such model version")
    return public_version(row, names, full=True)


@router.get("/versions/{version}/confusion.png", response_class=FileResponse,
            responses={200: {"content": {"image/png": {}}}})
async def get_confusion(version: str, request: Request,
                        ctx: StaffContext = Depends(admin)) -> Response:
    """The confusion-matrix picture of a version's held-out evaluation."""
    path = await confusion_path(runtime_of(request), version)
    if path is None:
        return json_error(404, "this version has no confusion matrix")
    return FileResponse(path, media_type="image/png")


@router.post("/versions/{version}/promote")
async def promote_version(version: str, request: Request,
                          ctx: StaffContext = Depends(admin)) -> Any:
    """Make a version live in every server process."""
    rt = runtime_of(request)
    try:
        row = await versions.promote(rt, ctx, version, ip=client_ip(request))
    except NluAdminError as exc:
        return _fail(exc)
    async with rt.sessions() as session:
        names = await user_names(rt.repositories(session))
    return public_version(row, names)


@router.post("/rollback")
async def rollback(request: Request, ctx: StaffContext = Depends(admin)) -> Any:
    """Make the previously live version live again."""
    rt = runtime_of(request)
    try:
        row = await versions.rollback(rt, ctx, ip=client_ip(request))
    except NluAdminError as exc:
        return _fail(exc)
    async with rt.sessions() as session:
        names = await user_names(rt.repositories(session))
    return public_version(row, names)


@router.get("/evalsets")
async def list_evalsets(request: Request, ctx: StaffContext = Depends(admin)) -> Any:
    """Names of the uploaded eval sets."""
    return {"items": jobs.list_evalsets(runtime_of(request))}


@router.post("/evalsets", status_code=201,
             openapi_extra={"requestBody": {"content": {
                 "application/x-ndjson": {"schema": {"type": "string"}},
                 "multipart/form-data": {"schema": {"type": "object", "properties": {
                     "file": {"type": "string", "format": "binary"}}}}}}})
async def upload_evalset(request: Request, ctx: StaffContext = Depends(admin)) -> Any:
    """Store an eval file (JSONL, the shared/eval format): an upload named "file", or the
    body with ``?name=``. Every version trained from now on is evaluated on it."""
    rt = runtime_of(request)
    try:
        name, content = await _body_or_upload(request)
        stored, rows = jobs.save_evalset(rt, name, content)
    except NluAdminError as exc:
        return _fail(exc)
    async with rt.sessions() as session, session.begin():
        await audit(rt.repositories(session), ctx, "nlu_evalset_uploaded",
                    target_type="nlu_evalset", target_id=stored, data={"rows": rows},
                    ip=client_ip(request))
    return {"name": stored, "rows": rows}



# --------------------------------------------------------------------------- intents

class ButtonIn(BaseModel):
    """A button under an answer: titles in Indonesian (and English) and its payload."""

    title_id: str = Field(default="", max_length=60)
    title_en: str = Field(default="", max_length=60)
    payload: str = Field(..., min_length=1, max_length=200)


class IntentIn(BaseModel):
    """An admin's own intent: new example phrases and its answer."""

    examples: list[str] = Field(default_factory=list, max_length=1000)
    answer_id: str = Field(default="", max_length=4000)
    answer_en: str = Field(default="", max_length=4000)
    buttons: list[ButtonIn] = Field(default_factory=list, max_length=10)
    kind: Literal["answer", "human_agent"] = "answer"
    description: str = Field(default="", max_length=500)


@router.get("/intents")
async def list_intents(request: Request, ctx: StaffContext = Depends(admin)) -> Any:
    """The admins' own intents with their answers and example counts."""
    rt = runtime_of(request)
    async with rt.sessions() as session:
        repos = rt.repositories(session)
        counts: dict[str, int] = {}
        for intent, _category, n in await repos.examples.label_counts():
            counts[intent] = counts.get(intent, 0) + n
        rows = await repos.custom_intents.all()
    return {"items": [intent_dict(r, counts.get(r.name, 0)) for r in rows]}


@router.put("/intents/{name}")
async def put_intent(name: str, body: IntentIn, request: Request,
                     ctx: StaffContext = Depends(admin)) -> Any:
    """Add an intent (examples required) or change one; new examples are added."""
    try:
        rt = runtime_of(request)
        async with rt.sessions() as session, session.begin():
            repos = rt.repositories(session)
            row = await save_custom_intent(
                repos, ctx, name, examples=body.examples, answer_id=body.answer_id,
                answer_en=body.answer_en, buttons=[b.model_dump() for b in body.buttons],
                kind=body.kind, description=body.description, ip=client_ip(request))
            count = sum(n for i, _c, n in await repos.examples.label_counts() if i == row.name)
            return intent_dict(row, count)
    except NluAdminError as exc:
        return _fail(exc)


@router.delete("/intents/{name}", status_code=204)
async def remove_intent(name: str, request: Request, ctx: StaffContext = Depends(admin)
                        ) -> Response:
    """Delete an intent and its examples."""
    try:
        rt = runtime_of(request)
        async with rt.sessions() as session, session.begin():
            await delete_custom_intent(rt.repositories(session), ctx, name,
                                       ip=client_ip(request))
    except NluAdminError as exc:
        return _fail(exc)
    return Response(status_code=204)
