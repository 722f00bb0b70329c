"""Search the lists by name, with a birth date, a nationality and a kind of entity.

The search form's use case: what a person typed is checked field by field (a bad field is
refused by name, before anything is screened), screened by the matcher over the lists'
index, and answered with the entities ranked by score, each with the reasons the matcher
gives, and the ids the entity pages are found by. Results are leads about listed people, so
every search is audited (which fields were given and which entities came back, not what was
typed: the query may name a traveller).
"""

import re
from dataclasses import dataclass
from datetime import date

from followthemoney import model
from sqlalchemy import Connection, Engine, select

from watchkeeper.auth import Actor, require
from watchkeeper.countries import ftm_country
from watchkeeper.errors import UsageError
from watchkeeper.matching.score import FeatureLine
from watchkeeper.matching.screener import Hit, Screener
from watchkeeper.matching.subject import Subject
from watchkeeper.store import audit
from watchkeeper.store.schema import entities, lists

SEARCH = "search"  # the audit action, as the service's search and match write it
DEFAULT_SCHEMA = "LegalEntity"
MAX_LIMIT = 100
_DATE = re.compile(r"\d{4}(-\d{2}){0,2}")
SCHEMATA = tuple(
    sorted(
        s.name
        for s in model.schemata.values()
        if s.matchable and (s.is_a("LegalEntity") or s.is_a("Vehicle"))
    )
)
"""The FtM schemata a search may ask for: people, organisations and the things lists name
(vessels, aircraft), as followthemoney's model defines them."""


@dataclass(frozen=True, slots=True)
class SearchQuery:
    """A checked search: a name, and optionally a birth date (``YYYY``, ``YYYY-MM`` or
    ``YYYY-MM-DD``), a nationality (ISO 3166-1 alpha-2, lower case, as FtM keeps it) and the
    FtM schema of the entity looked for."""

    name: str
    birth_date: str | None = None
    nationality: str | None = None
    schema: str = DEFAULT_SCHEMA

    @property
    def subject(self) -> Subject:
        """The query as the matcher compares it."""
        return Subject(
            self.schema,
            (self.name,),
            birth_dates=(self.birth_date,) if self.birth_date else (),
            countries=(self.nationality,) if self.nationality else (),
        )


@dataclass(frozen=True, slots=True)
class SearchResult:
    """One listed entity the query may be: its id (the entity page's key), caption, schema
    and list, the score, whether it reaches the alert threshold, the one-line reason and
    what each of the matcher's features found."""

    entity_id: str
    caption: str
    schema: str
    list_name: str
    score: float
    alert: bool
    reason: str
    features: tuple[FeatureLine, ...]


def search_query(
    name: str,
    birth_date: str | None = None,
    nationality: str | None = None,
    schema: str | None = None,
) -> SearchQuery:
    """The query from a form's fields (blank ones count as not given); a ``UsageError``
    naming the first field that cannot be used."""
    name = " ".join(name.split())
    if not name:
        raise UsageError("name: a name is needed to search")
    return SearchQuery(
        name,
        _birth_date((birth_date or "").strip()),
        _nationality((nationality or "").strip()),
        _schema((schema or "").strip() or DEFAULT_SCHEMA),
    )


def search(
    engine: Engine,
    screener: Screener,
    actor: Actor,
    query: SearchQuery,
    *,
    lists_searched: frozenset[str] | None = None,
    limit: int = 20,
    remote: str | None = None,
) -> list[SearchResult]:
    """The entities of ``lists_searched`` (None: every list of the screener's index) that
    best match ``query``, best first, no threshold applied (``alert`` says which reach it),
    of the kinds of entity the query's schema may be. Audited."""
    require(actor, "screener", "search the lists")
    if not 1 <= limit <= MAX_LIMIT:
        raise UsageError(f"limit: {limit} is not from 1 to {MAX_LIMIT}")
    kinds = {s.name for s in model.schemata[query.schema].matchable_schemata}
    # Twice as many candidates as asked for, so that those of other kinds, left out, do not
    # leave the page short.
    found = screener.candidates(query.subject, min(2 * limit, MAX_LIMIT), lists=lists_searched)
    hits = [hit for hit in found if hit.schema in kinds][:limit]
    with engine.begin() as conn:
        captions = _captions(conn, hits)
        given = [f for f in ("birth_date", "nationality") if getattr(query, f)]
        detail = {"schema": query.schema, "fields": given, "results": [h.entity_id for h in hits]}
        target = ",".join(sorted(lists_searched)) if lists_searched is not None else None
        audit.record(conn, actor.username, SEARCH, "lists", target, detail, remote)
    return [
        SearchResult(
            hit.entity_id,
            captions.get((hit.list_name, hit.entity_id), hit.name),
            hit.schema,
            hit.list_name,
            hit.score,
            hit.alert,
            hit.reason,
            hit.result.features,
        )
        for hit in hits
    ]


def _captions(conn: Connection, hits: list[Hit]) -> dict[tuple[str, str], str]:
    """The stored caption of each hit's entity in its list's active version (the index may
    be a version behind: then the hit's own name stands)."""
    if not hits:
        return {}
    query = (
        select(lists.c.name, entities.c.entity_id, entities.c.caption)
        .join(lists, lists.c.active_version_id == entities.c.version_id)
        .where(entities.c.entity_id.in_({h.entity_id for h in hits}))
    )
    return {(row.name, row.entity_id): row.caption for row in conn.execute(query)}


def _birth_date(text: str) -> str | None:
    if not text:
        return None
    if _DATE.fullmatch(text):
        full = text + "-01" * (2 - text.count("-"))
        try:
            date.fromisoformat(full)
            return text
        except ValueError:
            pass
    raise UsageError(f"birth_date: {text!r} is not a date (YYYY-MM-DD, YYYY-MM or YYYY)")


def _nationality(text: str) -> str | None:
    if not text:
        return None
    found = ftm_country(text)
    if found is None:
        raise UsageError(
            f"nationality: {text!r} is not a country code (ISO 3166-1, such as SY or SYR)"
        )
    return found


def _schema(name: str) -> str:
    if name not in SCHEMATA:
        raise UsageError(
            f"schema: {name!r} is not a kind of entity the lists can be searched for; "
            f"use one of {', '.join(SCHEMATA)}"
        )
    return name
