"""The image of an image alert, when it was kept: its bytes from ``lane_inputs`` with the
media type its first bytes say, for the alert page's thumbnail. Reading it is reading the
alert's input, so it is audited as one (``workbench.inputs.alert_input``), and refused below
analyst; an alert with no kept image, or one of a type browsers are not sent, is a 404."""

from fastapi import APIRouter
from fastapi.responses import Response

from watchkeeper.errors import NotFoundError
from watchkeeper.service.bounds import AlertId
from watchkeeper.service.deps import EngineDep, RemoteDep
from watchkeeper.web.common import User
from watchkeeper.workbench.images_input import ImageInput
from watchkeeper.workbench.inputs import alert_input
from watchkeeper.workbench.kept import kept_input

router = APIRouter()


@router.get("/alerts/{alert_id}/image")
def alert_image(engine: EngineDep, remote: RemoteDep, alert_id: AlertId, actor: User) -> Response:
    """The kept image of alert ``alert_id``, never cached (it may show a person)."""
    found = alert_input(engine, actor, alert_id, remote)
    if not isinstance(found, ImageInput) or found.thumbnail is None:
        raise NotFoundError(f"alert {alert_id} has no kept image")
    if found.thumbnail.media_type is None:
        raise NotFoundError(f"the image of alert {alert_id} is of a type not shown")
    raw = kept_input(engine, found.thumbnail.input_id).raw
    headers = {"Cache-Control": "no-store"}
    return Response(raw, media_type=found.thumbnail.media_type, headers=headers)
