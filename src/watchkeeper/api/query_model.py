"""A handler's query parameters read as one pydantic model, in one validation.

FastAPI reads each query parameter of a handler on its own (its aliases, whether it is a
list, a validation, a copy of its default): yente's eleven parameters of ``/match`` were a
tenth of a match request's time, though a match request rarely sends any. ``reader(Model)``
is a dependency that validates what a request sends in one call, and answers a request that
sends none of them with the model's defaults, built once (the model is frozen, so every
request may share them). FastAPI does not see the parameters of such a dependency, so
``documented(Model)`` gives the OpenAPI document the parameters it would have listed.
"""

from collections.abc import Awaitable, Callable
from typing import Any, TypeVar, get_origin

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, ConfigDict, ValidationError


class QueryModel(BaseModel):
    """Query parameters: frozen (one instance of defaults serves every request), unknown
    names ignored as FastAPI ignores them (``api_key`` is the token's, not the handler's)."""

    model_config = ConfigDict(frozen=True, extra="ignore")


M = TypeVar("M", bound=QueryModel)


def reader(model: type[M]) -> Callable[[Request], Awaitable[M]]:
    """A dependency that reads ``model`` from a request's query string; 422 as FastAPI
    answers an invalid parameter (each fault located at ``("query", name)``)."""
    defaults = model()
    repeated = {name for name, f in model.model_fields.items() if _is_sequence(f.annotation)}

    async def read(request: Request) -> M:
        if not request.scope["query_string"]:
            return defaults
        sent = request.query_params
        given = {
            name: sent.getlist(name) if name in repeated else sent[name]
            for name in model.model_fields
            if name in sent
        }
        if not given:
            return defaults
        try:
            return model.model_validate(given)
        except ValidationError as exc:
            faults = exc.errors(include_url=False)
            located = [{**e, "loc": ("query", *e["loc"])} for e in faults]
            raise RequestValidationError(located) from None

    return read


def documented(model: type[QueryModel]) -> dict[str, Any]:
    """The ``openapi_extra`` of a handler that reads ``model``: its fields as optional query
    parameters, with the schemas and descriptions FastAPI would have written."""
    schema = model.model_json_schema()
    assert "$defs" not in schema, "a query parameter is a plain value or a list of them"
    parameters = []
    for name, field in schema["properties"].items():
        described = {"description": field["description"]} if "description" in field else {}
        parameters.append(
            {"name": name, "in": "query", "required": False, **described, "schema": field}
        )
    return {"parameters": parameters}


def _is_sequence(annotation: Any) -> bool:
    return get_origin(annotation) in (list, tuple)
