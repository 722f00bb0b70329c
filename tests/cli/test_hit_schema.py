"""One hit schema: ``screen``'s JSON lines and CSV and ``batch screen``'s Parquet carry the
same fields with the same values for the same input (reference, alert, reason and the
full explanation included)."""

import csv
import functools
import io
import json
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
from typer.testing import Result

from watchkeeper.matching.hit_rows import FIELDS

Wk = functools.partial[Result]
PEOPLE = (
    "id,name,birth_date\n"
    "c1,Ayman al-Zawahiri,1951-06-19\n"
    "c2,Margaret Holloway,1981-03-12\n"
    "c3,Abu Mohamed al-Adnani,\n"
)


def _typed(row: dict[str, Any]) -> dict[str, Any]:
    """A CSV row with the types JSON and Parquet give: numbers, a flag, an object."""
    return {
        **row,
        "row": int(row["row"]),
        "person": int(row["person"]),
        "score": float(row["score"]),
        "alert": row["alert"] == "True",
        "explanation": json.loads(row["explanation"]),
    }


def test_json_lines_csv_and_parquet_agree(un: Wk, tmp_path: Path) -> None:
    people = tmp_path / "people.csv"
    people.write_text(PEOPLE, encoding="utf-8")

    lines = un("screen", str(people), "--lists", "un", "--limit", "10", "--format", "jsonl")
    assert lines.exit_code == 0, lines.output
    from_json = []
    for text in lines.stdout.splitlines():
        record = json.loads(text)
        fields = {k: record[k] for k in ("id", "row", "query")}
        from_json += [{**fields, **match} for match in record["matches"]]

    table = un("screen", str(people), "--lists", "un", "--limit", "10", "--format", "csv")
    assert table.exit_code == 0, table.output
    reader = csv.DictReader(io.StringIO(table.stdout))
    assert tuple(reader.fieldnames or ()) == FIELDS
    from_csv = [_typed(row) for row in reader]

    target = tmp_path / "hits.parquet"
    batch = un("batch", "screen", str(people), "--to", str(target), "--lists", "un",
               "--workers", "1")  # fmt: skip
    assert batch.exit_code == 0, batch.output
    hits = pq.read_table(target)
    assert tuple(hits.column_names) == FIELDS
    from_parquet = [
        {**row, "explanation": json.loads(row["explanation"])} for row in hits.to_pylist()
    ]

    assert all(tuple(row) == FIELDS for row in from_json)
    assert from_json == from_csv == from_parquet
    first = from_json[0]
    assert (first["id"], first["row"], first["query"]) == ("c1", 1, "Ayman al-Zawahiri")
    assert (first["entity_id"], first["reference"], first["alert"]) == (
        "un-QDi.006",
        "QDi.006",
        True,
    )
    assert first["reason"].startswith("name + DOB match un-QDi.006")
    assert first["explanation"]["features"]  # the whole explanation, not a summary
    assert {row["id"] for row in from_json} == {"c1", "c3"}
