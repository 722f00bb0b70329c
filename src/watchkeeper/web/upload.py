"""The upload page: screen a file in any lane as ``POST /lanes/{lane}/inputs`` does
(``service.ingest``), and show the lane's report and the alerts it queued."""

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request, UploadFile
from fastapi.responses import HTMLResponse
from sqlalchemy import select

from watchkeeper.auth import Actor
from watchkeeper.errors import WatchkeeperError
from watchkeeper.lanes.registry import all_lanes, get_lane
from watchkeeper.service.deps import EngineDep, MatchersDep, RemoteDep
from watchkeeper.service.index import ALL, Matchers
from watchkeeper.service.ingest import MAX_BYTES, ingest_input
from watchkeeper.service.refusals import Unreadable
from watchkeeper.store.schema import alerts, travel_messages
from watchkeeper.web.common import User, render

router = APIRouter()
OPTION = "option_"  # the upload form's fields for a lane's options: option_banks


def _upload_page(
    request: Request,
    matchers: Matchers,
    actor: Actor,
    status: int = 200,
    errors: list[str] | None = None,
    **results: Any,
) -> HTMLResponse:
    """The upload form, with the outcome of the last upload (``lane``, ``report``,
    ``faults``, ``new_alerts``, ``filename``, and ``received_before`` for a file received
    already) when there is one."""
    datasets = matchers.snapshot().datasets() if matchers.ready else [ALL]
    lanes = all_lanes()
    options: dict[str, list[str]] = {}  # each option once, with what it means in each lane
    for lane in lanes:
        for name, meaning in lane.options.items():
            options.setdefault(name, []).append(f"{lane.name}: {meaning}")
    context = {
        "lane": None,
        "report": None,
        "faults": [],
        "new_alerts": [],
        "filename": None,
        "received_before": None,
        **results,
    }
    return render(
        request,
        actor,
        "upload.html",
        status,
        lanes=lanes,
        options=options,
        option_prefix=OPTION,
        datasets=datasets,
        errors=errors or [],
        max_bytes=MAX_BYTES,
        flights=travel_messages.name,  # alerts from this table link to their flight's page
        **context,
    )


async def lane_options(request: Request) -> dict[str, str]:
    """The options typed into the upload form (``option_<name>`` fields), those left blank
    left out; the form is read once, by the CSRF check, and kept."""
    form = await request.form()
    return {
        key.removeprefix(OPTION): value.strip()
        for key, value in form.items()
        if key.startswith(OPTION) and isinstance(value, str) and value.strip()
    }


@router.get("/upload")
def upload_form(request: Request, matchers: MatchersDep, actor: User) -> HTMLResponse:
    """The form to screen a file in any lane."""
    return _upload_page(request, matchers, actor)


@router.post("/upload")
def upload(
    request: Request,
    engine: EngineDep,
    matchers: MatchersDep,
    remote: RemoteDep,
    actor: User,
    file: UploadFile,
    options: Annotated[dict[str, str], Depends(lane_options)],
    lane: Annotated[str, Form()] = "",
    dataset: Annotated[str, Form()] = ALL,
) -> HTMLResponse:
    """Screen the file in the chosen lane (the first, travel, when none is chosen) as
    ``POST /lanes/{lane}/inputs`` does; show the report and the alerts it queued."""
    name = lane or all_lanes()[0].name
    body = file.file.read(MAX_BYTES + 1)
    try:
        taken = get_lane(name).options  # the fields of other lanes' options are not for it
        given = {k: v for k, v in options.items() if k in taken}
        screened = ingest_input(
            engine, matchers, actor, remote, name, body, file.filename, dataset, options=given
        )
    except Unreadable as exc:
        return _upload_page(request, matchers, actor, exc.status, exc.faults)
    except WatchkeeperError as exc:
        return _upload_page(request, matchers, actor, exc.status, [exc.detail])
    query = (
        select(
            alerts.c.id,
            alerts.c.kind,
            alerts.c.reason,
            alerts.c.score,
            alerts.c.state,
            alerts.c.source_table,
            alerts.c.source_id,
        )
        .where(alerts.c.id.in_(screened.alert_ids))
        .order_by(alerts.c.id)
    )
    with engine.connect() as conn:
        new_alerts = conn.execute(query).all()
    return _upload_page(
        request,
        matchers,
        actor,
        lane=name,
        report=screened.report,
        faults=screened.faults,
        received_before=screened.received_at.isoformat() if screened.repeat else None,
        new_alerts=new_alerts,
        filename=file.filename,
    )
