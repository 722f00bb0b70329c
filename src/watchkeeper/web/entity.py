"""The entity page: one listed entry with every FtM property labelled, each version of its
list and what changed in it, the entries of other lists that are the same person, and the
alerts raised on it (``workbench.entity``, which audits the read)."""

from typing import Annotated

from fastapi import APIRouter, Path, Request
from fastapi.responses import HTMLResponse

from watchkeeper.errors import WatchkeeperError
from watchkeeper.service.deps import EngineDep, RemoteDep
from watchkeeper.web.common import User, refusal_page, render
from watchkeeper.workbench.entity import entity_page

router = APIRouter()
Name = Annotated[str, Path(max_length=200)]


@router.get("/entities/{list_name}/{entity_id}")
def entity(
    request: Request,
    engine: EngineDep,
    remote: RemoteDep,
    actor: User,
    list_name: Name,
    entity_id: Name,
) -> HTMLResponse:
    """One listed entry as an analyst reads it; refused below analyst."""
    try:
        page = entity_page(engine, actor, list_name, entity_id, remote)
    except WatchkeeperError as exc:
        return refusal_page(request, actor, exc)
    return render(request, actor, "entity.html", page=page)
