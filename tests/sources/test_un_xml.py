"""The UN consolidated list loader, against the real list and against hostile or broken input."""

# The list writes apostrophes as U+2019, and the expected names must match it exactly.
# ruff: noqa: RUF001

import gzip
from pathlib import Path

import pytest
from followthemoney import EntityProxy

from watchkeeper.errors import SourceError
from watchkeeper.settings import InputLimits
from watchkeeper.sources.base import Record
from watchkeeper.sources.un_xml import UnXmlSource, names_in_note, split_names

ROOT = Path(__file__).resolve().parents[2]
BUNDLED = ROOT / "src" / "watchkeeper" / "data" / "un_consolidated_2026-02-27.xml.gz"
FIXTURES = ROOT / "tests" / "fixtures" / "un"

HEADER = '<?xml version="1.0" encoding="UTF-8"?>\n'


@pytest.fixture(scope="module")
def source() -> UnXmlSource:
    return UnXmlSource(BUNDLED)


@pytest.fixture(scope="module")
def records(source: UnXmlSource) -> dict[str, Record]:
    return {record.id: record for record in source.records()}


def adjacent(record: Record, schema: str) -> list[EntityProxy]:
    return [entity for entity in record.adjacent if entity.schema.name == schema]


def names(entity: EntityProxy) -> list[str]:
    return entity.get("name") + entity.get("alias")


def test_full_list_counts_and_no_problems(source: UnXmlSource, records: dict[str, Record]) -> None:
    schemas = [record.entity.schema.name for record in records.values()]
    assert schemas.count("Person") == 730
    assert schemas.count("Organization") == 273
    assert len(records) == 1003
    assert source.issues == []


def test_source_date_is_date_generated_to_the_second(
    source: UnXmlSource, records: dict[str, Record]
) -> None:
    assert source.source_date == "2026-02-27T00:00:09"


def test_person_names_and_details(records: dict[str, Record]) -> None:
    person = records["un-QDi.325"].entity
    assert person.schema.name == "Person"
    assert person.get("name") == ["ABOU MOHAMED AL ADNANI"]
    assert person.get("firstName") == ["ABOU"]
    assert person.get("secondName") == ["MOHAMED"]
    assert person.get("middleName") == ["AL ADNANI"]
    assert "Abu Mohammed al-Adnani" in person.get("alias")
    assert "Yaser Khalaf Nazzal Alrawi" in person.get("alias")
    assert person.get("nationality") == ["iq"]
    assert person.get("birthDate") == ["1977"]
    assert "Date of birth: circa 1977" in person.get("notes")
    assert person.get("birthPlace") == ["Binnish, Syrian Arab Republic"]
    assert person.get("birthCountry") == ["sy"]
    assert person.get("modifiedAt") == ["2025-03-11"]
    assert person.get("topics") == ["sanction"]
    assert person.get("program") == ["Al-Qaida"]


def test_sanction_child(records: dict[str, Record]) -> None:
    [sanction] = adjacent(records["un-QDi.325"], "Sanction")
    assert sanction.id == "un-QDi.325-sanction"
    assert sanction.get("entity") == ["un-QDi.325"]
    assert sanction.get("unscId") == ["QDi.325"]
    assert sanction.get("authority") == ["United Nations Security Council"]
    assert sanction.get("program") == ["Al-Qaida"]
    assert sanction.get("listingDate") == ["2014-08-15"]
    assert sanction.get("sourceUrl") == ["https://scsanctions.un.org/"]
    assert sanction.get("description") == ["UN List"]


def test_listing_date_with_offset_keeps_the_day(records: dict[str, Record]) -> None:
    # <LISTED_ON>2015-04-07-04:00</LISTED_ON>: the only odd date form in the list.
    listed = [
        day
        for record in records.values()
        for sanction in adjacent(record, "Sanction")
        for day in sanction.get("listingDate")
    ]
    assert "2015-04-07" in listed
    assert all(len(day) == 10 for day in listed)


def test_compound_aliases_become_separate_names(records: dict[str, Record]) -> None:
    org = records["un-QDe.137"].entity
    assert org.schema.name == "Organization"
    assert org.get("name") == ["AL-NUSRAH FRONT FOR THE PEOPLE OF THE LEVANT"]
    aliases = org.get("alias")
    for name in (
        "جبهة النصرة",
        "the Victory Front",
        "Jabhat al-Nusrah",
        "Al-Nusra Front",
        "Hay’at Tahrir al-Sham",
        "HTS",
        "هيئة تحرير الشام",
        "Tahrir al-Sham Hay’at",
        "Ansar al-Mujahideen Network",
    ):
        assert name in aliases
    assert not [alias for alias in aliases if "(" in alias or ";" in alias]


def test_entity_name_keeps_acronym_and_adds_parts(records: dict[str, Record]) -> None:
    org = records["un-CDe.002"].entity
    assert org.get("name") == ["BUTEMBO AIRLINES (BAL)"]
    assert org.get("alias") == ["BUTEMBO AIRLINES", "BAL"]


def test_low_quality_alias_is_weak(records: dict[str, Record]) -> None:
    person = records["un-IRi.039"].entity
    assert person.get("weakAlias") == ["Haj Qasem", "Haji Qassem", "Sardar Soleimani"]
    assert "Haj Qasem" not in person.get("alias")
    assert "Qasem Sulaimani" in person.get("alias")


def test_formerly_known_as_is_previous_name(records: dict[str, Record]) -> None:
    org = records["un-QDe.129"].entity
    assert "Al-Qaida in Yemen" in org.get("previousName")
    assert "AQY" in org.get("previousName")


def test_between_date_of_birth_expands_to_every_year(records: dict[str, Record]) -> None:
    person = records["un-CDi.030"].entity
    assert person.get("birthDate") == ["1973", "1974"]
    assert "Date of birth: between 1973 and 1974" in person.get("notes")


def test_passport_document_child(records: dict[str, Record]) -> None:
    record = records["un-TAi.034"]
    passports = {doc.first("number"): doc for doc in adjacent(record, "Passport")}
    assert set(passports) == {"OR1961825", "TR024417"}
    passport = passports["OR1961825"]
    assert passport.get("holder") == ["un-TAi.034"]
    assert passport.get("type") == ["Passport"]
    assert passport.get("country") == ["af"]
    assert passport.get("startDate") == ["2003-02-04"]
    assert passport.get("summary") == ["expired 2 Feb. 2006, under the name of Akhter Mohmad"]
    assert passport.id is not None and passport.id.startswith("un-TAi.034-doc-")
    assert record.entity.get("passportNumber") == ["OR1961825", "TR024417"]


def test_national_passport_subtype_is_a_passport(records: dict[str, Record]) -> None:
    record = records["un-QDi.365"]
    docs = adjacent(record, "Passport") + adjacent(record, "Identification")
    [doc] = [d for d in docs if d.first("number") == "9600133195"]
    assert doc.schema.name == "Passport"
    assert doc.get("type") == ["National Identification Number", "national passport"]
    assert doc.get("country") == ["ru"]
    assert doc.get("authority") == ["Vedensiky District, Republic of Chechnya"]
    assert "9600133195" in record.entity.get("passportNumber")


def test_identity_card_is_identification(records: dict[str, Record]) -> None:
    ids = [doc for record in records.values() for doc in adjacent(record, "Identification")]
    assert len(ids) == 148
    assert all(doc.get("holder") for doc in ids)


def test_address_child_linked_and_country_on_entity(records: dict[str, Record]) -> None:
    record = records["un-CDi.002"]
    [address] = adjacent(record, "Address")
    assert address.get("city") == ["Kinshasa"]
    assert address.get("country") == ["cd"]
    assert address.get("remarks") == ["as of June 2016"]
    assert address.get("full") == ["Kinshasa, Democratic Republic of the Congo"]
    assert record.entity.get("addressEntity") == [address.id]
    assert record.entity.get("country") == ["cd"]


def test_repeated_country_is_not_turned_into_a_note(records: dict[str, Record]) -> None:
    notes = [note for r in records.values() for note in r.entity.get("notes")]
    assert not [
        note for note in notes if note.startswith(("Country of birth:", "Address country:"))
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Abu Mohammed al-Adnani", ["Abu Mohammed al-Adnani"]),
        ("Azim Adhajani; Azim Agha-Jani", ["Azim Adhajani", "Azim Agha-Jani"]),
        (
            "جبهة النصرة (the Victory Front; Jabhat al-Nusrah; Al-Nusra Front)",
            ["جبهة النصرة", "the Victory Front", "Jabhat al-Nusrah", "Al-Nusra Front"],
        ),
        (
            "Hay’at Tahrir al-Sham (HTS) (هيئة تحرير الشام (original script); "
            "Hay’at Tahrir al-Sham; Hayat Tahrir al-Sham)",
            ["Hay’at Tahrir al-Sham", "HTS", "هيئة تحرير الشام", "Hayat Tahrir al-Sham"],
        ),
        ("Jin Tiesan (金铁三)", ["Jin Tiesan", "金铁三"]),
        ("Amir Khazmat (original script: Амир Хазмат)", ["Amir Khazmat", "Амир Хазмат"]),
        (
            "أنصار الشريعة بليبيا (Ansar al Charia in Libya (ASL))",
            ["أنصار الشريعة بليبيا", "Ansar al Charia in Libya", "ASL"],
        ),
        (
            "شبكة أنصار المجاهدين (Ansar al-Mujahideen Network - sub-unit name)",
            ["شبكة أنصار المجاهدين", "Ansar al-Mujahideen Network"],
        ),
        (
            "Mohammed Sabet; Mohammad Sabet b) M. Javad Kareemi Sabet",
            ["Mohammed Sabet", "Mohammad Sabet", "M. Javad Kareemi Sabet"],
        ),
        (
            ") Abdelrahman Mouhamad Zafir al Dabissi Juhan",
            ["Abdelrahman Mouhamad Zafir al Dabissi Juhan"],
        ),
        (
            "Akhter Mohmad son of Noor Mohmad (اختر محمد ولد نور محمد ),",
            ["Akhter Mohmad son of Noor Mohmad", "اختر محمد ولد نور محمد"],
        ),
        ("Lord’s Resistance Movement/Army (LRM/A)", ["Lord’s Resistance Movement/Army", "LRM/A"]),
        ("JAMAAT-UL-AHRAR (JuA)", ["JAMAAT-UL-AHRAR", "JuA"]),
        ("AL-ITIHAAD AL-ISLAMIYA / AIAI", ["AL-ITIHAAD AL-ISLAMIYA", "AIAI"]),
        (
            "COMPAGNIE AERIENNE DES GRANDS LACS (CAGL) ; GREAT LAKES BUSINESS COMPANY (GLBC)",
            ["COMPAGNIE AERIENNE DES GRANDS LACS", "CAGL", "GREAT LAKES BUSINESS COMPANY", "GLBC"],
        ),
        # Parentheses that belong to the name stay: qualifiers, branches, descriptions.
        ("AL-HARAMAIN FOUNDATION (PAKISTAN)", ["AL-HARAMAIN FOUNDATION (PAKISTAN)"]),
        (
            "TOUS POUR LA PAIX ET LE DEVELOPPEMENT (NGO)",
            ["TOUS POUR LA PAIX ET LE DEVELOPPEMENT (NGO)"],
        ),
        ("Encep Nurjaman (birth name)", ["Encep Nurjaman (birth name)"]),
        ("EL PARA (COMBAT NAME)", ["EL PARA (COMBAT NAME)"]),
        ("Lom-ali Butayev (Butaev)", ["Lom-ali Butayev (Butaev)"]),
        ("(Sheikh) Musa Hilal", ["(Sheikh) Musa Hilal"]),
        (
            "Leader (Hong Kong) International Trading Limited",
            ["Leader (Hong Kong) International Trading Limited"],
        ),
        (
            "SECOND ACADEMY OF NATURAL SCIENCES (KPE.018)",
            ["SECOND ACADEMY OF NATURAL SCIENCES (KPE.018)"],
        ),
        ("華信船務(香港)有限公司", ["華信船務(香港)有限公司"]),
        ("Abas Rashidi; Abbas Rashedi; Abas Rashidi", ["Abas Rashidi", "Abbas Rashedi"]),
        ("  ", []),
    ],
)
def test_split_names(text: str, expected: list[str]) -> None:
    assert split_names(text) == expected


def test_plain_xml_with_record_missing_reference(tmp_path: Path) -> None:
    path = FIXTURES / "missing_reference.xml"
    source = UnXmlSource(path)
    ids = [record.id for record in source.records()]
    assert ids == ["un-CDi.030", "un-CDe.002"]
    [issue] = source.issues
    assert issue.path == str(path)
    assert issue.position == "INDIVIDUAL #1 (DATAID 6907993)"
    assert issue.problem == "has no REFERENCE_NUMBER"


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def load_error(path: Path) -> SourceError:
    with pytest.raises(SourceError) as caught:
        list(UnXmlSource(path).records())
    return caught.value


def test_truncated_xml_names_file_line_and_column(tmp_path: Path) -> None:
    text = (
        HEADER + '<CONSOLIDATED_LIST dateGenerated="2026-02-27T00:00:09.554Z">\n'
        "  <INDIVIDUALS>\n    <INDIVIDUAL>\n      <DATAID>1</DA"
    )
    path = write(tmp_path, "truncated.xml", text)
    error = load_error(path)
    assert error.detail == (
        f"{path}: line 5, column 15: the file ends inside the XML document (unclosed token): "
        "it is cut short (an interrupted download or copy?)"
    )


def test_truncated_gzip_is_a_source_error(tmp_path: Path) -> None:
    path = tmp_path / "cut.xml.gz"
    path.write_bytes(BUNDLED.read_bytes()[:5000])
    error = load_error(path)
    assert error.detail == (
        f"{path}: compressed byte 5,000: corrupt gzip data: "
        "Compressed file ended before the end-of-stream marker was reached"
    )


def test_corrupt_gzip_names_the_byte(tmp_path: Path) -> None:
    data = bytearray(BUNDLED.read_bytes())
    data[2000:2100] = bytes(100)
    path = tmp_path / "damaged.xml.gz"
    path.write_bytes(bytes(data))
    (issue,) = load_error(path).issues
    assert issue.position.startswith("compressed byte ")
    assert issue.problem.startswith("corrupt gzip data: ")


def test_invalid_utf8_is_located(tmp_path: Path, un_xml_bytes: bytes) -> None:
    at = un_xml_bytes.index(b"<FIRST_NAME>") + len(b"<FIRST_NAME>")
    path = tmp_path / "latin1.xml"
    path.write_bytes(un_xml_bytes[:at] + b"Jos\xe9 " + un_xml_bytes[at:])
    line = un_xml_bytes[:at].count(b"\n") + 1
    (issue,) = load_error(path).issues
    assert issue.position == f"line {line}, byte offset {at + 3:,}"
    assert issue.problem == "not UTF-8 (invalid continuation byte: e9); save the file as UTF-8"


def test_endless_comment_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "comment.xml"
    with open(path, "wb") as fh:
        fh.write(HEADER.encode() + b"<CONSOLIDATED_LIST>\n<!--")
        fh.write(b"x" * (10 << 20))
    (issue,) = load_error(path).issues
    assert issue.position == "line 3, column 0"
    assert issue.problem == (
        "one XML token (a comment, tag or declaration) runs on for more than 8,388,608 bytes "
        "(WATCHKEEPER_MAX_XML_TOKEN)"
    )


def test_gzip_bomb_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "bomb.xml.gz"
    with gzip.open(path, "wb", compresslevel=9) as fh:
        fh.write(HEADER.encode() + b"<CONSOLIDATED_LIST>\n")
        for _ in range(64):
            fh.write(b" " * (1 << 20))
    (issue,) = load_error(path).issues
    assert issue.position.startswith("decompressed byte ")
    assert "more than 200:1 (WATCHKEEPER_MAX_RATIO); refused as a possible gzip bomb" in (
        issue.problem
    )


def test_decompressed_size_cap(tmp_path: Path) -> None:
    with pytest.raises(SourceError) as caught:
        list(UnXmlSource(BUNDLED, InputLimits(max_bytes=1 << 20)).records())
    (issue,) = caught.value.issues
    assert issue.position == "decompressed byte 1,048,577"
    assert issue.problem == (
        "expands to more than 1,048,576 bytes (WATCHKEEPER_MAX_DECOMPRESSED); "
        "refused as a possible gzip bomb"
    )


BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [
  <!ENTITY lol "lol">
  <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
  <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<CONSOLIDATED_LIST>&lol4;</CONSOLIDATED_LIST>
"""

XXE = """<?xml version="1.0"?>
<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>
<CONSOLIDATED_LIST>&e;</CONSOLIDATED_LIST>
"""


@pytest.mark.parametrize(("name", "text"), [("bomb.xml", BILLION_LAUGHS), ("xxe.xml", XXE)])
def test_entities_and_dtds_are_refused(tmp_path: Path, name: str, text: str) -> None:
    path = write(tmp_path, name, text)
    error = load_error(path)
    assert error.detail.startswith(f"{path}: line 2, column ")
    assert error.detail.endswith(": XML declares entities/DTD, refused for safety")
    assert "root:" not in error.detail


def test_wrong_root_element(tmp_path: Path) -> None:
    path = write(tmp_path, "sdn.xml", HEADER + "<sdnList><sdnEntry/></sdnList>\n")
    error = load_error(path)
    assert (
        error.detail == f"{path}: root element: not a UN consolidated list: root element is sdnList"
    )


def test_empty_file(tmp_path: Path) -> None:
    path = write(tmp_path, "empty.xml", "")
    assert load_error(path).detail == f"{path}: file: is empty"


def test_unreadable_date_is_a_problem_and_the_record_stays(tmp_path: Path) -> None:
    text = (
        HEADER + '<CONSOLIDATED_LIST dateGenerated="yesterday"><INDIVIDUALS><INDIVIDUAL>'
        "<DATAID>7</DATAID><FIRST_NAME>JOHN</FIRST_NAME><SECOND_NAME>DOE</SECOND_NAME>"
        "<UN_LIST_TYPE>Al-Qaida</UN_LIST_TYPE><REFERENCE_NUMBER>QDi.999</REFERENCE_NUMBER>"
        "<LISTED_ON>sometime in 2005</LISTED_ON>"
        "<INDIVIDUAL_DATE_OF_BIRTH><TYPE_OF_DATE>EXACT</TYPE_OF_DATE><DATE>1970-02-30</DATE>"
        "</INDIVIDUAL_DATE_OF_BIRTH>"
        "</INDIVIDUAL></INDIVIDUALS><ENTITIES/></CONSOLIDATED_LIST>"
    )
    source = UnXmlSource(write(tmp_path, "dates.xml", text))
    [record] = list(source.records())
    assert source.source_date is None
    assert record.entity.get("name") == ["JOHN DOE"]
    assert record.entity.get("birthDate") == []
    [sanction] = adjacent(record, "Sanction")
    assert sanction.get("listingDate") == []
    assert [(i.position, i.problem) for i in source.issues] == [
        ("CONSOLIDATED_LIST", "unreadable dateGenerated 'yesterday'"),
        ("INDIVIDUAL QDi.999", "unreadable DATE '1970-02-30'"),
        ("INDIVIDUAL QDi.999", "unreadable LISTED_ON 'sometime in 2005'"),
    ]


def test_record_without_name_is_skipped(tmp_path: Path) -> None:
    text = (
        HEADER + "<CONSOLIDATED_LIST><ENTITIES><ENTITY><DATAID>8</DATAID><FIRST_NAME/>"
        "<REFERENCE_NUMBER>QDe.999</REFERENCE_NUMBER></ENTITY></ENTITIES></CONSOLIDATED_LIST>"
    )
    source = UnXmlSource(write(tmp_path, "noname.xml", text))
    assert list(source.records()) == []
    assert [(i.position, i.problem) for i in source.issues] == [
        ("ENTITY #1 (DATAID 8)", "has no name")
    ]


def test_unmappable_nationality_is_kept_as_a_note(tmp_path: Path) -> None:
    text = (
        HEADER + "<CONSOLIDATED_LIST><INDIVIDUALS><INDIVIDUAL><DATAID>9</DATAID>"
        "<FIRST_NAME>JANE</FIRST_NAME><REFERENCE_NUMBER>QDi.998</REFERENCE_NUMBER>"
        "<NATIONALITY><VALUE>Atlantis</VALUE><VALUE>Iraq</VALUE><VALUE>Iraq</VALUE></NATIONALITY>"
        "</INDIVIDUAL></INDIVIDUALS></CONSOLIDATED_LIST>"
    )
    source = UnXmlSource(write(tmp_path, "nationality.xml", text))
    [record] = list(source.records())
    assert record.entity.get("nationality") == ["iq"]
    assert record.entity.get("notes") == ["Nationality: Atlantis"]
    assert source.issues == []


@pytest.mark.parametrize(
    ("note", "names"),
    [
        (
            "(Abu Du’a; Abu Duaa’) prominently known by this nom de guerre",
            ["Abu Du’a", "Abu Duaa’"],
        ),
        ("Yunis al-Mauritani; Younis al-Mauritani", ["Yunis al-Mauritani", "Younis al-Mauritani"]),
        ("original script: Абу Банат", ["Абу Банат"]),
        ("Previously listed as. In Arabic: أبوبكر الجزائري", ["أبوبكر الجزائري"]),
        ("Passport number: B0515260; DOB: 1948; POB: Anefif (Kidal), Mali", []),
        ("nom de guerre", []),
    ],
)
def test_names_in_alias_notes(note: str, names: list[str]) -> None:
    assert names_in_note(note) == names


def test_names_hidden_in_notes_are_aliases(records: dict[str, Record]) -> None:
    baghdadi = records["un-QDi.299"].entity
    assert {"Abu Du’a", "Abu Duaa’"} <= set(baghdadi.get("weakAlias"))
    assert "Ibrahim ‘Awad Ibrahim al-Samarra’i" in baghdadi.get("alias")
