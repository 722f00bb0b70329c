"""The application: the API's routers and the web pages over one set of ``Services``, with
the middleware around them and errors mapped to HTTP answers (``service.handlers``)."""

import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from fastapi.telemetry import TelemetryConfig

from watchkeeper import __version__
from watchkeeper.api import (
    alerts,
    catalog,
    entities,
    health,
    lanes,
    match,
    reconcile,
    search,
    taxii,
    travel,
)
from watchkeeper.api.cors import ScopedCORS
from watchkeeper.matching.score import DEFAULT_PRESET, PRESETS
from watchkeeper.service import handlers
from watchkeeper.service.deps import Services
from watchkeeper.service.headers import SecurityHeaders
from watchkeeper.service.index import Matchers
from watchkeeper.service.limits import BodyGuard
from watchkeeper.service.throttle import Throttle
from watchkeeper.service.tokens_cache import TokenCache
from watchkeeper.settings import Settings, get_settings
from watchkeeper.store import open_engine
from watchkeeper.store.audit_writer import AuditWriter
from watchkeeper.web import STATIC, routes
from watchkeeper.web.common import COOKIE, OPEN_POSTS

YOUNG_OBJECTS = 10_000
"""Objects allocated, less those freed, between two collections of the youngest generation
(Python's default is 700). With the default, the objects of the requests in flight were
collected and promoted every other request, and every hundredth such collection was a full
one, which walks the caches the service fills as it runs (entity answers, prepared names):
together a tenth of a match request's time. The snapshots' own objects are frozen out of
the walks (``service.index``)."""
NO_TELEMETRY: TelemetryConfig = {"tracing": False, "metrics": False, "logs": False}
"""FastAPI's OpenTelemetry spans, metrics and logs, off: the service sets up no provider, so
they recorded nothing, yet every request looked up the global providers to find that out
(a fiftieth of a match request). The audit log and structlog's logs say what happened."""


def create_app(settings: Settings, *, background: bool = True) -> FastAPI:
    """The service over the store of ``settings``. With ``background`` (the default) the
    index is built and refreshed by a thread; without it, ``services_of(app).matchers.refresh()``
    (``service.deps``) is the caller's to call (tests)."""
    gc.set_threshold(YOUNG_OBJECTS, *gc.get_threshold()[1:])
    engine = open_engine(settings.db_url)
    held = Services(
        settings=settings,
        engine=engine,
        matchers=Matchers(engine, PRESETS[DEFAULT_PRESET], settings.index_refresh),
        audit_writer=AuditWriter(engine),
        tokens=TokenCache(engine),
        throttle=Throttle(),
    )

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        if background:
            held.matchers.start()
        try:
            yield
        finally:
            held.matchers.stop()
            held.audit_writer.stop()  # what is queued is written before the store closes
            held.tokens.close()
            engine.dispose()

    app = FastAPI(
        title="watchkeeper",
        version=__version__,
        description="Counter-terrorism screening: yente-compatible matching, reconciliation, "
        "travel-message ingestion and the review queue. Every hit is a lead for a person to "
        "review, never a decision.",
        lifespan=lifespan,
        telemetry=NO_TELEMETRY,
    )
    app.state.services = held  # read through ``service.deps.services_of`` only
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
        routes,
    ):
        app.include_router(module.router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.add_middleware(BodyGuard, cookie=COOKIE, open_paths=OPEN_POSTS)
    app.add_middleware(SecurityHeaders, prefix=routes.PREFIX)
    app.add_middleware(ScopedCORS, prefix=reconcile.PREFIX, origins=settings.cors_origins)
    handlers.install(app)
    return app


def from_environment() -> FastAPI:
    """The service over the store the environment names: what each of ``serve --workers``'
    processes builds (uvicorn imports it by name)."""
    return create_app(get_settings())
