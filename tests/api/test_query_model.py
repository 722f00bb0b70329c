"""Query parameters read as one model (``api.query_model``): the same values, faults and
OpenAPI parameters as FastAPI's own reading of them one by one."""

import asyncio
from typing import Annotated, Any

import pytest
from fastapi import Depends, FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.testclient import TestClient
from pydantic import Field

from tests.api.conftest import auth
from watchkeeper.api.query_model import QueryModel, documented, reader


class Sample(QueryModel):
    limit: int = Field(5, ge=1, le=500, description="Results to return")
    names: tuple[str, ...] = ()
    since: str | None = Field(None, pattern=r"^\d{4}$")


read = reader(Sample)


def request(query: bytes) -> Request:
    return Request({"type": "http", "method": "GET", "path": "/", "query_string": query})


def test_no_parameters_are_the_defaults_built_once() -> None:
    first = asyncio.run(read(request(b"")))
    assert first == Sample()
    assert asyncio.run(read(request(b""))) is first
    assert asyncio.run(read(request(b"api_key=wk_secret"))) is first  # not a parameter of ours


def test_values_are_validated_and_repeated_names_are_lists() -> None:
    given = asyncio.run(read(request(b"limit=3&names=a&names=b&since=2024")))
    assert given == Sample(limit=3, names=("a", "b"), since="2024")


@pytest.mark.parametrize(
    ("query", "where"), [(b"limit=0", "limit"), (b"limit=x", "limit"), (b"since=24", "since")]
)
def test_faults_are_located_in_the_query(query: bytes, where: str) -> None:
    with pytest.raises(RequestValidationError) as refused:
        asyncio.run(read(request(query)))
    assert [e["loc"] for e in refused.value.errors()] == [("query", where)]


def test_the_openapi_parameters_are_fastapis() -> None:
    app = FastAPI()

    @app.get("/one-by-one")
    def one_by_one(
        limit: Annotated[int, Query(ge=1, le=500, description="Results to return")] = 5,
        names: Annotated[list[str], Query()] = [],  # noqa: B006 - FastAPI copies the default
        since: Annotated[str | None, Query(pattern=r"^\d{4}$")] = None,
    ) -> None:
        """Read by FastAPI."""

    @app.get("/as-a-model", openapi_extra=documented(Sample))
    def as_a_model(params: Annotated[Sample, Depends(read)]) -> None:
        """Read by ``reader``."""

    paths: dict[str, Any] = app.openapi()["paths"]
    fastapis = paths["/one-by-one"]["get"]["parameters"]
    assert paths["/as-a-model"]["get"]["parameters"] == fastapis


def test_a_match_request_with_a_bad_parameter_is_refused_with_422(
    client: TestClient, tokens: dict[str, str]
) -> None:
    body = {"queries": {"q": {"schema": "Person", "properties": {"name": ["Ali"]}}}}
    refused = client.post("/match/un?limit=0", json=body, headers=auth(tokens["sam"]))
    assert refused.status_code == 422
    assert [fault["loc"] for fault in refused.json()["detail"]] == [["query", "limit"]]
