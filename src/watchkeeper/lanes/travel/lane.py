"""The travel lane behind the ``Lane`` interface: UN/EDIFACT interchanges (PAXLST, PNRGOV)
read into messages, screened into one flight report each, received once by sender, control
reference and digest (``ingest``)."""

from collections.abc import Mapping
from datetime import datetime
from functools import cached_property
from typing import ClassVar

from sqlalchemy import Engine, select

from watchkeeper.lanes.base import (
    JSON,
    Example,
    Ingested,
    Lane,
    Read,
    ReceivesItself,
    Screened,
    Screening,
    Submitter,
)
from watchkeeper.lanes.travel import TravelMessage, parse_messages
from watchkeeper.lanes.travel.documents import DocumentList
from watchkeeper.lanes.travel.ingest import Receipt, receive
from watchkeeper.lanes.travel.records import LANE, message_alerts
from watchkeeper.lanes.travel.rules import RuleSet
from watchkeeper.lanes.travel.screening import FlightReport, TravelScreener, report_dict
from watchkeeper.store.alert_states import SUPPRESSED
from watchkeeper.store.alerts import NewAlert
from watchkeeper.store.schema import alerts, travel_messages

EXAMPLE = """\
UNA:+.? '
UNB+UNOA:4+XYAIR:ZZ+WATCHKEEPER:ZZ+260301:2200+EXAMPLE1++APIS'
UNG+PAXLST+XY AIRWAYS+WATCHKEEPER+260301:2200+EX1+UN+D:05B'
UNH+EX0001+PAXLST:D:05B:UN:IATA+XY123/260302/0905+01:F'
BGM+745'
TDT+20+XY123+++XY'
LOC+125+IST'
DTM+189:202603020905:203'
LOC+87+LHR'
DTM+232:202603021110:203'
NAD+FL+++DUBOIS:PIERRE'
ATT+2++M'
DTM+329:650907'
NAT+2+FRA'
DOC+P:110:111+19AB55102'
DTM+36:300211'
LOC+91+FRA'
CNT+42:1'
UNT+16+EX0001'
UNE+1+EX1'
UNZ+1+EXAMPLE1'
"""
"""A PAXLST manifest of one (synthetic) traveller, for the OpenAPI page and its clients."""

Reports = list[FlightReport]


class TravelLane(Lane[TravelMessage, Reports], ReceivesItself):
    """Airline API (PAXLST) and PNR (PNRGOV) messages against the lists, the lost and
    stolen document lists named by the option ``documents`` and the bundled risk rules."""

    name = LANE
    title = "Travel: airline API and PNR messages (PAXLST, PNRGOV)"
    input_kinds = ("application/edifact",)
    options: ClassVar[Mapping[str, str]] = {
        "documents": "comma-separated lost and stolen document lists (sltd-csv)"
    }

    @cached_property
    def rules(self) -> RuleSet:
        """The bundled risk rules, read once."""
        return RuleSet.load(None)

    def read(self, raw: bytes, name: str) -> Read[TravelMessage]:
        """Every message of the interchange; counts that do not add up are faults, and
        the messages are screened anyway."""
        messages = parse_messages(raw, name, strict=False)
        faults = list(dict.fromkeys(issue for m in messages for issue in m.issues))
        return Read(messages, faults)

    def screen(self, records: list[TravelMessage], screening: Screening) -> Screened[Reports]:
        """One flight report per message."""
        documents = screening.names("documents")
        doc_list = DocumentList.from_store(screening.engine, documents) if documents else None
        screener = TravelScreener(screening.matcher, list(screening.lists), self.rules, doc_list)
        return Screened(screener.screen(records))

    def alerts(self, report: Reports) -> list[NewAlert]:
        """Every message's alerts: watchlist, document and rule hits."""
        return [alert for message in report for alert in message_alerts(message)]

    def report_json(self, report: Reports) -> JSON:
        """One ``report_dict`` per message."""
        return [report_dict(message) for message in report]

    def examples(self) -> list[Example]:
        """A PAXLST manifest of one synthetic traveller."""
        return [Example("paxlst", "application/edifact", EXAMPLE.encode(), "A PAXLST manifest")]

    def receipt(
        self,
        engine: Engine,
        raw: bytes,
        name: str,
        screening: Screening,
        by: Submitter,
        now: datetime,
    ) -> Receipt:
        """The interchange received once (``lanes.travel.ingest``), its answer as
        ``POST /travel/messages`` gives it."""
        return receive(engine, raw, name, by, lambda ms: self.screen(ms, screening).report, now)

    def receive(
        self,
        engine: Engine,
        raw: bytes,
        name: str,
        screening: Screening,
        by: Submitter,
        now: datetime,
    ) -> Ingested:
        """``receipt`` as every lane answers."""
        receipt = self.receipt(engine, raw, name, screening, by, now)
        query = (
            select(alerts.c.id)
            .join(travel_messages, travel_messages.c.id == alerts.c.source_id)
            .where(
                alerts.c.source_table == travel_messages.name,
                travel_messages.c.interchange_id == receipt.id,
                alerts.c.state != SUPPRESSED,
            )
            .order_by(alerts.c.id)
        )
        with engine.connect() as conn:
            ids = tuple(conn.execute(query).scalars())
        return Ingested(
            LANE,
            receipt.id,
            receipt.path,
            receipt.received_at,
            receipt.alerts,
            receipt.reports,
            [],
            ids,
            receipt.repeat,
        )
