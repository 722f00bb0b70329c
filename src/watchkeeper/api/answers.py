"""Answers that go out as their endpoint built them: yente's and the W3C's exact shapes,
which a pydantic model documents (``shaped``) but does not rebuild. ``as_built`` encodes
the data as FastAPI encodes an answer of type ``dict[str, Any]`` (pydantic's JSON mode: a
NaN a client sent and the answer echoes becomes null), without validating it first: the
match endpoint's answers are large and it is the service's busiest."""

from typing import Any

from fastapi.responses import JSONResponse
from pydantic import TypeAdapter

PLAIN = TypeAdapter(dict[str, Any])


def shaped(model: Any, status: int = 200) -> dict[int | str, dict[str, Any]]:
    """``responses=`` for a route whose answer ``model`` documents; the route sets
    ``response_model=None`` and answers with ``as_built`` (or its own response class)."""
    return {status: {"model": model, "description": "Successful Response"}}


def as_built(data: dict[str, Any]) -> JSONResponse:
    """``data`` as JSON, keys and values as they are."""
    return JSONResponse(PLAIN.dump_python(data, mode="json"))
