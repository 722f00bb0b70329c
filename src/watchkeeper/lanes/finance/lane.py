"""The finance lane behind the ``Lane`` interface: a payment file (CSV or Parquet, ISO 20022
pacs.008, SWIFT MT103) read into transactions, every party and remittance text screened,
the bundled FIU rules run over the file."""

import dataclasses
from datetime import datetime
from functools import cached_property

from sqlalchemy import Connection

from watchkeeper.lanes.base import JSON, Example, Lane, Read, Screened, Screening, on_disk, renamed
from watchkeeper.lanes.finance import LANE
from watchkeeper.lanes.finance.alerts import finance_alerts, report_dict, screened_subjects
from watchkeeper.lanes.finance.inputs import read_payments
from watchkeeper.lanes.finance.model import Transaction
from watchkeeper.lanes.finance.rescreen import remember
from watchkeeper.lanes.finance.rules import FinanceRules
from watchkeeper.lanes.finance.screening import FinanceReport, FinanceScreener
from watchkeeper.store.alerts import NewAlert

EXAMPLE = b"""\
id,booked,amount,currency,channel,debtor_name,debtor_country,creditor_name,remittance
T1,2026-03-02,250.00,EUR,transfer,Marta Kowalska,PL,Abu Mohamed al-Adnani,gift
"""
"""One transfer, to a name on the UN list, in the documented CSV format."""


class FinanceLane(Lane[Transaction, FinanceReport]):
    """Payments against the lists and the bundled FIU rules; the parties are kept for
    re-screening when a list changes (``watchkeeper finance rescreen``)."""

    name = LANE
    title = "Finance: payments (CSV, Parquet, pacs.008, MT103)"
    input_kinds = ("text/csv", "application/vnd.apache.parquet", "application/xml", "text/plain")

    @cached_property
    def rules(self) -> FinanceRules:
        """The bundled FIU rules, read once."""
        return FinanceRules.load(None)

    def read(self, raw: bytes, name: str) -> Read[Transaction]:
        """The payments of one file, its format told by ``name``'s suffix and its first
        bytes; a bad row or message is a fault and the others are read."""
        with on_disk(raw, name) as path:
            batch = read_payments(path)
            issues = renamed(batch.issues, path, name)
        return Read([dataclasses.replace(tx, source=name) for tx in batch.records], issues)

    def screen(self, records: list[Transaction], screening: Screening) -> Screened[FinanceReport]:
        """Parties, remittance texts and rules; a payment a rule could not judge is a fault."""
        screener = FinanceScreener(screening.matcher, screening.screener.index, self.rules)
        report = screener.screen(records)
        return Screened(report, list(report.issues))

    def alerts(self, report: FinanceReport) -> list[NewAlert]:
        """One per party hit, listed name in a remittance text and rule hit."""
        return finance_alerts(report)

    def report_json(self, report: FinanceReport) -> JSON:
        """The flagged payments and the rule hits."""
        return report_dict(report)

    def examples(self) -> list[Example]:
        """A CSV of one transfer."""
        return [Example("payments.csv", "text/csv", EXAMPLE, "One transfer, CSV")]

    def keep(
        self, conn: Connection, records: list[Transaction], report: FinanceReport, now: datetime
    ) -> None:
        """The counterparties, for re-screening against a list's later changes."""
        for kind, source, items in screened_subjects(records, []):
            remember(conn, kind, items, source, now)
