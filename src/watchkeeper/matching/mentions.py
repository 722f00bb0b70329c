"""Listed names inside free text (payment remittance lines, later whole documents).

Screening every span of a text as a name would cost a screening per span. Instead a span of
two to ``MAX_WORDS`` words is screened only when at least two of its name keys are posted in
the index (so it could be a listed name at all); the hits that reach the threshold are
kept, the best one for each stretch of text.
"""

import re
from dataclasses import dataclass

from watchkeeper.matching.index import NameIndex, name_slots
from watchkeeper.matching.score import PRESETS
from watchkeeper.matching.screener import Hit, Screener
from watchkeeper.matching.subject import Subject

MAX_WORDS = 5  # listed names rarely run longer; a longer span is two names or a sentence
MIN_KEYS = 2  # one shared key is any common first name
_WORD = re.compile("[^\\W\\d_][\\w'\u2019\u2018-]*")  # letters, then apostrophes and hyphens too


@dataclass(frozen=True, slots=True)
class Mention:
    """A stretch of text that names a listed entity: where, what, and the hit."""

    start: int
    end: int
    text: str
    hit: Hit


def mentions(
    text: str, index: NameIndex, threshold: float = PRESETS["strict"], schema: str = "LegalEntity"
) -> list[Mention]:
    """Listed entities named in ``text``, in reading order, overlapping spans resolved in
    favour of the higher score. The threshold is the strict preset by default: a span of
    free text is not a name field, and ordinary words ("import of") must not pass for one."""
    matcher = Screener(index, threshold)
    words = [(m.start(), m.end()) for m in _WORD.finditer(text)]
    found: list[Mention] = []
    seen: set[str] = set()
    for first in range(len(words)):
        for last in range(first + 1, min(first + MAX_WORDS, len(words))):
            start, end = words[first][0], words[last][1]
            span = text[start:end]
            if span in seen:
                continue
            seen.add(span)
            slots = name_slots(span)
            if sum(any(index.knows(key) for key in slot) for slot in slots) < MIN_KEYS:
                continue
            hits = matcher.screen(Subject(schema, (span,)), limit=1)
            if hits:
                found.append(Mention(start, end, span, hits[0]))
    return _best(found)


def _best(found: list[Mention]) -> list[Mention]:
    """Non-overlapping mentions, the best score first; returned in reading order."""
    kept: list[Mention] = []
    for mention in sorted(found, key=lambda m: (-m.hit.score, m.start)):
        if all(mention.end <= k.start or mention.start >= k.end for k in kept):
            kept.append(mention)
    return sorted(kept, key=lambda m: m.start)
