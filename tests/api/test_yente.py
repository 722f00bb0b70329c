"""yente parity, through yente's own client (``yente-client``) against the running service.

The store holds the bundled UN list and a small OFAC extract (``tests/fixtures/ofac``, which
lists Ayman al-Zawahiri as ofac-2676, linked to his UN listing QDi.006): every call the
client offers is made over HTTP, with every filter it can send, and each either has yente's
effect or is refused with a 400 that names the parameter.
"""

from collections.abc import Iterator

import httpx
import pytest
from sqlalchemy import Engine
from yente_client import BadRequestError, Client, NotFoundError, Person
from yente_client.models import ScoredEntity

from tests.api.conftest import auth, served, store_settings, user_tokens
from tests.conftest import FIXTURES
from watchkeeper.api.algorithms import installed_algorithms
from watchkeeper.service.app import create_app
from watchkeeper.service.deps import services_of
from watchkeeper.settings import Settings
from watchkeeper.sources import get_source
from watchkeeper.store import load_source, open_engine
from watchkeeper.store.audit import query

ZAWAHIRI = Person(name="Ayman al-Zawahiri")


# One service a backend for the module: every test only reads through the client (a match
# adds an audit entry, and the first test reads the one it added), and a service's first
# snapshot of these lists took a second of CPU for each of the dozen tests.


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def settings(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Settings]:
    """The module's store on each backend, with the bundled UN list (``store_settings``)."""
    with store_settings(request, tmp_path_factory.mktemp("yente")) as settings:
        yield settings


@pytest.fixture(scope="module")
def store(settings: Settings) -> Iterator[Engine]:
    """The store with the bundled UN list as 'un' and the small OFAC extract as 'ofac'."""
    engine = open_engine(settings.db_url)
    ofac = get_source("ofac-csv", FIXTURES / "ofac" / "sdn_small")
    load_source(engine, ofac, "ofac", origin="test", raw_dir=None)
    yield engine
    engine.dispose()


@pytest.fixture(scope="module")
def tokens(store: Engine) -> dict[str, str]:
    """A token for each user of the module's store, by user name."""
    return user_tokens(store)


@pytest.fixture(scope="module")
def service(settings: Settings, store: Engine) -> Iterator[str]:
    """The service on uvicorn, on a free loopback port: its base URL."""
    app = create_app(settings, background=False)
    services_of(app).matchers.refresh()
    with served(app) as port:
        yield f"http://127.0.0.1:{port}"


@pytest.fixture
def yente(service: str, tokens: dict[str, str]) -> Iterator[Client]:
    """yente's client of the service, as screener sam."""
    with Client(api_key=tokens["sam"], base_url=service) as client:
        yield client


@pytest.fixture
def raw(service: str, tokens: dict[str, str]) -> Iterator[httpx.Client]:
    """A plain HTTP client of the service, for what yente's client checks before sending."""
    with httpx.Client(base_url=service, headers=auth(tokens["sam"]), timeout=60) as client:
        yield client


def ids(results: list[ScoredEntity]) -> list[str]:
    """The result ids and the ids of the listings they stand for."""
    return [i for r in results for i in (r.id, *r.referents)]


def test_match_filters_have_yentes_effect(yente: Client, store: Engine) -> None:
    plain = yente.match(ZAWAHIRI, cutoff=0, limit=10)
    assert plain.top is not None and plain.top.match
    assert {"ofac-2676", "un-QDi.006"} <= set(ids(plain.results))
    assert plain.top.explanations["name_similarity"].score > 0.9  # yente's per-feature shape
    # A cleared hit, and the same man's UN listing with it, stays out.
    cleared = yente.match(ZAWAHIRI, cutoff=0, limit=10, exclude_entities=["ofac-2676"])
    assert not {"ofac-2676", "un-QDi.006"} & set(ids(cleared.results))
    assert cleared.results  # the others are still screened
    no_ofac = yente.match(ZAWAHIRI, cutoff=0, limit=10, exclude_datasets=["ofac"])
    assert no_ofac.results and all(r.datasets == ["un"] for r in no_ofac.results)
    only_ofac = yente.match(ZAWAHIRI, cutoff=0, limit=10, datasets=["default", "ofac"])
    assert only_ofac.results and all(r.datasets == ["ofac"] for r in only_ofac.results)
    on_un = yente.match(ZAWAHIRI, cutoff=0, datasets=["un"], topics=["sanction"])
    assert on_un.results and all(r.datasets == ["un"] for r in on_un.results)
    assert not yente.match(ZAWAHIRI, cutoff=0, datasets=["ofac"], topics=["sanction"]).results
    assert not yente.match(ZAWAHIRI, cutoff=0, exclude_schemata=["Person"]).results
    assert yente.match(ZAWAHIRI, cutoff=0, changed_since="2000-01-01").results
    assert not yente.match(ZAWAHIRI, cutoff=0, changed_since="2999-01-01").results
    detail = query(store, action="match", limit=1)[0].detail or {}
    assert detail["filters"] == {"changed_since": "2999-01-01"}


def test_unknown_names_are_refused_not_ignored(yente: Client, raw: httpx.Client) -> None:
    body = {"queries": {"q": ZAWAHIRI.to_payload()}}
    martian = raw.post("/match/default", params={"exclude_schema": "Martian"}, json=body)
    assert martian.status_code == 400 and "exclude_schema" in martian.json()["detail"]
    for kwargs, parameter in (
        ({"exclude_datasets": ["us_ofac_sdn"]}, "exclude_dataset"),
        ({"datasets": ["un", "us_ofac_sdn"]}, "include_dataset"),
        ({"algorithm": "regression-v2"}, "algorithm"),
        ({"config": {"nm_number_mismatch": 0.4}}, "config"),
        ({"weights": {"no_such_feature": 1.0}}, "weights"),
    ):
        with pytest.raises(BadRequestError, match=parameter):
            yente.match(ZAWAHIRI, **kwargs)


def test_named_algorithms_run_or_are_refused(yente: Client, raw: httpx.Client) -> None:
    listed = yente.algorithms()
    assert [a.name for a in listed.algorithms] == list(installed_algorithms())
    assert listed.best == listed.default == "logic-wk"
    body = {"queries": {"q": ZAWAHIRI.to_payload()}}
    answer = raw.post("/match/default", params={"algorithm": "logic-v2"}, json=body)
    if "logic-v2" not in installed_algorithms():  # without the nomenklatura extra: refused, and why
        assert answer.status_code == 400 and "watchkeeper[nomenklatura]" in answer.text
        return
    assert answer.json()["algorithm"] == "logic-v2"
    top = answer.json()["responses"]["q"]["results"][0]
    assert top["id"] in ("ofac-2676", "un-QDi.006") and "explanation" not in top
    assert top["explanations"] and "name_similarity" not in top["explanations"]
    tuned = yente.match(ZAWAHIRI, algorithm="logic-v2", config={"nm_number_mismatch": 0.4})
    assert tuned.top is not None and tuned.top.match


def test_search_filters_facets_and_sorts(yente: Client) -> None:
    found = yente.search("zawahiri", schema="Person")
    assert found.results[0].id in ("un-QDi.006", "ofac-2676")
    datasets = {v.name: v.count for v in found.facets["datasets"].values}
    assert set(datasets) == {"un", "ofac"} and set(found.facets) == {
        "countries",
        "topics",
        "datasets",
    }
    only_un = yente.search("zawahiri", datasets=["un"], facets=["schema"])
    assert {r.datasets[0] for r in only_un.results} == {"un"}
    assert only_un.facets["schema"].values[0].name == "Person"
    everything = yente.search("", datasets=["default"], limit=5, facets=["datasets"])
    counts = {v.name: v.count for v in everything.facets["datasets"].values}
    assert everything.total.value == sum(counts.values()) and len(everything.results) == 5
    egypt = yente.search("", countries=["eg"], schema="Person", limit=50)
    assert egypt.results and all(
        "eg" in (r.properties.get("nationality", []) + r.properties.get("country", []))
        or "eg" in str(r.properties)
        for r in egypt.results
    )
    assert not yente.search("zawahiri", filter=["entity_id:un-QDi.325"]).results
    assert [r.id for r in yente.search("", filter=["entity_id:un-QDi.325"]).results] == [
        "un-QDi.325"
    ]
    newest = yente.search("", sort=["first_seen:desc"], limit=3).results
    assert len(newest) == 3 and all(r.first_seen is not None for r in newest)
    for kwargs, parameter in (
        ({"fuzzy": True}, "fuzzy"),
        ({"sort": ["caption"]}, "sort"),
        ({"filter": ["colour:red"]}, "filter"),
    ):
        with pytest.raises(BadRequestError, match=parameter):
            yente.search("zawahiri", **kwargs)
    assert yente.search("zawahiri", simple=True).results


def test_entities_adjacent_dates_and_catalog(yente: Client) -> None:
    nested = yente.fetch("un-QDi.325")
    assert nested.first_seen and nested.last_seen and nested.last_change
    assert any(isinstance(v, type(nested)) for vs in nested.properties.values() for v in vs)
    flat = yente.fetch("un-QDi.325", nested=False)
    assert all(isinstance(v, str) for vs in flat.properties.values() for v in vs)
    adjacent = yente.adjacent("un-QDi.325")
    assert adjacent.entity.id == "un-QDi.325" and adjacent.adjacent
    name, page = next(iter(adjacent.adjacent.items()))
    one = yente.adjacent("un-QDi.325", prop=name, limit=1)
    assert one.total.value == page.total.value and len(one.results) == 1
    with pytest.raises(NotFoundError):
        yente.adjacent("un-QDi.325", prop="name")
    with pytest.raises(BadRequestError, match="sort"):
        yente.adjacent("un-QDi.325", sort=["first_seen"])
    catalog = yente.datasets()
    by_name = {d.name: d for d in catalog.datasets}
    assert set(by_name) == {"default", "ofac", "un"}
    assert by_name["un"].updated_at and by_name["un"].entity_count
    assert by_name["default"].children == ["ofac", "un"]
    assert yente.healthz().status == yente.readyz().status == "ok"
    with pytest.raises(NotFoundError):
        yente.statements(canonical_id="un-QDi.325")


def test_match_iter_streams_every_query(yente: Client) -> None:
    people = [("a", ZAWAHIRI), ("b", Person(name="Abu Mohamed al-Adnani"))]
    answers = dict(yente.match_iter(people, workers=2, exclude_datasets=["ofac"]))
    assert set(answers) == {"a", "b"}
    assert all(r.datasets == ["un"] for a in answers.values() for r in a.results)  # type: ignore[union-attr]
