"""Reason codes: why a decision was made, from a configured list (``Settings.reason_codes``),
beside the analyst's own words. A code outside the list is refused rather than stored, so
that counting decisions by reason counts what the agency defined."""

from collections.abc import Collection

from watchkeeper.errors import UsageError


def checked_code(code: str | None, codes: Collection[str]) -> str | None:
    """``code`` when it is one of ``codes`` (None when no code is given); a usage error
    naming the allowed codes otherwise."""
    if code is None:
        return None
    if code.strip() not in codes:
        raise UsageError(f"unknown reason code {code!r}: use one of {', '.join(codes)}")
    return code.strip()
