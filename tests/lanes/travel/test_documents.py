"""Document checks: a list loaded into the store finds presented documents however written."""

from pathlib import Path

import pytest
from followthemoney import model
from sqlalchemy import Engine

from tests.conftest import FIXTURES
from watchkeeper.errors import NotFoundError, UsageError
from watchkeeper.lanes.travel.documents import DocumentHit, DocumentList
from watchkeeper.sources.ftm import FtMSource
from watchkeeper.sources.sltd_csv import SltdCsvSource
from watchkeeper.store.loading import load_source

SAMPLE = FIXTURES / "sltd" / "sltd_sample.csv"
FTM = FIXTURES / "ftm" / "yente_t1.ftm.json"


def load(engine: Engine, path: Path, name: str) -> None:
    load_source(engine, SltdCsvSource(path), name, origin=str(path), raw_dir=None)


@pytest.fixture
def stored(engine: Engine) -> DocumentList:
    load(engine, SAMPLE, "sltd")
    return DocumentList.from_store(engine, ["sltd"])


def test_from_store_finds_a_stolen_passport(stored: DocumentList) -> None:
    assert len(stored) == 6
    assert stored.lookup("U29017732", "TUR") == [
        DocumentHit("sltd", "sltd-tr-U29017732", "U29017732", "tr", "stolen", "TR-NCB")
    ]


@pytest.mark.parametrize("country", ["TUR", "TR", "tr", " tur "])
def test_alpha3_and_alpha2_countries(stored: DocumentList, country: str) -> None:
    assert [h.entity_id for h in stored.lookup("U29017732", country)] == ["sltd-tr-U29017732"]


@pytest.mark.parametrize("number", ["U 2901-7732", "u29017732", "U29017732<<<"])
def test_number_normalised(stored: DocumentList, number: str) -> None:
    assert [h.entity_id for h in stored.lookup(number, "TUR")] == ["sltd-tr-U29017732"]


def test_list_side_number_normalised(stored: DocumentList) -> None:
    (hit,) = stored.lookup("L898902C3", "US")
    assert (hit.number, hit.status) == ("l898902c3", "revoked")


def test_country_mismatch_is_no_hit(stored: DocumentList) -> None:
    assert stored.lookup("U29017732", "USA") == []
    assert stored.lookup("C01X00T47", "D") != []


def test_without_a_readable_country_every_number_match_hits(stored: DocumentList) -> None:
    for country in (None, "", "XXA"):
        found = {h.entity_id for h in stored.lookup("U29017732", country)}
        assert found == {"sltd-tr-U29017732", "sltd-gr-U29017732"}


def test_unknown_number_is_no_hit(stored: DocumentList) -> None:
    assert stored.lookup("A0000000", "TUR") == []
    assert stored.lookup("", None) == []


def test_several_lists(engine: Engine, tmp_path: Path) -> None:
    other = tmp_path / "nl.csv"
    other.write_text("number,issuing_country,status,reported_by\nU29017732,TUR,lost,NL-KMAR\n")
    load(engine, SAMPLE, "interpol")
    load(engine, other, "national")
    documents = DocumentList.from_store(engine, ["interpol", "national"])
    hits = documents.lookup("U29017732", "TR")
    assert [(h.list_name, h.status, h.reported_by) for h in hits] == [
        ("interpol", "stolen", "TR-NCB"),
        ("national", "lost", "NL-KMAR"),
    ]


def test_list_of_another_format_refused(engine: Engine) -> None:
    load(engine, SAMPLE, "sltd")
    load_source(engine, FtMSource(FTM), "t1", origin=str(FTM), raw_dir=None)
    with pytest.raises(UsageError, match="list 't1' holds ftm data, not sltd-csv"):
        DocumentList.from_store(engine, ["sltd", "t1"])


def test_missing_list_not_found(engine: Engine) -> None:
    with pytest.raises(NotFoundError, match="no list named 'nope'"):
        DocumentList.from_store(engine, ["nope"])


def test_from_entities_skips_other_schemata() -> None:
    person = model.make_entity("Person")
    person.id = "p1"
    person.add("name", "Ayse Ornek")
    person.add("passportNumber", "U29017732")
    passport = model.make_entity("Passport")
    passport.id = "p1-passport"
    passport.add("holder", "p1")
    passport.add("number", "U29017732")
    passport.add("country", "tr")
    documents = DocumentList.from_entities("own", [person, passport])
    assert len(documents) == 1
    assert documents.lookup("U2901 7732", "TUR") == [
        DocumentHit("own", "p1-passport", "U29017732", "tr", "", "")
    ]
