"""Files written whole or not at all.

Every output file is written to ``FILE.partial`` in the same folder and renamed over
``FILE`` only once complete (a rename within a folder is atomic), so a run killed half-way
never leaves a half-written file under the final name: only a ``.partial`` one, which the
next run writing the same file removes before it starts. A failure while writing removes
the partial file and is an ``OutputError`` naming the file.
"""

import os
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import BinaryIO, TextIO

from watchkeeper.errors import OutputError

SUFFIX = ".partial"


def partial_of(target: Path) -> Path:
    """Where ``target`` is written before it is complete."""
    return target.with_name(target.name + SUFFIX)


@contextmanager
def replacing(target: Path, perms: int | None = None) -> Iterator[Path]:
    """The partial path to write ``target`` to (for libraries that write by path, such as
    Parquet writers); renamed over ``target`` when the block ends without an exception.
    ``perms`` sets the file's mode exactly (a private key); otherwise the umask decides."""
    partial = partial_of(target)
    try:
        partial.unlink(missing_ok=True)  # left by a killed run
        if perms is not None:
            os.close(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, perms))
            os.chmod(partial, perms)  # the umask may have cleared bits of perms
        yield partial
        _sync(partial)
        os.replace(partial, target)
    except BaseException as exc:
        with suppress(OSError):  # the error that brought us here is the one to report
            partial.unlink(missing_ok=True)
        # An OSError about another file (an input read inside the block) is not ours to name.
        if isinstance(exc, OSError) and (
            exc.filename is None or os.fspath(exc.filename) in (str(partial), str(target))
        ):
            raise OutputError(f"cannot write {target}: {exc.strerror or exc}") from exc
        raise


@contextmanager
def open_binary(target: Path, perms: int | None = None) -> Iterator[BinaryIO]:
    """A binary file to write ``target`` through (see ``replacing``)."""
    with replacing(target, perms) as partial, open(partial, "wb") as fh:
        yield fh


@contextmanager
def open_text(target: Path, newline: str | None = None) -> Iterator[TextIO]:
    """A UTF-8 text file to write ``target`` through (see ``replacing``); ``newline=""``
    for the csv module."""
    with replacing(target) as partial, open(partial, "w", encoding="utf-8", newline=newline) as fh:
        yield fh


def write_bytes(target: Path, data: bytes, perms: int | None = None) -> None:
    """Write ``data`` to ``target``, whole or not at all."""
    with open_binary(target, perms) as fh:
        fh.write(data)


def write_text(target: Path, text: str) -> None:
    """Write ``text`` to ``target`` as UTF-8, whole or not at all."""
    with open_text(target) as fh:
        fh.write(text)


def _sync(path: Path) -> None:
    """Flush the file's data to disk before the rename makes it visible: after a power cut
    the final name holds the old file or the new one, never an empty one."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
