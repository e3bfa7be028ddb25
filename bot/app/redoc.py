"""``/redoc`` without any request to another host.

fastapi-offline ships ReDoc's standalone bundle, but the bundle still loads the
"API docs by Redocly" logo from cdn.redoc.ly (broken offline, and a request to a
third party from every reader). This page serves the installed bundle with that
one URL pointed at Pintu's own icon.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import fastapi_offline
from fastapi import FastAPI, Request
from fastapi.openapi.docs import get_redoc_html
from fastapi.responses import HTMLResponse, Response

REDOC_LOGO = "https://cdn.redoc.ly/redoc/logo-mini.svg"
BUNDLE_URL = "/apidocs/redoc.standalone.js"


@cache
def _bundle() -> str:
    path = Path(fastapi_offline.__file__).resolve().parent / "static" / "redoc.standalone.js"
    return path.read_text(encoding="utf-8").replace(REDOC_LOGO, "/favicon.svg")


def install_redoc(app: FastAPI, path: str = "/redoc") -> None:
    """Serve ReDoc at ``path`` from the installed bundle, with no third-party request."""

    @app.get(path, include_in_schema=False)
    async def redoc_page(request: Request) -> HTMLResponse:
        root = request.scope.get("root_path", "")
        return get_redoc_html(openapi_url=f"{root}{app.openapi_url}",
                              title=f"{app.title} - ReDoc", redoc_js_url=f"{root}{BUNDLE_URL}",
                              with_google_fonts=False, redoc_favicon_url=f"{root}/favicon.svg")

    @app.get(BUNDLE_URL, include_in_schema=False)
    async def redoc_bundle() -> Response:
        return Response(_bundle(), media_type="text/javascript",
                        headers={"cache-control": "public, max-age=86400"})
