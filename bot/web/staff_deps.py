"""The staff side of a request: FastAPI dependencies reading the bearer token or the
console session cookie, and the caller's address.

The logic (tokens, expiry) lives in :mod:`bot.staff.sessions`; this module only
reads headers and cookies and turns a missing sign-in into the HTTP answer.
"""

from __future__ import annotations

from fastapi import HTTPException, Request

from bot.staff.sessions import StaffContext, resolve_token
from bot.web.deps import runtime_of

CONSOLE_COOKIE = "pintu_session"


def client_ip(request: Request) -> str | None:
    """The caller's address as the server saw it (behind a proxy: as uvicorn resolved it)."""
    return request.client.host if request.client else None


def bearer_token(request: Request) -> str | None:
    """The bearer token of an ``Authorization`` header, if any."""
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        return None
    return value.strip()


async def current_staff_api(request: Request) -> StaffContext:
    """FastAPI dependency: the staff user of a bearer token; 401 with
    ``WWW-Authenticate: Bearer`` otherwise."""
    token = bearer_token(request)
    ctx = None
    if token:
        rt = runtime_of(request)
        async with rt.sessions() as session:
            ctx = await resolve_token(rt.repositories(session), token, "api")
    if ctx is None:
        raise HTTPException(status_code=401, detail="not signed in or the token has expired",
                            headers={"WWW-Authenticate": "Bearer"})
    return ctx


async def optional_staff_console(request: Request) -> StaffContext | None:
    """The staff user of the console session cookie, or None."""
    token = request.cookies.get(CONSOLE_COOKIE)
    if not token:
        return None
    rt = runtime_of(request)
    async with rt.sessions() as session:
        return await resolve_token(rt.repositories(session), token, "console")


async def current_staff_console(request: Request) -> StaffContext:
    """FastAPI dependency: the signed-in console user; a redirect to the sign-in page
    otherwise."""
    ctx = await optional_staff_console(request)
    if ctx is None:
        raise HTTPException(status_code=303, detail="sign in first",
                            headers={"Location": "/console/login"})
    return ctx
