"""Listed subjects read from the store, streamed: what the candidate index is built from
(``index.from_store``) and what re-screening reads of a list's changes."""

from collections.abc import Collection, Iterator
from typing import Any

import orjson
from followthemoney import model
from sqlalchemy import Engine, Row, Select, select

from watchkeeper.matching.subject import DOCUMENT_KINDS, Subject
from watchkeeper.store.loading import is_entry
from watchkeeper.store.reading import version_id
from watchkeeper.store.schema import entities


def stored_subjects(
    engine: Engine,
    list_name: str,
    number: int | None = None,
    record_ids: Collection[str] | None = None,
) -> Iterator[Subject]:
    """The listed subjects of version ``number`` of a list (the active one when None), only
    those of the entries ``record_ids`` when given (re-screening against a list's changes).
    The numbers of their passports, identity documents and wallets, which FtM files publish
    as entities of their own, are read first and added to their holders."""
    vid, _number = version_id(engine, list_name, number)
    query = select(entities.c.schema, entities.c.data).where(entities.c.version_id == vid)
    documents: dict[str, list[tuple[str, str]]] = {}
    held = query.where(entities.c.schema.in_(DOCUMENT_KINDS))
    for row in _rows(engine, held, record_ids):
        prop, kind = DOCUMENT_KINDS[row.schema]
        proxy = model.get_proxy(orjson.loads(row.data))
        for holder in proxy.get("holder"):
            documents.setdefault(holder, []).extend((v, kind) for v in proxy.get(prop))
    for row in _rows(engine, query, record_ids):
        schema = model.get(row.schema)
        if schema is None or not is_entry(schema):
            continue
        subject = Subject.from_entity(model.get_proxy(orjson.loads(row.data)), list_name)
        more = documents.get(subject.entity_id or "")
        yield subject.with_identifiers(more) if more else subject


def _rows(
    engine: Engine, query: Select[Any], record_ids: Collection[str] | None
) -> Iterator[Row[Any]]:
    """The rows of ``query``, of the entries ``record_ids`` when given, streamed."""
    wanted = sorted(record_ids) if record_ids is not None else [None]
    with engine.connect() as conn:
        for start in range(0, len(wanted), 500):  # bound the IN list on both backends
            part = query
            if record_ids is not None:
                part = query.where(entities.c.record_id.in_(wanted[start : start + 500]))
            yield from conn.execution_options(stream_results=True, yield_per=1000).execute(part)
