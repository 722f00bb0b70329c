"""What a queue group is: a key computed in SQL from what every alert already keeps (lane,
``source_table``/``source_id``, ``subject_key``, the subject's names, the explanation), so
that grouping costs no per-row query and no schema change.

Groupings (``by``):

- ``subject`` (the default): one screened person or thing. A traveller within one travel
  message, a customer or party within one payment file, a document (the input, whatever
  names it mentions), an image (its origin and hash);
- ``input``: one screened input, i.e. a travel message, a payment file, a document, an image;
- ``flight``: the travel messages reporting one flight (PAXLST and PNRGOV alike);
- ``booking``: one PNR (its record locator, kept in the alert's explanation).

An alert a grouping does not apply to (a payment under ``flight``) falls back to its
``subject`` group. Keys start with the lane or the grouping, then what identifies the group.
"""

from typing import Any

from sqlalchemy import ColumnElement, String, and_, case, cast, func, literal
from sqlalchemy.sql.selectable import FromClause

from watchkeeper.errors import UsageError
from watchkeeper.store.schema import alerts, lane_inputs, travel_messages

SUBJECT = "subject"
INPUT = "input"
FLIGHT = "flight"
BOOKING = "booking"
GROUPINGS = (SUBJECT, INPUT, FLIGHT, BOOKING)

DOCUMENTS = "documents"
IMAGES = "images"


def grouping(by: str) -> str:
    """``by`` when it is a grouping; a usage error naming them all otherwise."""
    if by not in GROUPINGS:
        raise UsageError(f"unknown grouping {by!r}: use one of {', '.join(GROUPINGS)}")
    return by


def joined() -> FromClause:
    """The alerts with the travel message or lane input each came from, when it is kept."""
    return alerts.outerjoin(
        travel_messages,
        and_(
            alerts.c.source_table == travel_messages.name,
            alerts.c.source_id == travel_messages.c.id,
        ),
    ).outerjoin(
        lane_inputs,
        and_(alerts.c.source_table == lane_inputs.name, alerts.c.source_id == lane_inputs.c.id),
    )


def _text(*parts: ColumnElement[Any] | str) -> ColumnElement[str]:
    """The parts joined by ``|``, each NULL read as empty (SQL ``||`` on both backends)."""
    out: ColumnElement[str] | None = None
    for part in parts:
        value = literal(part, String) if isinstance(part, str) else part
        text = func.coalesce(cast(value, String), literal("", String))
        out = text if out is None else out + literal("|", String) + text
    assert out is not None
    return out


def _source() -> ColumnElement[str]:
    return _text(alerts.c.source_table, alerts.c.source_id)


def _path() -> ColumnElement[str]:
    """A document's file: its kept input's name, else the path its explanation gives."""
    return func.coalesce(lane_inputs.c.path, alerts.c.explanation["path"].as_string())


def _document() -> ColumnElement[str]:
    """A document: its kept input, else its file (documents screened without being kept)."""
    return case((alerts.c.source_table.is_not(None), _source()), else_=_path())


def _name() -> ColumnElement[str]:
    """The subject's first name: a traveller's or party's name, an image's origin."""
    name: ColumnElement[str] = alerts.c.subject[("names", 0)].as_string()
    return name


def booking() -> ColumnElement[str]:
    """The PNR record locator the travel lane keeps in an alert's explanation."""
    locator: ColumnElement[str] = alerts.c.explanation["booking"].as_string()
    return locator


def owner() -> ColumnElement[str]:
    """Whom a rule hit is about: the traveller within a message, the customer within a
    file. Rule risk is rolled up per owner (``review.risk``)."""
    return _text(alerts.c.lane, _source(), alerts.c.subject_key)


def subject_key() -> ColumnElement[str]:
    """The ``subject`` group of each alert (see the module's doc)."""
    return case(
        (alerts.c.lane == DOCUMENTS, _text(alerts.c.lane, _document())),
        (alerts.c.lane == IMAGES, _text(alerts.c.lane, alerts.c.subject_key)),
        else_=owner(),
    )


def group_key(by: str) -> ColumnElement[str]:
    """The key of each alert's group under grouping ``by``, over ``joined()``."""
    subject = subject_key()
    if by == INPUT:
        return case(
            (alerts.c.source_table.is_not(None), _text(alerts.c.lane, _source())),
            else_=subject,
        )
    if by == FLIGHT:
        return case(
            (travel_messages.c.flight.is_not(None), _text(FLIGHT, travel_messages.c.flight)),
            else_=subject,
        )
    if by == BOOKING:
        return case((booking().is_not(None), _text(BOOKING, booking())), else_=subject)
    return subject


def person() -> ColumnElement[str]:
    """The subject column of each alert: the screened person's or customer's name, the
    document's file name, the image's name."""
    return case((alerts.c.lane == DOCUMENTS, _path()), else_=_name())


def label(by: str) -> ColumnElement[str]:
    """What each alert's group is called under ``by``: the flight, the booking, the input's
    file, or the subject (``person``)."""
    if by == FLIGHT:
        return func.coalesce(travel_messages.c.flight, person())
    if by == BOOKING:
        return func.coalesce(booking(), person())
    if by == INPUT:
        return func.coalesce(lane_inputs.c.path, travel_messages.c.flight, person())
    return person()
