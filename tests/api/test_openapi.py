"""The OpenAPI document shows the shape of every answer: each operation declares a 2xx
response whose body has a named schema (a pydantic model), never FastAPI's empty default or
an untyped object, and HTML answers are declared as text."""

from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from watchkeeper.service.app import create_app
from watchkeeper.settings import get_settings

OPERATIONS = 37  # as the schemathesis test counts them


def named(schema: dict[str, Any], components: dict[str, Any]) -> bool:
    """Whether ``schema`` is a model of ``components``, a list of one, or a choice of them."""
    if "$ref" in schema:
        return schema["$ref"].removeprefix("#/components/schemas/") in components
    if schema.get("type") == "array":
        return named(schema.get("items", {}), components)
    choices = schema.get("anyOf", [])
    return bool(choices) and all(named(c, components) for c in choices)


def test_every_operation_declares_the_shape_of_its_answer(tmp_path: Path) -> None:
    app = create_app(get_settings(data_dir=tmp_path), background=False)
    with TestClient(app) as client:
        document = client.get("/openapi.json").json()
    components = document["components"]["schemas"]
    seen, undeclared = 0, []
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            seen += 1
            label = f"{method.upper()} {path}"
            answers = {s: r for s, r in operation["responses"].items() if s.startswith("2")}
            bodies = [
                (media, body.get("schema", {}))
                for answer in answers.values()
                for media, body in answer.get("content", {}).items()
            ]
            if not bodies:
                undeclared.append(f"{label}: no 2xx body")
            for media, schema in bodies:
                if media == "text/html":
                    ok = schema == {"type": "string"}
                else:
                    ok = named(schema, components)
                if not ok:
                    undeclared.append(f"{label} {media}: {schema}")
    assert seen == OPERATIONS
    assert not undeclared, "\n".join(undeclared)


def test_an_untyped_answer_is_found() -> None:
    components = {"Alert": {}}
    assert named({"$ref": "#/components/schemas/Alert"}, components)
    assert named({"type": "array", "items": {"$ref": "#/components/schemas/Alert"}}, components)
    assert not named({}, components)  # FastAPI's default for an undeclared answer
    assert not named({"type": "object", "additionalProperties": True}, components)
    assert not named({"anyOf": [{"$ref": "#/components/schemas/Alert"}, {}]}, components)
