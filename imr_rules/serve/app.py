"""The web application: a page to drop letters on, the same as a JSON API, and its OpenAPI page.

Routes: `GET /` (the form), `POST /check` (the report page), `POST /api/check` and `POST /api/evaluate`
(JSON), `GET /docs` (OpenAPI page, served locally by fastapi-offline), `GET /openapi.json`. A request body
larger than `Settings.max_upload_bytes` is refused with 413 before it is parsed; uploads stay in memory
until written to a private temporary folder that is deleted before the answer is sent (`uploads.py`).
Checks run in a worker thread (the engine serialises its sessions under a lock), so the server keeps
answering other requests meanwhile.
"""

from __future__ import annotations

import json
import logging
import socket
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, TypeVar

from fastapi import FastAPI, File, Request, UploadFile
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi_offline import FastAPIOffline
from markupsafe import Markup
from starlette.concurrency import run_in_threadpool
from starlette.formparsers import MultiPartParser
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from imr_rules import __version__
from imr_rules.checking.consistency import Checker
from imr_rules.errors import ImrError
from imr_rules.library.loading import load_rules
from imr_rules.models.serve import CheckResponse, ErrorResponse, EvaluateResponse
from imr_rules.output.report import to_json
from imr_rules.serve import render
from imr_rules.serve.uploads import SUFFIXES, Upload, UploadError, check_uploads, evaluate_uploads, letter_json

HERE = Path(__file__).resolve().parent
LOOPBACK = ("127.0.0.1", "localhost", "::1")
log = logging.getLogger("imr_rules.serve")
R = TypeVar("R")  # one uploaded file's result (a checked letter, an evaluated case)

CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "form-action 'self'; "
    "base-uri 'none'; frame-ancestors 'none'"
)


@dataclass(frozen=True)
class Settings:
    """How the application runs. Sizes in bytes."""

    rules_dir: Path
    max_upload_bytes: int = 10 * 1024 * 1024  # a whole request, all files together
    max_files: int = 50
    tmp_root: Path | None = None  # where private temporary folders are made (default: the system's)
    host: str = "127.0.0.1"  # the host the server is bound to (for the Host header check)


FAILURES: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorResponse, "description": "No file could be read (each named with one line)."},
    413: {"model": ErrorResponse, "description": "The upload is larger than the limit."},
    422: {"model": ErrorResponse, "description": "The request has no `files` field."},
}
NO_FILE = "choose at least one file (a letter .txt or .pdf, or a case .yaml)"
Files = Annotated[list[UploadFile], File(description="Letters (.txt, .pdf) or case files (.yaml, .yml).")]


class TooLarge(Exception):
    pass


class BodyLimit:
    """Refuse a request body over `limit` bytes with 413, by its Content-Length or as it streams in."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        for name, value in scope.get("headers", []):
            if name == b"content-length" and value.isdigit() and int(value) > self.limit:
                await self._refuse(scope, send)
                return
        seen = 0

        async def limited() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    raise TooLarge
            return message

        started = False

        async def tracked(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, limited, tracked)
        except TooLarge:
            if not started:
                await self._refuse(scope, send)

    async def _refuse(self, scope: Scope, send: Send) -> None:
        mb = self.limit / (1024 * 1024)
        message = f"upload too large: the limit is {mb:g} MB per request"
        wants_html = scope.get("path") == "/check"
        body = (
            _plain_page(message) if wants_html else json.dumps({"errors": [{"file": None, "error": message}]})
        ).encode()
        kind = b"text/html; charset=utf-8" if wants_html else b"application/json"
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [(b"content-type", kind), (b"content-length", str(len(body)).encode())],
            }
        )
        await send({"type": "http.response.body", "body": body})


def _plain_page(message: str) -> str:
    import html

    return (
        "<!doctype html><html lang='en'><head><meta charset='utf-8'><title>imr-rules: error</title></head>"
        f"<body><p role='alert'>{html.escape(message)}</p><p><a href='/'>Back</a></p></body></html>"
    )


def create_app(settings: Settings) -> FastAPI:
    """The application, with the rule library loaded once (raises ImrError if the library is bad)."""
    checker = Checker.load(load_rules(settings.rules_dir))
    # uploads stay in memory (the body limit bounds them) instead of spilling to the system's temp folder
    MultiPartParser.spool_max_size = max(MultiPartParser.spool_max_size, settings.max_upload_bytes)
    app = FastAPIOffline(
        title="imr-rules",
        version=__version__,
        description=(
            "Check California IMR determination letters against the guideline criteria they cite. "
            "Upload letters (.txt; .pdf where supported) or case files (.yaml). Nothing is kept: uploads are "
            "deleted before the answer is sent."
        ),
        static_url="/static-docs",
    )
    templates = Jinja2Templates(directory=str(HERE / "templates"))
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
    if settings.host in LOOPBACK:
        # a page on another site cannot reach this server through a DNS name that points at 127.0.0.1
        app.add_middleware(TrustedHostMiddleware, allowed_hosts=["127.0.0.1", "localhost", "[::1]"])
    app.add_middleware(BodyLimit, limit=settings.max_upload_bytes)

    @app.middleware("http")
    async def headers(request: Request, call_next: Any) -> Response:
        response: Response = await call_next(request)
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        if response.headers.get("content-type", "").startswith("text/html") and not request.url.path.startswith(
            "/docs"
        ):
            response.headers["Content-Security-Policy"] = CSP
        return response

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        first = exc.errors()[0] if exc.errors() else {}
        where = ".".join(str(part) for part in first.get("loc", ()) if part != "body")
        message = f"{where}: {first.get('msg', 'invalid request')}" if where else str(first.get("msg", "invalid"))
        if request.url.path == "/check":  # the form: no file chosen arrives as an empty field
            return page(request, 400, title="imr-rules: nothing checked", errors=Markup(_problem_html(NO_FILE)))
        return JSONResponse({"errors": [{"file": None, "error": message}]}, 422)

    @app.exception_handler(Exception)
    async def internal(request: Request, exc: Exception) -> Response:
        log.exception("internal error on %s", request.url.path)
        return JSONResponse({"error": f"internal error ({type(exc).__name__}); see the server's log"}, 500)

    def page(request: Request, status: int = 200, **context: Any) -> HTMLResponse:
        context.setdefault("results", Markup(""))
        context.setdefault("errors", Markup(""))
        context.setdefault("index", Markup(""))
        response: HTMLResponse = templates.TemplateResponse(
            request,
            "page.html",
            {
                "css": Markup(render.CSS),
                "limit_mb": f"{settings.max_upload_bytes / (1024 * 1024):g}",
                "accept": ",".join(SUFFIXES),
                "version": __version__,
                **context,
            },
            status_code=status,
        )
        return response

    async def read_uploads(files: list[UploadFile]) -> tuple[list[Upload], str | None]:
        chosen = [f for f in files if f.filename]
        if not chosen:
            return [], NO_FILE
        if len(chosen) > settings.max_files:
            return [], f"too many files ({len(chosen)}; at most {settings.max_files} at once)"
        return [Upload(f.filename or "upload", await f.read()) for f in chosen], None

    async def api_answer(
        files: list[UploadFile],
        work: Callable[[list[Upload], Checker, Path | None], tuple[list[R], list[UploadError]]],
        key: str,
        as_json: Callable[[R], dict[str, Any]],
    ) -> JSONResponse:
        """A JSON API answer: `{key: [as_json(result), ...], "errors": [...]}` from the uploads run through
        `work` in a worker thread; 400 with only `errors` when no file was uploaded or none could be read."""
        uploads, problem = await read_uploads(files)
        if problem is not None:
            return JSONResponse({"errors": [{"file": None, "error": problem}]}, 400)
        results, errors = await run_in_threadpool(work, uploads, checker, settings.tmp_root)
        if not results:
            return JSONResponse({"errors": _errors(errors)}, 400)
        return JSONResponse({key: [as_json(r) for r in results], "errors": _errors(errors)})

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    async def home(request: Request) -> HTMLResponse:
        return page(request, title="imr-rules: check IMR letters")

    @app.post("/check", response_class=HTMLResponse, include_in_schema=False)
    async def check_page(request: Request, files: Files) -> HTMLResponse:
        uploads, problem = await read_uploads(files)
        if problem is not None:
            return page(request, 400, title="imr-rules: nothing checked", errors=Markup(_problem_html(problem)))
        results, errors = await run_in_threadpool(check_uploads, uploads, checker, settings.tmp_root)
        title = results[0].file if len(results) == 1 else f"{len(results)} letters"
        return page(
            request,
            200 if results else 400,
            title=f"imr-rules check: {title}" if results else "imr-rules: nothing checked",
            results=Markup("\n".join(render.result_html(r, n, len(results) == 1) for n, r in enumerate(results))),
            errors=Markup(render.errors_html(errors)),
            index=Markup(render.index_html(results)),
        )

    @app.post("/api/check", summary="Check letters or case files", response_model=CheckResponse, responses=FAILURES)
    async def api_check(files: Files) -> JSONResponse:
        """Per letter: each item's decision by the letter and by the rules, findings by severity (error,
        warning, info), the criteria with their evidence, what would certify each Upheld item (`certify`)
        and the case file (`case_file`, YAML). Files that cannot be read are listed under `errors`; the
        status is 400 when none could be read, 413 when the upload is too large."""
        return await api_answer(files, check_uploads, "letters", letter_json)

    @app.post(
        "/api/evaluate",
        summary="Evaluate case files (or letters, read into cases first)",
        response_model=EvaluateResponse,
        responses=FAILURES,
    )
    async def api_evaluate(files: Files) -> JSONResponse:
        """Per file: the determination of each item, explained criterion by criterion (as `imr-rules
        evaluate --format json`). Files that cannot be read are listed under `errors`."""
        return await api_answer(
            files, evaluate_uploads, "evaluations", lambda r: {"file": r.file, **to_json(r.evaluation)}
        )

    return app


def _errors(errors: list[UploadError]) -> list[dict[str, str]]:
    return [{"file": e.file, "error": e.error} for e in errors]


def _problem_html(message: str) -> str:
    import html

    return f"<div class='finding error' role='alert'><b>Nothing checked</b>: {html.escape(message)}</div>"


def _announce(message: str, error: bool = False) -> None:
    print(message, file=sys.stderr if error else sys.stdout, flush=True)


def serve(settings: Settings, port: int) -> None:
    """Bind `settings.host:port` (port 0: a free port), announce the address, and serve until Ctrl-C."""
    import uvicorn

    app = create_app(settings)
    family = socket.AF_INET6 if ":" in settings.host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((settings.host, port))
    except OSError as exc:
        sock.close()
        raise ImrError(f"cannot listen on {settings.host}:{port}: {exc.strerror or exc}") from None
    bound = sock.getsockname()[1]
    shown = f"[{settings.host}]" if ":" in settings.host else settings.host
    _announce(f"imr-rules serve: http://{shown}:{bound}/  (API: http://{shown}:{bound}/docs; Ctrl-C stops)")
    if settings.host not in LOOPBACK:
        _announce("warning: listening beyond this computer: anyone who can reach it can upload letters", error=True)
    config = uvicorn.Config(app, log_level="warning", access_log=False)
    uvicorn.Server(config).run(sockets=[sock])
