"""The NLU pages' intents section (``/console/admin/nlu/intents``): admins add their own
intents with example phrases and an answer (text and buttons, Indonesian and English),
import Rasa files (several at once) and export everything as Rasa YAML."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from starlette.datastructures import UploadFile

from bot.conversation.custom_answers import KINDS
from bot.nlu_admin.custom_intents import (
    delete_custom_intent,
    export_project,
    import_rasa,
    intent_dict,
    save_custom_intent,
)
from bot.nlu_admin.data import NluAdminError, ensure_seeded
from bot.staff.sessions import StaffContext
from bot.web.deps import runtime_of
from bot.web.nlu_admin.i18n import NluWords
from bot.web.nlu_admin.pages import (
    MAX_UPLOAD_BYTES,
    _checked_form,
    _denied,
    _error,
    _go,
    _lang,
    _render,
    _text,
)
from bot.web.staff_deps import client_ip, current_staff_console
from nlu.taxonomy import INTENTS

router = APIRouter(prefix="/console/admin/nlu", include_in_schema=False)
MAX_FILES = 50


def parse_buttons(text: str) -> list[dict[str, str]]:
    """Buttons typed one per line as ``title | English title | payload`` (or
    ``title | payload``)."""
    out = []
    for line in text.splitlines():
        parts = [p.strip() for p in line.split("|")]
        if not any(parts):
            continue
        if len(parts) == 2:
            parts = [parts[0], "", parts[1]]
        if len(parts) != 3:
            raise NluAdminError(f"a button line is 'title | English title | payload': {line!r}")
        out.append({"title_id": parts[0], "title_en": parts[1], "payload": parts[2]})
    return out


def buttons_text(buttons: list[dict[str, str]]) -> str:
    """Stored buttons as the form shows them (the inverse of :func:`parse_buttons`)."""
    return "\n".join(f"{b.get('title_id', '')} | {b.get('title_en', '')} | {b.get('payload', '')}"
                     for b in buttons)


async def _intents_page(request: Request, ctx: StaffContext, *, status: int = 200,
                        error: str | None = None, form: Mapping[str, Any] | None = None,
                        report: list[str] | None = None) -> HTMLResponse:
    rt = runtime_of(request)
    async with rt.sessions() as session, session.begin():
        repos = rt.repositories(session)
        await ensure_seeded(repos)
        counts: dict[str, int] = {}
        for intent, _category, n in await repos.examples.label_counts():
            counts[intent] = counts.get(intent, 0) + n
        items = [intent_dict(r, counts.get(r.name, 0)) for r in await repos.custom_intents.all()]
    return _render(request, "nlu_intents.html", ctx, status=status, error=error, items=items,
                   form=form or {}, kinds=KINDS, builtin=INTENTS, report=report,
                   editing=False, done=request.query_params.get("done"))


@router.get("/intents")
async def intents(request: Request, ctx: StaffContext = Depends(current_staff_console)
                  ) -> Response:
    """The admins' own intents, the form to add one, Rasa import and export."""
    return _denied(request, ctx) or await _intents_page(request, ctx)


@router.post("/intents")
async def intent_save(request: Request, ctx: StaffContext = Depends(current_staff_console)
                      ) -> Response:
    """Add an intent, or change one (its answer, buttons, kind, more examples)."""
    form, refused = await _checked_form(request, ctx)
    if refused is not None:
        return refused
    assert form is not None
    try:
        rt = runtime_of(request)
        async with rt.sessions() as session, session.begin():
            await save_custom_intent(
                rt.repositories(session), ctx, _text(form, "name"),
                examples=_text(form, "examples").splitlines(),
                answer_id=_text(form, "answer_id"), answer_en=_text(form, "answer_en"),
                buttons=parse_buttons(_text(form, "buttons")),
                kind=_text(form, "kind") or "answer", ip=client_ip(request))
    except NluAdminError as exc:
        return await _intents_page(request, ctx, status=exc.status, error=str(exc), form=form)
    return _go("/console/admin/nlu/intents", done="saved")


@router.post("/intents/import")
async def intents_import(request: Request, ctx: StaffContext = Depends(current_staff_console)
                         ) -> Response:
    """Import uploaded Rasa files (NLU data, domain, stories, rules), several at once."""
    form, refused = await _checked_form(request, ctx)
    if refused is not None:
        return refused
    assert form is not None
    try:
        files = await uploaded_files(form.getlist("file") if hasattr(form, "getlist") else [])
        rt = runtime_of(request)
        async with rt.sessions() as session, session.begin():
            report = await import_rasa(rt.repositories(session), ctx, files,
                                       ip=client_ip(request))
    except NluAdminError as exc:
        return await _intents_page(request, ctx, status=exc.status, error=str(exc))
    return await _intents_page(request, ctx, report=report.lines())


async def uploaded_files(items: list[Any]) -> list[tuple[str, str]]:
    """``(name, text)`` of uploaded files; NluAdminError for none, too many, too large or
    not UTF-8."""
    uploads = [i for i in items if isinstance(i, UploadFile)]
    if not uploads:
        raise NluAdminError("choose one or more Rasa YAML files")
    if len(uploads) > MAX_FILES:
        raise NluAdminError(f"at most {MAX_FILES} files at once")
    out: list[tuple[str, str]] = []
    total = 0
    for item in uploads:
        content = await item.read(MAX_UPLOAD_BYTES + 1)
        total += len(content)
        if total > MAX_UPLOAD_BYTES:
            raise NluAdminError("the files are larger than 20 MB", 413)
        try:
            out.append((item.filename or f"file {len(out) + 1}", content.decode("utf-8")))
        except UnicodeDecodeError as exc:
            raise NluAdminError(f"{item.filename}: not UTF-8 text") from exc
    return out


@router.get("/intents/export")
async def intents_export(request: Request, ctx: StaffContext = Depends(current_staff_console)
                         ) -> Response:
    """Everything as one Rasa YAML file: examples, intents' answers, kept Rasa data."""
    denied = _denied(request, ctx)
    if denied is not None:
        return denied
    rt = runtime_of(request)
    async with rt.sessions() as session, session.begin():
        text, _count = await export_project(rt.repositories(session))
    return Response(text, media_type="application/x-yaml",
                    headers={"Content-Disposition": 'attachment; filename="pintu-rasa.yml"',
                             "Cache-Control": "no-store"})


@router.get("/intents/{name}")
async def intent_page(name: str, request: Request,
                      ctx: StaffContext = Depends(current_staff_console)) -> Response:
    """One intent's answer, buttons and kind, with a box for more examples."""
    denied = _denied(request, ctx)
    if denied is not None:
        return denied
    rt = runtime_of(request)
    async with rt.sessions() as session:
        repos = rt.repositories(session)
        row = await repos.custom_intents.by_name(name)
        counts = await repos.examples.label_counts()
    if row is None:
        return _error(request, ctx, 404, NluWords(_lang(request, ctx))("not_found"))
    form = {"name": row.name, "kind": row.kind, "answer_id": row.answer_id,
            "answer_en": row.answer_en, "buttons": buttons_text(list(row.buttons or []))}
    return _render(request, "nlu_intent.html", ctx, form=form, kinds=KINDS, editing=True,
                   examples=sum(n for i, _c, n in counts if i == row.name))


@router.post("/intents/{name}/delete")
async def intent_delete(name: str, request: Request,
                        ctx: StaffContext = Depends(current_staff_console)) -> Response:
    """Delete an intent and its examples (the live model forgets it at the next training)."""
    _form, refused = await _checked_form(request, ctx)
    if refused is not None:
        return refused
    try:
        rt = runtime_of(request)
        async with rt.sessions() as session, session.begin():
            await delete_custom_intent(rt.repositories(session), ctx, name,
                                       ip=client_ip(request))
    except NluAdminError as exc:
        return await _intents_page(request, ctx, status=exc.status, error=str(exc))
    return _go("/console/admin/nlu/intents", done="deleted")
