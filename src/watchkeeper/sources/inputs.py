"""Opening list and screening inputs so that bad bytes become located faults.

Every input is UTF-8, with or without a BOM: a byte that is not UTF-8 stops the read with
the line and byte offset it is at, never a traceback and never a guess at another code
page, since a wrong guess changes names without anyone noticing. Gzip input is read
through caps on its decompressed size and on its expansion ratio, so a small file that
expands without end (a gzip bomb) or a damaged one fails within seconds with its position.
CSV is read strictly, so a file cut inside a quoted field is refused instead of read as a
shorter list.
"""

import codecs
import csv
import gzip
import io
import zlib
from collections.abc import Iterator
from pathlib import Path
from types import TracebackType
from typing import IO, Any, cast

from watchkeeper.errors import SourceError
from watchkeeper.settings import InputLimits

CHUNK = 1 << 20


def check_file(path: Path) -> None:
    """Fail with a clear message when ``path`` is missing, a folder or empty."""
    if not path.exists():
        raise SourceError.at(str(path), "file", "does not exist")
    if path.is_dir():
        raise SourceError.at(str(path), "file", "is a folder, expected a file")
    if path.stat().st_size == 0:
        raise SourceError.at(str(path), "file", "is empty")


def open_binary(path: Path, limits: InputLimits) -> IO[bytes]:
    """Open an input as bytes, decompressing (within ``limits``) when the name ends in ``.gz``."""
    check_file(path)
    try:
        if path.suffix == ".gz":
            return io.BufferedReader(BoundedGzip(path, limits), CHUNK)
        return open(path, "rb")
    except OSError as exc:
        raise SourceError.at(str(path), "file", f"cannot be read: {exc.strerror}") from exc


def open_text(path: Path, limits: InputLimits) -> "TextInput":
    """Open an input as UTF-8 text (see ``TextInput``)."""
    return TextInput(path, limits)


class BoundedGzip(io.RawIOBase):
    """A gzip file read within ``limits``; a corrupt stream or a cap reached is a ``SourceError``
    naming the compressed or decompressed byte it happened at."""

    def __init__(self, path: Path, limits: InputLimits) -> None:
        super().__init__()
        self.path = path
        self.limits = limits
        self.compressed = open(path, "rb")  # noqa: SIM115 - closed in close()
        self.stream = gzip.GzipFile(fileobj=self.compressed, mode="rb")
        self.out = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        try:
            count = self.stream.readinto(buffer)
        except (OSError, EOFError, zlib.error) as exc:
            where = f"compressed byte {self.compressed.tell():,}"
            raise SourceError.at(str(self.path), where, f"corrupt gzip data: {exc}") from exc
        self.out += count
        self._check()
        return count

    def _check(self) -> None:
        limits = self.limits
        if self.out > limits.max_bytes:
            raise SourceError.at(
                str(self.path),
                f"decompressed byte {limits.max_bytes + 1:,}",
                f"expands to more than {limits.max_bytes:,} bytes "
                "(WATCHKEEPER_MAX_DECOMPRESSED); refused as a possible gzip bomb",
            )
        read = self.compressed.tell()
        if self.out > limits.ratio_after and self.out > limits.max_ratio * read:
            raise SourceError.at(
                str(self.path),
                f"decompressed byte {self.out:,}",
                f"{read:,} compressed bytes expanded to {self.out:,}, more than "
                f"{limits.max_ratio:g}:1 (WATCHKEEPER_MAX_RATIO); refused as a possible gzip bomb",
            )

    def close(self) -> None:
        if not self.closed:
            self.stream.close()
            self.compressed.close()
        super().close()


class TextInput:
    """A UTF-8 input read as text, by line or whole; bytes that are not UTF-8 (or a corrupt
    gzip stream) raise a ``SourceError`` with the line and byte offset of the first one.

    Lines keep their ends (``newline=""``), as the ``csv`` module needs.
    """

    def __init__(self, path: Path, limits: InputLimits) -> None:
        self.path = path
        self.limits = limits
        self.text = io.TextIOWrapper(open_binary(path, limits), encoding="utf-8-sig", newline="")

    def __enter__(self) -> "TextInput":
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.text.close()

    def __iter__(self) -> Iterator[str]:
        try:
            yield from self.text
        except UnicodeDecodeError as exc:
            raise self._located(exc) from exc

    def read(self) -> str:
        """The whole text."""
        try:
            return self.text.read()
        except UnicodeDecodeError as exc:
            raise self._located(exc) from exc

    def _located(self, exc: UnicodeDecodeError) -> SourceError:
        """Read the bytes again to say where the first bad one is (the decoder only knows its
        place within one buffer)."""
        with open_binary(self.path, self.limits) as fh:
            found = utf8_fault(self.path, fh)
        return found or SourceError.at(str(self.path), "file", f"not UTF-8: {exc.reason}")


def utf8_text(path: Path, data: bytes) -> str:
    """``data`` decoded as UTF-8 (a BOM is dropped), or a located ``SourceError``."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        found = utf8_fault(path, io.BytesIO(data))
        raise found or SourceError.at(str(path), "file", f"not UTF-8: {exc.reason}") from exc


def utf8_fault(path: Path, stream: IO[bytes]) -> SourceError | None:
    """The first byte of ``stream`` that is not UTF-8, as a fault with its line and byte
    offset; ``None`` when every byte is. Reads by chunk, so a file of one long line is fine."""
    offset = 0
    line = 1
    carry = b""
    first = True
    while True:
        chunk = stream.read(CHUNK)
        data = carry + chunk
        if first and data.startswith(codecs.BOM_UTF8):
            data, offset = data[len(codecs.BOM_UTF8) :], len(codecs.BOM_UTF8)
        first = False
        try:
            data.decode("utf-8")
            good = len(data)
        except UnicodeDecodeError as exc:
            if chunk and exc.end == len(data) and exc.reason == "unexpected end of data":
                good = exc.start  # a character cut by the chunk boundary: read on
            else:
                at = line + data.count(b"\n", 0, exc.start)
                shown = data[exc.start : exc.end].hex(" ")
                return SourceError.at(
                    str(path),
                    f"line {at}, byte offset {offset + exc.start:,}",
                    f"not UTF-8 ({exc.reason}: {shown}); save the file as UTF-8",
                )
        line += data.count(b"\n", 0, good)
        offset += good
        carry = data[good:]
        if not chunk:
            return None


class CsvInput:
    """A strict ``csv.DictReader`` over a ``TextInput``: a file that ends inside a quoted
    field, or a stray quote, stops reading with the line of the record it is in."""

    def __init__(self, text: TextInput) -> None:
        self.path = text.path
        self.reader = csv.DictReader(text, strict=True)

    @property
    def fieldnames(self) -> list[str] | None:
        """The header row."""
        try:
            return cast(list[str] | None, self.reader.fieldnames)
        except csv.Error as exc:
            raise csv_fault(self.path, 1, exc) from exc

    @property
    def line_num(self) -> int:
        """The line the last record read ends on."""
        return self.reader.line_num

    def __iter__(self) -> Iterator[dict[str | Any, Any]]:
        while True:
            start = self.reader.line_num + 1
            try:
                row = next(self.reader)
            except StopIteration:
                return
            except csv.Error as exc:
                raise csv_fault(self.path, start, exc) from exc
            yield row


def csv_fault(path: Path, line: int, exc: csv.Error) -> SourceError:
    """The fault for a CSV record the ``csv`` module refused; a file ending inside a quoted
    field is named as what it nearly always is, a cut-short file."""
    if "unexpected end of data" in str(exc):
        problem = (
            "the file ends inside a quoted field: it is cut short (an interrupted download "
            "or copy?), so the records after this point are missing"
        )
    else:
        problem = f"malformed CSV: {exc}"
    return SourceError.at(str(path), f"line {line}", problem)
