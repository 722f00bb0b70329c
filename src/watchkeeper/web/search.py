"""The search page: a name search over the lists, ranked by the matcher's score (no
threshold); each search is audited."""

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from watchkeeper.errors import UsageError, WatchkeeperError
from watchkeeper.matching.subject import Subject
from watchkeeper.service.deps import AuditDep, EngineDep, MatchersDep
from watchkeeper.service.index import ALL
from watchkeeper.store import find_entity
from watchkeeper.web.common import User, render

router = APIRouter()
SCHEMAS = ("LegalEntity", "Person", "Organization", "Company", "Vessel")
SEARCH_LIMIT = 20


@router.get("/search")
def search_page(
    request: Request,
    engine: EngineDep,
    matchers: MatchersDep,
    audit: AuditDep,
    actor: User,
    q: str = "",
    dataset: str = ALL,
    schema: str = "LegalEntity",
) -> HTMLResponse:
    """A name search over the lists, ranked by the matcher's score (no threshold)."""
    form = {"q": q, "dataset": dataset, "schema": schema}
    datasets = [ALL]
    results: list[dict[str, Any]] = []
    error = None
    try:
        snapshot = matchers.current()
        datasets = snapshot.datasets()
        if q.strip():
            if schema not in SCHEMAS:
                raise UsageError(f"unknown schema {schema!r}")
            hits = snapshot.candidates(dataset, Subject(schema, (q.strip(),)), SEARCH_LIMIT)
            for hit in hits:
                [entity] = find_entity(engine, hit.entity_id, hit.list_name)
                names = hit.result.names
                matched = names.result_name if names else hit.name
                results.append({"hit": hit, "entity": entity, "matched": matched})
            detail = {"results": [h.entity_id for h in hits], "via": "web"}
            audit(actor, "search", ("dataset", dataset), detail)
    except WatchkeeperError as exc:
        error = exc.detail
    return render(
        request,
        actor,
        "search.html",
        400 if error else 200,
        form=form,
        datasets=datasets,
        schemas=SCHEMAS,
        results=results,
        error=error,
    )
