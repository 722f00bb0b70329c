"""The search page: a name, and optionally a birth date, a nationality and a kind of entity,
screened over the lists and ranked by the matcher's score (no threshold), each result
linking to its entity page. ``overview.search`` checks the fields and audits each search."""

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from watchkeeper.errors import WatchkeeperError
from watchkeeper.overview.search import DEFAULT_SCHEMA, SCHEMATA, SearchResult, search, search_query
from watchkeeper.service.deps import EngineDep, MatchersDep, RemoteDep
from watchkeeper.service.index import ALL
from watchkeeper.web.common import User, render

router = APIRouter()
SEARCH_LIMIT = 20


@router.get("/search")
def search_page(
    request: Request,
    engine: EngineDep,
    matchers: MatchersDep,
    remote: RemoteDep,
    actor: User,
    q: str = "",
    birth_date: str = "",
    nationality: str = "",
    dataset: str = ALL,
    schema: str = DEFAULT_SCHEMA,
) -> HTMLResponse:
    """The form, and with a name the best candidates for it (no threshold)."""
    form = {
        "q": q,
        "birth_date": birth_date,
        "nationality": nationality,
        "dataset": dataset,
        "schema": schema,
    }
    datasets = [ALL]
    results: list[SearchResult] = []
    error = None
    try:
        snapshot = matchers.current()
        datasets = snapshot.datasets()
        if q.strip():
            query = search_query(q, birth_date, nationality, schema)
            lists = None if dataset == ALL else frozenset(snapshot.members(dataset))
            results = search(
                engine,
                snapshot.screener,
                actor,
                query,
                lists_searched=lists,
                limit=SEARCH_LIMIT,
                remote=remote,
            )
    except WatchkeeperError as exc:
        error = exc.detail
    return render(
        request,
        actor,
        "search.html",
        400 if error else 200,
        form=form,
        datasets=datasets,
        schemas=SCHEMATA,
        results=results,
        error=error,
    )
