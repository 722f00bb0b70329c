"""What the finance lane hands on: alerts for review (one per party hit, per listed name in
a remittance text, per rule hit), the report as plain data, and the subjects kept for
re-screening when a list changes."""

from typing import Any

from watchkeeper.lanes.finance import LANE
from watchkeeper.lanes.finance.model import Customer, Transaction
from watchkeeper.lanes.finance.parties import parties_of, party_subject
from watchkeeper.lanes.finance.rescreen import COUNTERPARTY, CUSTOMER
from watchkeeper.lanes.finance.rules import FinanceHit
from watchkeeper.lanes.finance.screening import FinanceReport
from watchkeeper.matching.subject import Subject
from watchkeeper.store.alerts import NewAlert, subject_key


def finance_alerts(report: FinanceReport) -> list[NewAlert]:
    """One alert per party hit, per listed name in a remittance text, per rule hit."""
    found: list[NewAlert] = []
    for item in report.transactions:
        tx = item.transaction
        where = {"source": tx.source, "position": tx.position, "transaction": tx.id}
        for party in item.parties:
            found += [
                NewAlert(
                    LANE,
                    "watchlist",
                    party_subject(party.party),
                    hit.reason,
                    None,
                    hit.list_name,
                    hit.entity_id,
                    hit.score,
                    {**hit.result.as_dict(), **where, "role": party.party.role},
                )
                for hit in party.hits
            ]
        for mention in item.mentions:
            hit = mention.hit
            reason = f"remittance text names {hit.entity_id} ({hit.name}): {mention.text!r}"
            found.append(
                NewAlert(
                    LANE,
                    "mention",
                    Subject("LegalEntity", (mention.text,)),
                    reason,
                    None,
                    hit.list_name,
                    hit.entity_id,
                    hit.score,
                    where,
                )
            )
    for customer in report.customers:
        found += [
            NewAlert(
                LANE,
                "watchlist",
                party_subject(customer.party),
                hit.reason,
                None,
                hit.list_name,
                hit.entity_id,
                hit.score,
                hit.result.as_dict(),
            )
            for hit in customer.hits
        ]
    for rule in report.rules:
        subject = _rule_subject(rule)
        detail = {
            "rule": rule.rule_id,
            "weight": rule.weight,
            "kind": rule.kind,
            "transactions": [f"{t.source}: {t.position}" for t in rule.transactions],
        }
        found.append(NewAlert(LANE, "rule", subject, rule.reason, explanation=detail))
    return found


def _rule_subject(rule: FinanceHit) -> Subject:
    """Whom a rule hit is about: the customer, else the first party of its first payment."""
    if rule.customer is not None:
        return party_subject(rule.customer.party)
    parties = [p for tx in rule.transactions for p in tx.parties]
    if parties:
        return party_subject(parties[0])
    return Subject("LegalEntity", (rule.customer_id or "unknown customer",))


def report_dict(report: FinanceReport) -> dict[str, Any]:
    """What screening found, as plain data."""
    return {
        "transactions": [
            {
                "id": item.transaction.id,
                "position": f"{item.transaction.source}: {item.transaction.position}",
                "hits": [
                    {"role": p.party.role, "party": p.party.name, **h.as_dict(), "reason": h.reason}
                    for p in item.parties
                    for h in p.hits
                ],
                "mentions": [
                    {"text": m.text, "start": m.start, "end": m.end, **m.hit.as_dict()}
                    for m in item.mentions
                ],
            }
            for item in report.transactions
            if item.flagged
        ],
        "customers": [
            {
                "customer": c.party.customer_id,
                "name": c.party.name,
                "hits": [{**h.as_dict(), "reason": h.reason} for h in c.hits],
            }
            for c in report.customers
            if c.hits
        ],
        "rules": [
            {
                "rule": r.rule_id,
                "kind": r.kind,
                "customer": r.customer_id,
                "reason": r.reason,
                "transactions": [t.id for t in r.transactions],
            }
            for r in report.rules
        ],
    }


def screened_subjects(
    transactions: list[Transaction], clients: list[Customer]
) -> list[tuple[str, str, list[tuple[str, Subject]]]]:
    """(kind, source file, (reference, subject) pairs) to keep for re-screening: customers by
    their id, the counterparties of the payments by subject key."""
    kept: dict[tuple[str, str], list[tuple[str, Subject]]] = {}
    for client in clients:
        kept.setdefault((CUSTOMER, client.source), []).append(
            (client.id, party_subject(client.party))
        )
    for tx in transactions:
        for party in parties_of(tx):
            subject = party_subject(party)
            kept.setdefault((COUNTERPARTY, tx.source), []).append((subject_key(subject), subject))
    return [(kind, source, items) for (kind, source), items in kept.items()]
