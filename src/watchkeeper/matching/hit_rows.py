"""One hit schema for every output of a screening run: ``screen``'s JSON lines and CSV and
``batch screen``'s Parquet carry the same fields, so that a file written one way reads like
the others (the analyst's reference, the alert flag, the one-line reason and the full
explanation in each).

A flat row (CSV, Parquet) is the record's fields then the hit's; JSON lines give the record's
fields once and its hits under ``matches``, each with the hit's fields. The explanation is an
object in JSON and the same object as JSON text in a flat row."""

from typing import Any

import orjson

from watchkeeper.matching.screener import Hit

RECORD_FIELDS = ("id", "row", "query")
"""The screened record: its id, its number among the input's records (from 1) and the
name screened."""
HIT_FIELDS = (
    "person",
    "entity_id",
    "list",
    "reference",
    "name",
    "schema",
    "score",
    "alert",
    "reason",
    "explanation",
)
"""One hit: which person of the record's hits (numbered from 1: listings linked as one
person share a number), the listed entity and why."""
FIELDS = RECORD_FIELDS + HIT_FIELDS


def record_fields(record_id: str, row: int, query: str) -> dict[str, Any]:
    """The record's fields (``RECORD_FIELDS``)."""
    return {"id": record_id, "row": row, "query": query}


def hit_fields(hit: Hit, person: int) -> dict[str, Any]:
    """The hit's fields (``HIT_FIELDS``), the explanation as an object."""
    return {
        "person": person,
        "entity_id": hit.entity_id,
        "list": hit.list_name,
        "reference": hit.reference,
        "name": hit.name,
        "schema": hit.schema,
        "score": round(hit.score, 4),
        "alert": hit.alert,
        "reason": hit.reason,
        "explanation": hit.result.as_dict(),
    }


def flat_row(record: dict[str, Any], hit: Hit, person: int) -> dict[str, Any]:
    """A row of ``FIELDS`` for CSV and Parquet: the explanation as JSON text."""
    fields = hit_fields(hit, person)
    fields["explanation"] = orjson.dumps(fields["explanation"]).decode("utf-8")
    return {**record, **fields}
