"""One alert: the subject beside the listed entity and what the list says of it (programme,
listing, narrative, the same person on other lists), the explanation, the input that caused
it in its lane's view (``workbench``: only this traveller's segments, the payment, the
places in the document, the image and its bank entry), the history and the controls its
state allows; a decision needs a reason code beside its comment. The review forms send the
alert's version they were drawn with, so a decision made on a page that another reviewer's
decision has overtaken is refused (409) and the page shown anew."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response
from followthemoney import model
from sqlalchemy import Engine

from watchkeeper.auth import Actor
from watchkeeper.errors import UsageError, WatchkeeperError
from watchkeeper.lanes.finance.lane import FinanceLane
from watchkeeper.lanes.images.matching import LANE as IMAGES
from watchkeeper.lanes.registry import all_lanes
from watchkeeper.lanes.travel.lane import TravelLane
from watchkeeper.review import workflow
from watchkeeper.review.risk import lanes_policy, subject_risk
from watchkeeper.review.states import DECISIONS
from watchkeeper.review.workflow import AlertView
from watchkeeper.service.bounds import AlertId
from watchkeeper.service.deps import EngineDep, RemoteDep, SettingsDep
from watchkeeper.settings import Settings
from watchkeeper.store import find_entity, record_entities
from watchkeeper.store.models import StoredEntity
from watchkeeper.web.common import QUEUE, User, back, refusal_page, render
from watchkeeper.workbench.context import ListingContext, alert_context
from watchkeeper.workbench.documents_input import DocumentInput
from watchkeeper.workbench.finance_input import FinanceInput
from watchkeeper.workbench.images_input import ImageInput
from watchkeeper.workbench.inputs import InputNotKept, alert_input
from watchkeeper.workbench.travel_input import TravelInput

router = APIRouter()


@dataclass(frozen=True, slots=True)
class Fact:
    """One row of the side-by-side comparison: the screened values and the listed ones."""

    label: str
    subject: list[str]
    listed: list[str]


@dataclass(frozen=True, slots=True)
class RuleFacts:
    """A rule finding: which rule, its weight when it fired and what the rule file says it
    looks for; beside the subject's rolled-up risk and the threshold it is compared with."""

    rule: str
    weight: float | None
    description: str | None
    risk: float
    threshold: float


INPUTS: dict[type, str] = {
    TravelInput: "_input_travel.html",
    FinanceInput: "_input_finance.html",
    DocumentInput: "_input_documents.html",
    ImageInput: "_input_images.html",
    InputNotKept: "_input_not_kept.html",
}
"""The template of each lane's input."""


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


def _rule(engine: Engine, settings: Settings, alert: AlertView) -> RuleFacts | None:
    """The rule behind a rule alert, as its lane's rule file describes it."""
    said = alert.explanation or {}
    if alert.kind != "rule" or not isinstance(said.get("rule"), str):
        return None
    rule_id: str = said["rule"]
    described = None
    for lane in all_lanes():
        if lane.name == alert.lane and isinstance(lane, TravelLane | FinanceLane):
            rules = lane.rules.rules
            described = next((r.description for r in rules if r.id == rule_id), None)
    weight = said.get("weight")
    return RuleFacts(
        rule_id,
        float(weight) if isinstance(weight, int | float) else None,
        described,
        subject_risk(engine, alert.id),
        lanes_policy(settings).of(alert.lane),
    )


def _others(alert: AlertView) -> list[dict[str, Any]]:
    """The other listings of the same person that this alert stands for (one alert per
    person, ``store.alerts``), as its explanation keeps them."""
    found = (alert.explanation or {}).get("other_listings") or []
    return [o for o in found if isinstance(o, dict)]


def _alert_page(
    request: Request,
    engine: Engine,
    settings: Settings,
    remote: str | None,
    actor: Actor,
    alert_id: int,
    refused: WatchkeeperError | None = None,
    draft: str = "",
) -> HTMLResponse:
    try:
        alert = workflow.get_alert(engine, actor, alert_id, remote=remote)
        context = alert_context(engine, actor, alert_id, remote)
        found = alert_input(engine, actor, alert_id, remote)
    except WatchkeeperError as exc:
        return refusal_page(request, actor, exc)
    listed, missing = _listed(engine, alert) if alert.lane != IMAGES else ([], None)
    return render(
        request,
        actor,
        "alert.html",
        refused.status if refused else 200,
        alert=alert,
        facts=_facts(alert, listed),
        listed=listed[0] if listed else None,
        missing=missing,
        context=context if isinstance(context, ListingContext) else None,
        others=_others(alert),
        rule=_rule(engine, settings, alert),
        input=found,
        input_template=INPUTS[type(found)],
        decisions=DECISIONS,
        reason_codes=settings.reason_codes,
        error=refused.detail if refused else None,
        draft=draft,
    )


@router.get("/alerts/{alert_id}")
def alert_page(
    request: Request,
    engine: EngineDep,
    settings: SettingsDep,
    remote: RemoteDep,
    alert_id: AlertId,
    actor: User,
) -> HTMLResponse:
    """One alert: subject beside the listed entity and its listing, the explanation, the
    input in its lane's view, the history and the controls its state allows."""
    return _alert_page(request, engine, settings, remote, actor, alert_id)


def _act(
    request: Request,
    engine: Engine,
    settings: Settings,
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
        return _alert_page(request, engine, settings, remote, actor, alert_id, exc, draft)
    return back(f"{QUEUE}/{alert_id}")


Version = Annotated[int | None, Form()]  # the alert's version the page was drawn with


@router.post("/alerts/{alert_id}/assign")
def assign_to_me(
    request: Request,
    engine: EngineDep,
    settings: SettingsDep,
    remote: RemoteDep,
    alert_id: AlertId,
    actor: User,
    version: Version = None,
) -> Response:
    """Take the alert."""
    return _act(
        request,
        engine,
        settings,
        remote,
        actor,
        alert_id,
        lambda: workflow.assign(engine, actor, alert_id, actor.username, remote, version),
    )


@router.post("/alerts/{alert_id}/comment")
def comment(
    request: Request,
    engine: EngineDep,
    settings: SettingsDep,
    remote: RemoteDep,
    alert_id: AlertId,
    actor: User,
    text: Annotated[str, Form()] = "",
) -> Response:
    """Add a note to the history."""
    return _act(
        request,
        engine,
        settings,
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
    settings: SettingsDep,
    remote: RemoteDep,
    alert_id: AlertId,
    actor: User,
    state: Annotated[str, Form()],
    comment: Annotated[str, Form()] = "",
    reason_code: Annotated[str, Form()] = "",
    version: Version = None,
) -> Response:
    """Decide, or approve or send back a pending decision (``state`` in_review); the pages
    ask a reason code of every decision, beside the comment."""

    def change() -> object:
        if not reason_code.strip():
            raise UsageError("a decision needs a reason code saying why")
        return workflow.decide(
            engine,
            actor,
            alert_id,
            state,
            comment,
            remote,
            version,
            reason_code=reason_code,
            reason_codes=settings.reason_codes,
        )

    return _act(request, engine, settings, remote, actor, alert_id, change, comment)
