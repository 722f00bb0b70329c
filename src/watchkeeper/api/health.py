"""Health checks, open to all: a load balancer asks them without a token."""

from fastapi import APIRouter, Response
from pydantic import BaseModel

from watchkeeper.service.deps import MatchersDep

router = APIRouter()


class Health(BaseModel):
    """``ok``, or what the service is still doing."""

    status: str


@router.get("/healthz", response_model=Health)
def healthz() -> dict[str, str]:
    """The process answers."""
    return {"status": "ok"}


@router.get(
    "/readyz",
    response_model=Health,
    responses={503: {"model": Health, "description": "Still indexing"}},
)
def readyz(matchers: MatchersDep, response: Response) -> dict[str, str]:
    """The first index is built (503 until then)."""
    if not matchers.ready:
        response.status_code = 503
        return {"status": "indexing"}
    return {"status": "ok"}
