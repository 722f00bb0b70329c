"""The FastAPI application: routers, shared state, and errors mapped to HTTP statuses."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles

from watchkeeper import __version__
from watchkeeper.api import (
    alerts,
    catalog,
    entities,
    health,
    lanes,
    match,
    problems,
    reconcile,
    search,
    taxii,
    travel,
)
from watchkeeper.api.cors import ScopedCORS
from watchkeeper.api.limits import BodyGuard
from watchkeeper.api.state import Matchers
from watchkeeper.api.throttle import Throttle
from watchkeeper.api.tokens_cache import TokenCache
from watchkeeper.errors import WatchkeeperError
from watchkeeper.matching.score import DEFAULT_PRESET, PRESETS
from watchkeeper.settings import Settings, get_settings
from watchkeeper.store import open_engine
from watchkeeper.store.audit_writer import AuditWriter
from watchkeeper.web import STATIC
from watchkeeper.web import routes as web
from watchkeeper.web.headers import SecurityHeaders


def create_app(settings: Settings, *, background: bool = True) -> FastAPI:
    """The service over the store of ``settings``. With ``background`` (the default) the
    index is built and refreshed by a thread; without it, ``app.state.matchers.refresh()``
    is the caller's to call (tests)."""
    engine = open_engine(settings.db_url)
    matchers = Matchers(engine, PRESETS[DEFAULT_PRESET], settings.index_refresh)
    audit_writer = AuditWriter(engine)
    tokens = TokenCache(engine)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        if background:
            matchers.start()
        try:
            yield
        finally:
            matchers.stop()
            audit_writer.stop()  # what is queued is written before the store closes
            tokens.close()
            engine.dispose()

    app = FastAPI(
        title="watchkeeper",
        version=__version__,
        description="Counter-terrorism screening: yente-compatible matching, reconciliation, "
        "travel-message ingestion and the review queue. Every hit is a lead for a person to "
        "review, never a decision.",
        lifespan=lifespan,
    )
    app.state.engine = engine
    app.state.matchers = matchers
    app.state.audit_writer = audit_writer
    app.state.tokens = tokens
    app.state.settings = settings  # the TAXII server reads our agency name from its data folder
    app.state.throttle = Throttle()
    for module in (
        health,
        match,
        search,
        entities,
        catalog,
        reconcile,
        travel,
        lanes,
        alerts,
        taxii,
        web,
    ):
        app.include_router(module.router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.add_middleware(BodyGuard, cookie=web.COOKIE, open_paths=web.OPEN_POSTS)
    app.add_middleware(SecurityHeaders, prefix=web.router.prefix)
    app.add_middleware(ScopedCORS, prefix=reconcile.PREFIX, origins=settings.cors_origins)

    app.add_exception_handler(RequestValidationError, problems.invalid_request)

    @app.exception_handler(WatchkeeperError)
    async def watchkeeper_error(_request: Request, exc: WatchkeeperError) -> JSONResponse:
        return JSONResponse(status_code=exc.status, content=exc.as_json())

    @app.exception_handler(Exception)
    async def unexpected(_request: Request, _exc: Exception) -> JSONResponse:
        # The last resort: every refusal above has its own status, and a bug is logged by
        # Starlette; the caller gets JSON without a traceback.
        return JSONResponse(status_code=500, content={"detail": "internal error"})

    return app


def from_environment() -> FastAPI:
    """The service over the store the environment names: what each of ``serve --workers``'
    processes builds (uvicorn imports it by name)."""
    return create_app(get_settings())
