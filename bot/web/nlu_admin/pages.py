"""The admins' NLU training pages in the console (``/console/admin/nlu``).

Server-rendered like the rest of the console (Indonesian by default, English
available), every form POST carries the session's CSRF token, and every page
answers 403 to anyone but an admin. The only script polls a training job's
progress; the pages work without it (reload to see the progress).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Request
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from jinja2 import ChoiceLoader, Environment, FileSystemLoader, select_autoescape
from starlette.datastructures import UploadFile

from bot.core.runtime import Runtime
from bot.nlu_admin import jobs, versions
from bot.nlu_admin.custom_intents import export_project, import_rasa
from bot.nlu_admin.data import (
    SOURCES,
    NluAdminError,
    add_example,
    custom_names,
    delete_example,
    flags,
    shipped_data,
    update_example,
)
from bot.nlu_admin.review import REASONS, decide, proposed_label
from bot.nlu_admin.service import progress_of, user_names, version_dict
from bot.staff.sessions import StaffContext, csrf_ok
from bot.web.console.i18n import Words, request_lang
from bot.web.console.routes import HERE as CONSOLE_DIR
from bot.web.console.routes import fmt_time
from bot.web.deps import RowId, runtime_of, security_headers
from bot.web.nlu_admin.i18n import NluWords
from bot.web.staff_deps import client_ip, current_staff_console
from nlu.entities import mask_personal_data
from nlu.rasa_project import CUSTOM_INTENT_NAME
from nlu.taxonomy import CATEGORIES, CATEGORY_INTENTS, INTENTS
from storage.ports import Repositories
from storage.repositories.nlu import ExampleFilter

HERE = Path(__file__).resolve().parent
PAGE_SIZE = 50
MAX_UPLOAD_BYTES = 20 * 1024 * 1024


def _environment() -> Environment:
    env = Environment(loader=ChoiceLoader([FileSystemLoader(HERE / "templates"),
                                           FileSystemLoader(CONSOLE_DIR / "templates")]),
                      autoescape=select_autoescape(default=True, default_for_string=True),
                      trim_blocks=True, lstrip_blocks=True)
    env.filters["time"] = fmt_time
    env.filters["pct"] = lambda v: "-" if v is None else f"{float(v) * 100:.1f}%"
    env.filters["num"] = lambda v: "-" if v is None else f"{float(v):.3f}"
    return env


templates = Jinja2Templates(env=_environment())
router = APIRouter(prefix="/console/admin/nlu", include_in_schema=False)


_lang = request_lang


def _render(request: Request, name: str, ctx: StaffContext, status: int = 200,
            **values: Any) -> HTMLResponse:
    lang = _lang(request, ctx)
    rt = runtime_of(request)
    unit_id = ctx.user.unit_id
    context = {"w": Words(lang), "n": NluWords(lang), "lang": lang, "ctx": ctx,
               "user": ctx.user, "csrf": ctx.csrf_token, "rt": rt,
               "user_unit": (rt.catalog.unit(unit_id).name
                             if unit_id and rt.catalog.has_unit(unit_id) else None),
               "intents": INTENTS, "categories": CATEGORIES,
               "category_intents": sorted(CATEGORY_INTENTS), **values}
    response = templates.TemplateResponse(request, name, context, status_code=status)
    security_headers(response)
    return response


def _error(request: Request, ctx: StaffContext, status: int, message: str) -> HTMLResponse:
    return _render(request, "error.html", ctx, status=status,
                   title=Words(_lang(request, ctx))("error"), message=message)


def _denied(request: Request, ctx: StaffContext) -> HTMLResponse | None:
    """The 403 page for anyone but an admin."""
    if ctx.user.role == "admin":
        return None
    return _error(request, ctx, 403, NluWords(_lang(request, ctx))("admin_only"))


def _text(form: Mapping[str, Any], key: str) -> str:
    value = form.get(key)
    return value if isinstance(value, str) else ""


async def _checked_form(request: Request, ctx: StaffContext
                        ) -> tuple[Mapping[str, Any] | None, HTMLResponse | None]:
    """The form of an admin's POST with a valid CSRF token, or the page refusing it."""
    denied = _denied(request, ctx)
    if denied is not None:
        return None, denied
    form = await request.form()
    if not csrf_ok(ctx, _text(form, "csrf_token")):
        return None, _error(request, ctx, 403, Words(_lang(request, ctx))("csrf_failed"))
    return form, None


async def _upload(form: Mapping[str, Any], key: str = "file") -> tuple[str, bytes] | None:
    item = form.get(key)
    if not isinstance(item, UploadFile):
        return None
    content = await item.read(MAX_UPLOAD_BYTES + 1)
    if len(content) > MAX_UPLOAD_BYTES:
        raise NluAdminError("the file is larger than 20 MB")
    return item.filename or "", content


def _go(path: str, **query: Any) -> RedirectResponse:
    q = urlencode({k: v for k, v in query.items() if v is not None})
    return RedirectResponse(f"{path}?{q}" if q else path, status_code=303)


# --------------------------------------------------------------------------- overview

@cache
def _shipped_count() -> int:
    return len(shipped_data().examples)


async def _overview(request: Request, ctx: StaffContext, *, status: int = 200,
                    error: str | None = None) -> HTMLResponse:
    rt = runtime_of(request)
    await versions.ensure_registered(rt)
    async with rt.sessions() as session:
        repos = rt.repositories(session)
        rows = await repos.versions.all()
        names = await user_names(repos)
        previous = await repos.versions.previous_live()
        # Before the first edit or training the table is not seeded yet: the shipped
        # examples are what the next training learns, so count those (not "0 contoh").
        n_examples = await repos.examples.count() or _shipped_count()
    items = [version_dict(r, names) for r in rows]
    live = next((v for v in items if v["status"] == "live"), None)
    training = [v for v in items if v["status"] == "training"]
    q = request.query_params
    return _render(request, "nlu_overview.html", ctx, status=status, error=error,
                   versions=items, live=live, training=training,
                   previous=previous.version if previous else None,
                   evalsets=jobs.list_evalsets(rt), running=rt.nlu.version,
                   n_examples=n_examples, done=q.get("done"), done_values=dict(q))


@router.get("")
async def overview(request: Request, ctx: StaffContext = Depends(current_staff_console)
                   ) -> Response:
    """The live version, the history of versions, retraining and eval-set uploads."""
    return _denied(request, ctx) or await _overview(request, ctx)


@router.post("/train")
async def train(request: Request, ctx: StaffContext = Depends(current_staff_console)
                ) -> Response:
    """Start retraining in the background."""
    _form, refused = await _checked_form(request, ctx)
    if refused is not None:
        return refused
    try:
        row = await jobs.start_training(runtime_of(request), ctx, ip=client_ip(request))
    except NluAdminError as exc:
        return await _overview(request, ctx, status=exc.status, error=str(exc))
    return _go(f"/console/admin/nlu/versions/{row.version}", done="training")


@router.post("/evalsets")
async def upload_evalset(request: Request, ctx: StaffContext = Depends(current_staff_console)
                         ) -> Response:
    """Store an uploaded eval file (validated first)."""
    form, refused = await _checked_form(request, ctx)
    if refused is not None:
        return refused
    assert form is not None
    try:
        upload = await _upload(form)
        if upload is None:
            raise NluAdminError("choose a .jsonl file")
        name, count = jobs.save_evalset(runtime_of(request), *upload)
    except NluAdminError as exc:
        return await _overview(request, ctx, status=exc.status, error=str(exc))
    await _audit_evalset(request, ctx, name, count)
    return _go("/console/admin/nlu", done="evalset", name=name, n=count)


async def _audit_evalset(request: Request, ctx: StaffContext, name: str, count: int) -> None:
    from bot.staff.audit import audit

    rt = runtime_of(request)
    async with rt.sessions() as session, session.begin():
        await audit(rt.repositories(session), ctx, "nlu_evalset_uploaded",
                    target_type="nlu_evalset", target_id=name, data={"rows": count},
                    ip=client_ip(request))


@router.post("/rollback")
async def rollback(request: Request, ctx: StaffContext = Depends(current_staff_console)
                   ) -> Response:
    """Make the previously live version live again."""
    _form, refused = await _checked_form(request, ctx)
    if refused is not None:
        return refused
    try:
        row = await versions.rollback(runtime_of(request), ctx, ip=client_ip(request))
    except NluAdminError as exc:
        return await _overview(request, ctx, status=exc.status, error=str(exc))
    return _go("/console/admin/nlu", done="promoted", version=row.version)


# --------------------------------------------------------------------------- versions

async def _version_page(request: Request, ctx: StaffContext, version: str, *,
                        status: int = 200, error: str | None = None) -> HTMLResponse:
    rt = runtime_of(request)
    await versions.ensure_registered(rt)
    async with rt.sessions() as session:
        repos = rt.repositories(session)
        repo = repos.versions
        row = await repo.get(version)
        live = await repo.live()
        previous = await repo.previous_live()
        names = await user_names(repos)
    words = NluWords(_lang(request, ctx))
    if row is None:
        return _error(request, ctx, 404, words("not_found"))
    this = version_dict(row, names)
    live_view = version_dict(live, names) if live is not None else None
    q = request.query_params
    return _render(request, "nlu_version.html", ctx, status=status, error=error, v=this,
                   live=live_view, metrics=row.metrics or {},
                   live_metrics=(live.metrics or {}) if live is not None else {},
                   previous=previous.version if previous else None,
                   done=q.get("done"), done_values=dict(q))


@router.get("/versions/{version}")
async def version_page(version: str, request: Request,
                       ctx: StaffContext = Depends(current_staff_console)) -> Response:
    """One version: its progress or report and confusion matrix, beside the live one."""
    return _denied(request, ctx) or await _version_page(request, ctx, version)


@router.get("/versions/{version}/progress")
async def version_progress(version: str, request: Request,
                           ctx: StaffContext = Depends(current_staff_console)) -> Response:
    """A training job's status and progress, for the page's poller."""
    if ctx.user.role != "admin":
        return JSONResponse({"detail": "admins only"}, status_code=403)
    rt = runtime_of(request)
    async with rt.sessions() as session:
        row = await rt.repositories(session).versions.get(version)
    if row is None:
        return JSONResponse({"detail": "no such model version"}, status_code=404)
    return JSONResponse(progress_of(row), headers={"Cache-Control": "no-store"})


@router.get("/versions/{version}/confusion.png")
async def confusion_picture(version: str, request: Request,
                            ctx: StaffContext = Depends(current_staff_console)) -> Response:
    """The confusion-matrix picture of a version's held-out evaluation."""
    denied = _denied(request, ctx)
    if denied is not None:
        return denied
    path = await confusion_path(runtime_of(request), version)
    if path is None:
        return _error(request, ctx, 404, NluWords(_lang(request, ctx))("not_found"))
    return FileResponse(path, media_type="image/png", headers={"Cache-Control": "no-store"})


async def confusion_path(rt: Runtime, version: str) -> Path | None:
    """The picture's file, when the version has one."""
    async with rt.sessions() as session:
        row = await rt.repositories(session).versions.get(version)
    name = (row.metrics or {}).get("confusion") if row is not None else None
    if row is None or not isinstance(name, str) or not row.path:
        return None
    path = Path(row.path).with_name(Path(name).name)
    return path if path.is_file() else None


@router.post("/versions/{version}/promote")
async def promote(version: str, request: Request,
                  ctx: StaffContext = Depends(current_staff_console)) -> Response:
    """Make a version live everywhere."""
    _form, refused = await _checked_form(request, ctx)
    if refused is not None:
        return refused
    try:
        await versions.promote(runtime_of(request), ctx, version, ip=client_ip(request))
    except NluAdminError as exc:
        if exc.status == 404:
            return _error(request, ctx, 404, NluWords(_lang(request, ctx))("not_found"))
        return await _version_page(request, ctx, version, status=exc.status, error=str(exc))
    return _go(f"/console/admin/nlu/versions/{version}", done="promoted", version=version)


# --------------------------------------------------------------------------- examples

def _example_filter(request: Request) -> tuple[dict[str, str], int]:
    q = request.query_params

    def pick(key: str, allowed: Sequence[str]) -> str:
        value = q.get(key) or ""
        return value if value in allowed else ""

    chosen = {
        # An admin's own intent too (checked against the table by the search itself).
        "intent": pick("intent", INTENTS) or (
            q.get("intent", "") if CUSTOM_INTENT_NAME.match(q.get("intent", "")) else ""),
        "category": pick("category", CATEGORIES),
        "source": pick("source", SOURCES),
        "flag": pick("flag", ("duplicate", "conflict", "any")),
        "q": (q.get("q") or "").strip()[:200],
    }
    try:
        page = max(1, int(q.get("page", "1")))
    except ValueError:
        page = 1
    return chosen, page


async def _intent_choices(repos: Repositories) -> tuple[str, ...]:
    """The intents a label picker offers: the built-in ones, then the admins' own (issue 17)."""
    return (*INTENTS, *await custom_names(repos))


async def _examples(request: Request, ctx: StaffContext, *, status: int = 200,
                    error: str | None = None, form: Mapping[str, Any] | None = None
                    ) -> HTMLResponse:
    rt = runtime_of(request)
    chosen, page = _example_filter(request)
    async with rt.sessions() as session, session.begin():
        from bot.nlu_admin.data import ensure_seeded

        repos = rt.repositories(session)
        await ensure_seeded(repos)
        found = await flags(repos)
        ids: frozenset[int] | None = None
        if chosen["flag"] == "any":
            ids = frozenset(found.by_id)
        elif chosen["flag"]:
            ids = found.ids(chosen["flag"])
        repo = repos.examples
        rows, total = await repo.search(ExampleFilter(
            intent=chosen["intent"] or None, category=chosen["category"] or None,
            source=chosen["source"] or None, search=chosen["q"] or None, ids=ids,
            limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE))
        counts = await repo.label_counts()
        custom = [r.name for r in await repos.custom_intents.all()]
    query = {k: v for k, v in chosen.items() if v}
    pages = max(1, -(-total // PAGE_SIZE))
    q = request.query_params
    return _render(request, "nlu_examples.html", ctx, status=status, error=error,
                   rows=rows, total=total, chosen=chosen, page=page, pages=pages,
                   query=urlencode(query), flags=found, counts=counts, sources=SOURCES,
                   form=form or {}, done=q.get("done"), done_values=dict(q),
                   intents=(*INTENTS, *custom))


@router.get("/examples")
async def examples(request: Request, ctx: StaffContext = Depends(current_staff_console)
                   ) -> Response:
    """Browse, search and filter the training examples; add, import, export."""
    return _denied(request, ctx) or await _examples(request, ctx)


@router.post("/examples")
async def examples_add(request: Request, ctx: StaffContext = Depends(current_staff_console)
                       ) -> Response:
    """Add one example."""
    form, refused = await _checked_form(request, ctx)
    if refused is not None:
        return refused
    assert form is not None
    try:
        rt = runtime_of(request)
        async with rt.sessions() as session, session.begin():
            await add_example(rt.repositories(session), ctx, _text(form, "text"),
                              _text(form, "intent"), _text(form, "category") or None,
                              ip=client_ip(request))
    except NluAdminError as exc:
        return await _examples(request, ctx, status=exc.status, error=str(exc), form=form)
    return _go("/console/admin/nlu/examples", done="added")


@router.get("/examples/export")
async def examples_export(request: Request, ctx: StaffContext = Depends(current_staff_console)
                          ) -> Response:
    """All examples as a Rasa NLU YAML download."""
    denied = _denied(request, ctx)
    if denied is not None:
        return denied
    rt = runtime_of(request)
    async with rt.sessions() as session, session.begin():
        # Everything kept travels along (Rasa round trip, issue 17).
        text, _count = await export_project(rt.repositories(session))
    return Response(text, media_type="application/x-yaml",
                    headers={"Content-Disposition": 'attachment; filename="nlu.yml"',
                             "Cache-Control": "no-store"})


@router.post("/examples/import")
async def examples_import(request: Request, ctx: StaffContext = Depends(current_staff_console)
                          ) -> Response:
    """Add the examples of an uploaded Rasa NLU YAML file."""
    form, refused = await _checked_form(request, ctx)
    if refused is not None:
        return refused
    assert form is not None
    try:
        upload = await _upload(form)
        if upload is None:
            raise NluAdminError("choose a Rasa NLU YAML file")
        try:
            text = upload[1].decode("utf-8")
        except UnicodeDecodeError as exc:
            raise NluAdminError("the file is not UTF-8 text") from exc
        rt = runtime_of(request)
        async with rt.sessions() as session, session.begin():
            # A real Rasa file: its own intents come along (issue 17), nothing is refused.
            result = await import_rasa(rt.repositories(session), ctx,
                                       [(upload[0] or "nlu.yml", text)], ip=client_ip(request))
    except NluAdminError as exc:
        return await _examples(request, ctx, status=exc.status, error=str(exc))
    return _go("/console/admin/nlu/examples", done="imported", added=result.added,
               in_file=result.in_file)


@router.post("/examples/import-lapor")
async def examples_import_lapor(request: Request,
                                ctx: StaffContext = Depends(current_staff_console)) -> Response:
    """Import an uploaded SP4N-LAPOR! export (what ``pintu nlu import-lapor`` does)."""
    from bot.nlu_admin.lapor_import import import_lapor

    form, refused = await _checked_form(request, ctx)
    if refused is not None:
        return refused
    assert form is not None
    try:
        upload = await _upload(form)
        if upload is None or not upload[1]:
            raise NluAdminError("choose an SP4N-LAPOR! export (.xlsx or .csv)")
        rt = runtime_of(request)
        async with rt.sessions() as session, session.begin():
            result = await import_lapor(
                rt.repositories(session), ctx, upload[1], upload[0],
                include_confidential=_text(form, "include_confidential") == "1",
                dry_run=_text(form, "dry_run") == "1", ip=client_ip(request))
    except NluAdminError as exc:
        return await _examples(request, ctx, status=exc.status, error=str(exc))
    counts = result.to_dict()
    return _go("/console/admin/nlu/examples", done="lapor_dry" if result.dry_run else "lapor",
               read=counts["read"], imported=counts["imported"],
               skipped=counts["skipped_total"],
               **{f"s_{k}": v for k, v in counts["skipped"].items() if v},
               **{f"c_{k}": v for k, v in counts["per_category"].items()})


@router.get("/examples/{example_id}")
async def example_page(example_id: RowId, request: Request,
                       ctx: StaffContext = Depends(current_staff_console)) -> Response:
    """The edit form of one example."""
    denied = _denied(request, ctx)
    if denied is not None:
        return denied
    return await _example_page(request, ctx, example_id)


async def _example_page(request: Request, ctx: StaffContext, example_id: int, *,
                        status: int = 200, error: str | None = None,
                        form: Mapping[str, Any] | None = None) -> HTMLResponse:
    rt = runtime_of(request)
    async with rt.sessions() as session:
        repos = rt.repositories(session)
        row = await repos.examples.get(example_id)
        intents = await _intent_choices(repos)
    if row is None:
        return _error(request, ctx, 404, NluWords(_lang(request, ctx))("not_found"))
    return _render(request, "nlu_example.html", ctx, status=status, error=error, row=row,
                   intents=intents,
                   form=form or {"text": row.text, "intent": row.intent,
                                 "category": row.category or ""})


@router.post("/examples/{example_id}")
async def example_save(example_id: RowId, request: Request,
                       ctx: StaffContext = Depends(current_staff_console)) -> Response:
    """Save an example's new text or label."""
    form, refused = await _checked_form(request, ctx)
    if refused is not None:
        return refused
    assert form is not None
    try:
        rt = runtime_of(request)
        async with rt.sessions() as session, session.begin():
            await update_example(rt.repositories(session), ctx, example_id, _text(form, "text"),
                                 _text(form, "intent"), _text(form, "category") or None,
                                 ip=client_ip(request))
    except NluAdminError as exc:
        return await _example_page(request, ctx, example_id, status=exc.status,
                                   error=str(exc), form=form)
    return _go("/console/admin/nlu/examples", done="updated")


@router.post("/examples/{example_id}/delete")
async def example_delete(example_id: RowId, request: Request,
                         ctx: StaffContext = Depends(current_staff_console)) -> Response:
    """Delete an example."""
    _form, refused = await _checked_form(request, ctx)
    if refused is not None:
        return refused
    try:
        rt = runtime_of(request)
        async with rt.sessions() as session, session.begin():
            await delete_example(rt.repositories(session), ctx, example_id, ip=client_ip(request))
    except NluAdminError as exc:
        return _error(request, ctx, exc.status, str(exc))
    return _go("/console/admin/nlu/examples", done="deleted")


# --------------------------------------------------------------------------- review queue

async def _review(request: Request, ctx: StaffContext, *, status: int = 200,
                  error: str | None = None) -> HTMLResponse:
    q = request.query_params
    reason = q.get("reason") if q.get("reason") in REASONS else None
    rt = runtime_of(request)
    async with rt.sessions() as session:
        repos = rt.repositories(session)
        items, total = await repos.reviews.list(status="open", reason=reason, limit=200)
        intents = await _intent_choices(repos)
    shown = [{"item": i, "text": mask_personal_data(i.text), "proposed": proposed_label(i)}
             for i in items]
    return _render(request, "nlu_review.html", ctx, status=status, error=error, items=shown,
                   intents=intents,
                   total=total, reason=reason or "", reasons=REASONS, done=q.get("done"))


@router.get("/review")
async def review(request: Request, ctx: StaffContext = Depends(current_staff_console)
                 ) -> Response:
    """The open review items (texts masked), with accept / relabel / dismiss."""
    return _denied(request, ctx) or await _review(request, ctx)


@router.post("/review/{item_id}/{decision}")
async def review_decide(item_id: RowId, decision: str, request: Request,
                        ctx: StaffContext = Depends(current_staff_console)) -> Response:
    """Accept, relabel or dismiss one item."""
    form, refused = await _checked_form(request, ctx)
    if refused is not None:
        return refused
    assert form is not None
    try:
        rt = runtime_of(request)
        async with rt.sessions() as session, session.begin():
            await decide(rt.repositories(session), ctx, item_id, decision,
                         intent=_text(form, "intent"), category=_text(form, "category") or None,
                         ip=client_ip(request))
    except NluAdminError as exc:
        return await _review(request, ctx, status=exc.status, error=str(exc))
    return _go("/console/admin/nlu/review", done="decided")
