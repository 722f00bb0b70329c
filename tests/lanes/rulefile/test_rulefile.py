"""The rule-file engine on its own: a made-up vocabulary over lists of numbers."""

from collections.abc import Callable, Mapping
from dataclasses import dataclass

import pytest

from watchkeeper.errors import SourceError
from watchkeeper.lanes.rulefile import (
    SETS,
    Choice,
    Codes,
    Context,
    Count,
    Fault,
    Listed,
    Number,
    Param,
    Predicate,
    Section,
    SetOrList,
    Vocabulary,
    check_reason,
    read_rules,
)


@dataclass(frozen=True)
class Above:
    limit: float
    unit: str = "m"
    mode: str = "any"


def above(params: Above, numbers: list[float]) -> list[dict[str, object]]:
    """Each number over the limit."""
    return [{"value": n, "limit": params.limit} for n in numbers if n > params.limit]


@dataclass(frozen=True)
class Band:
    low: float
    high: float


def band(params: Band, numbers: list[float]) -> list[dict[str, object]]:
    return [{"value": n} for n in numbers if params.low <= n < params.high]


def _read_units(
    value: object, where: str, fault: Callable[[str, str], None]
) -> Mapping[str, float]:
    if value is not None and not isinstance(value, dict):
        fault(where, "'units' must map unit names to factors")
        return {}
    return value or {}


UNITS: Section[Mapping[str, float]] = Section("units", _read_units)


@dataclass(frozen=True)
class Unit(Param[str]):
    """A lane's own parameter kind: a unit the file's ``units`` section defines."""

    name: str = "unit"

    def absent(self, fault: Fault) -> str:
        return "m"

    def read(self, value: object, context: Context, fault: Fault) -> str:
        if value not in UNITS.of(context):
            fault(f"parameter 'unit': no unit {value!r}")
        return str(value)


def _first_letter(code: str) -> str | None:
    return code.upper() if len(code) == 1 and code.isalpha() else None


def _ordered(params: Band) -> list[str]:
    return ["'low' must be below 'high'"] if params.low >= params.high else []


VOCABULARY: Vocabulary[list[float], dict[str, object]] = Vocabulary.of(
    [
        Predicate(
            "above",
            (Number("limit"), Unit(), Choice("mode", ("any", "all"), "any")),
            Above,
            above,
            {"value": 12.5, "limit": 10.0},
            scopes=("reading",),
        ),
        Predicate(
            "band",
            (Number("low", 0.0), Number("high")),
            Band,
            band,
            {"value": 3.0},
            check=_ordered,
            scopes=("reading", "series"),
        ),
    ],
    common={"sensor": "S-1"},
    example="band",
    sections=(UNITS, SETS),
    scopes=("reading", "series"),
)

GOOD = """\
units: {m: 1, cm: 0.01}
rules:
  - id: high
    description: a reading over 10
    weight: 5
    applies_to: reading
    when:
      above: {limit: 10, unit: cm}
    reason: "{sensor}: {value} over {limit:g}"
"""


def faults(text: str) -> list[tuple[str, str]]:
    with pytest.raises(SourceError) as caught:
        read_rules(text, "made-up.yml", VOCABULARY)
    assert {issue.path for issue in caught.value.issues} == {"made-up.yml"}
    return [(issue.position, issue.problem) for issue in caught.value.issues]


def test_a_good_file_gives_rules_bound_to_their_parameters() -> None:
    loaded = read_rules(GOOD, "made-up.yml", VOCABULARY)
    (rule,) = loaded.rules
    assert (rule.id, rule.weight, rule.applies_to, rule.line) == ("high", 5.0, "reading", 3)
    assert rule.params == Above(10.0, "cm", "any")
    assert rule.find([3, 12.5, 40]) == [
        {"value": 12.5, "limit": 10.0},
        {"value": 40, "limit": 10.0},
    ]
    assert UNITS.of(loaded.context) == {"m": 1, "cm": 0.01}
    assert SETS.of(loaded.context) == {}


def test_a_risk_threshold_is_read_with_the_rules() -> None:
    assert read_rules(GOOD, "made-up.yml", VOCABULARY).risk_threshold is None
    loaded = read_rules("risk_threshold: 35\n" + GOOD, "made-up.yml", VOCABULARY)
    assert loaded.risk_threshold == 35.0


@pytest.mark.parametrize(
    ("value", "shown"),
    [("forty", "'forty'"), ("-5", "-5"), ("400", "400"), ("true", "True"), ("[40]", "[40]")],
)
def test_a_bad_risk_threshold_is_a_fault_on_its_line(value: str, shown: str) -> None:
    text = GOOD + f"risk_threshold: {value}\n"
    assert faults(text) == [
        ("line 10", f"'risk_threshold' must be a number from 0 to 300, not {shown}")
    ]


def test_every_fault_of_a_file_at_once_with_its_line() -> None:
    text = """\
units: {m: 1}
colour: blue
rules:
  - id: high
    description: a reading over 10
    weight: 5
    weight: 6
    applies_to: reading
    when: {above: {limit: ten, unit: km, mode: most, scale: 2}}
    reason: "{value}"
  - id: low
    weight: 500
    applies_to: series
    when: {below: {limit: 1}}
  - id: window
    description: a band
    weight: 1
    applies_to: reading
    when: {band: {low: 5, high: 2}}
    reason: "{value}"
  - id: hourly
    description: all
    weight: 1
    applies_to: hourly
    when: {above: {limit: 1}}
    reason: "{valeu} at {sensor}"
"""
    assert faults(text) == [
        ("line 7", "key 'weight' appears twice in one mapping"),
        ("line 2", "unknown top-level key 'colour'"),
        ("rule 'high' (line 4)", "above: parameter 'limit' must be a number >= 0, not 'ten'"),
        ("rule 'high' (line 4)", "above: parameter 'unit': no unit 'km'"),
        ("rule 'high' (line 4)", "above: parameter 'mode' must be one of any, all, not 'most'"),
        ("rule 'high' (line 4)", "above: unknown parameter 'scale'"),
        ("rule 'low' (line 11)", "missing 'description'"),
        ("rule 'low' (line 11)", "missing 'reason'"),
        ("rule 'low' (line 11)", "'weight' must be a number from 0 to 100, not 500"),
        (
            "rule 'low' (line 11)",
            "unknown predicate 'below' (known: above, band)",
        ),
        ("rule 'window' (line 15)", "band: 'low' must be below 'high'"),
        ("rule 'hourly' (line 21)", "'applies_to' must be reading or series, not 'hourly'"),
        (
            "rule 'hourly' (line 21)",
            "reason uses {valeu}, which above does not find (fields: sensor, value, limit)",
        ),
    ]


def test_rule_shape_faults() -> None:
    text = """\
rules:
  - just text
  - description: no id
    weight: 1
    applies_to: series
    when: {above: {limit: 1}}
    reason: "{value}"
    colour: red
  - id: two
    description: x
    weight: 1
    applies_to: reading
    when: {band: {high: 2}, above: {limit: 1}}
    reason: "{value}"
"""
    assert faults(text) == [
        ("rule #1 (line 2)", "a rule is a mapping of id, when, ..."),
        ("rule #2 (line 3)", "missing 'id' (a non-empty string)"),
        ("rule #2 (line 3)", "missing 'id'"),
        (
            "rule #2 (line 3)",
            "unknown key 'colour' (a rule has: id, description, weight, applies_to, when, reason)",
        ),
        ("rule #2 (line 3)", "above applies to reading, not series"),
        (
            "rule 'two' (line 9)",
            "'when' must hold exactly one predicate, e.g. when: {band: {}}",
        ),
    ]


def test_an_id_used_by_an_earlier_rule() -> None:
    again = GOOD.split("rules:\n")[1].replace("limit: 10", "limit: 20")
    assert faults(GOOD + again) == [
        ("rule 'high' (line 10)", "id 'high' is used by an earlier rule")
    ]


def test_parameter_keys_of_mixed_types_are_faults_not_a_crash() -> None:
    text = GOOD.replace("unit: cm}", "unit: cm, 3: 4}")
    assert faults(text) == [("rule 'high' (line 3)", "above: unknown parameter '3'")]


def test_a_yaml_syntax_error_names_line_and_column() -> None:
    assert faults(GOOD.replace("weight: 5", "weight: [5")) == [
        (
            "line 6, column 15",
            "not valid YAML: while parsing a flow sequence started on line 5: "
            "expected ',' or ']', but got ':'",
        )
    ]


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("", "a rule file is a mapping with 'rules:'"),
        ("rules: []", "'rules' must be a non-empty list"),
        ("units: 3\nrules: []", "'units' must map unit names to factors"),
    ],
)
def test_file_shape_faults(text: str, problem: str) -> None:
    assert problem in [p for _, p in faults(text)]


@pytest.mark.parametrize(
    ("reason", "problem"),
    [
        ("{sensor}: {value:.1f}", None),
        ("{value.real} {sensor[0]}", None),
        ("{valeu}", "reason uses {valeu}, which above does not find (fields: sensor, value)"),
        ("{0}", "reason uses {0}, which above does not find (fields: sensor, value)"),
        ("{sensor:.1f}", "reason template does not format: Unknown format code 'f' for object"),
        ("{value", "reason template does not format: expected '}' before end of string"),
        ("{sensor.name}", "reason template does not format: 'str' object has no attribute"),
    ],
)
def test_reason_templates_are_filled_with_the_example(reason: str, problem: str | None) -> None:
    found = check_reason(reason, {"sensor": "S-1", "value": 12.5}, "above")
    if problem is None:
        assert found is None
    else:
        assert found is not None and found.startswith(problem)


@pytest.mark.parametrize(
    ("param", "value", "expected", "problem"),
    [
        (Number("days"), None, 0.0, "missing parameter 'days' (a number)"),
        (Number("days", 7.0), None, 7.0, None),
        (Number("days"), 3, 3.0, None),
        (Number("days"), -1, 0.0, "parameter 'days' must be a number >= 0, not -1"),
        (Number("days"), True, 0.0, "parameter 'days' must be a number >= 0, not True"),
        (Count("count", 3, minimum=2), 4, 4, None),
        (Count("count", 3, minimum=2), 1.5, 3, "must be a whole number >= 2, not 1.5"),
        (Count("count", 3, minimum=2), float("inf"), 3, "must be a whole number >= 2, not inf"),
        (Count("count", 3, minimum=2), "x", 3, "must be a whole number >= 2, not 'x'"),
        (Codes("via", ("a",), ("a", "b"), str.lower), ["A", " b "], frozenset("ab"), None),
        (Codes("via", ("a",), ("a", "b")), ["c"], frozenset("C"), "unknown value C (allowed:"),
        (Codes("via", ("a",)), "a", frozenset("a"), "must be a list of codes, not 'a'"),
        (
            SetOrList("at", "letter", _first_letter),
            ["x", "y"],
            Listed("inline list", {"X", "Y"}),
            None,
        ),
        (SetOrList("at", "letter", _first_letter), "vowels", Listed("vowels", {"A", "E"}), None),
        (
            SetOrList("at", "letter", _first_letter),
            "odd",
            Listed("odd", frozenset()),
            "unknown set",
        ),
        (
            SetOrList("at", "letter", _first_letter),
            ["x", "yy"],
            Listed("inline list", {"X"}),
            "'yy' in inline list is not a known letter code",
        ),
        (
            SetOrList("at", "letter", _first_letter, required=True),
            None,
            None,
            "missing parameter 'at' (a set name or a list)",
        ),
        (
            SetOrList("at", "letter", _first_letter),
            5,
            None,
            "must be a set name or a list of codes",
        ),
    ],
)
def test_parameter_kinds(
    param: Param[object], value: object, expected: object, problem: str | None
) -> None:
    problems: list[str] = []
    context = {SETS.name: {"vowels": ("a", "e")}}
    got = param.take({} if value is None else {param.name: value}, context, problems.append)
    assert got == expected
    if problem is None:
        assert problems == []
    else:
        (found,) = problems
        assert problem in found
