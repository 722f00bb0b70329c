"""The input that triggered an alert, by lane, from what the store keeps: the traveller's
segments of a travel message, the payments of a payment file, the places in a document,
the image and the hash bank entry. One function dispatches on the alert's lane."""

from dataclasses import dataclass

from sqlalchemy import Engine

from watchkeeper.auth import Actor
from watchkeeper.lanes.documents.alerts import LANE as DOCUMENTS
from watchkeeper.lanes.finance import LANE as FINANCE
from watchkeeper.lanes.images.matching import LANE as IMAGES
from watchkeeper.lanes.travel.records import LANE as TRAVEL
from watchkeeper.store.alert_lookup import StoredAlert, stored_alert
from watchkeeper.store.schema import lane_inputs, travel_messages
from watchkeeper.workbench.access import READ_INPUT, audit_read
from watchkeeper.workbench.banks import bank_entry_of
from watchkeeper.workbench.documents_input import DocumentInput, document_input
from watchkeeper.workbench.finance_input import FinanceInput, finance_input
from watchkeeper.workbench.images_input import ImageInput, image_input
from watchkeeper.workbench.kept import KeptInput, kept_input
from watchkeeper.workbench.messages import kept_message
from watchkeeper.workbench.travel_input import TravelInput, travel_input


@dataclass(frozen=True, slots=True)
class InputNotKept:
    """An alert whose input the store does not hold, and why (a file screened from the
    command line without being kept, a counterparty re-screened when a list changed)."""

    lane: str
    reason: str


AlertInput = TravelInput | FinanceInput | DocumentInput | ImageInput | InputNotKept
INPUT = {"part": "input"}  # the audit detail: the alert's input was read


def alert_input(
    engine: Engine, actor: Actor, alert_id: int, remote: str | None = None
) -> AlertInput:
    """What alert ``alert_id`` was raised on, as its lane's dataclass; the read is audited."""
    audit_read(engine, actor, READ_INPUT, ("alert", str(alert_id)), INPUT, remote)
    return input_of(engine, stored_alert(engine, alert_id))


def input_of(engine: Engine, alert: StoredAlert) -> AlertInput:
    """``alert_input`` for an alert already read, unaudited."""
    if alert.lane == TRAVEL:
        if alert.source_table != travel_messages.name or alert.source_id is None:
            return InputNotKept(alert.lane, _not_kept(alert))
        return travel_input(kept_message(engine, alert.source_id), alert)
    kept = _kept(engine, alert)
    if alert.lane == FINANCE:
        return finance_input(kept, alert) if kept else InputNotKept(alert.lane, _not_kept(alert))
    if alert.lane == DOCUMENTS:
        return document_input(kept, alert)
    if alert.lane == IMAGES:
        return image_input(kept, alert, bank_entry_of(engine, alert))
    return InputNotKept(alert.lane, f"the workbench has no view of lane {alert.lane!r}'s inputs")


def _kept(engine: Engine, alert: StoredAlert) -> KeptInput | None:
    if alert.source_table != lane_inputs.name or alert.source_id is None:
        return None
    return kept_input(engine, alert.source_id)


def _not_kept(alert: StoredAlert) -> str:
    if alert.source_table == "subjects":
        return (
            "raised when a list changed, on a party of an earlier payment (subject "
            f"{alert.source_id}); the payment itself was not kept"
        )
    return "screened without its input being kept (a command-line scan)"
