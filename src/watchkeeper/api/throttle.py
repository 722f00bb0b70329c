"""Failed token checks are rate-limited per client address, so tokens cannot be guessed
fast: after ``FAILURES`` failures within ``WINDOW`` seconds an address is refused (429 with
``Retry-After``) until its oldest failure leaves the window, even with a good token.

The count is kept in memory, per process: enough to slow guessing to a crawl; a deployment
behind a proxy should rate-limit there too, since every caller then shares its address.
"""

import math
import threading
import time
from collections import deque
from collections.abc import Callable

from fastapi import HTTPException, Request

from watchkeeper.auth import Actor

FAILURES = 10
WINDOW = 60.0  # seconds
MAX_ADDRESSES = 100_000  # addresses remembered at once; the oldest go first beyond it


class TooManyFailures(HTTPException):
    """429: this address failed too many token checks of late."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(
            status_code=429,
            detail=f"too many failed sign-ins from your address: try again in {retry_after} s",
            headers={"Retry-After": str(retry_after)},
        )
        self.retry_after = retry_after


class Throttle:
    """A sliding window of failure times per address."""

    def __init__(
        self,
        failures: int = FAILURES,
        window: float = WINDOW,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.failures = failures
        self.window = window
        self.clock = clock
        self._seen: dict[str, deque[float]] = {}
        self._lock = threading.Lock()  # handlers run in a thread pool

    def retry_after(self, address: str) -> int | None:
        """Seconds until ``address`` may try again; None when it may now."""
        now = self.clock()
        with self._lock:
            times = self._recent(address, now)
            if len(times) < self.failures:
                return None
            return max(1, math.ceil(times[0] + self.window - now))

    def failed(self, address: str) -> None:
        """Count one failed check from ``address``."""
        now = self.clock()
        with self._lock:
            times = self._recent(address, now)
            if not times:
                self._seen[address] = times
                if len(self._seen) > MAX_ADDRESSES:
                    del self._seen[next(iter(self._seen))]
            times.append(now)

    def _recent(self, address: str, now: float) -> deque[float]:
        times = self._seen.get(address) or deque(maxlen=self.failures)
        while times and times[0] <= now - self.window:
            times.popleft()
        if not times:
            self._seen.pop(address, None)
        return times


def checked(request: Request, token: str) -> Actor | None:
    """The actor of ``token``, through the token cache, with the caller's address throttled:
    TooManyFailures when it failed too often of late, and a failure counted when the token
    is not valid."""
    throttle: Throttle = request.app.state.throttle
    address = request.client.host if request.client else "unknown"
    wait = throttle.retry_after(address)
    if wait is not None:
        raise TooManyFailures(wait)
    actor: Actor | None = request.app.state.tokens.actor(token)  # the cache (tokens_cache)
    if actor is None:
        throttle.failed(address)
    return actor
