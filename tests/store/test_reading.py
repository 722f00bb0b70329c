"""Reading entries back: an entity with the sanctions, documents and addresses of its entry."""

import pytest
from sqlalchemy import Engine

from tests.conftest import BUNDLED_UN, FIXTURES
from watchkeeper.errors import NotFoundError
from watchkeeper.sources import get_source
from watchkeeper.store import find_entity, list_versions_of, load_source, record_entities

ZALA = FIXTURES / "ftm" / "yente_zala.ftm.json"
ZAKHAROV = "NK-aU5ybkbRFJucf8YMwsJvDw"


def test_ftm_relations_join_their_entry(engine: Engine) -> None:
    load_source(engine, get_source("ftm", ZALA), "zala", origin=str(ZALA), raw_dir=None)
    (version,) = list_versions_of(engine, "zala")
    # Entries are who or what can be listed; sanctions and addresses hang off them.
    assert version.schema_counts == {"Company": 11, "Person": 6}
    (person,) = find_entity(engine, ZAKHAROV)
    assert person.schema == "Person" and person.record_id == ZAKHAROV
    group = record_entities(engine, person)
    assert group[0].entity_id == ZAKHAROV
    ids = {e.entity_id: e.schema for e in group}
    assert ids["gb-fcdo-217caa5aa607244044b49706d04d8d6c5ec992bd"] == "Passport"
    assert ids["be-fod-7d76d68e2725ef8a4a9fd359168c8160a9e51ed0"] == "Sanction"
    assert "au-dfat-56600015954691cece058c2a3b0e3b27740701e6" not in ids  # the company's
    (passport,) = find_entity(engine, "gb-fcdo-217caa5aa607244044b49706d04d8d6c5ec992bd")
    assert passport.record_id == ZAKHAROV


def test_entity_in_two_lists_and_missing_ones(un_store: Engine) -> None:
    load_source(un_store, get_source("un-xml", BUNDLED_UN), "un-copy", origin="x", raw_dir=None)
    found = find_entity(un_store, "un-QDi.325")
    assert [(e.list_name, e.version) for e in found] == [("un", 1), ("un-copy", 1)]
    assert [e.list_name for e in find_entity(un_store, "un-QDi.325", "un-copy")] == ["un-copy"]
    group = record_entities(un_store, found[0])
    assert [e.schema for e in group][:1] == ["Person"]
    assert "Sanction" in {e.schema for e in group}
    with pytest.raises(NotFoundError, match=r"no entity 'un-QDi\.000' in any active list"):
        find_entity(un_store, "un-QDi.000")
