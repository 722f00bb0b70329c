"""Retention of travel data: depersonalise after six months, delete after five years.

The defaults are those of EU Directive 2016/681 (PNR): after six months the data is
depersonalised by masking what identifies a person directly (names, contact details,
addresses, document and frequent-flyer numbers); the rest (routes, dates, payment types)
stays for statistics and risk analysis. After five years it is deleted, with its alerts.
The answer kept for each interchange (``ingest``) quotes the travellers: it is dropped when
the interchange's messages are depersonalised, and the interchange deleted with them. Every
run, dry or applied, is logged in ``retention_runs``.
"""

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Engine, and_, delete, null, select, update

from watchkeeper.errors import SourceError, UsageError
from watchkeeper.lanes.travel.edifact import service_characters, tokenize
from watchkeeper.lanes.travel.records import LANE
from watchkeeper.store.schema import (
    alerts,
    retention_runs,
    travel_interchanges,
    travel_messages,
)

MASK = "***"
_ALNUM = re.compile(r"[A-Za-z0-9]")
# Segments that name, reach or identify a person. All of their data is masked, except the
# qualifier of the kinds whose first component says what the segment is (NAD+FL, DOC+P,
# SSR+DOCS), which statistics need.
MASKED = frozenset({"TIF", "ADD", "CTC", "COM", "FTI", "IFT", "EMP"})
QUALIFIED = frozenset({"NAD", "DOC", "SSR"})
# Fields of the stored parse result (``records.parsed_of``) that identify a person.
PERSONAL_FIELDS = frozenset(
    {
        "surname",
        "given_names",
        "phones",
        "emails",
        "addresses",
        "number",  # a travel document's number
        "frequent_flyer",
        "place_of_birth",
        "traveller_reference",
    }
)


@dataclass(frozen=True, slots=True)
class Retention:
    """The limits, in days since a message was received."""

    depersonalise_days: int = 182  # six months
    delete_days: int = 5 * 365 + 1  # five years

    def check(self) -> None:
        """Refuse limits that would delete before depersonalising, or act at once."""
        if self.depersonalise_days < 1:
            raise UsageError("the depersonalisation limit must be at least one day")
        if self.delete_days <= self.depersonalise_days:
            raise UsageError("the deletion limit must be longer than the depersonalisation one")


@dataclass(frozen=True, slots=True)
class RetentionResult:
    """What a run did (or, dry, would do)."""

    applied: bool
    depersonalise_before: datetime
    delete_before: datetime
    depersonalised: int
    deleted: int

    def as_dict(self) -> dict[str, Any]:
        """Plain data for JSON output."""
        return {
            "applied": self.applied,
            "depersonalise_before": self.depersonalise_before.isoformat(),
            "delete_before": self.delete_before.isoformat(),
            "depersonalised": self.depersonalised,
            "deleted": self.deleted,
        }


def run_retention(
    engine: Engine, limits: Retention, *, apply: bool, now: datetime
) -> RetentionResult:
    """Apply (or, without ``apply``, count) both limits in one transaction, and log the run."""
    limits.check()
    mask_before = now - timedelta(days=limits.depersonalise_days)
    delete_before = now - timedelta(days=limits.delete_days)
    with engine.begin() as conn:
        doomed = _ids(conn, travel_messages.c.received_at < delete_before)
        masked = _ids(
            conn,
            and_(
                travel_messages.c.received_at < mask_before,
                travel_messages.c.received_at >= delete_before,
                travel_messages.c.depersonalised_at.is_(None),
            ),
        )
        if apply:
            _delete(conn, doomed)
            for message_id in masked:
                _depersonalise(conn, message_id, now)
            _forget_answers(conn, mask_before, delete_before)
        conn.execute(
            retention_runs.insert().values(
                ran_at=now,
                lane=LANE,
                applied=apply,
                depersonalise_before=mask_before,
                delete_before=delete_before,
                depersonalised=len(masked),
                deleted=len(doomed),
            )
        )
    return RetentionResult(apply, mask_before, delete_before, len(masked), len(doomed))


def _forget_answers(conn: Connection, mask_before: datetime, delete_before: datetime) -> None:
    """Drop the answers of interchanges as old as the messages depersonalised, and the
    interchanges as old as those deleted (a resend after that is received anew)."""
    received = travel_interchanges.c.received_at
    conn.execute(delete(travel_interchanges).where(received < delete_before))
    conn.execute(
        update(travel_interchanges)
        .where(received < mask_before, travel_interchanges.c.answer.is_not(None))
        .values(answer=null())  # SQL NULL, not JSON null
    )


def _ids(conn: Connection, condition: Any) -> list[int]:
    return list(conn.execute(select(travel_messages.c.id).where(condition)).scalars())


def _of_messages(ids: list[int]) -> Any:
    return and_(alerts.c.source_table == travel_messages.name, alerts.c.source_id.in_(ids))


def _delete(conn: Connection, ids: list[int]) -> None:
    if ids:
        conn.execute(delete(alerts).where(_of_messages(ids)))
        conn.execute(delete(travel_messages).where(travel_messages.c.id.in_(ids)))


def _depersonalise(conn: Connection, message_id: int, now: datetime) -> None:
    row = conn.execute(
        select(travel_messages.c.raw, travel_messages.c.parsed, travel_messages.c.path).where(
            travel_messages.c.id == message_id
        )
    ).one()
    conn.execute(
        update(travel_messages)
        .where(travel_messages.c.id == message_id)
        .values(
            raw=mask_raw(row.raw, row.path),
            parsed=mask_parsed(row.parsed) if row.parsed is not None else None,
            depersonalised_at=now,
        )
    )
    for alert in conn.execute(
        select(alerts.c.id, alerts.c.subject, alerts.c.kind, alerts.c.explanation).where(
            _of_messages([message_id])
        )
    ):
        subject = dict(alert.subject)
        subject["names"] = [MASK for _ in subject.get("names", [])]
        subject["identifiers"] = [MASK for _ in subject.get("identifiers", [])]
        conn.execute(
            update(alerts)
            .where(alerts.c.id == alert.id)
            .values(subject=subject, explanation=_masked_explanation(alert.explanation))
        )


def _masked_explanation(explanation: Any) -> Any:
    """Keep what each feature contributed; drop the texts, which quote the traveller."""
    if not isinstance(explanation, dict) or "features" not in explanation:
        return explanation
    return {
        "score": explanation.get("score"),
        "features": [
            {k: line.get(k) for k in ("feature", "value", "contribution")}
            for line in explanation["features"]
        ],
        "depersonalised": True,
    }


def mask_raw(raw: str, path: str) -> str:
    """The message with personal segments masked (see ``MASKED``), one segment per line;
    a message that cannot be read is masked whole."""
    try:
        characters, _body = service_characters(raw, path)
        _text, segments, _tail = tokenize(raw, path)
    except SourceError:
        return _ALNUM.sub("X", raw)
    separator = characters.data_separator
    lines = []
    for segment in segments:
        text = segment.text
        if segment.tag in MASKED:
            text = segment.tag + _ALNUM.sub("X", text[len(segment.tag) :])
        elif segment.tag in QUALIFIED:
            head = segment.tag + separator + segment.get(0, 0)
            text = head + _ALNUM.sub("X", text[len(head) :])
        lines.append(text)
    advice = raw.lstrip()[:9] if raw.lstrip().startswith("UNA") else ""
    return "\n".join(([advice] if advice else []) + lines) + "\n"


def mask_parsed(value: Any) -> Any:
    """The stored parse result with personal fields masked, at any depth."""
    if isinstance(value, dict):
        return {
            key: _mask_value(item) if key in PERSONAL_FIELDS else mask_parsed(item)
            for key, item in value.items()
        }
    if isinstance(value, list):
        return [mask_parsed(item) for item in value]
    return value


def _mask_value(value: Any) -> Any:
    if isinstance(value, list):
        return [MASK for _ in value]
    return None if value is None else MASK
