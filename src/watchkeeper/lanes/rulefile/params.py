"""Parameter kinds of rule predicates: how one ``when`` value is read, its default and bounds.

Each kind reads a value the rule gives, or says what stands when the rule leaves it out,
and reports what is wrong through ``fault`` instead of raising, so one load lists every
fault of a file. A faulty value still yields a stand-in (the default, or an empty value)
so that checks across parameters can run and report too; the rule itself is dropped.
"""

import math
from abc import ABC, abstractmethod
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from typing import Generic, NamedTuple, TypeVar, cast

T = TypeVar("T")
V = TypeVar("V")

Fault = Callable[[str], None]
"""Records one problem with a parameter; the reader adds the predicate and the rule's place."""

Context = Mapping[str, object]
"""The file's top-level sections as read, by section name (see ``Section.of``)."""


@dataclass(frozen=True, slots=True)
class Section(Generic[V]):
    """A top-level mapping of a rule file besides ``rules`` (named sets, a rates table):
    read once per file, then seen by every parameter that needs it.

    ``read(value, where, fault)`` gets the section's value (None when the file has none),
    ``where`` ("line N" of its key) and ``fault(position, problem)``.
    """

    name: str
    read: Callable[[object, str, Callable[[str, str], None]], V]

    def of(self, context: Context) -> V:
        """This section's value in a loaded file."""
        return cast(V, context[self.name])


def _read_sets(
    value: object, where: str, fault: Callable[[str, str], None]
) -> Mapping[str, tuple[str, ...]]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        fault(where, "'sets' must map set names to lists of codes")
        return {}
    sets: dict[str, tuple[str, ...]] = {}
    for name, items in value.items():
        if not isinstance(items, list) or not all(isinstance(i, str) and i for i in items):
            fault(f"set '{name}'", "a set is a list of codes (strings)")
        else:
            sets[str(name)] = tuple(items)
    return sets


SETS: Section[Mapping[str, tuple[str, ...]]] = Section("sets", _read_sets)
"""Named lists of codes (``sets: {risk_countries: [SY, IQ]}``) that ``SetOrList`` names."""


class Param(ABC, Generic[T]):
    """One parameter a predicate takes, by name; a subclass says its type, default and bounds."""

    name: str

    def take(self, values: Mapping[str, object], context: Context, fault: Fault) -> T:
        """The value the rule gives for this parameter (null counts as not given)."""
        value = values.get(self.name)
        return self.absent(fault) if value is None else self.read(value, context, fault)

    @abstractmethod
    def absent(self, fault: Fault) -> T:
        """The value when the rule does not give one; a fault when it must."""

    @abstractmethod
    def read(self, value: object, context: Context, fault: Fault) -> T:
        """The value given, checked; a fault and a stand-in when it is wrong."""

    def missing(self, what: str, fault: Fault) -> None:
        fault(f"missing parameter '{self.name}' ({what})")


@dataclass(frozen=True, slots=True)
class Number(Param[float]):
    """A number >= 0 (hours, days); without a default the rule must give it."""

    name: str
    default: float | None = None

    def absent(self, fault: Fault) -> float:
        if self.default is None:
            self.missing("a number", fault)
            return 0.0
        return self.default

    def read(self, value: object, context: Context, fault: Fault) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
            fault(f"parameter '{self.name}' must be a number >= 0, not {value!r}")
            return 0.0
        return float(value)


@dataclass(frozen=True, slots=True)
class Count(Param[int]):
    """A whole number from ``minimum`` up (how many operations make a pattern)."""

    name: str
    default: int
    minimum: int = 0

    def absent(self, fault: Fault) -> int:
        return self.default

    def read(self, value: object, context: Context, fault: Fault) -> int:
        if isinstance(value, int | float) and not isinstance(value, bool):
            if math.isfinite(value) and value == int(value) and value >= self.minimum:
                return int(value)
            shown = f"{value:g}"
        else:
            shown = repr(value)
        fault(f"parameter '{self.name}' must be a whole number >= {self.minimum}, not {shown}")
        return self.default


@dataclass(frozen=True, slots=True)
class Codes(Param[frozenset[str]]):
    """A list of short codes put in one case; ``allowed`` limits them where the set is closed."""

    name: str
    default: Collection[str]
    allowed: tuple[str, ...] | None = None
    case: Callable[[str], str] = str.upper

    def absent(self, fault: Fault) -> frozenset[str]:
        return frozenset(self.default)

    def read(self, value: object, context: Context, fault: Fault) -> frozenset[str]:
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            fault(f"parameter '{self.name}' must be a list of codes, not {value!r}")
            return frozenset(self.default)
        codes = frozenset(self.case(v.strip()) for v in value)
        if self.allowed is not None and not codes <= set(self.allowed):
            wrong = ", ".join(sorted(codes - set(self.allowed)))
            known = ", ".join(self.allowed)
            fault(f"parameter '{self.name}': unknown value {wrong} (allowed: {known})")
        return codes


@dataclass(frozen=True, slots=True)
class Choice(Param[str]):
    """One word of a closed list (a clock, a direction)."""

    name: str
    allowed: tuple[str, ...]
    default: str

    def absent(self, fault: Fault) -> str:
        return self.default

    def read(self, value: object, context: Context, fault: Fault) -> str:
        if value not in self.allowed:
            known = ", ".join(self.allowed)
            fault(f"parameter '{self.name}' must be one of {known}, not {value!r}")
            return self.default
        return value


class Listed(NamedTuple):
    """Codes given by a set name or inline; ``label`` (the set name, or "inline list") lets a
    reason say which list matched."""

    label: str
    codes: frozenset[str]


@dataclass(frozen=True, slots=True)
class SetOrList(Param[Listed | None]):
    """The name of a set of the file's ``sets`` or an inline list, each code checked by
    ``code`` (the code as compared, None when unknown); None when not given.

    ``what`` names a code in faults ("country", "IATA airport"). The vocabulary must read
    ``SETS``.
    """

    name: str
    what: str
    code: Callable[[str], str | None]
    required: bool = False

    def absent(self, fault: Fault) -> Listed | None:
        if self.required:
            self.missing("a set name or a list", fault)
        return None

    def read(self, value: object, context: Context, fault: Fault) -> Listed | None:
        sets = SETS.of(context)
        if isinstance(value, str):
            if value not in sets:
                known = ", ".join(sorted(sets)) or "none"
                fault(f"parameter '{self.name}' names unknown set '{value}' (sets: {known})")
                return Listed(value, frozenset())
            label, items = value, list(sets[value])
        elif isinstance(value, list) and all(isinstance(v, str) for v in value):
            label, items = "inline list", value
        else:
            fault(f"parameter '{self.name}' must be a set name or a list of codes, not {value!r}")
            return None
        codes: set[str] = set()
        for item in items:
            code = self.code(item)
            if code is None:
                fault(f"'{item}' in {label} is not a known {self.what} code")
            else:
                codes.add(code)
        return Listed(label, frozenset(codes))
