"""One alert: the subject beside the listed entity, the explanation, the input that caused
it, the history and the controls its state allows. The review forms send the alert's
version they were drawn with, so a decision made on a page that another reviewer's decision
has overtaken is refused (409) and the page shown anew."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response
from followthemoney import model
from sqlalchemy import Engine, select

from watchkeeper.auth import Actor
from watchkeeper.errors import SourceError, WatchkeeperError
from watchkeeper.lanes.travel.edifact import tokenize
from watchkeeper.review import workflow
from watchkeeper.review.states import DECISIONS
from watchkeeper.review.workflow import AlertView
from watchkeeper.service.bounds import AlertId
from watchkeeper.service.deps import EngineDep, RemoteDep
from watchkeeper.store import find_entity, record_entities
from watchkeeper.store.models import StoredEntity
from watchkeeper.store.schema import travel_messages
from watchkeeper.web.common import QUEUE, User, back, refusal_page, render

router = APIRouter()


@dataclass(frozen=True, slots=True)
class Fact:
    """One row of the side-by-side comparison: the screened values and the listed ones."""

    label: str
    subject: list[str]
    listed: list[str]


@dataclass(frozen=True, slots=True)
class RawInput:
    """The stored message that caused an alert, split around the segment that did."""

    kind: str | None
    reference: str | None
    flight: str | None
    received_at: datetime
    before: str
    segment: str
    after: str


def _values(entity: StoredEntity, *names: str) -> list[str]:
    return [v for name in names for v in entity.properties.get(name, [])]


def _documents(main: StoredEntity, others: list[StoredEntity]) -> list[str]:
    """Document numbers of a listed entry: its own ID properties and its Identification
    entities (passports, identity cards), with type and country when known."""
    found = _values(main, "passportNumber", "idNumber")
    for other in others:
        schema = model.get(other.schema)
        if schema is None or not schema.is_a("Identification"):
            continue
        kind = ", ".join(_values(other, "type")) or other.schema
        country = ", ".join(c.upper() for c in _values(other, "country"))
        for number in _values(other, "number"):
            found.append(f"{number} ({kind}{'; ' + country if country else ''})")
    return found


def _facts(alert: AlertView, listed: list[StoredEntity]) -> list[Fact]:
    """The screened facts beside the listed entity's, row by row."""
    subject = alert.subject
    main, others = (listed[0], listed[1:]) if listed else (None, [])

    def side(*names: str) -> list[str]:
        return _values(main, *names) if main else []

    countries = side("nationality", "citizenship", "country")
    return [
        Fact("Names", list(subject.get("names", [])), side("name")),
        Fact("Aliases", [], side("alias", "weakAlias", "previousName")),
        Fact("Birth dates", list(subject.get("birth_dates", [])), side("birthDate")),
        Fact(
            "Nationalities",
            [c.upper() for c in subject.get("countries", [])],
            [c.upper() for c in countries],
        ),
        Fact("Gender", [subject["gender"]] if subject.get("gender") else [], side("gender")),
        Fact(
            "Documents",
            list(subject.get("identifiers", [])),
            _documents(main, others) if main else [],
        ),
    ]


def _listed(engine: Engine, alert: AlertView) -> tuple[list[StoredEntity], str | None]:
    """The listed entry (main entity first) and why it is missing, if it is."""
    if alert.entity_id is None:
        return [], None
    try:
        entity = find_entity(engine, alert.entity_id, alert.list_name)[0]
    except WatchkeeperError:
        return [], f"{alert.entity_id} is no longer in the active version of {alert.list_name}"
    return record_entities(engine, entity), None


def _raw_input(engine: Engine, alert: AlertView) -> RawInput | None:
    """The travel message of an alert, split at its segment so the page can mark it. When
    the segment cannot be placed (a depersonalised or line-wrapped message) the whole text
    is ``before``."""
    if alert.source_table != travel_messages.name or alert.source_id is None:
        return None
    with engine.connect() as conn:
        row = conn.execute(
            select(travel_messages).where(travel_messages.c.id == alert.source_id)
        ).first()
    if row is None:
        return None
    parts = _split_at(row.raw, alert.segment, row.path)
    before, segment, after = parts if parts else (row.raw, "", "")
    return RawInput(row.kind, row.reference, row.flight, row.received_at, before, segment, after)


def _split_at(raw: str, number: int | None, path: str) -> tuple[str, str, str] | None:
    """``raw`` as (before, segment ``number``, after), finding each segment's text in turn."""
    if number is None:
        return None
    try:
        _, segments, _ = tokenize(raw, path)
    except SourceError:
        return None
    cursor = 0
    for segment in segments:
        at = raw.find(segment.text, cursor)
        if at < 0:
            return None
        if segment.number == number:
            return raw[:at], segment.text, raw[at + len(segment.text) :]
        cursor = at + len(segment.text)
    return None


def _alert_page(
    request: Request,
    engine: Engine,
    remote: str | None,
    actor: Actor,
    alert_id: int,
    refused: WatchkeeperError | None = None,
    draft: str = "",
) -> HTMLResponse:
    try:
        alert = workflow.get_alert(engine, actor, alert_id, remote=remote)
    except WatchkeeperError as exc:
        return refusal_page(request, actor, exc)
    listed, missing = _listed(engine, alert)
    return render(
        request,
        actor,
        "alert.html",
        refused.status if refused else 200,
        alert=alert,
        facts=_facts(alert, listed),
        listed=listed[0] if listed else None,
        missing=missing,
        raw=_raw_input(engine, alert),
        decisions=DECISIONS,
        error=refused.detail if refused else None,
        draft=draft,
    )


@router.get("/alerts/{alert_id}")
def alert_page(
    request: Request, engine: EngineDep, remote: RemoteDep, alert_id: AlertId, actor: User
) -> HTMLResponse:
    """One alert: subject beside the listed entity, the explanation, the input, the history
    and the controls its state allows."""
    return _alert_page(request, engine, remote, actor, alert_id)


def _act(
    request: Request,
    engine: Engine,
    remote: str | None,
    actor: Actor,
    alert_id: int,
    change: Callable[[], object],
    draft: str = "",
) -> Response:
    """Apply a workflow change and go back to the alert (PRG); a refusal is shown there."""
    try:
        change()
    except WatchkeeperError as exc:
        return _alert_page(request, engine, remote, actor, alert_id, exc, draft)
    return back(f"{QUEUE}/{alert_id}")


Version = Annotated[int | None, Form()]  # the alert's version the page was drawn with


@router.post("/alerts/{alert_id}/assign")
def assign_to_me(
    request: Request,
    engine: EngineDep,
    remote: RemoteDep,
    alert_id: AlertId,
    actor: User,
    version: Version = None,
) -> Response:
    """Take the alert."""
    return _act(
        request,
        engine,
        remote,
        actor,
        alert_id,
        lambda: workflow.assign(engine, actor, alert_id, actor.username, remote, version),
    )


@router.post("/alerts/{alert_id}/comment")
def comment(
    request: Request,
    engine: EngineDep,
    remote: RemoteDep,
    alert_id: AlertId,
    actor: User,
    text: Annotated[str, Form()] = "",
) -> Response:
    """Add a note to the history."""
    return _act(
        request,
        engine,
        remote,
        actor,
        alert_id,
        lambda: workflow.comment(engine, actor, alert_id, text, remote=remote),
        text,
    )


@router.post("/alerts/{alert_id}/decide")
def decide(
    request: Request,
    engine: EngineDep,
    remote: RemoteDep,
    alert_id: AlertId,
    actor: User,
    state: Annotated[str, Form()],
    comment: Annotated[str, Form()] = "",
    version: Version = None,
) -> Response:
    """Decide, or approve or send back a pending decision (``state`` in_review)."""
    return _act(
        request,
        engine,
        remote,
        actor,
        alert_id,
        lambda: workflow.decide(engine, actor, alert_id, state, comment, remote, version),
        comment,
    )
