"""The OFAC Remarks parser, on real Remarks strings from the SDN and consolidated CSV files."""

import pytest

from watchkeeper.sources.ofac_remarks import (
    Document,
    iso_date,
    parse_part,
    parse_remarks,
    split_parts,
)
from watchkeeper.sources.ofac_remarks import Remarks as R


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("19 Jun 1951", "1951-06-19"),
        ("01 Jan 1953", "1953-01-01"),
        ("Jan 1960", "1960-01"),
        ("1946", "1946"),
        ("12 September 1993", "1993-09-12"),
        ("circa 1962", None),
        ("19 Foo 1951", None),
    ],
)
def test_iso_date(text: str, expected: str | None) -> None:
    assert iso_date(text) == expected


@pytest.mark.parametrize(
    ("remarks", "parts"),
    [
        ("a.k.a. 'BNC'.", ["a.k.a. 'BNC'"]),
        (
            "DOB 19 Jun 1951; POB Giza, Egypt; Passport 1084010 (Egypt).",
            ["DOB 19 Jun 1951", "POB Giza, Egypt", "Passport 1084010 (Egypt)"],
        ),
        # The final period belongs to the name when it ends in an abbreviation.
        ("Linked To: GALAPAGOS S.A.", ["Linked To: GALAPAGOS S.A."]),
        ("Linked To: SAZEH MORAKAB CO. LTD.", ["Linked To: SAZEH MORAKAB CO. LTD."]),
        ("Linked To: LAZARUS GROUP.", ["Linked To: LAZARUS GROUP"]),
        ("", []),
    ],
)
def test_split_parts(remarks: str, parts: list[str]) -> None:
    assert split_parts(remarks) == parts


# One real Remarks part each, and what it becomes.
PARTS: list[tuple[str, R]] = [
    ("DOB 19 Jun 1951", R(values=[("birthDate", "1951-06-19")])),
    ("DOB 1946", R(values=[("birthDate", "1946")])),
    ("DOB Mar 1945", R(values=[("birthDate", "1945-03")])),
    ("alt. DOB 31 Aug 1953", R(values=[("birthDate", "1953-08-31")])),
    ("DOB circa 1951", R(values=[("birthDate", "1951")], notes=["DOB circa 1951"])),
    (
        "DOB circa 07 Jul 1966",
        R(values=[("birthDate", "1966")], notes=["DOB circa 07 Jul 1966"]),
    ),
    ("DOB 1929 to 1930", R(values=[("birthDate", "1929"), ("birthDate", "1930")])),
    (
        "DOB 01 Jan 1953 to 31 Dec 1954",
        R(values=[("birthDate", "1953"), ("birthDate", "1954")]),
    ),
    (
        "DOB 26 Sep 1946 to 07 Dec 1946",
        R(values=[("birthDate", "1946")], notes=["DOB 26 Sep 1946 to 07 Dec 1946"]),
    ),
    (
        "DOB circa 1979-1982",
        R(
            values=[("birthDate", str(y)) for y in range(1979, 1983)],
            notes=["DOB circa 1979-1982"],
        ),
    ),
    ("POB Giza, Egypt", R(values=[("birthPlace", "Giza, Egypt")])),
    ("alt. POB Baghdad, Iraq", R(values=[("birthPlace", "Baghdad, Iraq")])),
    ("nationality Korea, North", R(values=[("nationality", "Korea, North")])),
    ("citizen Mexico.", R(values=[("citizenship", "Mexico")])),
    ("Gender Male", R(values=[("gender", "male")])),
    ("Gender Female.", R(values=[("gender", "female")])),
    ("a.k.a. 'BNC'", R(values=[("weakAlias", "BNC")])),
    ("a.k.a. 'KIM, JIN SOK'", R(values=[("weakAlias", "KIM, JIN SOK")])),
    ("f.k.a. 'ANSAR INSTITUTE'", R(values=[("weakAlias", "ANSAR INSTITUTE")])),
    ("Linked To: HIZBALLAH", R(linked_to=["HIZBALLAH"])),
    ("Email Address info@aqsatv.ps", R(values=[("email", "info@aqsatv.ps")])),
    ("Email:adelb@shabakah.net.sa.", R(values=[("email", "adelb@shabakah.net.sa")])),
    ("Website http://waatasemu.org.ly", R(values=[("website", "http://waatasemu.org.ly")])),
    (
        "Website:  www.alnakshabandia-army.org",
        R(values=[("website", "www.alnakshabandia-army.org")]),
    ),
    ("Phone Number 982188526300", R(values=[("phone", "982188526300")])),
    ("Telephone: 0097282851500", R(values=[("phone", "0097282851500")])),
    ("Vessel Registration Identification IMO 9187629", R(values=[("imoNumber", "9187629")])),
    ("Company Number IMO 5055293.", R(values=[("imoNumber", "5055293")])),
    ("MMSI 572469210", R(values=[("mmsi", "572469210")])),
    ("alt. Former Vessel Flag Tuvalu", R(values=[("pastFlags", "Tuvalu")])),
    ("Aircraft Model IL76-TD", R(values=[("model", "IL76-TD")])),
    ("Aircraft Manufacture Date Sep 1984", R(values=[("buildDate", "1984-09")])),
    (
        "Aircraft Manufacturer's Serial Number (MSN) 1023409321",
        R(values=[("serialNumber", "1023409321")]),
    ),
    ("Aircraft Tail Number N200VR", R(values=[("registrationNumber", "N200VR")])),
    (
        "Organization Established Date 17 Dec 2016",
        R(values=[("incorporationDate", "2016-12-17")]),
    ),
    (
        "Organization Type: Real estate activities with own or leased property",
        R(values=[("sector", "Real estate activities with own or leased property")]),
    ),
    (
        "Digital Currency Address - XBT 12QtD5BFwRsdNsAZY76UVE1xyCGNTojH9h",
        R(wallets=[("XBT", "12QtD5BFwRsdNsAZY76UVE1xyCGNTojH9h")]),
    ),
    ("Passport 1084010 (Egypt)", R(documents=[Document(True, "Passport", "1084010", "Egypt")])),
    ("alt. Passport 19820215", R(documents=[Document(True, "Passport", "19820215")])),
    (
        "Passport L 191609 issued 28 Feb 1996 expires 27 Feb 2001",
        R(
            documents=[
                Document(True, "Passport", "L 191609", None, "1996-02-28", "2001-02-27"),
            ]
        ),
    ),
    (
        "Passport E590976 (Tunisia) issued 19 Jun 1987 expires 18 Jun 1992.",
        R(
            documents=[
                Document(True, "Passport", "E590976", "Tunisia", "1987-06-19", "1992-06-18"),
            ]
        ),
    ),
    (
        "alt. Passport Booklet: A5199819 (Pakistan)",
        R(documents=[Document(True, "Passport Booklet", "A5199819", "Pakistan")]),
    ),
    (
        "Diplomatic Passport 008827 (Iran) issued 1999.",
        R(documents=[Document(True, "Diplomatic Passport", "008827", "Iran", "1999")]),
    ),
    (
        "National ID No. 22095919778 (Norway).",
        R(documents=[Document(False, "National ID No.", "22095919778", "Norway")]),
    ),
    (
        "Identification Number 2.194.575 (Paraguay)",
        R(documents=[Document(False, "Identification Number", "2.194.575", "Paraguay")]),
    ),
    (
        "SSN 523-33-8386 (United States)",
        R(
            documents=[
                Document(False, "SSN", "523-33-8386", "United States", prop="socialSecurityNumber")
            ]
        ),
    ),
    (
        "Cedula No. 16247821 (Colombia)",
        R(documents=[Document(False, "Cedula No.", "16247821", "Colombia")]),
    ),
    (
        "Tax ID No. 100036386 (Serbia)",
        R(documents=[Document(False, "Tax ID No.", "100036386", "Serbia", prop="taxNumber")]),
    ),
    (
        "NIT # 800146749-7 (Colombia)",
        R(documents=[Document(False, "NIT #", "800146749-7", "Colombia", prop="taxNumber")]),
    ),
    (
        "R.F.C. # PMA-910805 (Mexico).",
        R(documents=[Document(False, "R.F.C. #", "PMA-910805", "Mexico", prop="taxNumber")]),
    ),
    (
        "Registration ID 14063277.",
        R(documents=[Document(False, "Registration ID", "14063277", prop="registrationNumber")]),
    ),
    (
        "D-U-N-S Number 542957624",
        R(documents=[Document(False, "D-U-N-S Number", "542957624", prop="dunsCode")]),
    ),
    (
        "C.U.R.P. AIMM67125HCHRRG06 (Mexico) issued 1968.",
        R(documents=[Document(False, "C.U.R.P.", "AIMM67125HCHRRG06", "Mexico", "1968")]),
    ),
    (
        "SWIFT/BIC RUAGRUMM",
        R(documents=[Document(False, "SWIFT/BIC", "RUAGRUMM", prop="swiftBic")]),
    ),
    (
        "Additional Sanctions Information - Subject to Secondary Sanctions",
        R(provisions=["Additional Sanctions Information - Subject to Secondary Sanctions"]),
    ),
    (
        "Secondary sanctions risk: North Korea Sanctions Regulations, sections 510.201 and 510.210",
        R(
            provisions=[
                "Secondary sanctions risk: North Korea Sanctions Regulations, "
                "sections 510.201 and 510.210"
            ]
        ),
    ),
    ("Aircraft Operator YAS AIR", R(notes=["Aircraft Operator YAS AIR"])),
    ("ISIN US1694261033", R(notes=["ISIN US1694261033"])),
    (
        "Operational and Military Leader of JIHAD GROUP",
        R(unparsed=["Operational and Military Leader of JIHAD GROUP"]),
    ),
    ("ICTY indictee at large", R(unparsed=["ICTY indictee at large"])),
]


@pytest.mark.parametrize(("part", "expected"), PARTS, ids=[p for p, _ in PARTS])
def test_parse_part(part: str, expected: R) -> None:
    out = R()
    parse_part(part, out)
    assert out == expected


def test_parse_remarks_whole_string() -> None:
    """Person 2676 in sdn.csv: every part lands somewhere, in order."""
    out = parse_remarks(
        "DOB 19 Jun 1951; POB Giza, Egypt; Passport 1084010 (Egypt); alt. Passport 19820215; "
        "Operational and Military Leader of JIHAD GROUP."
    )
    assert out == R(
        values=[("birthDate", "1951-06-19"), ("birthPlace", "Giza, Egypt")],
        documents=[
            Document(True, "Passport", "1084010", "Egypt"),
            Document(True, "Passport", "19820215"),
        ],
        unparsed=["Operational and Military Leader of JIHAD GROUP"],
    )


def test_parse_remarks_empty() -> None:
    assert parse_remarks(None) == R()
    assert parse_remarks("") == R()
