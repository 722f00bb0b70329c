"""Agency profiles: the example files load exactly, and hand-typed faults are caught."""

import json
from pathlib import Path

import pytest

from tests.conftest import read_all
from watchkeeper.errors import SourceError
from watchkeeper.sources import get_source
from watchkeeper.sources.base import Record
from watchkeeper.sources.profiles import ProfilesSource, handling_code, owner_slug

EXAMPLES = Path(__file__).parent.parent.parent / "examples" / "profiles"
CSV_EXAMPLE = EXAMPLES / "ftf_profiles.csv"
JSON_EXAMPLE = EXAMPLES / "ftf_profiles.json"
HEADER = "id,name,handling_code,owner"


def load(path: Path) -> tuple[list[Record], ProfilesSource]:
    return read_all(ProfilesSource(path))


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def problems(source: ProfilesSource) -> list[tuple[str, str]]:
    return [(issue.position, issue.problem) for issue in source.issues]


def test_registered_under_its_format_name() -> None:
    assert isinstance(get_source("profiles", CSV_EXAMPLE), ProfilesSource)


def test_owner_slug() -> None:
    assert owner_slug("FR-DGSI") == "fr-dgsi"
    assert owner_slug("  Police aux Frontières / PAF ") == "police-aux-fronti-res-paf"


def test_csv_example_ids_and_schemata() -> None:
    records, source = load(CSV_EXAMPLE)
    assert source.issues == []
    assert [(r.id, r.entity.schema.name) for r in records] == [
        ("profile-xx-bpu-FTF-0001", "Person"),
        ("profile-xx-bpu-FTF-0002", "Person"),
        ("profile-xx-bpu-FTF-0003", "Person"),
        ("profile-xx-bpu-FTF-0004", "Person"),
        ("profile-xx-bpu-FTF-0005", "Organization"),
        ("profile-xx-bpu-FTF-0006", "Person"),
    ]


def test_csv_example_main_entity() -> None:
    main = load(CSV_EXAMPLE)[0][0].entity
    assert main.get("name") == ["Karim Exemplaire"]
    assert main.get("alias") == ["Karim Exemplar", "Karim Ekzemplar"]
    assert main.get("weakAlias") == ["Abu Exemple"]
    assert main.get("firstName") == ["Karim"]
    assert main.get("lastName") == ["Exemplaire"]
    assert main.get("birthDate") == ["1991-04-12"]
    assert main.get("birthPlace") == ["Lyon"]
    assert main.get("nationality") == ["fr", "tn"]
    assert main.get("gender") == ["male"]
    assert main.get("topics") == ["crime.terror"]
    assert main.get("publisher") == ["XX-BPU"]
    assert main.get("passportNumber") == ["X0000001"]
    assert main.get("idNumber") == ["ID000001"]
    assert main.get("notes") == ["Fictitious profile for software tests; not a real person."]


def test_csv_example_documents_and_listing() -> None:
    record = load(CSV_EXAMPLE)[0][0]
    passport, identification, listing = record.adjacent
    assert passport.schema.name == "Passport"
    assert passport.id is not None and passport.id.startswith("profile-xx-bpu-FTF-0001-doc-")
    assert passport.get("holder") == ["profile-xx-bpu-FTF-0001"]
    assert passport.get("number") == ["X0000001"]
    assert passport.get("country") == ["fr"]
    assert identification.schema.name == "Identification"
    assert identification.get("type") == ["national_id"]
    assert identification.get("country") == ["tn"]
    assert listing.id == "profile-xx-bpu-FTF-0001-listing"
    assert listing.schema.name == "Sanction"
    assert listing.get("entity") == ["profile-xx-bpu-FTF-0001"]
    assert listing.get("authority") == ["XX-BPU"]
    assert listing.get("program") == ["agency watchlist"]
    assert listing.get("summary") == ["TLP:AMBER"]
    assert listing.get("listingDate") == ["2023-05-02"]
    assert handling_code(listing) == "AMBER"


def test_every_example_handling_code_is_retrievable() -> None:
    codes = [handling_code(r.adjacent[-1]) for r in load(CSV_EXAMPLE)[0]]
    assert codes == ["AMBER", "RED", "GREEN", "AMBER+STRICT", "CLEAR", "AMBER"]


def test_multi_values_and_organisation_fields() -> None:
    records = load(CSV_EXAMPLE)[0]
    assert records[3].entity.get("birthDate") == ["1979-02-28", "1979-03-01"]
    assert records[2].entity.get("birthDate") == ["1988-11"]
    organisation = records[4].entity
    assert organisation.get("country") == ["sy"]
    assert organisation.get("alias") == ["FFEB", "Example Brigade"]
    assert records[5].entity.get("alias") == ["Мира Пшикладова"]


def test_json_example_matches_csv_example() -> None:
    csv_records, _ = load(CSV_EXAMPLE)
    json_records, source = load(JSON_EXAMPLE)
    assert source.issues == []
    assert [[e.to_dict() for e in r.entities()] for r in json_records] == [
        [e.to_dict() for e in r.entities()] for r in csv_records
    ]


def test_json_lines_and_document_expiry(tmp_path: Path) -> None:
    item = {
        "id": 17,
        "name": "Test Person",
        "handling_code": "tlp:amber+strict",
        "owner": "FR-DGSI",
        "documents": [
            {"type": "Passport", "number": "P1", "country": "Syria", "expires": "2030-01-31"}
        ],
    }
    path = write(tmp_path / "p.jsonl", "\n" + json.dumps(item) + "\n")
    (record,), source = load(path)
    assert source.issues == []
    assert record.id == "profile-fr-dgsi-17"
    passport = record.adjacent[0]
    assert passport.schema.name == "Passport"
    assert passport.get("endDate") == ["2030-01-31"]
    assert passport.get("country") == ["sy"]
    assert handling_code(record.adjacent[-1]) == "AMBER+STRICT"


def test_csv_unknown_column_fails_naming_it(tmp_path: Path) -> None:
    path = write(tmp_path / "p.csv", f"{HEADER},nationalty,alias\nA1,X,RED,FR-DGSI,FR,Y\n")
    with pytest.raises(SourceError) as caught:
        list(ProfilesSource(path).records())
    (issue,) = caught.value.issues
    assert issue.position == "line 1"
    assert issue.problem.startswith("unknown columns: nationalty, alias; known: id, schema, ")


def test_csv_missing_required_column_fails(tmp_path: Path) -> None:
    path = write(tmp_path / "p.csv", "id,name,owner\nA1,X,FR-DGSI\n")
    with pytest.raises(SourceError, match="missing required columns: handling_code"):
        list(ProfilesSource(path).records())


def test_csv_bad_rows_are_problems_and_others_load(tmp_path: Path) -> None:
    rows = [
        "A1,Good One,AMBER,FR-DGSI,,,",
        "A2,Bad Code,WHITE,FR-DGSI,,,",
        "A3,Bad Code,PURPLE,FR-DGSI,,,",
        "A4,Bad Date,GREEN,FR-DGSI,1990-13-01,,",
        "A5,Bad Doc,GREEN,FR-DGSI,,passport,",
        "A6,Bad Schema,GREEN,FR-DGSI,,,Starship",
        ",No Id,GREEN,FR-DGSI,,,",
        "A7,,GREEN,,,,",
        "A1,Same Id,GREEN,FR-DGSI,,,",
        "A8,Good Two,red,FR-DGSI,1990;1991-02,passport:X1;visa:V2:FR,",
    ]
    header = f"{HEADER},birth_date,documents,schema\n"
    records, source = load(write(tmp_path / "p.csv", header + "\n".join(rows) + "\n"))
    assert [r.id for r in records] == ["profile-fr-dgsi-A1", "profile-fr-dgsi-A8"]
    assert problems(source) == [
        (
            "line 3",
            "handling_code 'WHITE' is not a TLP 2.0 code "
            "(CLEAR, GREEN, AMBER, AMBER+STRICT, RED); TLP 2.0 renamed WHITE to CLEAR",
        ),
        (
            "line 4",
            "handling_code 'PURPLE' is not a TLP 2.0 code (CLEAR, GREEN, AMBER, AMBER+STRICT, RED)",
        ),
        ("line 5", "birth_date: unreadable date '1990-13-01'; use YYYY, YYYY-MM or YYYY-MM-DD"),
        ("line 6", "document 'passport' is not TYPE:NUMBER or TYPE:NUMBER:COUNTRY"),
        (
            "line 7",
            "unknown schema 'Starship'; use one of: Person, Organization, LegalEntity, Vessel",
        ),
        ("line 8", "missing id"),
        ("line 9", "missing name, owner"),
        ("line 10", "duplicate id profile-fr-dgsi-A1 (first at line 2)"),
    ]
    good = records[1]
    assert good.entity.get("birthDate") == ["1990", "1991-02"]
    assert [e.schema.name for e in good.adjacent] == ["Passport", "Identification", "Sanction"]
    assert handling_code(good.adjacent[-1]) == "RED"


def test_person_fields_on_an_organisation_are_a_problem(tmp_path: Path) -> None:
    text = f"{HEADER},schema,gender\nO1,Some Group,GREEN,FR-DGSI,Organization,male\n"
    records, source = load(write(tmp_path / "p.csv", text))
    assert records == []
    assert problems(source) == [("line 2", "gender only apply to schema Person")]


def test_unreadable_country_is_kept_in_notes(tmp_path: Path) -> None:
    text = f"{HEADER},nationality\nA1,Some One,GREEN,FR-DGSI,Atlantis\n"
    (record,), source = load(write(tmp_path / "p.csv", text))
    assert source.issues == []
    assert record.entity.get("nationality") == []
    assert record.entity.get("notes") == ["nationality: Atlantis"]


def test_json_not_valid_fails_with_line_and_column(tmp_path: Path) -> None:
    path = write(tmp_path / "p.json", '[\n  {"id": "A1",\n   "name": "X" "owner": 1}\n]\n')
    with pytest.raises(SourceError) as caught:
        list(ProfilesSource(path).records())
    (issue,) = caught.value.issues
    assert issue.position == "line 3"
    assert issue.problem == "not valid JSON: Expecting ',' delimiter (column 16)"


def test_json_lines_invalid_line_fails_at_that_line(tmp_path: Path) -> None:
    good = json.dumps({"id": "A1", "name": "X", "handling_code": "RED", "owner": "O"})
    path = write(tmp_path / "p.jsonl", f"{good}\n{{oops\n")
    with pytest.raises(SourceError, match="line 2: not valid JSON"):
        list(ProfilesSource(path).records())


def test_json_bad_objects_are_problems(tmp_path: Path) -> None:
    base = {"name": "X", "handling_code": "RED", "owner": "FR-DGSI"}
    items = [
        {"id": "A1", **base},
        "not an object",
        {"id": "A2", **base, "nationalty": "FR"},
        {"id": "A3", **base, "documents": [{"type": "passport"}]},
        {"id": "A4", **base, "name": ["X", "Y"]},
        {"id": "A5", **base, "aliases": [{"nested": 1}]},
    ]
    records, source = load(write(tmp_path / "p.json", json.dumps(items)))
    assert [r.id for r in records] == ["profile-fr-dgsi-A1"]
    assert [position for position, _ in problems(source)] == [
        "record 2",
        "record 3",
        "record 4",
        "record 5",
        "record 6",
    ]
    assert problems(source)[1][1].startswith("unknown fields: nationalty; known: ")


def test_json_not_an_array_fails(tmp_path: Path) -> None:
    path = write(tmp_path / "p.json", '{"id": "A1"}')
    with pytest.raises(SourceError, match="expected a JSON array"):
        list(ProfilesSource(path).records())


def test_empty_file_fails(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="is empty"):
        list(ProfilesSource(write(tmp_path / "p.csv", "")).records())


def test_header_only_fails(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="no profiles found"):
        list(ProfilesSource(write(tmp_path / "p.csv", HEADER + "\n")).records())


def test_unknown_suffix_fails(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match=r"name it \.csv, \.json or \.jsonl"):
        list(ProfilesSource(write(tmp_path / "p.xlsx", "x")).records())
