"""Answers that go out as their endpoint built them: yente's and the W3C's exact shapes,
which a pydantic model documents (``shaped``) but does not rebuild. ``as_built`` encodes
the data as FastAPI encodes an answer of type ``dict[str, Any]`` (pydantic's JSON mode: a
NaN a client sent and the answer echoes becomes null), without validating it first: the
match endpoint's answers are large and it is the service's busiest.

The encoding is orjson's, which writes JSON's own types as pydantic does, a tenth of a
match answer's cost (pydantic's walk and ``json.dumps`` were a fifth of a match request's
time); every other value (a date, a dataclass, a subclass of a JSON type) orjson hands to
pydantic, so that it comes out as pydantic writes it. Only an integer beyond 64 bits, which
orjson refuses, sends the whole answer through pydantic.
"""

from typing import Any

import orjson
from fastapi.responses import JSONResponse
from pydantic import TypeAdapter
from pydantic_core import to_jsonable_python

PLAIN = TypeAdapter(dict[str, Any])
_TO_PYDANTIC = (
    orjson.OPT_PASSTHROUGH_DATACLASS
    | orjson.OPT_PASSTHROUGH_DATETIME
    | orjson.OPT_PASSTHROUGH_SUBCLASS
)


def shaped(model: Any, status: int = 200) -> dict[int | str, dict[str, Any]]:
    """``responses=`` for a route whose answer ``model`` documents; the route sets
    ``response_model=None`` and answers with ``as_built`` (or its own response class)."""
    return {status: {"model": model, "description": "Successful Response"}}


def encode(data: dict[str, Any]) -> bytes:
    """``data`` as pydantic's JSON mode writes it, compact, in UTF-8."""
    try:
        return orjson.dumps(data, default=to_jsonable_python, option=_TO_PYDANTIC)
    except orjson.JSONEncodeError:  # an integer beyond 64 bits, which pydantic writes
        return PLAIN.dump_json(data)


class BuiltResponse(JSONResponse):
    """A ``JSONResponse`` whose body ``encode`` writes."""

    def render(self, content: Any) -> bytes:
        """The body."""
        return encode(content)


def as_built(data: dict[str, Any]) -> JSONResponse:
    """``data`` as JSON, keys and values as they are."""
    return BuiltResponse(data)
