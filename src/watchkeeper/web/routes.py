"""The analyst's pages under ``/web``.

Sign-in takes an API token (made with ``watchkeeper users token``) and keeps it in an
httponly, SameSite=Strict cookie, so the pages use the same tokens, roles and audit as the
API, and no other site can post a form with it. Every rule of review lives in
``review.workflow``; a refusal from it (four-eyes, a role too low, a final decision, another
reviewer who acted first) is shown on the page with its status, never as a server error. The
review forms send the alert's version they were drawn with, so a decision made on a page
that another reviewer's decision has overtaken is refused (409) and the page shown anew.
Pages that show personal data record an audit entry: the queue and the alert page through
``workflow``, the others here.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any
from urllib.parse import urlencode

import jinja2
from fastapi import APIRouter, Depends, Form, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from followthemoney import model
from sqlalchemy import Engine, select

from watchkeeper.auth import Actor
from watchkeeper.errors import SourceError, UsageError, WatchkeeperError
from watchkeeper.lanes.registry import all_lanes, get_lane
from watchkeeper.lanes.travel.edifact import tokenize
from watchkeeper.matching.subject import Subject
from watchkeeper.review import workflow
from watchkeeper.review.states import DECISIONS
from watchkeeper.review.workflow import AlertView
from watchkeeper.service.bounds import MAX_DAYS, MAX_OFFSET, AlertId
from watchkeeper.service.deps import AuditDep, CredentialsDep, EngineDep, MatchersDep, RemoteDep
from watchkeeper.service.index import ALL, Matchers
from watchkeeper.service.ingest import MAX_BYTES, ingest_input
from watchkeeper.service.refusals import Refusal, TooManyFailures, Unreadable, phrase
from watchkeeper.store import find_entity, list_versions_of, record_entities
from watchkeeper.store.alert_states import STATES
from watchkeeper.store.models import StoredEntity
from watchkeeper.store.schema import alerts, travel_messages
from watchkeeper.web import TEMPLATES, csrf

router = APIRouter(prefix="/web", include_in_schema=False, dependencies=[Depends(csrf.verify)])
COOKIE = "wk_token"
SIGNIN = "/web/signin"
QUEUE = "/web/alerts"
OPEN_POSTS = frozenset({SIGNIN, "/web/signout"})  # bodies accepted without a session
OPTION = "option_"  # the upload form's fields for a lane's options: option_banks
SCHEMAS = ("LegalEntity", "Person", "Organization", "Company", "Vessel")
QUEUE_LIMIT = 200
SEARCH_LIMIT = 20


def _when(moment: datetime | None) -> str:
    return moment.strftime("%Y-%m-%d %H:%M UTC") if moment else ""


def _score(value: float | None) -> str:
    return f"{value:.2f}" if value is not None else ""


templates = Jinja2Templates(
    env=jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,  # every value is escaped, whatever the template's name
        undefined=jinja2.StrictUndefined,  # a misspelt name fails the tests, not silently
    )
)
templates.env.filters.update(when=_when, score=_score)


class SignInFirst(Refusal):
    """No signed-in user: off to the sign-in page."""

    def __init__(self, status: int, headers: dict[str, str]) -> None:
        super().__init__(phrase(status), status, headers)


def signed_in(request: Request, credentials: CredentialsDep) -> Actor:
    """The user of the ``wk_token`` cookie; otherwise off to the sign-in page (htmx is told
    by header, since a redirect would land the sign-in page inside the table). A cookie
    that no longer signs in is cleared, so it is not checked again and again."""
    token = request.cookies.get(COOKIE)
    actor = credentials.actor(token) if token else None
    if actor is None:
        headers = {"Set-Cookie": f"{COOKIE}=; Max-Age=0; Path=/"} if token else {}
        if request.headers.get("hx-request"):
            raise SignInFirst(401, {"HX-Redirect": SIGNIN, **headers})
        raise SignInFirst(303, {"Location": SIGNIN, **headers})
    return actor


User = Annotated[Actor, Depends(signed_in)]


def _page(
    request: Request, actor: Actor | None, name: str, status: int = 200, **context: Any
) -> HTMLResponse:
    """A rendered page, kept out of every cache: pages show personal data, and the back
    button after signing out must not bring them back."""
    page = {"actor": actor, "error": None, "csrf": csrf.token(request), **context}
    response = templates.TemplateResponse(request, name, page, status_code=status)
    response.headers["Cache-Control"] = "no-store"
    csrf.keep(request, response)
    return response


def _home(actor: Actor) -> str:
    """Where a user starts: the queue, or search for a screener, who may not read alerts."""
    return QUEUE if actor.can("analyst") else "/web/search"


def _refusal(request: Request, actor: Actor, exc: WatchkeeperError) -> HTMLResponse:
    return _page(request, actor, "error.html", exc.status, error=exc.detail)


def _back(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


# -- signing in ----------------------------------------------------------------------------


@router.get("/signin")
def signin_form(request: Request, credentials: CredentialsDep) -> Response:
    """The sign-in form, or the start page for someone signed in already."""
    token = request.cookies.get(COOKIE)
    try:
        actor = credentials.actor(token) if token else None
    except TooManyFailures as exc:
        return _throttled(request, exc)
    return _back(_home(actor)) if actor else _page(request, None, "signin.html")


def _throttled(request: Request, exc: TooManyFailures) -> HTMLResponse:
    page = _page(request, None, "signin.html", 429, error=exc.detail)
    page.headers["Retry-After"] = str(exc.retry_after)
    return page


@router.post("/signin")
def signin(
    request: Request,
    credentials: CredentialsDep,
    audit: AuditDep,
    token: Annotated[str, Form()] = "",
) -> Response:
    """Check the token and keep it in the cookie; the form again when it is not valid, and
    429 after too many failures from one address."""
    token = token.strip()
    try:
        actor = credentials.actor(token)
    except TooManyFailures as exc:
        return _throttled(request, exc)
    if actor is None:
        error = "That token is not valid: it may be mistyped, revoked or expired."
        return _page(request, None, "signin.html", 401, error=error)
    audit(actor, "signin", ("user", actor.username), {"via": "web"})
    response = _back(_home(actor))
    csrf.renew(request, response)
    response.set_cookie(
        COOKIE,
        token,
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
        path="/",
    )
    return response


@router.api_route("/signout", methods=["GET", "POST"])
def signout() -> Response:
    """Forget the cookies (the token itself stays valid until revoked)."""
    response = _back(SIGNIN)
    response.delete_cookie(COOKIE, path="/", httponly=True, samesite="strict")
    response.delete_cookie(csrf.COOKIE, path="/web", httponly=True, samesite="strict")
    return response


# -- the queue -----------------------------------------------------------------------------


def _number(text: str, label: str, kind: Callable[[str], Any], low: int, high: int) -> Any:
    """A blank field is no filter; anything else must parse as ``kind`` and lie between
    ``low`` and ``high`` (which NaN never does)."""
    if not text.strip():
        return None
    try:
        value = kind(text.strip())
    except ValueError:
        raise UsageError(f"{label} must be a number, not {text!r}") from None
    if not low <= value <= high:
        raise UsageError(f"{label} must be between {low} and {high}")
    return value


@router.get("/alerts")
def queue(
    request: Request,
    engine: EngineDep,
    remote: RemoteDep,
    actor: User,
    lane: str = "",
    list_name: Annotated[str, Query(alias="list")] = "",
    state: str = "",
    min_score: str = "",
    max_score: str = "",
    newer_than_days: str = "",
    older_than_days: str = "",
    page: str = "",
) -> Response:
    """The queue with its filters, ``QUEUE_LIMIT`` alerts a page; an htmx request gets only
    the table back."""
    form = {
        "lane": lane,
        "list": list_name,
        "state": state,
        "min_score": min_score,
        "max_score": max_score,
        "newer_than_days": newer_than_days,
        "older_than_days": older_than_days,
    }
    found: list[AlertView] = []
    older = False
    error = None
    number = 1
    try:
        asked = _number(page, "Page", int, 1, MAX_OFFSET // QUEUE_LIMIT)
        number = 1 if asked is None else asked
        page_of = workflow.list_alerts(
            engine,
            actor,
            lane=lane or None,
            list_name=list_name or None,
            state=state or None,
            min_score=_number(min_score, "Minimum score", float, 0, 1),
            max_score=_number(max_score, "Maximum score", float, 0, 1),
            newer_than_days=_number(newer_than_days, "Created within (days)", int, 0, MAX_DAYS),
            older_than_days=_number(older_than_days, "Older than (days)", int, 0, MAX_DAYS),
            limit=QUEUE_LIMIT,
            offset=(number - 1) * QUEUE_LIMIT,
            remote=remote,
        )
        found, older = page_of.alerts, page_of.more
    except UsageError as exc:
        error = exc.detail
    except WatchkeeperError as exc:
        return _refusal(request, actor, exc)
    fragment = bool(request.headers.get("hx-request")) and not request.headers.get(
        "hx-history-restore-request"
    )
    response = _page(
        request,
        actor,
        "_queue_table.html" if fragment else "alerts.html",
        400 if error and not fragment else 200,  # htmx swaps in only 2xx answers
        alerts=found,
        form=form,
        filter_error=error,
        lanes=[lane.name for lane in all_lanes()],
        lists=sorted({v.list_name for v in list_versions_of(engine)}),
        states=STATES,
        first=(number - 1) * QUEUE_LIMIT + 1,
        newer=_page_link(form, number - 1) if number > 1 else None,
        older=_page_link(form, number + 1) if older else None,
    )
    response.headers["Vary"] = "HX-Request"  # the fragment and the page must not share a cache
    return response


def _page_link(form: dict[str, str], number: int) -> str:
    """The queue's address for page ``number`` with the same filters."""
    params = {k: v for k, v in form.items() if v}
    if number > 1:
        params["page"] = str(number)
    return "/web/alerts" + (f"?{urlencode(params)}" if params else "")


# -- one alert -----------------------------------------------------------------------------


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
        return _refusal(request, actor, exc)
    listed, missing = _listed(engine, alert)
    return _page(
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
    return _back(f"/web/alerts/{alert_id}")


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


# -- lists, search, upload -----------------------------------------------------------------


@router.get("/lists")
def lists_page(
    request: Request, engine: EngineDep, matchers: MatchersDep, actor: User
) -> HTMLResponse:
    """Each list with its versions, the active one marked, and whether the index is built."""
    versions = list_versions_of(engine)
    names = sorted({v.list_name for v in versions})
    summary = [
        {
            "name": name,
            "versions": [v for v in versions if v.list_name == name],
            "active": next((v for v in versions if v.list_name == name and v.active), None),
        }
        for name in names
    ]
    indexed = matchers.snapshot().lists if matchers.ready else {}
    return _page(request, actor, "lists.html", summary=summary, versions=versions, indexed=indexed)


@router.get("/search")
def search_page(
    request: Request,
    engine: EngineDep,
    matchers: MatchersDep,
    audit: AuditDep,
    actor: User,
    q: str = "",
    dataset: str = ALL,
    schema: str = "LegalEntity",
) -> HTMLResponse:
    """A name search over the lists, ranked by the matcher's score (no threshold)."""
    form = {"q": q, "dataset": dataset, "schema": schema}
    datasets = [ALL]
    results: list[dict[str, Any]] = []
    error = None
    try:
        snapshot = matchers.current()
        datasets = snapshot.datasets()
        if q.strip():
            if schema not in SCHEMAS:
                raise UsageError(f"unknown schema {schema!r}")
            hits = snapshot.candidates(dataset, Subject(schema, (q.strip(),)), SEARCH_LIMIT)
            for hit in hits:
                [entity] = find_entity(engine, hit.entity_id, hit.list_name)
                names = hit.result.names
                matched = names.result_name if names else hit.name
                results.append({"hit": hit, "entity": entity, "matched": matched})
            detail = {"results": [h.entity_id for h in hits], "via": "web"}
            audit(actor, "search", ("dataset", dataset), detail)
    except WatchkeeperError as exc:
        error = exc.detail
    return _page(
        request,
        actor,
        "search.html",
        400 if error else 200,
        form=form,
        datasets=datasets,
        schemas=SCHEMAS,
        results=results,
        error=error,
    )


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
    return _page(
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
        select(alerts.c.id, alerts.c.kind, alerts.c.reason, alerts.c.score, alerts.c.state)
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
