"""The states an alert can be in: the words the alerts table stores, below every lane (which
writes ``new`` alerts and reads which are still ``OPEN``) and the review workflow (which
moves them: ``review.states``)."""

NEW = "new"
IN_REVIEW = "in_review"
PENDING = "pending"
CLEARED = "cleared"
CONFIRMED = "confirmed"
ESCALATED = "escalated"
SUPPRESSED = "suppressed"

STATES = (NEW, IN_REVIEW, PENDING, CLEARED, CONFIRMED, ESCALATED, SUPPRESSED)
OPEN = frozenset({NEW, IN_REVIEW, ESCALATED})
"""Alerts someone may still work: decide, or be given to someone."""
