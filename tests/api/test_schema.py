"""The served API against its own OpenAPI document: schemathesis sends generated requests
(valid and not) to every operation, with a supervisor's token, and fails on any 5xx, on a
status the operation does not declare, and on a body that is not the declared shape."""

from typing import Any

import hypothesis
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, strategies
from schemathesis.checks import not_a_server_error
from schemathesis.errors import FailureGroup
from schemathesis.specs.openapi.checks import (
    response_schema_conformance,
    status_code_conformance,
)

from tests.api.conftest import auth
from watchkeeper.lanes.travel.lane import EXAMPLE
from watchkeeper.settings import Settings
from watchkeeper.sharing.keys import init_keys

CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance]
EXAMPLES = 30  # per operation: seconds for the whole API, well under the 2 minutes allowed


@schemathesis.serializer("application/edifact")
def edifact(_ctx: schemathesis.SerializationContext, value: Any) -> bytes:
    """Travel messages go as they are: text, or bytes already."""
    return value if isinstance(value, bytes) else str(value).encode("utf-8")


def test_the_api_keeps_its_contract(
    server: int, tokens: dict[str, str], settings: Settings
) -> None:
    init_keys(settings.data_dir, "XX-TEST")  # TAXII answers once the agency has keys
    schema = schemathesis.openapi.from_url(f"http://127.0.0.1:{server}/openapi.json")
    headers = auth(tokens["sue"])
    failures: list[str] = []
    tried: list[str] = []
    for found in schema.get_all_operations():
        operation = found.ok()

        @given(case=operation.as_strategy(), listed=strategies.booleans())
        @hypothesis.settings(
            max_examples=EXAMPLES,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            derandomize=True,  # the same requests every run: a failure is reproducible
            database=None,
        )
        def keeps_contract(case: schemathesis.Case, listed: bool) -> None:
            if listed and "dataset" in (case.path_parameters or {}):
                case.path_parameters = {**case.path_parameters, "dataset": "un"}  # not a 404
            case.call_and_validate(headers=headers, checks=CHECKS)

        try:
            keeps_contract()
        except (AssertionError, FailureGroup) as exc:  # every operation is tried; all reported
            failures.append(f"{operation.label}: {exc}")
        tried.append(operation.label)
    assert len(tried) == 37, tried
    assert not failures, "\n\n".join(failures)


def test_the_travel_example_screens(client: TestClient, tokens: dict[str, str]) -> None:
    answer = client.post("/travel/messages", content=EXAMPLE, headers=auth(tokens["sam"]))
    assert answer.status_code == 200, answer.text
    [report] = answer.json()["reports"]
    assert [t["name"] for t in report["travellers"]] == ["PIERRE DUBOIS"]
