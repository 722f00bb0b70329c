"""What a lane declares to read its rule files: predicates and what every rule shares.

A lane's predicates are a ``Vocabulary``; loading a file (``reader.read_rules``) gives one
``Rule`` per rule, its predicate bound to its parameters.
"""

import re
import string
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from watchkeeper.lanes.rulefile.params import SETS, Context, Param, Section

S = TypeVar("S")  # what a predicate looks at: a traveller, a batch of payments
F = TypeVar("F")  # what it finds

MAX_WEIGHT = 100.0


def _no_check(params: Any) -> Iterable[str]:
    return ()


@dataclass(frozen=True, slots=True)
class Predicate(Generic[S, F]):
    """One word of a vocabulary: its name, its parameters, the function, and an example of its
    findings' fields (the fields a reason may use, checked at load time).

    ``make`` builds the function's parameters object from the values read, by parameter
    name (a dataclass whose fields are the parameters serves as is); ``check`` gives the
    faults across parameters (a band whose low end is above its high end). ``scopes`` are
    what the predicate can look at, when the vocabulary has scopes; ``kind`` labels its hits
    for the lane (finance: the report a hit leads to).
    """

    name: str
    params: tuple[Param[Any], ...]
    make: Callable[..., Any]
    find: Callable[[Any, S], list[F]]
    example: Mapping[str, object]
    check: Callable[[Any], Iterable[str]] = _no_check
    scopes: tuple[str, ...] = ()
    kind: str = ""


@dataclass(frozen=True, slots=True)
class Vocabulary(Generic[S, F]):
    """A lane's predicates and what its rule files share.

    ``common`` are the fields every reason can use whatever the predicate (whom a hit is
    about); ``sections`` the top-level mappings a file may have besides ``rules``, read in
    this order; ``scopes``, when given, the values of the ``applies_to`` every rule then
    needs; ``example`` the predicate a fault about ``when`` shows.
    """

    predicates: Mapping[str, Predicate[S, F]]
    common: Mapping[str, object]
    example: str
    sections: tuple[Section[Any], ...] = (SETS,)
    scopes: tuple[str, ...] = ()

    @classmethod
    def of(
        cls,
        predicates: Sequence[Predicate[S, F]],
        common: Mapping[str, object],
        example: str,
        sections: tuple[Section[Any], ...] = (SETS,),
        scopes: tuple[str, ...] = (),
    ) -> "Vocabulary[S, F]":
        """A vocabulary of ``predicates`` in this order (faults list them so), checked."""
        table = {p.name: p for p in predicates}
        assert len(table) == len(predicates), "two predicates share a name"
        assert example in table, f"example predicate {example} is not in the vocabulary"
        for p in predicates:
            assert bool(p.scopes) == bool(scopes) and set(p.scopes) <= set(scopes), p.name
        return cls(table, common, example, sections, scopes)

    @property
    def rule_keys(self) -> tuple[str, ...]:
        """The keys of a rule, in the order faults list them."""
        scope = ("applies_to",) if self.scopes else ()
        return ("id", "description", "weight", *scope, "when", "reason")


@dataclass(frozen=True, slots=True)
class Rule(Generic[S, F]):
    """One loaded rule: its predicate bound to its parameters, ready to run."""

    id: str
    description: str
    weight: float
    predicate: str
    params: object
    reason: str
    line: int
    applies_to: str  # one of the vocabulary's scopes; "" when it has none
    kind: str  # the predicate's
    find: Callable[[S], list[F]] = field(repr=False, compare=False)


@dataclass(frozen=True, slots=True)
class RuleFile(Generic[S, F]):
    """A checked rule file: its rules, its sections (``SETS.of(file.context)``) and the
    ``risk_threshold`` it declares (None when it leaves it to ``Settings.risk_threshold``)."""

    path: str
    rules: tuple[Rule[S, F], ...]
    context: Context
    risk_threshold: float | None = None


def check_reason(reason: str, fields: Mapping[str, object], predicate: str) -> str | None:
    """The fault of a reason template filled with example ``fields``, None when it formats:
    a typo then fails when the file is loaded, not halfway through screening."""
    try:
        names = [name for _, name, _, _ in string.Formatter().parse(reason) if name]
        unknown = [n for n in names if re.split(r"[.\[]", n, maxsplit=1)[0] not in fields]
        if unknown:
            problem = f"reason uses {{{unknown[0]}}}, which {predicate} does not find"
            return f"{problem} (fields: {', '.join(fields)})"
        reason.format_map(fields)
    except (ValueError, TypeError, KeyError, IndexError, AttributeError) as error:
        return f"reason template does not format: {error}"
    return None
