"""Reading an input line by line so that one bad line is one fault, not the end of the file.

A list load refuses a file at its first bad byte (``inputs.TextInput``): a list read in part
drops listed persons without a word. A file of subjects to screen is the other way round:
each row stands alone, so a row whose bytes are not UTF-8 is reported with its line and byte
offset and the rows around it are still screened. The bytes come through ``open_binary``,
so gzip input keeps its caps on size and expansion; a broken compressed stream still ends
the read (see ``matching.batch`` for why the whole file is then refused).
"""

import codecs
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from watchkeeper.errors import SourceError, SourceIssue
from watchkeeper.settings import InputLimits
from watchkeeper.sources.inputs import open_binary


@dataclass(frozen=True, slots=True)
class Line:
    """One line as read: its number, its text (bad bytes shown as U+FFFD, so that CSV quotes
    and separators, which are ASCII, stay where they are) and, when it has bad bytes, the
    fault naming the first one."""

    number: int
    text: str
    fault: SourceIssue | None = None


def read_lines(path: Path, limits: InputLimits) -> Iterator[Line]:
    """Every line of ``path`` with its end kept (as ``csv`` needs), a UTF-8 BOM dropped. A
    file that cannot be opened, or whose compressed stream breaks (corrupt, or past the caps),
    raises ``SourceError``, naming the line the break was reached at as well as the byte."""
    with open_binary(path, limits) as stream:
        number = 0
        offset = 0  # of the current line, in the (decompressed) bytes
        try:
            for data in stream:
                number += 1
                start = 0
                if number == 1 and data.startswith(codecs.BOM_UTF8):
                    start = len(codecs.BOM_UTF8)
                yield _decoded(path, number, offset, data[start:], start)
                offset += len(data)
        except SourceError as exc:
            located = [
                SourceIssue(i.path, f"line {number + 1}, {i.position}", i.problem)
                for i in exc.issues
            ]
            raise SourceError(located) from exc


def _decoded(path: Path, number: int, offset: int, data: bytes, skipped: int) -> Line:
    try:
        return Line(number, data.decode("utf-8"))
    except UnicodeDecodeError as exc:
        shown = data[exc.start : exc.end].hex(" ")
        fault = SourceIssue(
            str(path),
            f"line {number}, byte offset {offset + skipped + exc.start:,}",
            f"not UTF-8 ({exc.reason}: {shown}); save the file as UTF-8",
        )
        return Line(number, data.decode("utf-8", errors="replace"), fault)
