"""The visible text of an HTML page: scripts, styles and comments dropped, a line break
after each block element so that names in two paragraphs never run together."""

import lxml.etree  # lxml ships no type hints (mypy override in pyproject.toml)
import lxml.html

from watchkeeper.errors import SourceError

HIDDEN = frozenset({"script", "style", "noscript", "template", "head"})
BLOCKS = frozenset(
    {
        "p", "div", "br", "li", "ul", "ol", "tr", "td", "th", "table", "h1", "h2", "h3",
        "h4", "h5", "h6", "section", "article", "header", "footer", "blockquote", "pre",
        "title", "dt", "dd", "figcaption", "hr",
    }
)  # fmt: skip


def html_text(data: bytes, path: str) -> str:
    """The page's text; offsets of mentions are offsets in this string."""
    try:
        root = lxml.html.document_fromstring(data)
    except (lxml.etree.ParserError, ValueError) as exc:
        raise SourceError.at(path, "document", f"unreadable HTML: {exc}") from exc
    parts: list[str] = []
    _walk(root, parts)
    return "".join(parts).strip()


def _walk(node: lxml.html.HtmlElement, parts: list[str]) -> None:
    tag = node.tag if isinstance(node.tag, str) else ""
    if tag.lower() not in HIDDEN and tag:
        if node.text:
            parts.append(node.text)
        for child in node:
            _walk(child, parts)
        if tag.lower() in BLOCKS:
            parts.append("\n")
    if node.tail:
        parts.append(node.tail)
