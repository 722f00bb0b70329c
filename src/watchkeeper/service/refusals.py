"""Refusals that carry what HTTP needs beyond a status and a reason (a header, a list of
faults): ``WatchkeeperError`` subclasses, so that handlers and use cases raise only those and
the service's one exception handler (``service.handlers``) writes every answer."""

from collections.abc import Mapping
from http import HTTPStatus

from watchkeeper.errors import WatchkeeperError


class Refusal(WatchkeeperError):
    """An error whose answer carries ``headers`` too."""

    def __init__(
        self, detail: str, status: int | None = None, headers: Mapping[str, str] | None = None
    ) -> None:
        super().__init__(detail, status)
        self.headers = dict(headers or {})


class Unauthorized(Refusal):
    """No valid token: the caller must present one."""

    status = 401

    def __init__(self) -> None:
        super().__init__(
            "a valid API token is required (Authorization: Bearer <token>)",
            headers={"WWW-Authenticate": "Bearer"},
        )


class TooManyFailures(Refusal):
    """This address failed too many token checks of late (``service.throttle``)."""

    status = 429

    def __init__(self, retry_after: int) -> None:
        super().__init__(
            f"too many failed sign-ins from your address: try again in {retry_after} s",
            headers={"Retry-After": str(retry_after)},
        )
        self.retry_after = retry_after


class TooLarge(WatchkeeperError):
    """A body over the limit of what it is."""

    status = 413


class Unavailable(WatchkeeperError):
    """Not ready yet: the lists are still being indexed, or sharing is not set up."""

    status = 503


class NotAcceptable(WatchkeeperError):
    """The caller does not accept the only form of answer there is."""

    status = 406


class UnsupportedMedia(WatchkeeperError):
    """A body of a media type the endpoint does not read."""

    status = 415


class Unreadable(WatchkeeperError):
    """An input that cannot be read, answered with one line per fault (it is kept for
    replay: ``lanes.ingest``)."""

    status = 422

    def __init__(self, faults: list[str]) -> None:
        super().__init__("\n".join(faults))
        self.faults = faults

    def as_json(self) -> dict[str, object]:
        """The faults as a list, as clients read them."""
        return {"detail": self.faults}


def headers_of(exc: WatchkeeperError) -> dict[str, str] | None:
    """The headers an error's answer carries, if any."""
    return exc.headers if isinstance(exc, Refusal) and exc.headers else None


def phrase(status: int) -> str:
    """The standard reason of a status, for a refusal that has nothing more to say."""
    return HTTPStatus(status).phrase
