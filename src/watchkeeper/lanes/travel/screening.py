"""Screening a flight: every traveller against the watchlists, the lost and stolen document
lists and the risk rules, gathered into one report per message.

Every finding is a lead for an analyst, never a decision: the report says why each traveller
stands out (which name, date, document or rule), and each finding keeps the number of the
message segment it came from so it can be traced back to the line the airline sent.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from watchkeeper.countries import ftm_country
from watchkeeper.lanes.travel.codes import identifier_kind
from watchkeeper.lanes.travel.documents import DocumentHit, DocumentList
from watchkeeper.lanes.travel.model import FlightLeg, Traveller, TravelMessage
from watchkeeper.lanes.travel.rules import RuleHit, RuleSet
from watchkeeper.matching.screener import Hit, Matcher
from watchkeeper.matching.subject import Subject

GENDERS = {"M": "male", "F": "female"}  # FtM's gender values, as the lists store them


def traveller_subject(traveller: Traveller) -> Subject:
    """The facts of a traveller the matcher compares: name (and its parts, as the passport
    gives them: a given name against a listed family name is another person), birth date,
    nationality, gender and document numbers."""
    countries = {ftm_country(traveller.nationality)}
    countries.update(ftm_country(d.nationality) for d in traveller.documents)
    numbered = [d for d in traveller.documents if d.number]
    return Subject(
        "Person",
        names=(traveller.full_name,),
        birth_dates=(traveller.birth_date.isoformat(),) if traveller.birth_date else (),
        countries=tuple(sorted(c for c in countries if c)),
        gender=GENDERS.get(traveller.gender),
        identifiers=tuple(d.number for d in numbered),
        identifier_kinds=tuple(identifier_kind(d) for d in numbered),
        given_names=tuple(filter(None, [traveller.given_names])),
        family_names=tuple(filter(None, [traveller.surname])),
    )


@dataclass(frozen=True, slots=True)
class TravellerReport:
    """One traveller's findings: watchlist alerts, flagged documents and rule hits."""

    traveller: Traveller
    subject: Subject
    hits: tuple[Hit, ...] = ()
    documents: tuple[DocumentHit, ...] = ()
    rules: tuple[RuleHit, ...] = ()

    @property
    def flagged(self) -> bool:
        """Whether anything calls for an analyst's look."""
        return bool(self.hits or self.documents or self.rules)

    @property
    def risk(self) -> float:
        """The sum of the rule weights (watchlist and document hits are alerts of their own)."""
        return sum(rule.weight for rule in self.rules)


@dataclass(frozen=True, slots=True)
class FlightReport:
    """What screening one message found, traveller by traveller."""

    message: TravelMessage
    travellers: tuple[TravellerReport, ...]
    lists: tuple[str, ...]
    threshold: float
    unattached_rules: tuple[RuleHit, ...] = field(default=())  # booking hits with no traveller

    @property
    def flight(self) -> FlightLeg | None:
        """The reported flight (PAXLST) or the first leg of the first booking (PNRGOV)."""
        if self.message.flights:
            return self.message.flights[0]
        legs = [leg for b in self.message.bookings for leg in b.itinerary]
        return legs[0] if legs else None

    @property
    def flagged(self) -> tuple[TravellerReport, ...]:
        """The travellers with findings, the riskiest first."""
        found = [t for t in self.travellers if t.flagged]
        return tuple(sorted(found, key=lambda t: (-len(t.hits), -len(t.documents), -t.risk)))


class TravelScreener:
    """Screens parsed travel messages; built once, used for many messages."""

    def __init__(
        self,
        matcher: Matcher,
        lists: Sequence[str],
        rules: RuleSet | None = None,
        documents: DocumentList | None = None,
    ) -> None:
        self.matcher = matcher
        self.lists = tuple(lists)
        self.rules = rules
        self.documents = documents

    def screen(self, messages: Sequence[TravelMessage]) -> list[FlightReport]:
        """One report per message. Rules run over all messages at once, since some compare
        travellers across them (a document number shared by two names)."""
        found: dict[Traveller, tuple[tuple[Hit, ...], tuple[DocumentHit, ...]]] = {}
        for message in messages:
            for traveller in message.all_travellers:
                if traveller not in found:
                    found[traveller] = self._check(traveller)
        flagged = {t for t, (hits, docs) in found.items() if hits or docs}
        rule_hits = self.rules.evaluate(messages, flagged) if self.rules else []
        return [self._report(m, found, rule_hits) for m in messages]

    def _check(self, traveller: Traveller) -> tuple[tuple[Hit, ...], tuple[DocumentHit, ...]]:
        hits = tuple(self.matcher.screen(traveller_subject(traveller)))
        documents: list[DocumentHit] = []
        if self.documents is not None:
            for document in traveller.documents:
                documents += self.documents.lookup(document.number, document.issuing_country)
        return hits, tuple(documents)

    def _report(
        self,
        message: TravelMessage,
        found: dict[Traveller, tuple[tuple[Hit, ...], tuple[DocumentHit, ...]]],
        rule_hits: list[RuleHit],
    ) -> FlightReport:
        mine = [r for r in rule_hits if r.message is message]
        reports = []
        for traveller in message.all_travellers:
            hits, documents = found[traveller]
            rules = tuple(r for r in mine if r.traveller == traveller)
            reports.append(
                TravellerReport(traveller, traveller_subject(traveller), hits, documents, rules)
            )
        return FlightReport(
            message=message,
            travellers=tuple(reports),
            lists=self.lists,
            threshold=self.matcher.threshold,
            unattached_rules=tuple(r for r in mine if r.traveller is None),
        )


def report_dict(report: FlightReport) -> dict[str, Any]:
    """A flight report as plain data, for JSON output."""
    message, flight = report.message, report.flight
    return {
        "message": {
            "kind": message.kind,
            "version": message.version,
            "reference": message.reference,
            "path": message.path,
            "faults": [str(i) for i in message.issues],
        },
        "flight": None
        if flight is None
        else {
            "carrier": flight.carrier,
            "number": flight.flight_number,
            "origin": flight.origin,
            "destination": flight.destination,
            "departure": flight.departure.isoformat() if flight.departure else None,
        },
        "lists": list(report.lists),
        "threshold": report.threshold,
        "travellers": [
            {
                "name": t.traveller.full_name,
                "role": t.traveller.role,
                "birth_date": t.subject.birth_dates[0] if t.subject.birth_dates else None,
                "nationality": t.traveller.nationality,
                "documents": [d.number for d in t.traveller.documents],
                "segment": t.traveller.segment,
                "hits": [{**h.as_dict(), "reason": h.reason} for h in t.hits],
                "documents_flagged": [
                    {"list": d.list_name, "number": d.number, "status": d.status}
                    for d in t.documents
                ],
                "rules": [
                    {
                        "rule": r.rule_id,
                        "weight": r.weight,
                        "reason": r.reason,
                        "segment": r.segment,
                    }
                    for r in t.rules
                ],
                "risk": t.risk,
            }
            for t in report.travellers
        ],
    }
