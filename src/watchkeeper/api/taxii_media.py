"""TAXII 2.1 on the wire: its media type, content negotiation and error message resources.

A request whose ``Accept`` does not allow ``application/taxii+json;version=2.1`` gets 406,
a POST whose ``Content-Type`` is not it 415 (TAXII 2.1, 1.6), and every refusal of a TAXII
endpoint, from a missing token to a bad filter, is an error message resource (3.6) with the
TAXII media type, which TAXII clients read, instead of the service's ``{"detail": ...}``.
"""

from collections.abc import Callable, Coroutine, Mapping
from http import HTTPStatus
from typing import Any

import orjson
from fastapi import HTTPException, Request, Response
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute
from pydantic import BaseModel

from watchkeeper.api.problems import WHY
from watchkeeper.errors import WatchkeeperError
from watchkeeper.service.refusals import NotAcceptable, UnsupportedMedia, headers_of

MEDIA_TYPE = "application/taxii+json"
VERSION = "2.1"
TAXII = f"{MEDIA_TYPE};version={VERSION}"
ANY = frozenset({"*/*", "application/*"})


class TaxiiResponse(JSONResponse):
    """JSON with the TAXII 2.1 media type, which TAXII clients check."""

    media_type = TAXII

    def render(self, content: Any) -> bytes:
        return orjson.dumps(content)


class TaxiiError(BaseModel):
    """The TAXII 2.1 error message resource (3.6), as the OpenAPI document declares it."""

    title: str
    description: str | None = None
    error_id: str | None = None
    error_code: str | None = None
    http_status: str | None = None
    external_details: str | None = None
    details: dict[str, Any] | None = None


WHY_TAXII = {
    **WHY,
    404: "No such collection, object or status, or nothing there for this caller",
    406: f"The Accept header does not allow {TAXII}",
    415: f"The body is not {TAXII}",
}


def error_responses(*codes: int) -> dict[int | str, dict[str, Any]]:
    """``responses=`` for TAXII routes: the error resources they may answer with."""
    return {code: {"model": TaxiiError, "description": WHY_TAXII[code]} for code in codes}


def error_resource(
    status: int,
    description: str,
    headers: Mapping[str, str] | None = None,
    details: dict[str, Any] | None = None,
) -> TaxiiResponse:
    """An error message resource; ``http_status`` repeats the status, as 3.6 requires."""
    body: dict[str, Any] = {
        "title": HTTPStatus(status).phrase,
        "description": description,
        "http_status": str(status),
    }
    if details:
        body["details"] = details
    return TaxiiResponse(body, status_code=status, headers=headers)


def _media_ranges(header: str) -> list[tuple[str, dict[str, str]]]:
    """The media ranges of an ``Accept`` (or the one type of a ``Content-Type``), each with
    its parameters, names lower-cased."""
    ranges = []
    for part in header.split(","):
        media, *params = part.split(";")
        named = {}
        for param in params:
            key, _, value = param.partition("=")
            named[key.strip().lower()] = value.strip().strip('"')
        ranges.append((media.strip().lower(), named))
    return ranges


def _weight(value: str | None) -> float:
    """The ``q`` of a media range (1 when absent or unreadable)."""
    try:
        return float(value) if value is not None else 1.0
    except ValueError:
        return 1.0


def accepts_taxii(accept: str | None) -> bool:
    """Whether an ``Accept`` header allows TAXII 2.1: none given, a wildcard, or
    ``application/taxii+json`` of version 2.1 or of no version (the latest, 2.1), unless
    its ``q`` is 0."""
    if accept is None or not accept.strip():
        return True
    for media, params in _media_ranges(accept):
        if _weight(params.get("q")) <= 0:
            continue
        if media in ANY or (media == MEDIA_TYPE and params.get("version", VERSION) == VERSION):
            return True
    return False


def is_taxii(content_type: str | None) -> bool:
    """Whether a body's ``Content-Type`` is TAXII 2.1 (version 2.1, or none given)."""
    if not content_type:
        return False
    media, params = _media_ranges(content_type)[0]
    return media == MEDIA_TYPE and params.get("version", VERSION) == VERSION


def negotiate(request: Request) -> None:
    """406 unless the caller accepts TAXII 2.1 (checked before the token, as the form of
    the answer is settled first)."""
    if not accepts_taxii(request.headers.get("accept")):
        raise NotAcceptable(
            f"this server answers {TAXII} only; the Accept header does not allow it"
        )


def taxii_body(request: Request) -> None:
    """415 unless a POSTed body says it is TAXII 2.1."""
    if not is_taxii(request.headers.get("content-type")):
        raise UnsupportedMedia(f"the body must be {TAXII}")


class TaxiiRoute(APIRoute):
    """A TAXII endpoint: whatever refuses the request (negotiation, the token, a parameter,
    the endpoint itself) answers with an error message resource."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def answer(request: Request) -> Response:
            try:
                return await handler(request)
            except HTTPException as exc:
                return error_resource(exc.status_code, str(exc.detail), exc.headers)
            except RequestValidationError as exc:
                # Without the input, as the service's own 422: it may be large or personal.
                faults = [{k: v for k, v in e.items() if k != "input"} for e in exc.errors()]
                description = "a parameter does not have the expected form"
                return error_resource(
                    400, description, details={"faults": jsonable_encoder(faults)}
                )
            except WatchkeeperError as exc:
                return error_resource(exc.status, exc.detail, headers_of(exc))

        return answer
