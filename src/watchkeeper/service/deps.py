"""The service's parts as typed FastAPI dependencies: what a handler of the API or of the
web pages needs (the store, the index, the audit, token checks, the caller's address) it names in
its signature, and this module alone reads them from the application.

``create_app`` (``service.app``) builds one ``Services`` and keeps it on the application's
state; every dependency here is ``async`` and cheap, so FastAPI runs it on the event loop
instead of sending it to the thread pool. Each reads the request alone, not other
dependencies: FastAPI's bookkeeping per dependency solved (its parameters, its cache key)
cost more than the dependency itself, and the match endpoint's tree of thirteen was a sixth
of its time.
"""

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, FastAPI, Request
from sqlalchemy import Engine

from watchkeeper.service.auditing import Auditor
from watchkeeper.service.index import Matchers
from watchkeeper.service.throttle import Credentials, Throttle
from watchkeeper.service.tokens_cache import TokenCache
from watchkeeper.settings import Settings
from watchkeeper.store.audit_writer import AuditWriter


@dataclass(eq=False)
class Services:
    """What the service holds for its lifetime, built once by ``create_app``."""

    settings: Settings
    engine: Engine
    matchers: Matchers
    audit_writer: AuditWriter
    tokens: TokenCache
    throttle: Throttle
    agency: str | None = None
    """Our agency's name for TAXII, read from the data folder on first use (``api.taxii``)."""


def services_of(app: FastAPI) -> Services:
    """The ``Services`` ``create_app`` kept on ``app`` (tests use it to build the index:
    ``services_of(app).matchers.refresh()``)."""
    held: Services = app.state.services
    return held


async def services(request: Request) -> Services:
    """The application's ``Services``."""
    return services_of(request.app)


async def settings(request: Request) -> Settings:
    """The service's settings: the reason codes a decision may carry, the queue's risk
    threshold."""
    return services_of(request.app).settings


async def engine(request: Request) -> Engine:
    """The store."""
    return services_of(request.app).engine


async def matchers(request: Request) -> Matchers:
    """The index and screeners (``Matchers.current()`` for a request's snapshot)."""
    return services_of(request.app).matchers


async def remote(request: Request) -> str | None:
    """The caller's address, for the audit log."""
    return address_of(request)


async def auditor(request: Request) -> Auditor:
    """Audit records for this request's caller."""
    return Auditor(services_of(request.app).audit_writer, address_of(request))


async def credentials(request: Request) -> Credentials:
    """Token checks for this request's caller, throttled by its address."""
    return credentials_of(request)


def address_of(request: Request) -> str | None:
    """The caller's address."""
    client = request.scope.get("client")
    return client[0] if client else None


def credentials_of(request: Request) -> Credentials:
    """``credentials`` for a dependency that checks the token itself (``api.security``)."""
    held = services_of(request.app)
    return Credentials(held.tokens, held.throttle, address_of(request) or "unknown")


ServicesDep = Annotated[Services, Depends(services)]
SettingsDep = Annotated[Settings, Depends(settings)]
EngineDep = Annotated[Engine, Depends(engine)]
MatchersDep = Annotated[Matchers, Depends(matchers)]
RemoteDep = Annotated[str | None, Depends(remote)]
AuditDep = Annotated[Auditor, Depends(auditor)]
CredentialsDep = Annotated[Credentials, Depends(credentials)]
