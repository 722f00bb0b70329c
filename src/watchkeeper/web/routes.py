"""The analyst's pages under ``/web``, one module a page; this router gathers them, each
behind the CSRF check of its forms (``csrf.verify``). A new page is a module with its own
``router``, added to ``PAGES``."""

from fastapi import APIRouter, Depends

from watchkeeper.web import (
    alert,
    alert_image,
    banks,
    bulk,
    csrf,
    dashboard,
    entity,
    flight,
    lists,
    partners,
    queue,
    search,
    signin,
    upload,
    users,
    versions,
)

PREFIX = "/web"
PAGES = (
    *(signin, queue, alert, lists, search, upload, bulk, alert_image),
    *(entity, flight, dashboard, banks, partners, versions, users),
)
router = APIRouter(prefix=PREFIX, include_in_schema=False, dependencies=[Depends(csrf.verify)])
for page in PAGES:
    router.include_router(page.router)
