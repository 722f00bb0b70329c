"""The OFAC legacy CSV loader: fixtures cut from real OFAC files, bad input, full files."""

import shutil
from pathlib import Path

import pytest
from followthemoney import EntityProxy

from tests.conftest import SHARED, requires_shared
from watchkeeper.errors import SourceError
from watchkeeper.sources import get_source
from watchkeeper.sources.base import Record
from watchkeeper.sources.ofac_csv import OfacCsvSource

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "ofac"
SDN_SMALL = FIXTURES / "sdn_small"
CONS_SMALL = FIXTURES / "cons_small"
SANCTIONS = SHARED / "sanctions"


def load(path: Path) -> tuple[OfacCsvSource, dict[str, Record]]:
    source = OfacCsvSource(path)
    return source, {record.id: record for record in source.records()}


def children(record: Record, schema: str) -> list[EntityProxy]:
    return [e for e in record.adjacent if e.schema.name == schema]


@pytest.fixture(scope="module")
def sdn() -> dict[str, Record]:
    source, records = load(SDN_SMALL)
    assert source.issues == []
    return records


def test_registered_format() -> None:
    assert isinstance(get_source("ofac-csv", SDN_SMALL), OfacCsvSource)


def test_fixture_loads_every_row(sdn: dict[str, Record]) -> None:
    assert len(sdn) == 18
    assert list(sdn)[:3] == ["ofac-36", "ofac-306", "ofac-2676"]


def test_person_al_zawahiri(sdn: dict[str, Record]) -> None:
    record = sdn["ofac-2676"]
    person = record.entity
    assert person.schema.name == "Person"
    assert person.get("name") == ["AL ZAWAHIRI, Dr. Ayman"]
    assert person.get("firstName") == ["Ayman"]
    assert person.get("lastName") == ["AL ZAWAHIRI"]
    assert person.get("title") == ["Dr."]
    assert person.get("alias") == [
        "Ayman AL ZAWAHIRI",
        "AL-ZAWAHIRI, Ayman",
        "Ayman AL-ZAWAHIRI",
        "SALIM, Ahmad Fuad",
        "Ahmad Fuad SALIM",
        "AL-ZAWAHIRI, Aiman Muhammad Rabi",
        "Aiman Muhammad Rabi AL-ZAWAHIRI",
    ]
    assert person.get("birthDate") == ["1951-06-19"]
    assert person.get("birthPlace") == ["Giza, Egypt"]
    assert person.get("position") == ["Operational and Military Leader of JIHAD GROUP"]
    assert person.get("passportNumber") == ["1084010", "19820215"]
    assert person.get("program") == ["SDGT"]
    passports = children(record, "Passport")
    assert [(p.get("number"), p.get("country")) for p in passports] == [
        (["1084010"], ["eg"]),
        (["19820215"], []),
    ]
    assert all(p.get("holder") == ["ofac-2676"] for p in passports)
    assert all(p.id and p.id.startswith("ofac-2676-doc-") for p in passports)
    # Its only add.csv row is all -0-: no Address entity.
    assert children(record, "Address") == []


def test_sanction(sdn: dict[str, Record]) -> None:
    record = sdn["ofac-4632"]
    sanction = children(record, "Sanction")[0]
    assert sanction.id == "ofac-4632-sanction"
    assert sanction.get("authority") == ["Office of Foreign Assets Control"]
    assert sanction.get("program") == ["IRAN", "SDGT", "IRGC", "IFSR"]
    assert record.entity.get("program") == ["IRAN", "SDGT", "IRGC", "IFSR"]
    assert sanction.get("entity") == ["ofac-4632"]
    assert sanction.get("sourceUrl") == ["https://sanctionssearch.ofac.treas.gov/"]
    assert sanction.get("provisions") == [
        "Additional Sanctions Information - Subject to Secondary Sanctions"
    ]


def test_organization_with_weak_alias_and_addresses(sdn: dict[str, Record]) -> None:
    record = sdn["ofac-306"]
    org = record.entity
    assert org.schema.name == "Organization"
    assert org.get("name") == ["BANCO NACIONAL DE CUBA"]
    assert org.get("alias") == ["NATIONAL BANK OF CUBA"]
    assert org.get("weakAlias") == ["BNC"]
    assert sorted(org.get("country")) == ["ch", "es", "jp", "pa"]
    addresses = children(record, "Address")
    assert [a.id for a in addresses] == [f"ofac-306-addr-{n}" for n in (199, 200, 201, 202)]
    assert org.get("addressEntity") == [a.id for a in addresses]
    zurich = addresses[0]
    assert zurich.get("street") == ["Zweierstrasse 35"]
    assert zurich.get("city") == ["Zurich CH-8022"]
    assert zurich.get("country") == ["ch"]
    assert zurich.get("full") == ["Zweierstrasse 35, Zurich CH-8022, Switzerland"]


def test_organization_ids(sdn: dict[str, Record]) -> None:
    org = sdn["ofac-28798"].entity
    assert org.get("incorporationDate") == ["2016-12-17"]
    assert org.get("registrationNumber") == ["17951"]
    assert org.get("idNumber") == ["17951"]
    (ident,) = children(sdn["ofac-28798"], "Identification")
    assert ident.get("type") == ["Business Registration Number"]
    assert ident.get("country") == ["sy"]


def test_vessel(sdn: dict[str, Record]) -> None:
    vessel = sdn["ofac-15036"].entity
    assert vessel.schema.name == "Vessel"
    assert vessel.get("name") == ["ARTAVIL"]
    assert vessel.get("previousName") == ["ABADAN", "SHONA"]  # fka rows of alt.csv
    assert vessel.get("weakAlias") == ["ALPHA"]  # f.k.a. 'ALPHA' in the remarks
    assert vessel.get("callSign") == ["T2EU4"]
    assert vessel.get("type") == ["Crude/Oil Products Tanker"]
    assert vessel.get("flag") == ["ir"]
    assert vessel.get("pastFlags") == ["mt", "tv", "tz"]
    assert vessel.get("imoNumber") == ["IMO9187629"]
    assert vessel.get("mmsi") == ["572469210"]
    # "None Identified" is no country; it is kept, not dropped.
    assert "pastFlags: None Identified" in vessel.get("notes")
    assert "Linked To: NATIONAL IRANIAN TANKER COMPANY" in vessel.get("notes")


def test_vessel_owner_is_text(sdn: dict[str, Record]) -> None:
    vessel = sdn["ofac-4243"].entity
    assert vessel.get("notes") == ["Owner: Sand & Swan Navigation Co. Ltd."]
    assert vessel.get("weakAlias") == ["ANA I"]


def test_aircraft(sdn: dict[str, Record]) -> None:
    plane = sdn["ofac-15431"].entity
    assert plane.schema.name == "Airplane"
    assert plane.get("model") == ["IL76-TD"]
    assert plane.get("buildDate") == ["1992"]
    assert plane.get("serialNumber") == ["1023409321"]


def test_person_details(sdn: dict[str, Record]) -> None:
    tian = sdn["ofac-28263"].entity
    # The remarks were cut at 1,000 characters mid-alias; sdn_comments.csv holds the rest.
    assert tian.get("weakAlias") == ["tianyinyin0404", "snowsjohn"]
    assert "Linked To: LAZARUS GROUP" in tian.get("notes")
    assert tian.get("program") == ["DPRK3", "CYBER2"]
    assert tian.get("gender") == ["male"]
    assert len(children(sdn["ofac-28263"], "CryptoWallet")) == 8
    sahinpasic = sdn["ofac-7782"].entity
    assert sahinpasic.get("birthDate") == ["1951"]
    assert sahinpasic.get("notes") == ["DOB circa 1951"]
    assert sdn["ofac-15496"].entity.get("birthDate") == ["1929", "1930"]
    aouadi = children(sdn["ofac-7203"], "Passport")[0]
    assert aouadi.get("startDate") == ["1996-02-28"]
    assert aouadi.get("endDate") == ["2001-02-27"]
    assert sdn["ofac-7203"].entity.get("taxNumber") == ["DAOMMD74T11Z352Z"]


def test_cons_set() -> None:
    source, records = load(CONS_SMALL / "cons_prim.csv")  # the file itself names the folder
    assert source.issues == []
    assert [p.name for p in source.input_files()] == [
        "cons_prim.csv",
        "cons_alt.csv",
        "cons_add.csv",
        "cons_comments.csv",
    ]
    assert list(records) == ["ofac-9639", "ofac-9640", "ofac-17014", "ofac-30930", "ofac-50476"]
    haniya = records["ofac-9639"].entity
    assert haniya.get("birthDate") == ["1962"]
    assert haniya.get("birthPlace") == ["Shati"]
    bank = records["ofac-17014"].entity
    assert bank.get("swiftBic") == ["RUAGRUMM"]
    assert bank.get("weakAlias") == ["RUSAG"]  # only in cons_comments.csv
    assert bank.get("program") == ["UKRAINE-EO13662", "RUSSIA-EO14024"]
    # The cut fell on a space: "...369E " + "(China)" must stay two words.
    (uscc,) = children(records["ofac-30930"], "Identification")
    assert uscc.get("number") == ["91110000710934369E"]
    assert uscc.get("country") == ["cn"]
    assert records["ofac-30930"].entity.get("weakAlias") == ["CCCC"]


def test_input_files_sdn() -> None:
    names = [p.name for p in OfacCsvSource(SDN_SMALL).input_files()]
    assert names == ["sdn.csv", "alt.csv", "add.csv", "sdn_comments.csv"]


# --- bad input -------------------------------------------------------------------------


def copy_fixture(tmp_path: Path) -> Path:
    folder = tmp_path / "sdn"
    shutil.copytree(SDN_SMALL, folder)
    return folder


def test_wrong_column_count_is_a_problem(tmp_path: Path) -> None:
    folder = copy_fixture(tmp_path)
    with open(folder / "sdn.csv", "rb+") as fh:
        data = fh.read()
        fh.seek(0)
        fh.write(b'99999,"SHORT ROW","individual","SDGT",-0- \r\n' + data)
    source, records = load(folder)
    assert len(records) == 18
    assert [str(i) for i in source.issues] == [
        f"{folder / 'sdn.csv'}: line 1: expected 12 columns, found 5"
    ]


def test_folder_without_main_file(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match=r"no sdn\.csv or cons_prim\.csv in folder"):
        list(OfacCsvSource(tmp_path).records())


def one_entry_set(folder: Path, sdn: bytes) -> Path:
    """A four-file set whose alias and address rows belong to ent_num 1."""
    folder.mkdir(exist_ok=True)
    (folder / "sdn.csv").write_bytes(sdn)
    (folder / "alt.csv").write_bytes(b'1,1,"aka","X",-0- \r\n')
    (folder / "add.csv").write_bytes(b'1,1,-0- ,"Havana","Cuba",-0- \r\n')
    (folder / "sdn_comments.csv").write_bytes(b"")
    return folder


def test_unknown_layout(tmp_path: Path) -> None:
    one_entry_set(tmp_path, b"id,name,type\nQDi.325,AL ZAWAHIRI,person\n")
    with pytest.raises(SourceError) as caught:
        list(OfacCsvSource(tmp_path).records())
    (issue,) = caught.value.issues
    assert issue.path == str(tmp_path / "sdn.csv")
    assert issue.position == "line 1"
    assert issue.problem.startswith("unknown column layout: expected 12 columns")


def test_xml_given_as_csv(tmp_path: Path) -> None:
    one_entry_set(tmp_path, b'<?xml version="1.0"?>\n<CONSOLIDATED_LIST>\n')
    with pytest.raises(SourceError, match="unknown column layout"):
        list(OfacCsvSource(tmp_path).records())


def test_empty_file(tmp_path: Path) -> None:
    one_entry_set(tmp_path, b"")
    with pytest.raises(SourceError, match="is empty"):
        list(OfacCsvSource(tmp_path).records())


def test_only_end_of_file_mark(tmp_path: Path) -> None:
    one_entry_set(tmp_path, b"\x1a")
    with pytest.raises(SourceError, match="has no rows"):
        list(OfacCsvSource(tmp_path).records())


def test_unknown_sdn_type(tmp_path: Path) -> None:
    one_entry_set(tmp_path, ('1,"X","spaceship","SDGT"' + ",-0- " * 8 + "\n").encode())
    source, records = load(tmp_path)
    assert records == {}
    assert [i.problem for i in source.issues] == ["unknown SDN_Type 'spaceship'"]


def test_not_utf8_is_a_located_fault(tmp_path: Path) -> None:
    """A byte that is not UTF-8 is refused, never read as Windows-1252 or Latin-1: a wrong
    guess changes names without anyone noticing."""
    first = '1,"GARCIA, Ana","individual","SDNT"' + ",-0- " * 8 + "\r\n"
    second = '2,"MU\xd1OZ, Jos\xe9","individual","SDNT"' + ",-0- " * 8 + "\r\n"
    one_entry_set(tmp_path, first.encode("utf-8") + second.encode("cp1252"))
    with pytest.raises(SourceError) as caught:
        load(tmp_path)
    assert [str(i) for i in caught.value.issues] == [
        f"{tmp_path / 'sdn.csv'}: line 2, byte offset {len(first) + 5}: "
        "not UTF-8 (invalid continuation byte: d1); save the file as UTF-8"
    ]


def test_orphan_rows_are_faults(tmp_path: Path) -> None:
    folder = copy_fixture(tmp_path)
    alt = (folder / "alt.csv").read_bytes().removesuffix(b"\x1a")
    (folder / "alt.csv").write_bytes(alt + b'12300,900,"aka","Z S.A.S.",-0- \r\n')
    (folder / "sdn_comments.csv").write_bytes(b'12300,"Z S.A.S."\r\n\x1a')
    source, records = load(folder)
    assert [str(i) for i in source.issues] == [
        f"{folder / 'sdn_comments.csv'}: line 1: remarks continuation row for ent_num 12300, "
        "not in sdn.csv",
        f"{folder / 'alt.csv'}: line 34: alias row for ent_num 12300, not in sdn.csv",
    ]
    assert len(records) == 18


def test_truncated_main_file_is_refused(tmp_path: Path) -> None:
    """Cut inside the quoted Remarks of an entry: the csv module would read the rest as a
    whole last row, and every entry after the cut would be silently gone."""
    folder = copy_fixture(tmp_path)
    data = (SDN_SMALL / "sdn.csv").read_bytes()
    cut = data.index(b"Operational and Military Leader of JIHAD GROUP.")
    (folder / "sdn.csv").write_bytes(data[:cut])
    with pytest.raises(SourceError) as caught:
        load(folder)
    assert [str(i) for i in caught.value.issues] == [
        f"{folder / 'sdn.csv'}: line 3: the file ends inside a quoted field: it is cut short "
        "(an interrupted download or copy?), so the records after this point are missing"
    ]


def test_main_file_alone_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "sdn"
    folder.mkdir()
    shutil.copy(SDN_SMALL / "sdn.csv", folder)
    with pytest.raises(SourceError) as caught:
        load(folder / "sdn.csv")
    assert [str(i) for i in caught.value.issues] == [
        f"{folder}: folder: lacks alt.csv, add.csv, sdn_comments.csv beside sdn.csv: an OFAC "
        "set is four files, and without them aliases, addresses or remarks of listed persons "
        "are lost"
    ]


def test_one_missing_file_is_named(tmp_path: Path) -> None:
    folder = copy_fixture(tmp_path)
    (folder / "add.csv").unlink()
    with pytest.raises(SourceError, match=r"folder: lacks add\.csv beside sdn\.csv"):
        load(folder)


# --- full files ----------------------------------------------------------------------


@requires_shared
@pytest.mark.parametrize(
    ("folder", "count"),
    [
        # 7,379 rows: the last line has no newline, so ``wc -l`` says 7,378.
        ("ofac_sdn_2019-01", 7379),
        ("ofac_sdn_2021-07", 8976),
        ("ofac_consolidated_nonsdn_2025-12", 442),
    ],
)
def test_full_files(folder: str, count: int) -> None:
    source, records = load(SANCTIONS / folder)
    assert len(records) == count
    if folder == "ofac_sdn_2019-01":
        # Its sdn_comments.csv was re-saved in 2023: ten rows name entries listed later.
        assert len(source.issues) == 10
        assert all(i.path.endswith("sdn_comments.csv") for i in source.issues)
        assert source.issues[0].problem == (
            "remarks continuation row for ent_num 17018, not in sdn.csv"
        )
    else:
        assert source.issues == []
    ids = [e.id for r in records.values() for e in r.entities()]
    assert len(ids) == len(set(ids))
