"""Health checks, open to all: a load balancer asks them without a token."""

from fastapi import APIRouter, Request, Response

router = APIRouter()


@router.get("/healthz")
def healthz() -> dict[str, str]:
    """The process answers."""
    return {"status": "ok"}


@router.get("/readyz")
def readyz(request: Request, response: Response) -> dict[str, str]:
    """The first index is built (503 until then)."""
    if not request.app.state.matchers.ready:
        response.status_code = 503
        return {"status": "indexing"}
    return {"status": "ok"}
