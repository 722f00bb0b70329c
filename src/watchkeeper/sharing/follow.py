"""Following a partner's TAXII 2.1 collection: new and changed records and hash bank
entries, page by page.

Each page fetched goes down the one receive path (``receive``): at most one new version of
the partner's list (its identities), then one transaction applies its PDQ indicators to
copies of the partner's banks and stores the page's ``X-TAXII-Date-Added-Last`` as the
feed's cursor (``cursors``). A follower killed at any moment therefore restarts from the last page
whose records and entries are all committed; it asks for objects added from just before
that cursor, because servers such as medallion give every object of one POST the same
``date_added``, and applying an object twice changes nothing. A server that sends no
``X-TAXII-Date-Added-Last`` is read from the start each time, which is slower but loses
nothing either.
"""

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

import structlog
from sqlalchemy import Connection, Engine
from taxii2client.common import _HTTPConnection
from taxii2client.exceptions import TAXIIServiceException
from taxii2client.v21 import Collection, as_pages

from watchkeeper.errors import FetchError, UsageError
from watchkeeper.sharing.apply import last_cursor
from watchkeeper.sharing.bank_apply import BankApplied
from watchkeeper.sharing.bank_kind import BANKS
from watchkeeper.sharing.config import check_name, partner_list
from watchkeeper.sharing.cursors import load_cursor, save_cursor
from watchkeeper.sharing.kinds import Inbound
from watchkeeper.sharing.profile_kind import PROFILES
from watchkeeper.sharing.receive import Received, receive

log = structlog.get_logger(__name__)
DATE_ADDED_LAST = "x-taxii-date-added-last"


@dataclass(frozen=True)
class Feed:
    """One partner collection to follow, and where its records go."""

    url: str  # the API root, e.g. https://partner.example/taxii2/api/
    collection: str
    partner: str
    token: str | None = None
    user: str | None = None
    password: str | None = None
    page_size: int = 500
    list_name: str = ""

    @property
    def target(self) -> str:
        """The list the partner's records go to."""
        return self.list_name or partner_list(self.partner)

    @property
    def origin(self) -> str:
        """Where the versions of the partner list come from (the follow key)."""
        return f"taxii:{self.collection_url}"

    @property
    def collection_url(self) -> str:
        """The collection's address."""
        return f"{self.url.rstrip('/')}/collections/{self.collection}/"


@dataclass
class Followed:
    """What one pass over a feed did, kind by kind (``received``): to the partner's list
    (versions, records changed and withdrawn) and to copies of its hash banks (``banks``)."""

    pages: int = 0
    objects: int = 0
    received: Received = field(default_factory=Received)
    problems: list[str] = field(default_factory=list)

    @property
    def versions(self) -> list[int]:
        """The versions of the partner's list made."""
        return self.received.of(PROFILES).versions

    @property
    def changed(self) -> int:
        """The records of the partner's list changed."""
        return self.received.of(PROFILES).changed

    @property
    def withdrawn(self) -> int:
        """The records of the partner's list withdrawn."""
        return self.received.of(PROFILES).withdrawn

    @property
    def banks(self) -> BankApplied:
        """What the pages did to copies of the partner's banks."""
        return self.received.of(BANKS)


def default_partner(url: str) -> str:
    """A partner name from a server address when none is given (host and port)."""
    netloc = urlsplit(url).netloc.rsplit("@", 1)[-1]
    return check_name(netloc.replace(":", "-") or "partner")


def follow_once(
    engine: Engine, feed: Feed, on_page: Callable[[Followed], None] | None = None
) -> Followed:
    """Fetch everything added since the last committed page and apply it, page by page."""
    if feed.page_size < 1:
        raise UsageError("the page size must be at least 1")
    headers: dict[str, str] = {}
    collection = _collection(feed, headers)
    with engine.connect() as conn:
        # A feed followed before cursors had a table of their own resumes from its list.
        cursor = load_cursor(conn, feed.origin) or last_cursor(engine, feed.target, feed.origin)
    kwargs: dict[str, Any] = {}
    if cursor is not None:
        kwargs["added_after"] = _before(cursor)
    done = Followed()
    try:
        for envelope in as_pages(collection.get_objects, per_request=feed.page_size, **kwargs):
            objects = list(envelope.get("objects", []))
            page_cursor = headers.get(DATE_ADDED_LAST)
            received = _apply(engine, feed, objects, page_cursor)
            done.pages += 1
            done.objects += len(objects)
            done.received.merge(received)
            done.problems.extend(str(issue) for issue in received.issues)
            if on_page is not None:
                on_page(done)
    except (TAXIIServiceException, OSError, ValueError) as exc:  # requests' errors are OSErrors
        raise FetchError(f"cannot read {feed.collection_url}: {exc}") from exc
    log.info("share_followed", collection=feed.collection, pages=done.pages, objects=done.objects)
    return done


def follow(
    engine: Engine,
    feed: Feed,
    interval: float,
    on_pass: Callable[[Followed], None],
    stop: Callable[[], bool] = lambda: False,
) -> None:
    """Follow a feed until ``stop`` says so, a pass every ``interval`` seconds; a failed pass
    is reported and retried at the next interval, since partners' servers go down."""
    while not stop():
        try:
            on_pass(follow_once(engine, feed))
        except FetchError as exc:
            log.warning("share_follow_failed", collection=feed.collection, error=exc.detail)
        time.sleep(interval)


def _apply(
    engine: Engine, feed: Feed, objects: list[dict[str, Any]], cursor: str | None
) -> Received:
    """Apply one page; its cursor is stored in the page's transaction, so it never runs
    ahead of what is stored."""
    targets = {PROFILES.NAME: feed.list_name} if feed.list_name else {}
    inbound = Inbound(feed.partner, feed.origin, datetime.now(UTC), cursor, targets)

    def keep(conn: Connection, _received: Received) -> None:
        if cursor is not None:
            save_cursor(conn, feed.origin, cursor, inbound.now)

    return receive(engine, objects, inbound, keep)


def _collection(feed: Feed, headers: dict[str, str]) -> Any:
    """A taxii2-client collection whose responses' headers land in ``headers``."""
    conn = _HTTPConnection(user=feed.user, password=feed.password, version="2.1")
    if feed.token:
        conn.session.headers["Authorization"] = f"Bearer {feed.token}"

    def keep_headers(response: Any, *_args: Any, **_kwargs: Any) -> None:
        headers.clear()
        headers.update({k.lower(): v for k, v in response.headers.items()})

    conn.session.hooks["response"].append(keep_headers)
    return Collection(feed.collection_url, conn=conn)


def _before(cursor: str) -> str:
    """A moment just before ``cursor``, so that objects added at that same moment (one POST
    at medallion) are fetched again rather than skipped."""
    moment = datetime.fromisoformat(cursor.replace("Z", "+00:00"))
    return (moment - timedelta(microseconds=1)).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
