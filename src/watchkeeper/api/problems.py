"""The error answers every endpoint declares, so that ``/openapi.json`` lists each status a
client may get and the shape of its body (checked by the schemathesis test)."""

from typing import Any

from pydantic import BaseModel

WHY = {
    400: "The request cannot be carried out as asked (a bad value, an unknown name)",
    401: "No valid API token",
    403: "The token's role does not allow this",
    404: "No such dataset, alert, entity or collection",
    409: "The alert changed meanwhile, or an interchange reference is taken by other content",
    413: "The request body is too large",
    422: "A parameter or the body does not have the expected shape, or a message is unreadable",
    429: "Too many failed token checks from this address of late: see Retry-After",
    503: "The lists are still being indexed, or sharing is not set up",
}


class Problem(BaseModel):
    """An error: what a person reads, or a list of faults (one per unreadable part)."""

    detail: str | list[Any]


def errors(*codes: int) -> dict[int | str, dict[str, Any]]:
    """``responses=`` for a router or a route: the problems it may answer with."""
    return {code: {"model": Problem, "description": WHY[code]} for code in codes}


AUTHENTICATED = (401, 403, 413, 422, 429)
"""What any endpoint that needs a token may answer, whatever it does."""
