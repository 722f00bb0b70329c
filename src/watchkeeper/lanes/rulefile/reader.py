"""Reading a rule file: YAML with line numbers, every fault collected and located.

A bad file raises one ``SourceError`` listing every fault, each naming the file and a place
("rule 'late-cash' (line 3)", "line 6, column 15"), so a person fixes them all in one go.
"""

from collections.abc import Mapping
from functools import partial
from importlib.resources import files
from pathlib import Path
from typing import Any, Generic

import yaml

from watchkeeper.errors import SourceError, SourceIssue
from watchkeeper.lanes.rulefile.vocabulary import (
    MAX_WEIGHT,
    F,
    Predicate,
    Rule,
    RuleFile,
    S,
    Vocabulary,
    check_reason,
)

THRESHOLD = "risk_threshold"
"""The top-level key of the rolled-up risk from which a rule-only finding is worth a look
(``review.risk``); below it, rule hits are context only."""
MAX_THRESHOLD = 3 * MAX_WEIGHT


def rule_file_text(path: str | Path | None, default: str) -> tuple[str, str]:
    """The text of a rule file and the name errors give it; None is the bundled ``default``
    in ``watchkeeper/data``. An unreadable file is a ``SourceError``."""
    if path is None:
        resource = files("watchkeeper").joinpath("data", default)
        return resource.read_text(encoding="utf-8"), str(resource)
    try:
        return Path(path).read_text(encoding="utf-8"), str(path)
    except (OSError, UnicodeDecodeError) as error:
        raise SourceError.at(str(path), "file", f"cannot read: {error}") from error


def read_rules(text: str, path: str, vocabulary: Vocabulary[S, F]) -> RuleFile[S, F]:
    """Check a rule file's text against ``vocabulary``; ``path`` names it in faults.

    Raises ``SourceError`` listing every fault, each naming the file, the rule and line.
    """
    node, data = _parse_yaml(text, path)
    return _Reader(path, node, vocabulary).read(data)


def _parse_yaml(text: str, path: str) -> tuple[yaml.Node | None, object]:
    """The YAML node tree (for line numbers) and the plain data, or a ``SourceError``."""
    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        position = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "file"
        context = error.context or ""
        if context and error.context_mark is not None:  # where the unclosed thing began
            context += f" started on line {error.context_mark.line + 1}"
        problem = ": ".join(filter(None, (context, error.problem)))
        raise SourceError.at(path, position, f"not valid YAML: {problem}") from error
    except yaml.YAMLError as error:
        raise SourceError.at(path, "file", f"not valid YAML: {error}") from error
    finally:
        loader.dispose()
    return node, data


def _duplicate_keys(node: yaml.Node | None) -> list[tuple[int, str]]:
    """Keys repeated in one mapping: YAML keeps the last silently, hiding half a rule."""
    found: list[tuple[int, str]] = []
    if isinstance(node, yaml.MappingNode):
        seen: set[object] = set()
        for key_node, value in node.value:
            if isinstance(key_node, yaml.ScalarNode):
                if key_node.value in seen:
                    found.append((int(key_node.start_mark.line) + 1, str(key_node.value)))
                seen.add(key_node.value)
            found += _duplicate_keys(value)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            found += _duplicate_keys(item)
    return found


class _Reader(Generic[S, F]):
    """Checks one parsed rule file, collecting every fault with its place."""

    def __init__(self, path: str, node: yaml.Node | None, vocabulary: Vocabulary[S, F]) -> None:
        self.path = path
        self.node = node
        self.vocabulary = vocabulary
        self.issues: list[SourceIssue] = []

    def fault(self, position: str, problem: str) -> None:
        issue = SourceIssue(self.path, position, problem)
        if issue not in self.issues:
            self.issues.append(issue)

    def read(self, data: object) -> RuleFile[S, F]:
        for line, key in _duplicate_keys(self.node):
            self.fault(f"line {line}", f"key '{key}' appears twice in one mapping")
        if not isinstance(data, dict):
            raise SourceError.at(self.path, "file", "a rule file is a mapping with 'rules:'")
        known = {section.name for section in self.vocabulary.sections} | {"rules", THRESHOLD}
        for key in sorted(set(data) - known, key=str):
            self.fault(f"line {self._line(key)}", f"unknown top-level key '{key}'")
        context = {
            section.name: section.read(
                data.get(section.name), f"line {self._line(section.name)}", self.fault
            )
            for section in self.vocabulary.sections
        }
        entries = data.get("rules")
        if not isinstance(entries, list) or not entries:
            self.fault(f"line {self._line('rules')}", "'rules' must be a non-empty list")
            entries = []
        threshold = self._threshold(data.get(THRESHOLD)) if THRESHOLD in data else None
        lines = self._rule_lines()
        rules: list[Rule[S, F]] = []
        for index, entry in enumerate(entries):
            line = lines[index] if index < len(lines) else 0
            rule = self._rule(entry, index + 1, line, context, {r.id for r in rules})
            if rule is not None:
                rules.append(rule)
        if self.issues:
            raise SourceError(self.issues)
        return RuleFile(self.path, tuple(rules), context, threshold)

    def _threshold(self, value: object) -> float | None:
        """The file's ``risk_threshold``, a number from 0 to ``MAX_THRESHOLD`` (a typo like
        400 for 40 would make every rule-only finding context, and is refused)."""
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or not 0 <= value <= MAX_THRESHOLD
        ):
            self.fault(
                f"line {self._line(THRESHOLD)}",
                f"'{THRESHOLD}' must be a number from 0 to {MAX_THRESHOLD:.0f}, not {value!r}",
            )
            return None
        return float(value)

    def _rule(
        self, entry: object, number: int, line: int, context: Mapping[str, object], ids: set[str]
    ) -> Rule[S, F] | None:
        if not isinstance(entry, dict):
            self.fault(f"rule #{number} (line {line})", "a rule is a mapping of id, when, ...")
            return None
        rule_id = entry.get("id")
        where = f"rule '{rule_id}' (line {line})" if rule_id else f"rule #{number} (line {line})"
        before = len(self.issues)
        self._check_fields(entry, where, ids)
        scopes = self.vocabulary.scopes
        scope = entry.get("applies_to", "")
        if scopes and "applies_to" in entry and scope not in scopes:
            allowed = " or ".join(scopes)
            self.fault(where, f"'applies_to' must be {allowed}, not {scope!r}")
        predicate, params = (
            self._when(entry.get("when"), where, context) if "when" in entry else (None, None)
        )
        if predicate is not None and scope in scopes and scope not in predicate.scopes:
            allowed = " or ".join(predicate.scopes)
            self.fault(where, f"{predicate.name} applies to {allowed}, not {scope}")
        reason = entry.get("reason")
        if predicate is not None and isinstance(reason, str):
            fields = {**self.vocabulary.common, **predicate.example}
            problem = check_reason(reason, fields, predicate.name)
            if problem is not None:
                self.fault(where, problem)
        if len(self.issues) > before or predicate is None:
            return None
        return Rule(
            id=entry["id"],
            description=entry["description"],
            weight=float(entry["weight"]),
            predicate=predicate.name,
            params=params,
            reason=entry["reason"],
            line=line,
            applies_to=scope,
            kind=predicate.kind,
            find=partial(predicate.find, params),
        )

    def _check_fields(self, entry: dict[str, Any], where: str, ids: set[str]) -> None:
        """The checks of every rule: its id (present, unique), its keys (none missing, none
        unknown), its texts and its weight (0 to ``MAX_WEIGHT``)."""
        keys = self.vocabulary.rule_keys
        rule_id = entry.get("id")
        if not isinstance(rule_id, str) or not rule_id.strip():
            self.fault(where, "missing 'id' (a non-empty string)")
        elif rule_id in ids:
            self.fault(where, f"id '{rule_id}' is used by an earlier rule")
        for key in keys:
            if key not in entry:
                self.fault(where, f"missing '{key}'")
        for key in sorted(set(entry) - set(keys), key=str):
            self.fault(where, f"unknown key '{key}' (a rule has: {', '.join(keys)})")
        for key in ("description", "reason"):
            text = entry.get(key)
            if key in entry and (not isinstance(text, str) or not text.strip()):
                self.fault(where, f"'{key}' must be a non-empty string")
        weight = entry.get("weight")
        if "weight" in entry and (
            isinstance(weight, bool)
            or not isinstance(weight, int | float)
            or not 0 <= weight <= MAX_WEIGHT
        ):
            self.fault(
                where, f"'weight' must be a number from 0 to {MAX_WEIGHT:.0f}, not {weight!r}"
            )

    def _when(
        self, when: object, where: str, context: Mapping[str, object]
    ) -> tuple[Predicate[S, F] | None, object]:
        """The rule's predicate and its parameters, or None with the faults recorded."""
        if not isinstance(when, dict) or len(when) != 1:
            example = f"when: {{{self.vocabulary.example}: {{}}}}"
            self.fault(where, f"'when' must hold exactly one predicate, e.g. {example}")
            return None, None
        ((name, values),) = when.items()
        predicates = self.vocabulary.predicates
        predicate = predicates.get(name)
        if predicate is None:
            self.fault(where, f"unknown predicate '{name}' (known: {', '.join(predicates)})")
            return None, None
        if values is None:
            values = {}
        if not isinstance(values, dict):
            self.fault(where, f"{name}: parameters must be a mapping, not {values!r}")
            return None, None
        problems: list[str] = []
        read = {p.name: p.take(values, context, problems.append) for p in predicate.params}
        params = predicate.make(**read)
        problems += predicate.check(params)
        declared = {p.name for p in predicate.params}
        problems += [
            f"unknown parameter '{key}'" for key in sorted(set(values) - declared, key=str)
        ]
        for problem in problems:
            self.fault(where, f"{name}: {problem}")
        return (predicate, params) if not problems else (None, None)

    def _line(self, key: str) -> int:
        """Line of a top-level key, for faults outside any rule."""
        if isinstance(self.node, yaml.MappingNode):
            for key_node, _ in self.node.value:
                if key_node.value == key:
                    return int(key_node.start_mark.line) + 1
        return 1

    def _rule_lines(self) -> list[int]:
        if isinstance(self.node, yaml.MappingNode):
            for key_node, value in self.node.value:
                if key_node.value == "rules" and isinstance(value, yaml.SequenceNode):
                    return [int(item.start_mark.line) + 1 for item in value.value]
        return []
