"""The list versions pages: a list's loads with what each changed, and one version's changes
entry by entry. Open to every signed-in user, as the lists page is: they show what the
published lists hold, not who was screened, so they are not audited (the entity pages they
link to are, and are for analysts)."""

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse

from watchkeeper.errors import WatchkeeperError
from watchkeeper.overview.versions import MAX_VERSIONS, version_changes, version_history
from watchkeeper.service.bounds import MAX_ID
from watchkeeper.service.deps import EngineDep
from watchkeeper.web.common import User, refusal_page, render

router = APIRouter()
ListName = Annotated[str, Path(max_length=200)]
SHOWN = 50


@router.get("/lists/{name}/versions")
def versions_page(
    request: Request,
    engine: EngineDep,
    actor: User,
    name: ListName,
    limit: Annotated[int, Query(ge=1, le=MAX_VERSIONS)] = SHOWN,
) -> HTMLResponse:
    """The newest ``limit`` versions of a list, newest first, with the entries each added,
    removed and changed."""
    try:
        history = version_history(engine, name, limit)
    except WatchkeeperError as exc:
        return refusal_page(request, actor, exc)
    return render(request, actor, "versions.html", list_name=name, history=history, limit=limit)


@router.get("/lists/{name}/versions/{number}")
def version_page(
    request: Request,
    engine: EngineDep,
    actor: User,
    name: ListName,
    number: Annotated[int, Path(ge=1, le=MAX_ID)],
) -> HTMLResponse:
    """What version ``number`` changed against the version before, entry by entry."""
    try:
        diff = version_changes(engine, name, number)
    except WatchkeeperError as exc:
        return refusal_page(request, actor, exc)
    return render(request, actor, "version.html", diff=diff)
