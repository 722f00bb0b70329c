"""Public check sets no weight was fitted on: logic-wk against logic-v2 in the same process.

- OpenSanctions' entity checks (``nomenklatura/checks.yml``: a query and a candidate entity,
  labelled match or not): accuracy at each matcher's default threshold, on all checks and on
  the checks whose name pair is in the name bench's test half (``name_bench.Case.dev``).
- Watchman's cross-script pairs (``watchman/cross_script_pairs.csv``, all the same person):
  how many alert.
- ``putin_names.txt``: each spelling against the listed "PUTIN, Vladimir Vladimirovich" (share
  alerting) and, as a control, against four other listed persons, two of them his daughters
  (OFAC-listed, sharing his patronymic): alerts there are false.
- The checks and the cross-script pairs through watchkeeper's whole screener: each
  candidate (each expected listed name) is listed among the UN and OFAC SDN lists and the
  query screened, so a candidate that retrieval does not find among 40,000 listed entities
  counts as not alerting. (logic-v2 has no candidate retrieval of its own in this process:
  yente's is an Elasticsearch index.)

Results go to bench/results/entity_checks.{json,md}.

    python bench/entity_checks.py
"""

import csv
import itertools
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from typing import Any

import yaml
from followthemoney import EntityProxy, model
from nomenklatura.matching import LogicV2, ScoringConfig

from false_alerts import lists_screener
from name_bench import NK_THRESHOLD, Case, load_cases
from paths import RESULTS, SHARED
from watchkeeper.matching.names.normalise import normalise
from watchkeeper.matching.score import PRESETS, LogicWK
from watchkeeper.matching.screener import CANDIDATES, Screener
from watchkeeper.matching.subject import Subject

CHECKS = SHARED / "name_matching" / "nomenklatura" / "checks.yml"
CROSS_SCRIPT = SHARED / "name_matching" / "watchman" / "cross_script_pairs.csv"
PUTIN_NAMES = SHARED / "name_matching" / "nomenklatura" / "putin_names.txt"
PUTIN = "PUTIN, Vladimir Vladimirovich"
# Listed persons (OFAC SDN) a Putin spelling must not alert on: his two daughters share his
# patronymic, the others are listed Russian-speaking leaders.
CONTROLS = (
    "TIKHONOVA, Katerina Vladimirovna",
    "VORONTSOVA, Maria Vladimirovna",
    "MEDVEDEV, Dmitry Anatolyevich",
    "LUKASHENKO, Alexander Grigoryevich",
)
NAME_PARTS = ("firstName", "fatherName", "middleName", "lastName")
Props = dict[str, list[str]]


@dataclass(frozen=True, slots=True)
class Check:
    """One entity check: two entities' properties and whether they are the same."""

    schema: str
    query: Props
    candidate: Props
    match: bool
    label: str | None


def _props(raw: dict[str, Any]) -> Props:
    return {k: [str(x) for x in (v if isinstance(v, list) else [v])] for k, v in raw.items()}


def load_checks() -> list[Check]:
    """The entity checks of ``checks.yml``."""
    with CHECKS.open(encoding="utf-8") as handle:
        raw = yaml.safe_load(handle)["checks"]
    return [
        Check(c["schema"], _props(c["query"]), _props(c["candidate"]), c["match"], c.get("label"))
        for c in raw
    ]


def names_of(props: Props) -> tuple[str, ...]:
    """The entity's names; parts only (first, father, middle, last) make one in that order,
    as FollowTheMoney's caption does."""
    if props.get("name"):
        return tuple(props["name"])
    parts = [v for part in NAME_PARTS for v in props.get(part, [])]
    return (" ".join(parts),) if parts else ()


def subject_of(schema: str, props: Props) -> Subject:
    """A check's entity as a watchkeeper subject, read from FtM as the API reads a query."""
    return Subject.from_entity(entity_of(schema, props, "check"))


def entity_of(schema: str, props: Props, entity_id: str) -> EntityProxy:
    """A check's entity as a FollowTheMoney entity for logic-v2."""
    entity = model.make_entity(schema)
    entity.id = entity_id
    for prop, values in props.items():
        for value in values:
            entity.add(prop, value, quiet=True)
    return entity


Scorer = Callable[[str, Props, Props], float]


def wk(schema: str, query: Props, candidate: Props) -> float:
    """logic-wk's score."""
    return LogicWK.compare(subject_of(schema, query), subject_of(schema, candidate)).score


_CONFIG = ScoringConfig.defaults()
_PAIRS = itertools.count()


def v2(schema: str, query: Props, candidate: Props) -> float:
    """logic-v2's score (each pair gets new entity ids: nomenklatura caches by id)."""
    pair = next(_PAIRS)
    q, r = entity_of(schema, query, f"q{pair}"), entity_of(schema, candidate, f"r{pair}")
    score: float = LogicV2.compare(q, r, _CONFIG).score
    return score


SCORERS: dict[str, tuple[Scorer, float]] = {
    LogicWK.NAME: (wk, PRESETS["balanced"]),
    LogicV2.NAME: (v2, NK_THRESHOLD),
}


def test_half_checks(checks: list[Check], cases: list[Case]) -> list[bool]:
    """For each check, whether its name pair is a test-half case of the name bench."""
    test = {(c.name1, c.name2) for c in cases if not c.dev}
    return [
        any((q, r) in test for q in names_of(c.query) for r in names_of(c.candidate))
        for c in checks
    ]


def run_checks(checks: list[Check], in_test: list[bool]) -> dict[str, Any]:
    """Accuracy of each matcher on all checks and on the test-half subset, with misses."""
    out: dict[str, Any] = {"checks": len(checks), "test_half": sum(in_test)}
    for name, (scorer, threshold) in SCORERS.items():
        scores = [scorer(c.schema, c.query, c.candidate) for c in checks]
        right = [(s >= threshold) == c.match for s, c in zip(scores, checks, strict=True)]
        subset = [r for r, t in zip(right, in_test, strict=True) if t]
        out[name] = {
            "threshold": threshold,
            "accuracy": round(sum(right) / len(right), 4),
            "accuracy_test_half": round(sum(subset) / max(len(subset), 1), 4),
            "wrong": [
                {"query": names_of(c.query), "candidate": names_of(c.candidate),
                 "match": c.match, "score": round(s, 3)}
                for c, s, r in zip(checks, scores, right, strict=True) if not r
            ],
        }  # fmt: skip
    return out


def load_cross_script() -> list[tuple[str, str]]:
    """Watchman's (query, expected listed name) pairs."""
    with CROSS_SCRIPT.open(encoding="utf-8") as handle:
        rows = csv.reader(line for line in handle if line.strip() and not line.startswith("#"))
        return [(row[0], row[1]) for row in rows]


def alerting(pairs: Iterable[tuple[str, str]], same: bool = True) -> dict[str, Any]:
    """For each matcher, how many of these Person name pairs alert, with the misses (pairs
    of one person, ``same``) or the alerts (pairs of different people) listed."""
    pairs = list(pairs)
    out: dict[str, Any] = {"pairs": len(pairs)}
    for name, (scorer, threshold) in SCORERS.items():
        scores = [scorer("Person", {"name": [q]}, {"name": [r]}) for q, r in pairs]
        out[name] = {
            "alert": sum(s >= threshold for s in scores),
            "missed" if same else "alerts": [
                {"query": q, "listed": r, "score": round(s, 3)}
                for (q, r), s in zip(pairs, scores, strict=True) if (s < threshold) == same
            ],
        }  # fmt: skip
    return out


def screened(screener: Screener, query: Subject, listed: Subject, same: bool) -> bool:
    """Whether ``listed``, added to the screener's lists, alerts when ``query`` is screened
    (among the first ``CANDIDATES`` alerts); for a pair of one person (``same``), an alert
    on an entity already listed under the same name counts too (a real listing of Bashar
    al-Assad ties with the check's, and either alert is right). The lists are left as they
    were."""
    listed = replace(listed, entity_id="check-candidate", list_name="check")
    names = {_words(n) for n in listed.names}
    screener.index.add(listed)
    try:
        hits = screener.screen(query, limit=CANDIDATES)
    finally:
        screener.index.remove("check-candidate")
    return any(h.entity_id == "check-candidate" or (same and _words(h.name) in names) for h in hits)


def _words(name: str) -> tuple[str, ...]:
    """A name's normalised words in order of the alphabet: "AL-ASSAD, Bashar" is "Bashar
    al-Assad"."""
    return tuple(sorted(normalise(name).split()))


def through_screener(checks: list[Check], cross: list[tuple[str, str]]) -> dict[str, Any]:
    """The checks' accuracy and the cross-script pairs alerting through the whole screener,
    each candidate listed among UN + OFAC SDN (2021)."""
    screener = lists_screener()
    right = [
        screened(
            screener, subject_of(c.schema, c.query), subject_of(c.schema, c.candidate), c.match
        )
        == c.match
        for c in checks
    ]
    alert = [
        screened(screener, Subject("Person", (q,)), Subject("Person", (r,)), True) for q, r in cross
    ]
    return {
        "lists": "UN + OFAC SDN (2021)",
        "checks_accuracy": round(sum(right) / len(right), 4),
        "checks_wrong": [
            {"query": names_of(c.query), "candidate": names_of(c.candidate), "match": c.match}
            for c, r in zip(checks, right, strict=True) if not r
        ],
        "cross_script_alert": sum(alert),
        "cross_script_missed": [p for p, a in zip(cross, alert, strict=True) if not a],
    }  # fmt: skip


def main() -> None:
    """Run every set and write the results."""
    checks = load_checks()
    cross = load_cross_script()
    results: dict[str, Any] = {
        "checks": run_checks(checks, test_half_checks(checks, load_cases())),
        "cross_script": alerting(cross),
        "screener": through_screener(checks, cross),
    }
    putin = [line.strip() for line in PUTIN_NAMES.open(encoding="utf-8") if line.strip()]
    results["putin"] = alerting((name, PUTIN) for name in putin)
    results["putin_control"] = alerting(((n, c) for n in putin for c in CONTROLS), same=False)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "entity_checks.json").write_text(json.dumps(results, indent=2, ensure_ascii=False))
    (RESULTS / "entity_checks.md").write_text(markdown(results))
    print(markdown(results))


def markdown(results: dict[str, Any]) -> str:
    """The short table of the figures."""
    checks, cross = results["checks"], results["cross_script"]
    putin, control = results["putin"], results["putin_control"]
    lines = [
        "| set | logic-wk | logic-v2 |",
        "| --- | --- | --- |",
    ]
    wk_name, v2_name = LogicWK.NAME, LogicV2.NAME
    lines.append(
        f"| checks.yml, {checks['checks']} checks, accuracy | {checks[wk_name]['accuracy']:.3f} "
        f"| {checks[v2_name]['accuracy']:.3f} |"
    )
    lines.append(
        f"| checks.yml, {checks['test_half']} in the name bench's test half, accuracy | "
        f"{checks[wk_name]['accuracy_test_half']:.3f} | "
        f"{checks[v2_name]['accuracy_test_half']:.3f} |"
    )
    lines.append(
        f"| cross-script pairs alerting (of {cross['pairs']}) | {cross[wk_name]['alert']} | "
        f"{cross[v2_name]['alert']} |"
    )
    screener = results["screener"]
    lines.append(
        f"| checks.yml through the whole screener, each candidate listed among "
        f"{screener['lists']}, accuracy | {screener['checks_accuracy']:.3f} | |"
    )
    lines.append(
        f"| cross-script pairs alerting through the whole screener (of {cross['pairs']}) | "
        f"{screener['cross_script_alert']} | |"
    )
    lines.append(
        f"| Putin spellings alerting (of {putin['pairs']}) | "
        f"{putin[wk_name]['alert'] / putin['pairs']:.1%} | "
        f"{putin[v2_name]['alert'] / putin['pairs']:.1%} |"
    )
    lines.append(
        f"| Putin spellings against 4 other listed persons, alerts (of {control['pairs']}) | "
        f"{control[wk_name]['alert']} | {control[v2_name]['alert']} |"
    )
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
