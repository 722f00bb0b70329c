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
from dataclasses import dataclass

from watchkeeper.auth import Actor
from watchkeeper.service.refusals import TooManyFailures
from watchkeeper.service.tokens_cache import TokenCache

FAILURES = 10
WINDOW = 60.0  # seconds
MAX_ADDRESSES = 100_000  # addresses remembered at once; the oldest go first beyond it


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


@dataclass(frozen=True, slots=True)
class Credentials:
    """Token checks for one caller, through the token cache, with its address throttled."""

    tokens: TokenCache
    throttle: Throttle
    address: str

    def actor(self, token: str) -> Actor | None:
        """The actor of ``token``: TooManyFailures when this address failed too often of
        late, and a failure counted when the token is not valid."""
        wait = self.throttle.retry_after(self.address)
        if wait is not None:
            raise TooManyFailures(wait)
        actor = self.tokens.actor(token)
        if actor is None:
            self.throttle.failed(self.address)
        return actor
