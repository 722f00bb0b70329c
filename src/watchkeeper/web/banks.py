"""The hash banks page: each bank of image hashes with its settings, size, last growth and
where its entries came from. Analysts and above: they work the image alerts these banks
raise. The page names banks and sources, not screened people, so it is not audited."""

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from watchkeeper.auth import require
from watchkeeper.errors import WatchkeeperError
from watchkeeper.overview.banks import hash_banks
from watchkeeper.service.deps import EngineDep
from watchkeeper.web.common import User, refusal_page, render

router = APIRouter()


@router.get("/banks")
def banks_page(request: Request, engine: EngineDep, actor: User) -> HTMLResponse:
    """Every hash bank, by name."""
    try:
        require(actor, "analyst", "read the hash banks")
    except WatchkeeperError as exc:
        return refusal_page(request, actor, exc)
    return render(request, actor, "banks.html", banks=hash_banks(engine))
