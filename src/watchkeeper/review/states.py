"""The states of an alert and the moves between them, in one place.

``new`` → ``in_review`` (assigned) → ``cleared`` (false positive), ``confirmed`` or
``escalated``. Grave decisions need two people (four-eyes): clearing or confirming an alert
on the UN list or an agency's profiles (list formats ``un-xml`` and ``profiles``) first
makes it ``pending``; a different supervisor (or admin) then approves it (deciding the
pending state) or rejects it (deciding ``in_review``). An escalated alert is for a
supervisor to decide. ``cleared`` and ``confirmed`` are final. ``suppressed`` alerts repeat a
cleared one (``store.alerts.insert_alerts``) and stay out of the default queue.

These functions only say what a request would do to an alert in a given state, or refuse
it; ``review.workflow`` applies the answer to the stored row with a compare-and-set on its
version (``store.alerts.transition``).
"""

from dataclasses import dataclass

from watchkeeper.auth import Actor, require
from watchkeeper.errors import ForbiddenError, UsageError
from watchkeeper.store.alert_states import (
    CLEARED,
    CONFIRMED,
    ESCALATED,
    IN_REVIEW,
    NEW,
    OPEN,
    PENDING,
    STATES,
)

# What a first decision may set; ``in_review`` only sends a pending decision back.
DECISIONS = (CLEARED, CONFIRMED, ESCALATED)
FOUR_EYES_STATES = frozenset({CLEARED, CONFIRMED})


@dataclass(frozen=True, slots=True)
class Step:
    """What one decision does: the event it records (``action``, and ``to_state``, which for
    ``propose`` is the state proposed) and the columns it leaves on the alert."""

    action: str  # state, propose, approve, reject
    to_state: str
    state: str
    pending_state: str | None = None
    pending_by: str | None = None


def known(state: str) -> str:
    """``state`` when it is one; a usage error naming them all otherwise."""
    if state not in STATES:
        raise UsageError(f"unknown state {state!r}: use one of {', '.join(STATES)}")
    return state


def workable(state: str) -> bool:
    """Whether the alert may still be given to someone: open, or waiting for approval."""
    return state in OPEN or state == PENDING


def after_assignment(state: str, assignee: str | None) -> str:
    """Giving a new alert to someone starts its review; nothing else moves the state."""
    return IN_REVIEW if assignee is not None and state == NEW else state


def decision(
    state: str,
    pending_state: str | None,
    pending_by: str | None,
    actor: Actor,
    requested: str,
    four_eyes: bool,
) -> Step:
    """The step ``actor`` asking for ``requested`` takes from ``state``: a first decision
    (final at once, or proposed when ``four_eyes``), or the second person's approval or
    rejection of a pending one. Callers check first that the alert is open or pending."""
    if state == PENDING:
        return _second(pending_state, pending_by, actor, requested)
    if requested not in DECISIONS:
        raise UsageError(f"an alert in {state} can be {', '.join(DECISIONS)}, not {requested}")
    if requested == state:
        raise UsageError(f"the alert is {state} already")
    if state == ESCALATED:
        require(actor, "supervisor", "decide escalated alerts")
    if requested in FOUR_EYES_STATES and four_eyes:
        return Step("propose", requested, PENDING, requested, actor.username)
    return Step("state", requested, requested)


def _second(
    pending_state: str | None, pending_by: str | None, actor: Actor, requested: str
) -> Step:
    """The second person of four-eyes: approve the pending state or send it back."""
    require(actor, "supervisor", "approve or reject a pending decision")
    if actor.username == pending_by:
        raise ForbiddenError(
            f"four-eyes: {actor.username} proposed this decision; another supervisor decides"
        )
    if requested == pending_state:
        return Step("approve", requested, requested)
    if requested == IN_REVIEW:
        return Step("reject", requested, IN_REVIEW)
    raise UsageError(
        f"the alert waits for approval of {pending_state}: decide "
        f"{pending_state} to approve or in_review to reject"
    )
