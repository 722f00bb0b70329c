"""The error tree: every failure a user can cause maps to one of these.

The CLI turns them into exit codes and the service (later) into HTTP statuses, so library
errors are translated here with ``raise ... from`` instead of leaking out.
"""

from dataclasses import dataclass


class WatchkeeperError(Exception):
    """Base error: ``detail`` is what a person reads, ``status`` the HTTP-like class."""

    status: int = 500
    exit_code: int = 1

    def __init__(self, detail: str, status: int | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        if status is not None:
            self.status = status

    def as_json(self) -> dict[str, object]:
        """The body of the service's answer (``create_app`` maps every error through it)."""
        return {"detail": self.detail}


class ConfigError(WatchkeeperError):
    """A setting has a value watchkeeper cannot use."""

    exit_code = 78  # EX_CONFIG


class NotFoundError(WatchkeeperError):
    """A list, version or entity that does not exist."""

    status = 404
    exit_code = 4


class UsageError(WatchkeeperError):
    """A request that cannot be carried out as asked (wrong format name, bad option)."""

    status = 400
    exit_code = 2


class ForbiddenError(WatchkeeperError):
    """The user's role does not allow the action (need-to-know), or four-eyes forbids it."""

    status = 403
    exit_code = 77  # EX_NOPERM


class ConflictError(WatchkeeperError):
    """The thing changed since the caller read it (another reviewer was quicker), or its state
    no longer allows the request: nothing was changed. ``current`` says what it is now, so a
    client can show it and ask its user again."""

    status = 409
    exit_code = 75  # EX_TEMPFAIL: read again, then retry

    def __init__(self, detail: str, current: dict[str, object]) -> None:
        super().__init__(detail)
        self.current = current

    def as_json(self) -> dict[str, object]:
        """The HTTP answer: the reason and the current state."""
        return {**super().as_json(), **self.current}


class FetchError(WatchkeeperError):
    """A list could not be downloaded (offline, server error, timeout)."""

    status = 502
    exit_code = 69  # EX_UNAVAILABLE


class OutputError(WatchkeeperError):
    """An output file could not be written (no such folder, no permission, disk full)."""

    exit_code = 73  # EX_CANTCREAT


class ShrinkError(WatchkeeperError):
    """A new list version with far fewer entries than the active one: most often a file
    cut short, which would drop listed persons without a word."""

    status = 409
    exit_code = 65  # EX_DATAERR


class BusyError(WatchkeeperError):
    """Another load of the same list (with SQLite: any write) holds the store; retry later."""

    status = 409
    exit_code = 75  # EX_TEMPFAIL


@dataclass(frozen=True)
class SourceIssue:
    """One fault in one input file, with where it is, so a person can find and fix it."""

    path: str
    position: str
    problem: str

    def __str__(self) -> str:
        return f"{self.path}: {self.position}: {self.problem}"


class SourceError(WatchkeeperError):
    """Input that cannot be loaded; carries every fault found, not only the first."""

    status = 422
    exit_code = 65  # EX_DATAERR

    def __init__(self, issues: list[SourceIssue]) -> None:
        assert issues, "a SourceError needs at least one issue"
        self.issues = list(issues)
        lines = [str(issue) for issue in issues[:20]]
        if len(issues) > 20:
            lines.append(f"... and {len(issues) - 20} more")
        super().__init__("\n".join(lines))

    def __reduce__(self) -> tuple[type["SourceError"], tuple[list[SourceIssue]]]:
        """Pickled with its issues (worker processes send errors back to the parent)."""
        return (type(self), (self.issues,))

    @classmethod
    def at(cls, path: str, position: str, problem: str) -> "SourceError":
        """Build the common single-fault error."""
        return cls([SourceIssue(path, position, problem)])
