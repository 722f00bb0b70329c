"""Shared test fixtures: a fresh SQLite store per test and the paths of the test data.

Tests that need only the bundled UN list run on a fresh clone; tests on the larger public
sets in ../shared/data are skipped when that folder is not beside the repository.
"""

import fcntl
import gc
import gzip
import hashlib
import importlib.metadata
import os
import shutil
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

import pytest
from platformdirs import user_cache_dir
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url

from watchkeeper.settings import Settings, get_settings
from watchkeeper.sources import get_source
from watchkeeper.sources.base import ListSource, Record
from watchkeeper.store import load_source, open_engine

if TYPE_CHECKING:  # imported by the fixtures: pytest's main process of a -n run needs none
    from playwright.sync_api import Browser

    from watchkeeper.matching.index import NameIndex
    from watchkeeper.matching.screener import Screener
    from watchkeeper.matching.subject import Subject
    from watchkeeper.service.index import Snapshot

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
SHARED = ROOT.parent / "shared" / "data"
BUNDLED_UN = ROOT / "src" / "watchkeeper" / "data" / "un_consolidated_2026-02-27.xml.gz"
CHROMIUM = Path("/usr/bin/chromium")
"""The browser of the browser tests (Debian's package); they are skipped without it."""

NO_SHARED = "needs ../shared/data, which is not beside this checkout"
requires_shared = pytest.mark.skipif(not SHARED.is_dir(), reason=NO_SHARED)
PG_URL = os.environ.get("WATCHKEEPER_TEST_PG_URL", "")
"""A PostgreSQL account that may create databases; ``.ci/run`` starts a server and sets it."""


def pg_admin() -> Engine:
    """An engine of the PostgreSQL account that creates the tests' databases; skips the
    test when no server is configured."""
    if not PG_URL:
        pytest.skip("WATCHKEEPER_TEST_PG_URL is not set (.ci/run sets it)")
    return create_engine(
        make_url(PG_URL).set(drivername="postgresql+psycopg"), isolation_level="AUTOCOMMIT"
    )


@contextmanager
def pg_database(template: str | None = None) -> Iterator[str]:
    """A fresh PostgreSQL database for one test (a copy of ``template`` if given), dropped
    afterwards; yields its URL. Skips the test when no server is configured."""
    name = f"wk_test_{uuid.uuid4().hex[:12]}"
    admin = pg_admin()
    copy = f' TEMPLATE "{template}"' if template else ""
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"{copy}'))
    try:
        yield make_url(PG_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Settings pointing at a private data folder and SQLite file."""
    return get_settings(data_dir=tmp_path / "data")


@pytest.fixture(scope="session")
def empty_sqlite(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An empty SQLite store at the newest schema, made once a run: a test's fresh store is
    a copy of it (a millisecond) instead of a new schema (40 ms, for hundreds of tests)."""
    path = tmp_path_factory.mktemp("empty-store") / "watchkeeper.db"
    open_engine(f"sqlite:///{path}").dispose()  # the last close folds the log into the file
    return path


def open_fresh(url: str, empty_sqlite: Path) -> Engine:
    """``open_engine`` of a new store at ``url``: for SQLite, a copy of ``empty_sqlite``."""
    url_parts = make_url(url)
    if url_parts.get_backend_name() == "sqlite" and url_parts.database:
        path = Path(url_parts.database)
        assert not path.exists(), f"{path} is not a new store"
        path.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(empty_sqlite, path)
    return open_engine(url)


@pytest.fixture
def engine(settings: Settings, empty_sqlite: Path) -> Engine:
    """A fresh, empty store."""
    return open_fresh(settings.db_url, empty_sqlite)


def load_un(engine: Engine) -> None:
    """Load the bundled UN list as 'un'."""
    load_source(engine, get_source("un-xml", BUNDLED_UN), "un", origin="test", raw_dir=None)


def run_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The temporary folder of this run, shared by its xdist workers (each has a subfolder
    of it): what one worker builds there, the other need not."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


def built_once(
    tmp_path_factory: pytest.TempPathFactory, name: str, build: Callable[[Path], None]
) -> Path:
    """The folder ``name`` of this run, which ``build`` filled once for all workers: the first
    worker to ask builds it while the other waits on a lock, then finds it built."""
    root = run_folder(tmp_path_factory)
    folder = root / name
    with open(root / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        if not (folder / ".built").exists():
            shutil.rmtree(folder, ignore_errors=True)  # a build that failed midway
            folder.mkdir()
            build(folder)
            (folder / ".built").touch()
    return folder


def _build_un_sqlite(folder: Path) -> None:
    engine = open_engine(f"sqlite:///{folder / 'watchkeeper.db'}")
    load_un(engine)
    engine.dispose()  # the last connection checkpoints the write-ahead log into the file


@pytest.fixture(scope="session")
def un_sqlite(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite store with the bundled UN list, built once a run (by one worker, for both):
    a test that needs a store with the list gets a copy of this file (milliseconds) instead
    of a load (seconds). Tests only copy it, never open it."""
    return built_once(tmp_path_factory, "un-store", _build_un_sqlite) / "watchkeeper.db"


@pytest.fixture
def un_engine(tmp_path: Path, un_sqlite: Path) -> Iterator[Engine]:
    """A SQLite store of its own with the bundled UN list (a copy of ``un_sqlite``), for a
    test whose subject comes after the load."""
    copy = shutil.copyfile(un_sqlite, tmp_path / "watchkeeper.db")
    engine = open_engine(f"sqlite:///{copy}")
    yield engine
    engine.dispose()


@contextmanager
def locked(path: Path) -> Iterator[None]:
    """Hold the lock file ``path`` (shared by this run's workers) for the block."""
    with open(path, "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        yield


@pytest.fixture(scope="session")
def un_postgres(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The name of a PostgreSQL database with the bundled UN list, that ``pg_database``
    copies (CREATE DATABASE ... TEMPLATE); skips without a server. Built once a run for
    both workers (a load is seconds of the server's CPU and ours): the workers count
    themselves in a file, and the last one out drops it."""
    admin = pg_admin()
    root = run_folder(tmp_path_factory)
    name = f"wk_un_{hashlib.sha256(str(root).encode()).hexdigest()[:12]}"
    users = root / "un-postgres.users"
    with locked(root / "un-postgres.lock"):
        count = int(users.read_text()) if users.exists() else 0
        if not count:
            with admin.connect() as conn:  # what a failed build left, then a fresh one
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
                conn.execute(text(f'CREATE DATABASE "{name}"'))
            engine = open_engine(make_url(PG_URL).set(database=name).render_as_string(False))
            load_un(engine)
            engine.dispose()  # a template database may have no open connection
        users.write_text(str(count + 1))
    yield name
    with locked(root / "un-postgres.lock"):
        count = int(users.read_text()) - 1
        users.write_text(str(count))
        if not count:
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(scope="session")
def un_subjects() -> "tuple[Subject, ...]":
    """The bundled UN list's entries as subjects, read once a run (a read takes half a
    second, and a dozen modules screen against them)."""
    from watchkeeper.matching.subject import Subject
    from watchkeeper.sources.un_xml import UnXmlSource

    return tuple(Subject.from_entity(r.entity, "un") for r in UnXmlSource(BUNDLED_UN).records())


@pytest.fixture(scope="session")
def un_index(un_subjects: "tuple[Subject, ...]") -> "NameIndex":
    """The name index of the bundled UN list, built once a run (a second or two, and the
    matching modules, documents and screeners all query it); tests only read it."""
    from watchkeeper.matching.index import NameIndex

    return NameIndex.build(un_subjects)


@pytest.fixture(scope="session")
def un_screener(un_index: "NameIndex") -> "Screener":
    """A screener over the bundled UN list at the default threshold, built once a run."""
    from watchkeeper.matching.screener import Screener

    return Screener(un_index)


def _snapshot_of(settings: Settings) -> "Iterator[Snapshot]":
    """The first snapshot of a service over the store of ``settings``, while its engine is
    open (the snapshot's facts read property values from it when first asked)."""
    from watchkeeper.service.app import create_app
    from watchkeeper.service.deps import services_of

    app = create_app(settings, background=False)
    matchers = services_of(app).matchers
    matchers.refresh()
    yield matchers.snapshot()
    services_of(app).engine.dispose()


# The snapshots are defined here, once, and not in tests/api/conftest.py: a fixture imported
# into another conftest or module (tests/web, tests/lanes) is a definition of its own, with a
# session cache of its own, and each built the snapshots again in every worker.
@pytest.fixture(scope="session")
def un_snapshot_sqlite(
    tmp_path_factory: pytest.TempPathFactory, un_sqlite: Path
) -> "Iterator[Snapshot]":
    """The service's snapshot of the bundled UN list on SQLite, built once a run over a copy
    of ``un_sqlite`` that no test changes (``ready`` in tests/api/conftest.py gives it)."""
    settings = get_settings(data_dir=tmp_path_factory.mktemp("un-snapshot"))
    shutil.copyfile(un_sqlite, settings.data_dir / "watchkeeper.db")
    yield from _snapshot_of(settings)


@pytest.fixture(scope="session")
def un_snapshot_postgresql(
    tmp_path_factory: pytest.TempPathFactory, un_postgres: str
) -> "Iterator[Snapshot]":
    """The service's snapshot of the bundled UN list on PostgreSQL, built once a run over a
    copy of ``un_postgres`` that no test changes."""
    with pg_database(template=un_postgres) as url:
        base = get_settings(data_dir=tmp_path_factory.mktemp("un-snapshot"))
        yield from _snapshot_of(replace(base, db_url=url))


@contextmanager
def store_copy(request: pytest.FixtureRequest, folder: Path) -> Iterator[Engine]:
    """A store of its own with the bundled UN list, on the backend ``request.param`` names
    (a SQLite file in ``folder``, or a PostgreSQL database dropped afterwards)."""
    if request.param == "sqlite":
        copy = shutil.copyfile(request.getfixturevalue("un_sqlite"), folder / "watchkeeper.db")
        engine = open_engine(f"sqlite:///{copy}")
        yield engine
        engine.dispose()
        return
    with pg_database(template=request.getfixturevalue("un_postgres")) as url:
        engine = open_engine(url)
        yield engine
        engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def un_store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """A store of its own with the bundled UN list, for a test that writes, on each backend:
    a test whose subject is what follows a load starts here, not with a load of its own."""
    with store_copy(request, tmp_path) as engine:
        yield engine


@pytest.fixture(scope="module")
def browser() -> "Iterator[Browser]":
    """Headless Chromium, started once for a module's browser tests: a start is a Playwright
    driver and a browser, a second of CPU. Each test opens its page in a context of its own
    (``browser.new_page``), so the tests share no cookies or storage."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        yield launched
        launched.close()


@pytest.fixture(scope="session")
def un_xml_bytes() -> bytes:
    """The bundled UN list, decompressed, for tests that edit it."""
    return gzip.decompress(BUNDLED_UN.read_bytes())


S = TypeVar("S", bound=ListSource)


def read_all(source: S) -> tuple[list[Record], S]:
    """Every record a source yields, and the source (for its issues and date)."""
    return list(source.records()), source


def _quick_jvm() -> str:
    """The JVM options of the tests' Spark driver. C1 only: a test's JVM lives for a minute,
    too short for C2's optimisations to pay back their compile time (half of a local
    session's start and first job). The serial collector: the heap is small, and the
    default's parallel threads spent more CPU than the job on the suite's two cores. And
    Spark's classes from an archive (class-data sharing) that the first run on a machine
    writes when its JVM exits: later sessions map the classes instead of loading and
    verifying them, half of a session's start. The archive is named after Java and
    pyspark, so another version writes its own; one that does not match is ignored."""
    options = ["-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xlog:cds=off,cds+dynamic=off"]
    java = shutil.which("java")
    if java is None:
        return " ".join(options)
    binary = Path(java).resolve()
    key = f"{binary}:{binary.stat().st_mtime_ns}:{importlib.metadata.version('pyspark')}"
    folder = Path(user_cache_dir("watchkeeper")) / "tests"
    archive = folder / f"spark-{hashlib.sha256(key.encode()).hexdigest()[:16]}.jsa"
    if " " in str(archive):  # SPARK_SUBMIT_OPTS is split on spaces
        return " ".join(options)
    if archive.is_file():
        options.append(f"-XX:SharedArchiveFile={archive}")
    else:
        folder.mkdir(parents=True, exist_ok=True)
        options.append(f"-XX:ArchiveClassesAtExit={archive}")
    return " ".join(options)


QUICK_JVM = _quick_jvm()
"""The JVM options of the tests' Spark driver (``_quick_jvm``)."""

ALL_SPARK = os.environ.get("WATCHKEEPER_TEST_SPARK", "") == "1"
"""Run every Spark case: each starts a Spark session (tens of seconds), so ``make test`` runs
one end-to-end case (``tests/cli/test_batch.py``) and ``.ci/run`` all of them."""


def pytest_configure(config: pytest.Config) -> None:
    """Collect garbage less often in the test processes: the youngest generation after
    10,000 objects (what ``create_app`` sets for the service, ``YOUNG_OBJECTS``) and the older
    ones after 50 collections of the one below, not 10. Each collection of the oldest walked
    everything a worker holds (its imports, the stores and indexes built once a run), and with
    the defaults a twentieth to a tenth of a worker's CPU went to walks that found almost
    nothing."""
    gc.set_threshold(10_000, 50, 50)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Leave out the ``spark`` cases unless ``WATCHKEEPER_TEST_SPARK=1``."""
    if ALL_SPARK:
        return
    spark = [item for item in items if item.get_closest_marker("spark")]
    if spark:
        config.hook.pytest_deselected(items=spark)
        items[:] = [item for item in items if not item.get_closest_marker("spark")]
        config.stash[_SPARK_LEFT] = len(spark)


_SPARK_LEFT = pytest.StashKey[int]()


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Say once, at the end, what did not run and why, one line a cause (a fresh clone
    without ../shared/data, PostgreSQL or Chromium passes, and should know what it did not
    check, without a line for each of some 250 tests: ``addopts`` leaves skips out of the
    short summary), and the Spark cases beyond the end-to-end one."""
    reasons = Counter(_skip_reason(r) for r in terminalreporter.stats.get("skipped", []))
    for reason, count in sorted(reasons.items(), key=lambda item: (-item[1], item[0])):
        if reason == NO_SHARED:
            terminalreporter.write_line(
                f"{count} test(s) on the public data sets did not run: put the shared data "
                f"folder at {SHARED} to run them"
            )
        else:
            terminalreporter.write_line(f"{count} test(s) did not run: {reason}")
    spark = terminalreporter.config.stash.get(_SPARK_LEFT, 0)
    if spark:
        terminalreporter.write_line(
            f"{spark} further Spark test(s) did not run: WATCHKEEPER_TEST_SPARK=1 runs them"
        )


def _skip_reason(report: pytest.TestReport) -> str:
    """Why a test was skipped, as its ``skip`` or ``skipif`` said."""
    longrepr = report.longrepr
    reason = longrepr[2] if isinstance(longrepr, tuple) else str(longrepr)
    return reason.removeprefix("Skipped: ")


@pytest.hookimpl(tryfirst=True)
def pytest_unconfigure(config: pytest.Config) -> None:
    """Collect the garbage once at the end, then set the survivors aside (``gc.freeze``).
    pytest collects twice more (to report exceptions raised in finalizers, which this
    collection's still are): each walked the worker's millions of live objects again, seconds
    at the end of every worker."""
    gc.collect()
    gc.freeze()
