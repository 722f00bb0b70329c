"""A matcher's subject as the store keeps it, and back: the one place that knows both."""

from watchkeeper.matching.subject import Subject
from watchkeeper.store.screened import ScreenedSubject


def screened(subject: Subject) -> ScreenedSubject:
    """What an alert keeps of a subject the matcher compared."""
    return ScreenedSubject(
        schema=subject.schema,
        names=subject.names,
        birth_dates=subject.birth_dates,
        countries=subject.countries,
        gender=subject.gender,
        identifiers=subject.identifiers,
    )


def matchable(kept: ScreenedSubject) -> Subject:
    """A kept subject as the matcher compares it again (re-screening)."""
    return Subject(
        schema=kept.schema,
        names=kept.names,
        birth_dates=kept.birth_dates,
        countries=kept.countries,
        gender=kept.gender,
        identifiers=kept.identifiers,
    )
