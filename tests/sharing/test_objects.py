"""Publishing a list into its collection: once per version, changed records only."""

from pathlib import Path

from sqlalchemy import func, select

from tests.conftest import pg_database
from tests.sharing.conftest import EXAMPLE, A, B, Pair, load_profiles
from watchkeeper.sharing.config import add_collection, save_partner
from watchkeeper.sharing.objects import Reader, page, publish
from watchkeeper.store import open_engine
from watchkeeper.store.schema import share_objects


def count(pair: Pair) -> int:
    with pair.a.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(share_objects)).scalar_one())


def test_publish_adds_only_what_changed(pair: Pair, tmp_path: Path) -> None:
    first = publish(pair.a.engine, pair.collection, A)
    assert first == 7 + 5  # markings, extension, agency; six records less RED
    assert publish(pair.a.engine, pair.collection, A) == 0
    load_profiles(pair.a.engine, EXAMPLE)  # a new version, the same content
    assert publish(pair.a.engine, pair.collection, A) == 0
    text = EXAMPLE.read_text(encoding="utf-8").replace("Johan Voorbeeld", "Johan Voorbeelt", 1)
    (tmp_path / "v3.csv").write_text(text, encoding="utf-8")
    load_profiles(pair.a.engine, tmp_path / "v3.csv")
    assert publish(pair.a.engine, pair.collection, A) == 1
    assert count(pair) == 13
    dates = [
        o.date_added
        for o in page(
            pair.a.engine, pair.collection.id, Reader("RED", True), added_after=None, limit=100
        ).objects
    ]
    assert dates == sorted(set(dates))  # unique, in order


def test_publish_and_page_on_postgresql(tmp_path: Path) -> None:
    """The same on PostgreSQL (skipped where CI provides no server)."""
    with pg_database() as url:
        engine = open_engine(url)
        try:
            load_profiles(engine, EXAMPLE)
            save_partner(engine, B)
            collection = add_collection(
                engine, list_name="ftf", tlp="AMBER", partners=[B], writers=[]
            )
            assert publish(engine, collection, A) == 12
            assert publish(engine, collection, A) == 0
            first = page(engine, collection.id, Reader("AMBER", True), added_after=None, limit=8)
            assert first.more
            rest = page(
                engine,
                collection.id,
                Reader("AMBER", True),
                added_after=first.objects[-1].date_added,
                limit=100,
            )
            assert len(first.objects) + len(rest.objects) == 11  # AMBER+STRICT above the ceiling
        finally:
            engine.dispose()
