"""The visible text of an HTML page: scripts, styles and comments dropped, a line break
after each block element so that names in two paragraphs never run together.

The page is read through lxml's parser target interface (start, end and text events)
rather than as a tree: libxml2 stops building a tree at 256 nested elements and silently
drops the rest of the page, while the events come at any depth. The parser pulls the page
from a file-like reader (its push interface, ``feed``, keeps every byte fed until the end)
in a thread of its own, which hands the text on through a short queue: memory stays bounded
whatever the page's size.

The page is decoded before lxml sees it (``extract.decoded``), in the encoding its
byte-order mark or ``<meta charset>`` declares, else UTF-8, and handed over as UTF-8: lxml
would otherwise guess Latin-1 for an undeclared page and mangle every accented name.
"""

import codecs
import contextlib
import queue
import re
import threading
from collections.abc import Iterable, Iterator

from watchkeeper.errors import SourceError

HIDDEN = frozenset({"script", "style", "noscript", "template", "head"})
BLOCKS = frozenset(
    {
        "p", "div", "br", "li", "ul", "ol", "tr", "td", "th", "table", "h1", "h2", "h3",
        "h4", "h5", "h6", "section", "article", "header", "footer", "blockquote", "pre",
        "title", "dt", "dd", "figcaption", "hr",
    }
)  # fmt: skip


_CHARSET = re.compile(rb"""<meta[^>]*?charset\s*=\s*["']?([A-Za-z0-9._:-]+)""", re.IGNORECASE)
_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def declared_encoding(head: bytes) -> str:
    """The encoding a page's first bytes declare (byte-order mark, then ``<meta>``), or
    UTF-8; a name Python does not know is taken as UTF-8 too, whose faults then say so."""
    for bom, encoding in _BOMS:
        if head.startswith(bom):
            return encoding
    found = _CHARSET.search(head)
    if found is None:
        return "utf-8"
    try:
        return codecs.lookup(found.group(1).decode("ascii")).name
    except LookupError:
        return "utf-8"


PIECE = 1 << 16  # characters of text handed on at a time
QUEUED = 8  # pieces waiting at most: the parser waits while the scanner catches up
Queued = str | BaseException | None  # a piece, the parser's failure, or the end


class _Stopped(Exception):
    """The reader of the pieces went away: the parser stops reading."""


class _Handover:
    """The queue between the parser's thread and the reader of the pieces."""

    def __init__(self) -> None:
        self.queue: queue.Queue[Queued] = queue.Queue(maxsize=QUEUED)
        self.stopped = threading.Event()

    def put(self, item: Queued) -> None:
        """Queue ``item``, waiting for room; ``_Stopped`` when nobody will take it."""
        while not self.stopped.is_set():
            try:
                self.queue.put(item, timeout=0.1)
                return
            except queue.Full:
                continue
        raise _Stopped


class _Markup:
    """The page's markup as the file-like object lxml reads, in UTF-8."""

    def __init__(self, markup: Iterable[str], handover: _Handover) -> None:
        self.markup = iter(markup)
        self.handover = handover
        self.read_so_far = 0  # characters

    def read(self, size: int = -1) -> bytes:
        if self.handover.stopped.is_set():
            raise _Stopped
        for piece in self.markup:
            if piece:
                self.read_so_far += len(piece)
                return piece.encode("utf-8")
        return b""


class _Text:
    """The parser's target: collects the visible text and hands it on in pieces."""

    def __init__(self, handover: _Handover) -> None:
        self.handover = handover
        self.parts: list[str] = []
        self.size = 0
        self.hidden = 0  # depth inside hidden elements

    def start(self, tag: object, attrib: object) -> None:
        if isinstance(tag, str) and tag.lower() in HIDDEN:
            self.hidden += 1

    def end(self, tag: object) -> None:
        name = tag.lower() if isinstance(tag, str) else ""
        if name in HIDDEN:
            self.hidden -= 1
        elif name in BLOCKS and not self.hidden:
            self.data("\n")

    def data(self, text: str) -> None:
        if not self.hidden:
            self.parts.append(text)
            self.size += len(text)
            if self.size >= PIECE:
                self.flush()

    def flush(self) -> None:
        """Hand on the text collected."""
        if self.parts:
            self.handover.put("".join(self.parts))
            self.parts, self.size = [], 0

    def close(self) -> None:
        """Called by the parser at the end of the page."""
        self.flush()


def html_pieces(markup: Iterable[str], path: str) -> Iterator[str]:
    """The page's visible text in pieces; offsets of mentions are offsets in the pieces
    joined. A failure of the markup's reader (a byte not of the encoding) comes out as it
    was raised; one of the parser is a fault naming how far it had read."""
    # Imported by the first page read: a scan of text files only does without it. lxml
    # ships no type hints (mypy override in pyproject.toml).
    import lxml.etree

    handover = _Handover()
    reader = _Markup(markup, handover)
    parser = lxml.etree.HTMLParser(
        target=_Text(handover), encoding="utf-8", remove_comments=True, remove_pis=True
    )

    def parse() -> None:
        try:
            lxml.etree.parse(reader, parser)
            handover.put(None)
        except _Stopped:
            pass
        except (lxml.etree.ParserError, lxml.etree.XMLSyntaxError, ValueError) as exc:
            where = f"character {reader.read_so_far} of the markup"
            failure = SourceError.at(path, where, f"unreadable HTML: {exc}")
            failure.__cause__ = exc
            _put_last(handover, failure)
        except BaseException as exc:  # handed to the reader of the pieces, raised there
            _put_last(handover, exc)

    thread = threading.Thread(target=parse, name=f"html:{path}", daemon=True)
    thread.start()
    try:
        while (item := handover.queue.get()) is not None:
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        handover.stopped.set()
        thread.join()


def _put_last(handover: _Handover, item: BaseException) -> None:
    """Hand on the parser's failure, unless the reader went away."""
    with contextlib.suppress(_Stopped):
        handover.put(item)
