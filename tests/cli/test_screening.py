"""``watchkeeper match``, ``screen`` and ``demo`` end to end on the bundled UN list."""

import csv
import gzip
import io
import json
import re
from pathlib import Path
from typing import Any

import pytest
from typer.testing import Result

from tests.cli.conftest import json_matches
from tests.conftest import FIXTURES, ROOT, SHARED, requires_shared

Wk = "functools.partial[Result]"
SAMPLE = ROOT / "src" / "watchkeeper" / "data" / "sample_travellers.csv"


def test_match_alias_spelling(un: Wk) -> None:
    matches = json_matches(
        un("match", "Abu Mohamed al-Adnani", "--lists", "un", "--format", "json")
    )
    assert matches[0]["entity_id"] == "un-QDi.325"
    assert matches[0]["reference"] == "QDi.325"
    assert matches[0]["alert"] is True


def test_match_arabic_script(un: Wk) -> None:
    matches = json_matches(un("match", "أيمن الظواهري", "--lists", "un", "--format", "json"))
    assert matches[0]["entity_id"] == "un-QDi.006"
    assert matches[0]["name"] == "AIMAN MUHAMMED RABI AL-ZAWAHIRI"
    assert matches[0]["alert"] is True


@requires_shared
def test_common_name_with_other_birth_date_does_not_alert(un: Wk) -> None:
    ofac = SHARED / "sanctions" / "ofac_sdn_2021-07"
    assert un("lists", "load", str(ofac), "--format", "ofac-csv", "--name", "ofac").exit_code == 0
    args = ("match", "Mohammed Ali", "--dob", "1990-01-01", "--lists", "un,ofac")
    matches = json_matches(un(*args, "--format", "json"))
    assert matches, "the best candidates are shown even without an alert"
    assert not any(m["alert"] for m in matches)
    features = {f["feature"]: f for f in matches[0]["explanation"]["features"]}  # type: ignore[index]
    assert (
        features["birth_date"]["contribution"] < 0
        or features["name_commonness"]["contribution"] < 0
    )
    table = un(*args)
    assert "no alert for 'Mohammed Ali'" in table.stdout


def test_match_usage_errors(un: Wk) -> None:
    result = un("match", "Omar", "--lists", "un", "--preset", "loose")
    assert result.exit_code == 2
    assert "unknown preset 'loose'; use one of: strict, balanced, broad" in result.stderr
    result = un("match", "Omar", "--lists", "nope")
    assert result.exit_code == 4 and "no list named 'nope'" in result.stderr


def test_screen_file(un: Wk, tmp_path: Path) -> None:
    result = un("screen", str(SAMPLE), "--lists", "un")
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["id"] for line in lines] == [f"T-{n:03d}" for n in range(1, 11)]
    alerted = {line["id"]: line["matches"][0]["entity_id"] for line in lines if line["matches"]}
    assert alerted["T-001"] == "un-QDi.325"
    assert alerted["T-002"] == alerted["T-005"] == "un-QDi.006"
    assert alerted["T-007"] == "un-QDe.137"
    assert "T-004" not in alerted  # Marie Dubois
    assert f"{SAMPLE}: 10 rows screened, " in " ".join(result.stderr.split())

    out = tmp_path / "hits.csv"
    assert (
        un("screen", str(SAMPLE), "--lists", "un", "--format", "csv", "--to", str(out)).exit_code
        == 0
    )
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert rows[0]["id"] == "T-001" and rows[0]["reference"] == "QDi.325"


def test_screen_to_a_file_replaces_it_whole_and_cleans_a_stale_partial(
    un: Wk, tmp_path: Path
) -> None:
    out = tmp_path / "hits.jsonl"
    out.write_text("the previous run's file\n")
    stale = tmp_path / "hits.jsonl.partial"
    stale.write_text('{"id": "T-001", "matc')  # a run killed while writing
    result = un("screen", str(SAMPLE), "--lists", "un", "--to", str(out))
    assert result.exit_code == 0, result.output
    assert [json.loads(line)["id"] for line in out.read_text().splitlines()][-1] == "T-010"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data", "hits.jsonl"]
    nowhere = tmp_path / "absent" / "hits.jsonl"
    failed = un("screen", str(SAMPLE), "--lists", "un", "--to", str(nowhere))
    assert failed.exit_code == 73 and f"cannot write {nowhere}" in failed.stderr


def test_screen_skips_bad_rows(un: Wk, tmp_path: Path) -> None:
    path = tmp_path / "in.jsonl"
    path.write_text('{"id": "a", "name": "Abu Mohamed al-Adnani"}\n{"id": "b"}\nnope\n', "utf-8")
    result = un("screen", str(path), "--lists", "un")
    assert result.exit_code == 65  # a row not screened is never silent
    assert [json.loads(line)["id"] for line in result.stdout.splitlines()] == ["a"]
    said = " ".join(result.stderr.split())
    assert f"{path}: line 2: name is missing" in said
    assert f"{path}: line 3: not JSON" in said
    assert f"{path}: 1 row screened, 1 with alerts, 2 rows skipped" in said
    assert "cannot load" not in said


def test_a_row_that_is_not_utf8_is_skipped_and_the_rest_screened(un: Wk, tmp_path: Path) -> None:
    """A customer row in Latin-1 would screen a mangled name and miss a listed person: that
    row is reported with the place of its bad byte, never read in a guessed code page, and
    the rows around it are screened."""
    path = tmp_path / "in.csv"
    path.write_bytes(
        b"id,name\n"
        + "b,José Muñoz\n".encode("latin-1")
        + b'c,"Abu Mohamed"x\n'
        + b"a,Abu Mohamed al-Adnani\n"
    )
    result = un("screen", str(path), "--lists", "un")
    assert result.exit_code == 65
    assert [json.loads(line)["id"] for line in result.stdout.splitlines()] == ["a"]
    said = " ".join(result.stderr.split())
    assert (
        f"{path}: line 2, byte offset 13: not UTF-8 (invalid continuation byte: e9); "
        "save the file as UTF-8" in said
    )
    assert f"{path}: line 3: malformed CSV: ',' expected after '\"'" in said
    assert f"{path}: 1 row screened, 1 with alerts, 2 rows skipped" in said


def test_a_corrupt_compressed_file_is_refused_whole(un: Wk, tmp_path: Path) -> None:
    """gzip checks its data only at the end: rows decoded before the damage is found may be
    altered, so none is screened and the file is to be sent again."""
    # Ids of 200 digits: past the reader's first megabyte in 6,000 rows, so that thousands
    # are read (and screened) before gzip's check at the end finds the damage.
    rows = b"id,name\n" + b"".join(b"%0200d,Person Number %d\n" % (n, n) for n in range(6_000))
    data = bytearray(gzip.compress(rows))
    data[len(data) // 2 : len(data) // 2 + 64] = bytes(64)
    path = tmp_path / "in.csv.gz"
    path.write_bytes(bytes(data))
    result = un("screen", str(path), "--lists", "un")
    assert result.exit_code == 65 and result.stdout == ""
    said = " ".join(result.stderr.split())
    found = re.search(
        rf"{re.escape(str(path))}: line (\d+), compressed byte [\d,]+: corrupt gzip", said
    )
    assert found is not None, said
    assert int(found[1]) > 1_000  # the damaged stream was read as rows before it was found
    assert f"{path}: refused whole: 0 rows screened, nothing written" in said
    assert "cannot load" not in said


def test_demo_loads_and_screens_the_bundled_sample(wk: Wk) -> None:
    result = wk("demo")
    assert result.exit_code == 0, result.output
    assert "Loaded version 1 of list 'un'" in result.stdout
    assert "ABOU MOHAMED AL ADNANI" in result.stdout
    assert "T-001 Abu Mohamed al-Adnani: 1 alert(s)" in result.stdout
    assert "T-004 Marie Dubois: no alert" in result.stdout
    flight = " ".join(result.stdout.split())
    assert "XY123 IST→LHR" in flight and "10 traveller(s), 1 flagged" in flight
    assert "YASER KHALAF NAZZAL" in flight and "ALERT name + DOB +" in flight  # a table cell
    assert "1 alert(s) stored for review" in flight


@pytest.fixture
def un_ofac(un: Wk) -> Wk:
    """The bundled UN list and three real OFAC SDN entries (tests/fixtures/SOURCES.md)."""
    ofac = FIXTURES / "ofac" / "sdn_links"
    assert un("lists", "load", str(ofac), "--format", "ofac-csv", "--name", "ofac").exit_code == 0
    return un


def _persons(result: Result) -> list[dict[str, Any]]:
    assert result.exit_code == 0, result.output
    persons: list[dict[str, Any]] = json.loads(result.stdout)["persons"]
    return persons


def test_a_man_listed_by_un_and_ofac_is_one_person(un_ofac: Wk) -> None:
    args = ("match", "Abu Mohamed al-Adnani", "--lists", "un,ofac")
    first = _persons(un_ofac(*args, "--format", "json"))[0]
    assert sorted(first["entity_ids"]) == ["ofac-17066", "un-QDi.325"]
    assert first["alert"] is True
    listings = {m["entity_id"]: m for m in first["listings"]}
    assert listings["un-QDi.325"]["score"] > 0.9 and listings["ofac-17066"]["score"] > 0.9
    assert all(m["explanation"]["features"] for m in listings.values())
    [link] = first["links"]
    assert {"kind": "name_birth_date", "value": "abu mohammed al adnani|1977"} in link["facts"]
    table = un_ofac(*args)  # the link lines are never wrapped
    assert "person 1 is listed as " in table.stdout
    assert "linked by name + birth date" in table.stdout


def test_two_men_who_share_a_name_stay_two_people(un_ofac: Wk) -> None:
    persons = _persons(un_ofac("match", "Abu Jihad", "--lists", "un,ofac", "--format", "json"))
    ids = [p["entity_ids"] for p in persons]
    assert ["un-QDi.192"] in ids and ["ofac-6924"] in ids
    assert all(not p["links"] for p in persons)


def test_screen_writes_each_person_once(un_ofac: Wk, tmp_path: Path) -> None:
    people = tmp_path / "people.csv"
    people.write_text("id,name\nt1,Abu Mohamed al-Adnani\n")
    result = un_ofac("screen", str(people), "--lists", "un,ofac", "--format", "jsonl")
    assert result.exit_code == 0, result.output
    line = json.loads(result.stdout.splitlines()[0])
    assert len(line["matches"]) == 2 and len(line["persons"]) == 1
    assert sorted(line["persons"][0]["entity_ids"]) == ["ofac-17066", "un-QDi.325"]
    rows = list(csv.DictReader(io.StringIO(
        un_ofac("screen", str(people), "--lists", "un,ofac", "--format", "csv").stdout
    )))  # fmt: skip
    assert [(r["person"], r["entity_id"]) for r in rows][:2] in (
        [("1", "ofac-17066"), ("1", "un-QDi.325")],
        [("1", "un-QDi.325"), ("1", "ofac-17066")],
    )
