"""Errors to HTTP answers, in one place: a ``WatchkeeperError`` (what handlers and use cases
raise) answers with its status, its JSON and, for a ``Refusal``, its headers; a request that
fails validation with 422 and its faults; anything else with a bare 500."""

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from watchkeeper.errors import WatchkeeperError
from watchkeeper.service.refusals import headers_of


async def refused(_request: Request, exc: Exception) -> JSONResponse:
    """A ``WatchkeeperError``: its status, its body, its headers."""
    assert isinstance(exc, WatchkeeperError)
    return JSONResponse(status_code=exc.status, content=exc.as_json(), headers=headers_of(exc))


async def invalid_request(_request: Request, exc: Exception) -> JSONResponse:
    """422 for a request that fails validation, as FastAPI answers it but without echoing
    the input: an infinite or NaN number cannot be written as JSON (FastAPI's own answer
    fails with a 500 there), and a body may be large or hold personal data."""
    assert isinstance(exc, RequestValidationError)
    faults = [{k: v for k, v in e.items() if k != "input"} for e in exc.errors()]
    return JSONResponse(status_code=422, content={"detail": jsonable_encoder(faults)})


async def unexpected(_request: Request, _exc: Exception) -> JSONResponse:
    """The last resort: every refusal above has its own status, and a bug is logged by
    Starlette; the caller gets JSON without a traceback."""
    return JSONResponse(status_code=500, content={"detail": "internal error"})


def install(app: FastAPI) -> None:
    """Register the handlers on ``app``."""
    app.add_exception_handler(RequestValidationError, invalid_request)
    app.add_exception_handler(WatchkeeperError, refused)
    app.add_exception_handler(Exception, unexpected)
