"""Alerts of the documents lane: one per (document, listed entity), for review."""

from watchkeeper.lanes.documents.scanning import DocumentReport
from watchkeeper.store.alerts import NewAlert
from watchkeeper.store.screened import ScreenedSubject

LANE = "documents"
KIND = "watchlist"
MAX_PLACES = 20  # mentions kept in an alert's explanation; the count says how many in all


def document_alerts(report: DocumentReport) -> list[NewAlert]:
    """An alert for each entity the document names; its explanation carries the path and
    the offsets and snippets a reviewer checks first."""
    found = []
    for entity in report.entities:
        names = tuple(dict.fromkeys(f.text for f in entity.found))
        count = len(entity.found)
        reason = (
            f"{report.path} names {entity.entity_id} ({entity.name}) {count} time(s), "
            f"score {entity.score:.2f}"
        )
        explanation = {
            "path": report.path,
            "kind": report.kind,
            "mentions": count,
            "places": [f.as_dict() for f in entity.found[:MAX_PLACES]],
        }
        found.append(
            NewAlert(
                LANE,
                KIND,
                ScreenedSubject("LegalEntity", names),
                reason,
                None,
                entity.list_name,
                entity.entity_id,
                entity.score,
                explanation,
            )
        )
    return found
