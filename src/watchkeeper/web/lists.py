"""The lists page: each list with its versions, the active one marked, and whether the
index is built."""

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from watchkeeper.service.deps import EngineDep, MatchersDep
from watchkeeper.store import list_versions_of
from watchkeeper.web.common import User, render

router = APIRouter()


@router.get("/lists")
def lists_page(
    request: Request, engine: EngineDep, matchers: MatchersDep, actor: User
) -> HTMLResponse:
    """Each list with its versions, the active one marked, and whether the index is built."""
    versions = list_versions_of(engine)
    names = sorted({v.list_name for v in versions})
    summary = [
        {
            "name": name,
            "versions": [v for v in versions if v.list_name == name],
            "active": next((v for v in versions if v.list_name == name and v.active), None),
        }
        for name in names
    ]
    indexed = matchers.snapshot().lists if matchers.ready else {}
    return render(request, actor, "lists.html", summary=summary, versions=versions, indexed=indexed)
