"""The review web app: ``create_app(config)`` builds a FastAPI application over the project store.

Server-rendered Jinja2 pages (autoescaped: segment text is untrusted), htmx for swapping in the next item,
sessions in the store, a CSRF token on every state-changing request, a size limit on request bodies.
Requests never name files: the only paths the app reads are its packaged templates and static files.
"""

from __future__ import annotations

import re
import threading
from pathlib import Path
from urllib.parse import urlencode, urlsplit

from fastapi import FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from synthesis.coding import Codebook
from synthesis.config import Config
from synthesis.review.auth import LoginLimiter
from synthesis.review.claims import ItemClaims
from synthesis.review.codebook_edit import CodebookInUse, codebook_in_use
from synthesis.review.forms import FormError
from synthesis.store import Store
from synthesis.store.codebooks import StaleCodebookError
from synthesis.store.reviews import StaleReviewError, UnknownSegmentError

HERE = Path(__file__).parent
SESSION_COOKIE = "synthesis_session"


class BodyLimit:
    """Refuse request bodies over ``max_bytes`` with 413, whether or not a Content-Length is sent."""

    def __init__(self, app: ASGIApp, max_bytes: int):
        self.app, self.max_bytes = app, max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        length = dict(scope["headers"]).get(b"content-length")
        if length is not None and (not length.isdigit() or int(length) > self.max_bytes):
            await _too_large(scope, receive, send, self.max_bytes)
            return
        seen = 0

        async def limited() -> Message:
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > self.max_bytes:
                raise HTTPException(413, f"request body over {self.max_bytes // 1024} KB")
            return message

        await self.app(scope, limited, send)


async def _too_large(scope, receive, send, max_bytes: int) -> None:
    response = JSONResponse({"error": {"status": 413, "message": f"request body over {max_bytes // 1024} KB"}},
                            status_code=413)
    await response(scope, receive, send)


def _login_url(request: Request) -> str:
    """The login page, with the page to come back to: the one the browser shows (htmx says which), and for a review
    form's save, its segment's page, where the form's unsaved labels are put back."""
    shown = urlsplit(request.headers.get("hx-current-url", ""))
    back = request.url.path if request.method == "GET" and not wants_fragment(request) else shown.path
    query = request.url.query if back == request.url.path else shown.query
    saving = re.fullmatch(r"/segments/(\d+)/review", request.url.path)
    if saving:
        back, query = f"/segments/{saving.group(1)}", request.url.query
    back += f"?{query}" if query else ""
    if not back.startswith("/") or back.startswith("//") or back.startswith("/login") or back == "/queue":
        return "/login"
    return "/login?" + urlencode({"next": back})


def wants_fragment(request: Request) -> bool:
    return request.headers.get("hx-request") == "true"


def current_codebook(app: FastAPI) -> CodebookInUse:
    """The codebook in use, read again when a newer version was saved (one small query per call)."""
    state = app.state
    if state.store.latest_codebook_id() != state.codebook_in_use.base:
        state.codebook_in_use = codebook_in_use(state.config, state.store)
    return state.codebook_in_use


def codebook_of(request: Request) -> Codebook:
    return current_codebook(request.app).codebook


def render(request: Request, name: str, status: int = 200, headers: dict | None = None, **context) -> HTMLResponse:
    app = request.app
    context.setdefault("session", getattr(request.state, "session", None))
    return app.state.templates.TemplateResponse(request, name, context, status_code=status, headers=headers)


def error_response(request: Request, status: int, message: str, headers: dict | None = None):
    """The one error shape: JSON ``{"error": {"status", "message"}}`` for API clients, else an HTML page (or a
    fragment for htmx, which review.js shows in the message area)."""
    if "application/json" in request.headers.get("accept", ""):
        return JSONResponse({"error": {"status": status, "message": message}}, status_code=status, headers=headers)
    template = "_message.html" if wants_fragment(request) else "error.html"
    return render(request, template, status, headers, status_code=status, message=message, level="error")


def create_app(config: Config, store: Store | None = None) -> FastAPI:
    """The review app over ``config``'s store (or the given one)."""
    from synthesis.review import views

    app = FastAPI(title="synthesis review", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.config = config
    app.state.store = store or Store(config.store_url)
    app.state.codebook_in_use = codebook_in_use(config, app.state.store)
    app.state.limiter = LoginLimiter(config.login_attempts, config.login_window_minutes * 60)
    app.state.claims = ItemClaims(config.claim_minutes)
    app.state.retrain = {"state": "idle", "message": "", "lock": threading.Lock()}
    templates = Jinja2Templates(directory=str(HERE / "templates"))
    assert templates.env.autoescape  # segment text is untrusted: autoescaping must stay on
    app.state.templates = templates
    app.add_middleware(BodyLimit, max_bytes=config.max_request_kb * 1024)
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")

    @app.exception_handler(StarletteHTTPException)  # also routing's 404 and 405, which FastAPI's does not see
    async def http_error(request: Request, error: StarletteHTTPException):
        back = _login_url(request)
        if error.status_code == 401 and request.method == "GET" and not wants_fragment(request) \
                and SESSION_COOKIE not in request.cookies:
            return RedirectResponse(back, status_code=303)
        headers = dict(error.headers or {})
        if error.status_code == 401:
            headers["HX-Redirect"] = back  # the review form's unsaved labels wait in the browser (review.js)
        response = error_response(request, error.status_code, str(error.detail), headers)
        if error.status_code == 401:
            response.delete_cookie(SESSION_COOKIE)
        return response

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, error: RequestValidationError):
        first = error.errors()[0] if error.errors() else {}
        where = " ".join(str(part) for part in first.get("loc", ()) if part not in ("body", "query", "path"))
        return error_response(request, 422, f"{where or 'request'}: {first.get('msg', 'invalid')}".lower())

    @app.exception_handler(FormError)
    async def form_error(request: Request, error: FormError):
        return error_response(request, 422, str(error))

    @app.exception_handler(StaleReviewError)
    async def stale(request: Request, error: StaleReviewError):
        # review.js keeps what an htmx form sent, and offers it back on the reloaded page
        kept = " (what you ticked and wrote is kept in this tab and offered back after the reload)"
        return error_response(request, 409, str(error) + (kept if wants_fragment(request) else ""))

    @app.exception_handler(StaleCodebookError)
    async def stale_codebook(request: Request, error: StaleCodebookError):
        return error_response(request, 409, str(error))

    @app.exception_handler(UnknownSegmentError)
    async def unknown(request: Request, error: UnknownSegmentError):
        return error_response(request, 404, str(error))

    app.include_router(views.router)
    return app
