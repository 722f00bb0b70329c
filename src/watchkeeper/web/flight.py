"""The flight page: one screened travel message's legs and travellers, each traveller with
the alerts raised on them and their summed rule risk (``workbench.flight``, which audits the
read)."""

from typing import Annotated

from fastapi import APIRouter, Path, Request
from fastapi.responses import HTMLResponse

from watchkeeper.errors import WatchkeeperError
from watchkeeper.service.bounds import MAX_ID
from watchkeeper.service.deps import EngineDep, RemoteDep
from watchkeeper.web.common import User, refusal_page, render
from watchkeeper.workbench.flight import flight_page

router = APIRouter()
MessageId = Annotated[int, Path(ge=1, le=MAX_ID, description="A travel message's id")]


@router.get("/flights/{message_id}")
def flight(
    request: Request, engine: EngineDep, remote: RemoteDep, actor: User, message_id: MessageId
) -> HTMLResponse:
    """The flight of one travel message; refused below analyst."""
    try:
        page = flight_page(engine, actor, message_id, remote)
    except WatchkeeperError as exc:
        return refusal_page(request, actor, exc)
    return render(request, actor, "flight.html", page=page)
