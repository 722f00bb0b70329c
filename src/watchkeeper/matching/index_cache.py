"""The candidate index of some lists kept on disk between runs, so that a command screening a
few names (``watchkeeper match``) reads it in a fraction of a second instead of analysing
every listed name again (seconds for UN and OFAC).

A cache file holds one index (``NameIndex.serialize``'s versioned JSON, never pickle: a file
in a shared folder must not be able to run code) behind a header with its key and the
SHA-256 of the index bytes. The key names what the index was built from: each list's active
version (row id, number, checksum of the input, load time), the database, and the matcher
itself (a digest of the ``matching`` sources and the name data they read), so a new list
version or a changed matcher is a miss, never a stale answer. A file that is cut short,
altered or written by other code is rebuilt with a log line; files are written whole or not
at all (``atomic``), and the least recently used beyond ``KEEP`` are removed.
"""

import hashlib
import os
from collections.abc import Iterable
from importlib.resources import files
from pathlib import Path
from typing import Any

import orjson
import structlog
from sqlalchemy import Engine, select

from watchkeeper import atomic
from watchkeeper.collector import paused
from watchkeeper.errors import NotFoundError
from watchkeeper.matching import index_format
from watchkeeper.matching.index import NameIndex, from_store
from watchkeeper.store.schema import list_versions, lists

log = structlog.get_logger(__name__)

MAGIC = b"watchkeeper.index-cache 1\n"
KEEP = 8  # cache files kept (one per set of lists and versions), least recently used dropped
SUFFIX = ".wkindex"
NAME_DATA = (
    "arabic_names.tsv.gz",
    "hanja_hangul.tsv",
    "name_forms.tsv.gz",
    "name_token_counts.tsv.gz",
    "nicknames.tsv",
    "pinyin_spellings.tsv",
    "schemata.tsv",
)
"""Data files the index's name keys are made from (besides the ``matching`` sources)."""


def cached_index(engine: Engine, list_names: list[str], folder: Path) -> NameIndex:
    """The index of the active versions of ``list_names``: read from ``folder`` when a
    cache file of exactly those versions and this matcher is there and intact, else built
    from the store and written there for the next run."""
    key = index_key(engine, list_names)
    path = folder / f"{_digest(orjson.dumps(key, option=orjson.OPT_SORT_KEYS))[:32]}{SUFFIX}"
    if path.exists():
        try:
            index = read_index(path, key)
        except (OSError, ValueError) as exc:
            log.warning("index cache rebuilt", path=str(path), problem=str(exc))
        else:
            os.utime(path)  # recently used: kept by ``_prune``
            return index
    index = from_store(engine, list_names)
    try:
        write_index(path, key, index)
    except OSError as exc:  # a read-only or full disk costs the next run time, no more
        log.warning("index cache not written", path=str(path), problem=str(exc))
    return index


def index_key(engine: Engine, list_names: list[str]) -> dict[str, Any]:
    """What an index of these lists depends on (see the module docstring); a NotFoundError
    for a list that does not exist or has no version loaded."""
    with engine.connect() as conn:
        rows = conn.execute(
            select(
                lists.c.name,
                list_versions.c.id,
                list_versions.c.number,
                list_versions.c.sha256,
                list_versions.c.loaded_at,
            )
            .join(list_versions, list_versions.c.id == lists.c.active_version_id)
            .where(lists.c.name.in_(list_names))
        ).all()
    found = {row.name: row for row in rows}
    for name in list_names:
        if name not in found:
            raise NotFoundError(
                f"no list named {name!r} with a loaded version; see 'watchkeeper lists ls'"
            )
    versions = [
        [name, found[name].id, found[name].number, found[name].sha256, str(found[name].loaded_at)]
        for name in list_names
    ]
    return {
        "format": [index_format.FORMAT, index_format.VERSION],
        "matcher": matcher_digest(),
        "database": engine.url.render_as_string(hide_password=True),
        "lists": versions,
    }


def matcher_digest() -> str:
    """A digest of the ``matching`` package's sources and the name data: any change to how
    names are keyed makes earlier cache files misses."""
    package = Path(__file__).parent
    digest = hashlib.sha256()
    for source in sorted(package.rglob("*.py")):
        digest.update(source.relative_to(package).as_posix().encode())
        digest.update(source.read_bytes())
    data = files("watchkeeper") / "data"
    for name in NAME_DATA:
        digest.update(name.encode())
        digest.update((data / name).read_bytes())
    return digest.hexdigest()


def read_index(path: Path, key: dict[str, Any]) -> NameIndex:
    """The index in a cache file; ValueError naming the fault when the file is not a cache
    file, holds another key, or its index bytes are not the ones its header vouches for."""
    data = path.read_bytes()
    if not data.startswith(MAGIC):
        raise ValueError(f"{path}: byte 0: not a watchkeeper index cache file")
    end = data.find(b"\n", len(MAGIC))
    if end < 0:
        raise ValueError(f"{path}: byte {len(MAGIC)}: header cut short")
    try:
        header = orjson.loads(data[len(MAGIC) : end])
    except orjson.JSONDecodeError as exc:
        raise ValueError(f"{path}: byte {len(MAGIC)}: header is not JSON: {exc}") from exc
    if not isinstance(header, dict) or header.get("key") != key:
        raise ValueError(f"{path}: header: built from other list versions or another matcher")
    body = data[end + 1 :]
    if header.get("sha256") != _digest(body):
        raise ValueError(f"{path}: byte {end + 1}: index bytes altered or cut short")
    with paused():  # tens of thousands of objects, in no cycle
        return NameIndex.deserialize(body)


def write_index(path: Path, key: dict[str, Any], index: NameIndex) -> None:
    """Write the index under its key, whole or not at all, then drop old cache files."""
    body = index.serialize()
    header = orjson.dumps({"key": key, "sha256": _digest(body)})
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic.write_bytes(path, MAGIC + header + b"\n" + body)
    _prune(path.parent.glob(f"*{SUFFIX}"))


def _prune(paths: Iterable[Path]) -> None:
    """Keep the ``KEEP`` most recently used cache files."""
    by_use = sorted(paths, key=_used, reverse=True)
    for old in by_use[KEEP:]:
        old.unlink(missing_ok=True)


def _used(path: Path) -> int:
    """When the file was last used; 0 for one another process removed meanwhile."""
    try:
        return path.stat().st_mtime_ns
    except OSError:
        return 0


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
