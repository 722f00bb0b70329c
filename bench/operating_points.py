"""Benchmark: recall against false alerts, watchkeeper and logic-v2 at equal false-alert rates.

Each matcher has its own score scale and default threshold, so comparing them at their
defaults compares two operating points. Here each is held to the same false-alert rates
instead: 0.5, 1 and 2 alerted innocent travellers per 1,000 (``false_alerts.py``'s
Arabic-origin travellers, test seed 11, against UN + OFAC), each matcher's threshold found on
the innocents' own scores, and its recall is read there:

* the UN alias hold-out's test half (``un_holdout.py``): Good aliases by name, with the
  person's birth date, and Arabic-script names against a Latin-only list; a hit is the
  person as the first alert (recall@1);
* nomenklatura's entity checks (``entity_checks.load_checks``): the share of match checks
  alerting (and, as a control, of non-match checks).

Both matchers score the same candidates, the index's top 20 per query (``side_by_side``);
the checks are pairs and are scored directly. The default thresholds are reported beside.

    python bench/operating_points.py [--travellers N] [--queries N]
"""

import argparse
import time
from collections import defaultdict
from collections.abc import Iterator
from typing import Any

import entity_checks
import false_alerts
import un_holdout
from paths import publish
from side_by_side import V2_THRESHOLD, Pair, SideBySide, first
from watchkeeper.matching.index import NameIndex
from watchkeeper.matching.screener import Screener

RATES = (0.5, 1.0, 2.0)  # alerted innocent travellers per 1,000
TRAVELLER_SEED = 11  # false_alerts.py's test draw
MATCHERS = {"watchkeeper": False, "logic_v2": True}  # name -> scored by logic-v2
TRACKS = ("good/name", "good/dob", "arabic")
Query = tuple[str, str, list[Pair]]  # track, the person's entity id, the candidates


def best(pairs: list[Pair], v2: bool) -> float:
    """A query's highest score by one matcher (0 without candidates)."""
    found = first(pairs, v2)
    return found[1] if found else 0.0


def innocent_maxima(count: int) -> dict[str, list[float]]:
    """Each innocent traveller's highest score, by matcher."""
    screener = false_alerts.lists_screener()
    screener.prepare_all()
    both = SideBySide(screener)
    listed = both.listed()
    scored = [both.pairs(p, listed) for p in false_alerts.travellers(count, seed=TRAVELLER_SEED)]
    return {m: [best(pairs, v2) for pairs in scored] for m, v2 in MATCHERS.items()}


def threshold_at(maxima: list[float], per_thousand: float) -> float:
    """The lowest threshold at which at most ``per_thousand`` travellers in 1,000 alert."""
    ranked = sorted(maxima, reverse=True)
    allowed = int(per_thousand * len(ranked) / 1000)
    return ranked[allowed] + 1e-6 if allowed < len(ranked) else 0.0


def holdout_queries(limit: int | None) -> Iterator[Query]:
    """The hold-out's test-half queries of ``TRACKS`` with both matchers' candidates; at most
    ``limit`` of each track when given."""
    people = un_holdout.persons()
    test = [p for p in people if un_holdout.half(p.entity_id or "") == "test"]
    both = SideBySide(Screener(NameIndex.build(people)))
    listed = both.listed()
    taken: dict[str, int] = defaultdict(int)
    for person, rest, quality, queries in un_holdout.held_out(test, both.screener.index):
        for given, query in queries:
            track = f"{quality}/{given}"
            if track in TRACKS and (limit is None or taken[track] < limit):
                taken[track] += 1
                yield (
                    track,
                    person.entity_id or "",
                    both.pairs(query, listed | {rest.entity_id or "": rest}),
                )
    latin = SideBySide(Screener(NameIndex.build(un_holdout.latin_only(people))))
    listed = latin.listed()
    for person, query in un_holdout.arabic_queries(test):
        if limit is None or taken["arabic"] < limit:
            taken["arabic"] += 1
            yield "arabic", person.entity_id or "", latin.pairs(query, listed)


def recall(queries: list[Query], track: str, v2: bool, threshold: float) -> float:
    """The share of a track's queries whose first alert is the person."""
    hits = []
    for t, own, pairs in queries:
        if t == track:
            found = first(pairs, v2)
            hits.append(found is not None and found[0] == own and found[1] >= threshold)
    return sum(hits) / max(len(hits), 1)


def check_scores() -> dict[str, list[tuple[float, bool]]]:
    """Each entity check's score and label, by matcher."""
    checks = entity_checks.load_checks()
    scorers = {"watchkeeper": entity_checks.wk, "logic_v2": entity_checks.v2}
    return {
        m: [(scorer(c.schema, c.query, c.candidate), c.match) for c in checks]
        for m, scorer in scorers.items()
    }


def check_alerts(scored: list[tuple[float, bool]], threshold: float) -> dict[str, float]:
    """The share of match and of non-match entity checks alerting at ``threshold``."""
    out = {}
    for label, match in (("match_checks_alerting", True), ("non_match_checks_alerting", False)):
        chosen = [score for score, m in scored if m == match]
        out[label] = round(sum(s >= threshold for s in chosen) / len(chosen), 4)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--travellers", type=int, default=10_000)
    parser.add_argument("--queries", type=int, help="at most this many hold-out queries a track")
    args = parser.parse_args()
    started = time.perf_counter()
    maxima = innocent_maxima(args.travellers)
    queries = list(holdout_queries(args.queries))
    checks = check_scores()
    defaults = {"watchkeeper": Screener(NameIndex.build([])).threshold, "logic_v2": V2_THRESHOLD}
    points: list[dict[str, Any]] = []
    for matcher, v2 in MATCHERS.items():
        targets: list[tuple[str, float]] = [("default", defaults[matcher])]
        targets += [(f"{rate} per 1,000", threshold_at(maxima[matcher], rate)) for rate in RATES]
        for target, threshold in targets:
            alerted = sum(m >= threshold for m in maxima[matcher])
            point = {
                "matcher": matcher,
                "target": target,
                "threshold": round(threshold, 4),
                "false_alerts_per_1000": round(alerted / len(maxima[matcher]) * 1000, 2),
            }
            point |= {t: round(recall(queries, t, v2, threshold), 4) for t in TRACKS}
            points.append(point | check_alerts(checks[matcher], threshold))
    result = {
        "benchmark": "operating_points",
        "travellers": args.travellers,
        "traveller_seed": TRAVELLER_SEED,
        "holdout_queries": {t: sum(q[0] == t for q in queries) for t in TRACKS},
        "points": points,
        "seconds": round(time.perf_counter() - started, 1),
        "date": time.strftime("%Y-%m-%d"),
    }
    publish("operating_points", result, markdown(result))


def markdown(result: dict[str, Any]) -> str:
    """One row per matcher and threshold."""
    counts = result["holdout_queries"]
    lines = [
        f"Recall at equal false-alert rates ({result['travellers']:,} innocent Arabic-origin "
        f"travellers, seed {TRAVELLER_SEED}, vs UN + OFAC; UN hold-out test half, recall@1 as "
        "first alert; nomenklatura entity checks)",
        "",
        "| matcher | target | threshold | false alerts per 1,000 | "
        f"Good by name ({counts['good/name']}) | Good with DOB ({counts['good/dob']}) | "
        f"Arabic script ({counts['arabic']}) | match checks alerting | non-match checks alerting |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for p in result["points"]:
        lines.append(
            f"| {p['matcher']} | {p['target']} | {p['threshold']:.3f} | "
            f"{p['false_alerts_per_1000']:.2f} | {p['good/name']:.3f} | {p['good/dob']:.3f} | "
            f"{p['arabic']:.3f} | {p['match_checks_alerting']:.3f} | "
            f"{p['non_match_checks_alerting']:.3f} |"
        )
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
