"""FollowTheMoney JSON lines: the OpenSanctions fixtures load exactly; bad lines are reported."""

# ruff: noqa: RUF001  (Cyrillic names are the point of these fixtures, not look-alike typos)

import gzip
import json
import random
from collections import Counter
from pathlib import Path

import pytest
from followthemoney import registry

from tests.conftest import read_all
from watchkeeper.errors import SourceError
from watchkeeper.sources import get_source
from watchkeeper.sources.base import Record
from watchkeeper.sources.ftm import FtMSource, clean_cached, is_clean_name, is_plain

FIXTURES = Path(__file__).parent.parent / "fixtures" / "ftm"
T1 = FIXTURES / "yente_t1.ftm.json"
ZALA = FIXTURES / "yente_zala.ftm.json"
ZAKHAROV = "NK-aU5ybkbRFJucf8YMwsJvDw"


def load(path: Path) -> tuple[list[Record], FtMSource]:
    return read_all(FtMSource(path))


def by_id(records: list[Record]) -> dict[str, Record]:
    return {record.id: record for record in records}


def write_lines(path: Path, *lines: object) -> Path:
    path.write_text(
        "\n".join(line if isinstance(line, str) else json.dumps(line) for line in lines) + "\n",
        encoding="utf-8",
    )
    return path


def person(entity_id: str, name: str, **props: list[str]) -> dict[str, object]:
    return {"id": entity_id, "schema": "Person", "properties": {"name": [name], **props}}


def test_registered_under_its_format_name() -> None:
    assert isinstance(get_source("ftm", T1), FtMSource)


def test_t1_loads_every_entity_with_publisher_ids() -> None:
    records, source = load(T1)
    assert source.issues == []
    assert [r.id for r in records] == [
        "NK-2GdmHtZTeNXjNVrBGEXZNj",
        "NK-2Ka3UvopqbpZmVDFjWd4LA",
        "NK-2KeUB68qUJtykm3BuAcazG",
        "NK-2MQE6AmhAk4tqhENJAMUG9",
        "NK-2Mht2rqBeravCTdyQAWc4o",
        "NK-2Myxbs6wX9xFKGoQn3sLaY",
        "NK-2PacmNpiLUmoz4XD2mSt7A",
    ]
    assert Counter(r.entity.schema.name for r in records) == {
        "Person": 4,
        "Organization": 2,
        "Address": 1,
    }
    assert all(r.adjacent == [] for r in records)


def test_t1_keeps_names_in_every_script_and_cleaned_values() -> None:
    kuzmenko = by_id(load(T1)[0])["NK-2Ka3UvopqbpZmVDFjWd4LA"].entity
    assert set(kuzmenko.get("name")) == {
        "Vitalij Kuzmenko",
        "Виталий Юрьевич КУЗЬМЕНКО",
        "Vitaly Yurievich KUZMENKO",
    }
    assert kuzmenko.get("birthDate") == ["1971-01-22"]
    assert kuzmenko.get("nationality") == ["ru"]
    assert kuzmenko.get("gender") == ["male"]


def test_t1_drops_export_metadata() -> None:
    irgc = by_id(load(T1)[0])["NK-2PacmNpiLUmoz4XD2mSt7A"].entity
    assert set(irgc.to_dict()) == {"id", "schema", "properties"}


def test_zala_schema_counts() -> None:
    records, source = load(ZALA)
    assert source.issues == []
    assert len(records) == 91
    assert Counter(r.entity.schema.name for r in records) == {
        "Sanction": 41,
        "Ownership": 14,
        "Company": 11,
        "Address": 11,
        "Person": 6,
        "Family": 4,
        "Directorship": 3,
        "Passport": 1,
    }


def test_zala_keeps_relations_and_cyrillic_names() -> None:
    records = by_id(load(ZALA)[0])
    zakharov = records[ZAKHAROV].entity
    assert "Александр Вячеславович Захаров" in zakharov.get("name")
    assert "Aleksandr Vyacheslavovich Zakharov" in zakharov.get("name")
    sanction = records["ofac-927f7a4547f68cd05570180fed763dd2d5d8eca7"].entity
    assert sanction.schema.name == "Sanction"
    assert sanction.get("entity") == [ZAKHAROV]
    passport = records["gb-fcdo-217caa5aa607244044b49706d04d8d6c5ec992bd"].entity
    assert passport.get("holder") == [ZAKHAROV]
    family = records["ofac-6d023267c742427bc92220ad97daca2e17b136ff"].entity
    assert family.get("person") == ["NK-JseaPJctnK9o8wrmz8xmoT"]
    assert family.get("relative") == [ZAKHAROV]


def test_gzip_input(tmp_path: Path) -> None:
    path = tmp_path / "entities.ftm.json.gz"
    path.write_bytes(gzip.compress(T1.read_bytes()))
    records, source = load(path)
    assert len(records) == 7
    assert source.issues == []


def test_bad_lines_are_problems_and_the_rest_loads(tmp_path: Path) -> None:
    path = write_lines(
        tmp_path / "mixed.jsonl",
        person("p1", "Alpha One"),
        "{not json",
        "",
        person("p2", "Beta Two"),
        {"id": "x1", "schema": "Starship", "properties": {}},
        {"id": "x2", "schema": "Person", "properties": {"shoeSize": ["44"]}},
        {"schema": "Person", "properties": {"name": ["No Id"]}},
        {"id": "x3", "properties": {"name": ["No Schema"]}},
        {"id": "x4", "schema": "Person", "properties": {"sanctions": ["s1"]}},
        {"id": "x5", "schema": "Person", "properties": {"name": "Not A List"}},
        person("p3", "Gamma Three"),
    )
    records, source = load(path)
    assert [r.id for r in records] == ["p1", "p2", "p3"]
    problems = {issue.position: issue.problem for issue in source.issues}
    assert problems["line 2"].startswith("not JSON: ")
    assert problems["line 5"] == "entity x1: unknown schema 'Starship'"
    assert problems["line 6"] == "unknown property 'shoeSize' for schema Person"
    assert problems["line 7"] == "missing id"
    assert problems["line 8"] == "entity x3: missing schema"
    assert "reverse property" in problems["line 9"]
    assert problems["line 10"] == "property 'name': values must be a list of strings"
    assert len(source.issues) == 7
    assert all(issue.path == str(path) for issue in source.issues)


def test_unreadable_values_are_dropped_but_the_entity_loads(tmp_path: Path) -> None:
    path = write_lines(
        tmp_path / "dates.jsonl",
        {"id": "p1", "schema": "Person", "properties": {"birthDate": ["not a date"]}},
        person("p2", "  Spaced   Name ", birthDate=["1980-02-30", "1980-02-03"]),
    )
    records, source = load(path)
    assert source.issues == []
    assert records[0].entity.get("birthDate") == []
    assert records[1].entity.get("birthDate") == ["1980-02-03"]
    assert records[1].entity.get("name") == ["Spaced Name"]


def test_adjacent_duplicates_merge(tmp_path: Path) -> None:
    path = write_lines(
        tmp_path / "dupes.jsonl",
        person("p1", "Alpha One"),
        person("p1", "Alpha Uno", nationality=["fr"]),
        person("p2", "Beta Two"),
    )
    records, source = load(path)
    assert source.issues == []
    assert [r.id for r in records] == ["p1", "p2"]
    assert set(records[0].entity.get("name")) == {"Alpha One", "Alpha Uno"}
    assert records[0].entity.get("nationality") == ["fr"]


def test_adjacent_duplicates_of_incompatible_schemata_are_a_problem(tmp_path: Path) -> None:
    path = write_lines(
        tmp_path / "clash.jsonl",
        person("p1", "Alpha One"),
        {"id": "p1", "schema": "Vessel", "properties": {"name": ["Alpha"]}},
    )
    records, source = load(path)
    assert [r.entity.schema.name for r in records] == ["Person"]
    assert [i.position for i in source.issues] == ["line 2"]


def test_non_adjacent_duplicate_is_a_problem(tmp_path: Path) -> None:
    path = write_lines(
        tmp_path / "dupes.jsonl",
        person("p1", "Alpha One"),
        person("p2", "Beta Two"),
        person("p1", "Alpha Again"),
    )
    records, source = load(path)
    assert [r.id for r in records] == ["p1", "p2"]
    assert records[0].entity.get("name") == ["Alpha One"]
    assert [(i.position, i.problem) for i in source.issues] == [
        ("line 3", "duplicate id p1 (first at line 1)")
    ]


def test_many_invalid_entities_are_problems_not_a_format_failure(tmp_path: Path) -> None:
    unknown = [{"id": f"x{i}", "schema": "Starship", "properties": {}} for i in range(25)]
    records, source = load(write_lines(tmp_path / "new.jsonl", *unknown, person("p1", "A")))
    assert [r.id for r in records] == ["p1"]
    assert len(source.issues) == 25


def test_json_array_file_fails_cleanly(tmp_path: Path) -> None:
    path = tmp_path / "array.json"
    path.write_text(json.dumps([person("p1", "Alpha One"), person("p2", "Beta")], indent=2))
    source = FtMSource(path)
    with pytest.raises(SourceError) as caught:
        list(source.records())
    (issue,) = caught.value.issues
    assert issue.position == "line 1"
    assert issue.problem.startswith("not FollowTheMoney JSON lines: ")
    assert source.issues == []


def test_single_line_json_array_fails_cleanly(tmp_path: Path) -> None:
    path = write_lines(tmp_path / "array.json", json.dumps([person("p1", "Alpha One")]))
    with pytest.raises(SourceError, match="not FollowTheMoney JSON lines: 1 of the first 1"):
        list(FtMSource(path).records())


def test_mostly_bad_start_fails_even_in_a_long_file(tmp_path: Path) -> None:
    good = [person(f"p{i}", f"Person {i}") for i in range(30)]
    path = write_lines(tmp_path / "bad.jsonl", *(["garbage"] * 11), *good)
    with pytest.raises(SourceError, match="11 of the first 20 lines"):
        list(FtMSource(path).records())


def test_empty_file_fails(tmp_path: Path) -> None:
    path = tmp_path / "empty.ftm.json"
    path.write_text("")
    with pytest.raises(SourceError, match="is empty"):
        list(FtMSource(path).records())


def test_blank_lines_only_fails(tmp_path: Path) -> None:
    path = tmp_path / "blank.ftm.json"
    path.write_text("\n\n  \n")
    with pytest.raises(SourceError, match="no entities found"):
        list(FtMSource(path).records())


def test_only_bad_entities_leave_their_problems(tmp_path: Path) -> None:
    path = write_lines(tmp_path / "bad.jsonl", {"id": "x1", "schema": "Starship"})
    records, source = load(path)
    assert records == []
    assert [i.problem for i in source.issues] == ["entity x1: unknown schema 'Starship'"]


def test_clean_name_shortcut_agrees_with_ftm() -> None:
    rng = random.Random(7)
    alphabet = "ab Z'\"-.,\t\n\x00\u00a0\u200bé"
    samples = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 6))) for _ in range(5000)]
    names = [s for s in samples if is_clean_name(s)]
    plain = [s for s in samples if is_plain(s)]
    assert len(names) > 100 and len(plain) > len(names)
    assert all(registry.name.clean(s) == s for s in names)
    assert all(registry.string.clean(s) == s for s in plain)
    assert all(registry.identifier.clean(s) == s for s in plain)
    assert not is_clean_name(" Padded") and not is_clean_name('"Quoted"')


def test_iso_day_shortcut_agrees_with_ftm() -> None:
    """The fast path for YYYY-MM-DD dates must keep and drop exactly what FtM does."""
    rng = random.Random(7)
    values = ["1990-02-30", "2024-02-29", "2023-02-29", "1000-01-01", "0999-12-31", "3000-01-01"]
    values += [
        f"{rng.randint(0, 3999):04d}-{rng.randint(0, 13):02d}-{rng.randint(0, 32):02d}"
        for _ in range(5000)
    ]
    for value in values:
        assert clean_cached("date", value, None) == registry.date.clean(value), value
