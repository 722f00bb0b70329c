"""Linked listings (``store.links``): the bundled UN list and three real OFAC SDN entries
(``tests/fixtures/ofac/sdn_links``): al-Adnani on both, two men called "Abu Jihad", and an
OFAC entry whose passports the UN list gives to two different men."""

import json
import shutil
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select

from tests.conftest import BUNDLED_UN, FIXTURES
from watchkeeper.errors import SourceError
from watchkeeper.sources import get_source
from watchkeeper.store import load_source
from watchkeeper.store.links import active_links, document_number, name_key
from watchkeeper.store.schema import entity_links

OFAC = FIXTURES / "ofac" / "sdn_links"


def load(engine: Engine, fmt: str, path: Path, name: str) -> int:
    return load_source(engine, get_source(fmt, path), name, origin="test", raw_dir=None)


def pairs(engine: Engine) -> dict[tuple[str, str], set[str]]:
    """Linked entity pairs (UN first) and the kinds of fact that tie them."""
    found: dict[tuple[str, str], set[str]] = {}
    for link in active_links(engine):
        pair = tuple(sorted((link.entity_a, link.entity_b), key=lambda e: not e.startswith("un")))
        found.setdefault((pair[0], pair[1]), set()).add(link.kind)
    return found


@pytest.fixture
def both(un_store: Engine) -> Engine:
    """The OFAC extract loaded beside the UN list (a copy of the UN store)."""
    load(un_store, "ofac-csv", OFAC, "ofac")
    return un_store


def test_document_numbers_and_names_are_normalised() -> None:
    assert document_number("a-123 456") == "A123456"
    assert document_number("N/A") is None  # no digit
    assert document_number("12-3") is None  # too short to tell anyone apart
    assert name_key("AL-ADNANI, Abu Mohammed") == "al adnani abu mohammed"
    assert name_key("Abu Mohammed al-Adnani") == "abu mohammed al adnani"
    assert name_key("Mūsā  al-Ḥasan") == "musa al hasan"
    assert name_key("Hajj") is None  # one word names no one


def test_the_same_man_on_two_lists_is_linked_by_name_and_birth_date(both: Engine) -> None:
    links = [link for link in active_links(both) if link.entity_a == "ofac-17066"]
    assert {(link.list_b, link.entity_b, link.kind) for link in links} == {
        ("un", "un-QDi.325", "name_birth_date")
    }
    assert "abu mohammed al adnani|1977" in {link.value for link in links}


def test_a_shared_name_alone_links_no_one(both: Engine) -> None:
    # un-QDi.192 (born 1957) and ofac-6924 (born 1976) are both "Abu Jihad", and more
    # than one name apart: the same alias, two men.
    assert pairs(both) == {("un-QDi.325", "ofac-17066"): {"name_birth_date"}}


def test_a_passport_number_two_entries_of_a_list_hold_links_no_one(both: Engine) -> None:
    # OFAC's TABATABAEI (ofac-13106) holds passports 6620505 and 9003213, which the UN list
    # gives both to IRi.041 (Tabatabaei) and IRi.003 (Aghajani): the number names no one.
    assert not [link for link in active_links(both) if "ofac-13106" in link.entity_a]


def test_links_follow_every_new_version_of_either_list(both: Engine, tmp_path: Path) -> None:
    load(both, "un-xml", BUNDLED_UN, "un")
    load(both, "ofac-csv", OFAC, "ofac")
    assert set(pairs(both)) == {("un-QDi.325", "ofac-17066")}
    with both.connect() as conn:  # the stale versions' links went, not just out of sight
        assert conn.execute(select(func.count()).select_from(entity_links)).scalar_one() == 8

    without = tmp_path / "ofac"
    shutil.copytree(OFAC, without)
    for name in ("sdn.csv", "alt.csv", "add.csv"):  # the entry, its aliases and addresses
        rows = (without / name).read_bytes().splitlines(keepends=True)
        (without / name).write_bytes(b"".join(r for r in rows if not r.startswith(b"17066,")))
    load(both, "ofac-csv", without, "ofac")
    assert pairs(both) == {}


def test_a_failed_load_leaves_the_links_as_they_were(both: Engine, tmp_path: Path) -> None:
    broken = tmp_path / "broken.xml"
    broken.write_text("<CONSOLIDATED_LIST><INDIVIDUALS><INDIVIDUAL>")
    with pytest.raises(SourceError):
        load(both, "un-xml", broken, "un")
    assert set(pairs(both)) == {("un-QDi.325", "ofac-17066")}


def _ftm(path: Path, entity_id: str, name: str, born: str) -> Path:
    line = {
        "id": entity_id,
        "schema": "Person",
        "properties": {"name": [name], "birthDate": [born]},
    }
    path.write_text(json.dumps(line) + "\n", encoding="utf-8")
    return path


def test_a_bare_birth_year_links_to_a_full_date_of_that_year(
    engine: Engine, tmp_path: Path
) -> None:
    # One list gives only the year (as the UN list often does), the other the day.
    load(engine, "ftm", _ftm(tmp_path / "a.json", "a-1", "Khalid Umar Fawzi", "1970"), "a")
    load(engine, "ftm", _ftm(tmp_path / "b.json", "b-1", "Khalid Umar Fawzi", "1970-05-05"), "b")
    [link] = active_links(engine)
    assert {link.entity_a, link.entity_b} == {"a-1", "b-1"}
    assert (link.kind, link.value) == ("name_year_of", "khalid umar fawzi|1970")


def test_two_full_dates_of_one_year_link_no_one(engine: Engine, tmp_path: Path) -> None:
    # The same name born on two days of one year: two people.
    load(engine, "ftm", _ftm(tmp_path / "a.json", "a-1", "Khalid Umar Fawzi", "1970-01-02"), "a")
    load(engine, "ftm", _ftm(tmp_path / "b.json", "b-1", "Khalid Umar Fawzi", "1970-05-05"), "b")
    assert active_links(engine) == []
