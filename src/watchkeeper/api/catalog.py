"""yente's ``/catalog`` and ``/algorithms``: what this service screens against, and how.

Each loaded list is a dataset under its FtM-valid name (``service.datasets``), with its active
version, ``updated_at`` (when that version was loaded), ``entity_count`` (every entity of
the version) and ``thing_count`` (its entries); ``default`` is the collection of every list
of names, as yente's union of datasets.
"""

from typing import Annotated

from fastapi import APIRouter, Depends
from fastapi.responses import JSONResponse

from watchkeeper.api.algorithms import LOGIC_WK, installed_algorithms
from watchkeeper.api.answers import as_built, shaped
from watchkeeper.api.problems import AUTHENTICATED, errors
from watchkeeper.api.security import require
from watchkeeper.api.yente_models import Algorithms, Catalog
from watchkeeper.auth import Actor
from watchkeeper.service.deps import MatchersDep
from watchkeeper.service.index import ALL

router = APIRouter(responses=errors(*AUTHENTICATED, 503))
Screener = Annotated[Actor, Depends(require("screener"))]


@router.get("/catalog", response_model=None, responses=shaped(Catalog))
def catalog(matchers: MatchersDep, actor: Screener) -> JSONResponse:
    """The datasets: each loaded list with its active version, and ``default`` for all."""
    snapshot = matchers.current()
    infos = sorted(snapshot.lists.values(), key=lambda i: i.name)
    datasets = [
        {
            "name": snapshot.names.dataset(info.name),
            "title": f"{info.name} ({info.format})",
            "summary": f"{info.entries} entries, loaded {info.loaded_at.isoformat()}",
            "updated_at": info.loaded_at.isoformat(),
            "entity_count": info.entity_count,
            "thing_count": info.entries,
            "load": True,
            "version": str(info.version),
            "index_version": str(info.version),
            "index_current": info.name in snapshot.matchable,
            "children": [],
        }
        for info in infos
    ]
    children = list(snapshot.matchable)
    members = [snapshot.lists[n] for n in children]
    datasets.insert(
        0,
        {
            "name": ALL,
            "title": "All loaded lists",
            "updated_at": max(
                (i.loaded_at for i in members), default=snapshot.built_at
            ).isoformat(),
            "entity_count": sum(i.entity_count for i in members),
            "thing_count": sum(i.entries for i in members),
            "load": True,
            "version": ",".join(f"{n}:{snapshot.lists[n].version}" for n in children),
            "index_current": True,
            "children": [snapshot.names.dataset(n) for n in children],
        },
    )
    current = [ALL, *(snapshot.names.dataset(n) for n in children)]
    return as_built(
        {"datasets": datasets, "current": current, "outdated": [], "index_stale": False}
    )


@router.get("/algorithms", response_model=None, responses=shaped(Algorithms))
def algorithms(actor: Screener) -> JSONResponse:
    """The algorithms this installation runs, in yente's shape: logic-wk, and nomenklatura's
    when the ``nomenklatura`` extra is installed."""
    return as_built(
        {
            "algorithms": [a.docs() for a in installed_algorithms().values()],
            "default": LOGIC_WK.name,
            "best": LOGIC_WK.name,
        }
    )
