"""The search form's use case on the bundled UN list: fields checked by name, results with
entity ids, captions, scores and reasons, and every search audited."""

import shutil
from pathlib import Path

import pytest
from sqlalchemy import Engine

from watchkeeper.auth import Actor
from watchkeeper.errors import UsageError
from watchkeeper.matching.screener import Screener
from watchkeeper.overview.search import SearchQuery, SearchResult, search, search_query
from watchkeeper.store import open_engine
from watchkeeper.store.audit import query as audit_query

SCREENER = Actor("sam", "screener")
ADNANI = "Abu Mohamed al-Adnani"  # an alias of un-QDi.325: born 1977, Syria (birth country)


@pytest.fixture(scope="module")
def screener(un_sqlite: Path, tmp_path_factory: pytest.TempPathFactory) -> Screener:
    """A screener over the UN list, built once for the module (the index takes seconds)
    from a copy of the store (the workers share ``un_sqlite``, and opening writes)."""
    copy = shutil.copyfile(un_sqlite, tmp_path_factory.mktemp("search") / "watchkeeper.db")
    engine = open_engine(f"sqlite:///{copy}")
    built = Screener.from_store(engine, ["un"])
    engine.dispose()
    return built


def result_for(results: list[SearchResult], entity_id: str) -> SearchResult:
    return next(r for r in results if r.entity_id == entity_id)


def test_a_name_finds_the_listed_person(un_store: Engine, screener: Screener) -> None:
    results = search(un_store, screener, SCREENER, search_query(ADNANI))
    first = results[0]
    assert (first.entity_id, first.caption, first.schema, first.list_name) == (
        "un-QDi.325",
        "ABOU MOHAMED AL ADNANI",
        "Person",
        "un",
    )
    assert first.alert and first.score > 0.9
    assert first.reason.startswith("name match un-QDi.325")
    features = {f.feature: f for f in first.features}
    assert (
        features["name_similarity"].detail == "'Abu Mohamed al-Adnani' ~ 'ABOU MOHAMED AL ADNANI'"
    )
    assert [r.score for r in results] == sorted((r.score for r in results), reverse=True)


def test_birth_date_and_nationality_count(un_store: Engine, screener: Screener) -> None:
    plain = result_for(search(un_store, screener, SCREENER, search_query(ADNANI)), "un-QDi.325")
    agreeing = search(un_store, screener, SCREENER, search_query(ADNANI, "1977", "SYR", "Person"))
    found = result_for(agreeing, "un-QDi.325")
    assert found.score > plain.score
    assert found.reason.startswith("name + DOB + nationality match un-QDi.325")
    features = {f.feature: f for f in found.features}
    assert features["birth_date"].contribution > 0
    assert features["country"].detail == "country match: sy"
    other = search(
        un_store, screener, SCREENER, search_query(ADNANI, "1950-01-01", "fr", "Person"), limit=20
    )
    assert all(r.score < plain.score for r in other if r.entity_id == "un-QDi.325")


def test_the_schema_keeps_to_its_kinds(un_store: Engine, screener: Screener) -> None:
    assert search(un_store, screener, SCREENER, search_query(ADNANI, schema="Vessel")) == []
    groups = search(un_store, screener, SCREENER, search_query("Al-Qaida", schema="Organization"))
    assert groups[0].entity_id == "un-QDe.004"
    assert {r.schema for r in groups} <= {"Organization", "Company", "PublicBody", "LegalEntity"}


def test_lists_searched(un_store: Engine, screener: Screener) -> None:
    query = search_query(ADNANI)
    assert search(un_store, screener, SCREENER, query, lists_searched=frozenset({"ofac"})) == []
    assert search(un_store, screener, SCREENER, query, lists_searched=frozenset({"un"}))


def test_every_search_is_audited_without_the_query(un_store: Engine, screener: Screener) -> None:
    results = search(un_store, screener, SCREENER, search_query(ADNANI, "1977"), remote="10.0.0.9")
    (entry,) = audit_query(un_store, action="search")
    assert (entry.actor, entry.target_type, entry.remote) == ("sam", "lists", "10.0.0.9")
    assert entry.detail == {
        "schema": "LegalEntity",
        "fields": ["birth_date"],
        "results": [r.entity_id for r in results],
    }
    assert "Adnani" not in str(entry.as_dict())


def test_every_role_may_search(un_store: Engine, screener: Screener) -> None:
    """Screening is the first role's right: analysts and above search too."""
    for role in ("analyst", "supervisor", "admin"):
        assert search(un_store, screener, Actor("x", role), search_query(ADNANI))


def test_fields_are_cleaned() -> None:
    assert search_query("  Abu   Mohamed ", " 1977-06 ", " syr ", "") == SearchQuery(
        "Abu Mohamed", "1977-06", "sy", "LegalEntity"
    )
    assert search_query("x", "", "", "Airplane") == SearchQuery("x", None, None, "Airplane")
    assert search_query("x", "1977-02-28").birth_date == "1977-02-28"


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        (("  ",), "name: a name is needed"),
        (("x", "1977-02-30"), "birth_date: '1977-02-30' is not a date"),
        (("x", "77"), "birth_date: '77' is not a date"),
        (("x", "1977-13"), "birth_date: '1977-13' is not a date"),
        (("x", None, "XX"), "nationality: 'XX' is not a country code"),
        (("x", None, "Syria"), "nationality: 'Syria' is not a country code"),
        (("x", None, None, "Aircraft"), "schema: 'Aircraft' is not a kind of entity"),
        (("x", None, None, "Address"), "schema: 'Address' is not .* use one of Airplane, "),
    ],
)
def test_a_bad_field_is_named(fields: tuple[str | None, ...], message: str) -> None:
    with pytest.raises(UsageError, match=message):
        search_query(*fields)  # type: ignore[arg-type]


def test_limit_is_bounded(un_store: Engine, screener: Screener) -> None:
    with pytest.raises(UsageError, match="limit: 0"):
        search(un_store, screener, SCREENER, search_query(ADNANI), limit=0)
