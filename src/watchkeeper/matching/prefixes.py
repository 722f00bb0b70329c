"""Prefix search over the names, aliases and ids of listed subjects: auto-completion, as the
reconciliation API's suggest service needs it ("zawah" finds al-Zawahiri, never a name that
only sounds alike). The name index (``index``) is the wrong tool here: it finds names by
phonetic keys of whole tokens, which is what screening wants and typing does not.

What has been typed matches a name when, normalised (``normalise``: casefolded ASCII, Arabic
script kept), it starts one of the name's words: "al zaw" matches "Ayman al-Zawahiri".
Candidates come from a sorted array of the words of every name: an exact look-up of a word
typed in full, or the range of words that start with the last word typed; each candidate is
then checked against its names. A very short prefix ("a") walks at most ``WALK`` subjects.
"""

from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass

from watchkeeper.matching.names.normalise import normalise
from watchkeeper.matching.subject import Subject

WALK = 5_000  # candidates checked at most per search


@dataclass(frozen=True, slots=True)
class Suggestion:
    """A subject whose ``matched`` name (a name, an alias or its id) starts as typed."""

    subject: Subject
    matched: str
    rank: tuple[int, int, int]
    """Whole name typed, then names that start as typed, then words inside a name; strong
    names before weak aliases; shorter names first."""


class PrefixIndex:
    """Words of the names of listed subjects, sorted, each with the subjects that have it."""

    def __init__(self, subjects: Iterable[Subject]) -> None:
        self._subjects: list[Subject] = []
        postings: dict[str, list[int]] = {}
        for number, subject in enumerate(subjects):
            self._subjects.append(subject)
            words = {word for name in _names(subject) for word in normalise(name).split()}
            for word in words:
                postings.setdefault(word, []).append(number)
        self._words = sorted(postings)
        self._postings = [postings[w] for w in self._words]

    def search(
        self, prefix: str, lists: frozenset[str] | None = None, limit: int = 10, offset: int = 0
    ) -> list[Suggestion]:
        """Subjects with a name that starts as typed (of ``lists`` when given), best first;
        ``offset`` skips as many (the suggest API's ``cursor``)."""
        typed = normalise(prefix)
        if not typed:
            return []
        found: list[Suggestion] = []
        for number in self._candidates(typed.split()):
            subject = self._subjects[number]
            if lists is not None and subject.list_name not in lists:
                continue
            best = _best(subject, typed)
            if best is not None:
                found.append(best)
        found.sort(key=lambda s: (s.rank, s.matched, s.subject.entity_id or ""))
        return found[offset : offset + limit]

    def _candidates(self, words: list[str]) -> list[int]:
        """Numbers of subjects that may match: those with the longest word typed in full
        (every word but the last), else those with a word starting with the last."""
        complete = words[:-1]
        if complete:
            word = max(complete, key=len)
            at = bisect_left(self._words, word)
            if at < len(self._words) and self._words[at] == word:
                return self._postings[at][:WALK]
            return []
        seen: dict[int, None] = {}
        at = bisect_left(self._words, words[-1])
        while at < len(self._words) and self._words[at].startswith(words[-1]):
            seen.update(dict.fromkeys(self._postings[at]))
            if len(seen) >= WALK:
                break
            at += 1
        return list(seen)[:WALK]


def _names(subject: Subject) -> tuple[str, ...]:
    ids = (subject.entity_id,) if subject.entity_id else ()
    return (*subject.names, *subject.weak_names, *ids)


def _best(subject: Subject, typed: str) -> Suggestion | None:
    """The subject's name that matches best, if any does."""
    best: Suggestion | None = None
    strong = len(subject.names)
    for position, name in enumerate(_names(subject)):
        plain = normalise(name)
        if plain == typed:
            where = 0
        elif plain.startswith(typed):
            where = 1
        elif f" {plain}".find(f" {typed}") >= 0:
            where = 2
        else:
            continue
        rank = (where, 0 if position < strong else 1, len(plain))
        if best is None or rank < best.rank:
            best = Suggestion(subject, name, rank)
    return best
