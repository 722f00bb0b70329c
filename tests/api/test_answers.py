"""Answers written as built: the bytes FastAPI's pydantic encoding writes for a
``dict[str, Any]``, whatever the values, and a match answer that echoes odd numbers."""

import dataclasses
import enum
import json
import uuid
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pytest
from fastapi.responses import JSONResponse
from fastapi.testclient import TestClient

from tests.api.conftest import auth
from watchkeeper.api.answers import PLAIN, encode


class Colour(enum.Enum):
    RED = "red"


class Name(str):
    """A subclass of a JSON type."""


@dataclasses.dataclass
class Point:
    x: float
    on: date


@pytest.mark.parametrize(
    "data",
    [
        {"nan": float("nan"), "inf": float("inf"), "-inf": float("-inf")},
        {"big": 10**30, "small": -(10**25), "list": [1, 2.5, None, True]},
        {"aware": datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC), "naive": datetime(2024, 1, 2, 3)},
        {"day": date(2020, 1, 1), "point": Point(1.0, date(2020, 1, 2)), "tuple": (1, "é")},
        {"id": uuid.UUID(int=5), "enum": Colour.RED, "sub": Name("Ḥasan"), "dec": Decimal("1.50")},
        {"text": "الزرقاوي 扎卡维", "nested": {"a": [{"b": "c"}]}, "score": 0.30000000000000004},
    ],
)
def test_the_bytes_are_pydantics(data: dict[str, Any]) -> None:
    assert encode(data) == JSONResponse(PLAIN.dump_python(data, mode="json")).body


def test_small_numbers_keep_their_value() -> None:
    data = {"tiny": 1e-7, "huge": 1e300, "zero": -0.0}
    assert json.loads(encode(data)) == data


def test_a_match_answer_echoes_the_query_as_pydantic_writes_it(
    client: TestClient, tokens: dict[str, str]
) -> None:
    body = (
        '{"queries": {"q": {"schema": "Person", "properties": {"name": ["Adnani"], '
        '"notes": [NaN, 123456789012345678901234567890, "f\\u00fcr"]}}}}'
    )
    headers = {**auth(tokens["sam"]), "Content-Type": "application/json"}
    answer = client.post("/match/un", content=body, headers=headers)
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"] == "application/json"
    echoed = answer.json()["responses"]["q"]["query"]["properties"]["notes"]
    assert echoed == [None, 123456789012345678901234567890, "für"]
