"""Benchmark and false-merge check for ``keys.key`` on the UN consolidated list.

Over every distinct Latin name token of the UN list (names and aliases of the listed
entities): the number of tokens and of keys, the largest key groups (to judge merges by
eye), the merged pairs that look least alike (rapidfuzz ratio of the tokens below 50: the
suspect merges), and microseconds per key, uncached and cached. A second check uses the
Arabic side of the Wikidata token list: Latin tokens with one key but different Arabic
spellings are false-merge candidates. Figures go to bench/results/name_keys.{json,md}.

    python bench/name_keys.py
"""

import json
import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from itertools import combinations

from rapidfuzz import fuzz

from paths import RESULTS, UN_LIST, WIKIDATA
from watchkeeper.matching.names.keys import key
from watchkeeper.matching.names.normalise import Role, analyse
from watchkeeper.sources.un_xml import UnXmlSource

SUSPECT_RATIO = 50.0  # token pairs this unlike, sharing a key, are suspect merges


def un_tokens() -> set[str]:
    """Distinct normalised Latin name tokens (name parts only) of the UN list."""
    found: set[str] = set()
    for record in UnXmlSource(UN_LIST).records():
        for name in record.entity.get("name") + record.entity.get("alias"):
            parts = analyse(name).parts
            found.update(p.text for p in parts if p.role is Role.NAME and p.text.isascii())
    return found


def groups(tokens: Iterable[str]) -> dict[str, list[str]]:
    """Tokens grouped by key, each group sorted."""
    out: defaultdict[str, list[str]] = defaultdict(list)
    for token in sorted(tokens):
        out[key(token)].append(token)
    return dict(out)


def suspects(grouped: dict[str, list[str]]) -> list[tuple[str, str, str, float]]:
    """Pairs within a key group whose spellings are least alike, worst first."""
    pairs = [
        (k, a, b, fuzz.ratio(a, b))
        for k, members in grouped.items()
        for a, b in combinations(members, 2)
    ]
    return sorted((p for p in pairs if p[3] < SUSPECT_RATIO), key=lambda p: p[3])


def micros(fn: Callable[[str], str], tokens: list[str], rounds: int) -> float:
    """Mean microseconds per call over ``rounds`` passes."""
    start = time.perf_counter()
    for _ in range(rounds):
        for token in tokens:
            fn(token)
    return (time.perf_counter() - start) / (rounds * len(tokens)) * 1e6


def wikidata_check() -> dict[str, object]:
    """Keys against Arabic spellings: merges across and splits within Arabic spellings."""
    arabic_of: dict[str, str] = {}
    for split in (64, 16, 20):
        for line in (WIKIDATA / f"wd_arabic_{split}").read_text(encoding="utf-8").splitlines():
            latin, arabic, _count = line.split("\t")
            if latin.isascii() and latin.isalpha():
                arabic_of[latin] = arabic
    by_key: defaultdict[str, set[str]] = defaultdict(set)
    for latin, arabic in arabic_of.items():
        by_key[key(latin)].add(arabic)
    by_arabic: defaultdict[str, set[str]] = defaultdict(set)
    for latin, arabic in arabic_of.items():
        by_arabic[arabic].add(key(latin))
    return {
        "latin_tokens": len(arabic_of),
        "keys": len(by_key),
        "keys_with_one_arabic_spelling": sum(len(v) == 1 for v in by_key.values()),
        "arabic_spellings": len(by_arabic),
        "arabic_spellings_with_one_key": sum(len(v) == 1 for v in by_arabic.values()),
    }


def main() -> None:
    tokens = sorted(un_tokens())
    grouped = groups(tokens)
    uncached = micros(key.__wrapped__, tokens, 3)
    micros(key, tokens, 1)  # warm the cache
    cached = micros(key, tokens, 20)
    largest = sorted(grouped.items(), key=lambda kv: (-len(kv[1]), kv[0]))[:25]
    suspect = suspects(grouped)
    result: dict[str, object] = {
        "un_distinct_tokens": len(tokens),
        "un_distinct_keys": len(grouped),
        "un_tokens_per_key": round(len(tokens) / len(grouped), 3),
        "us_per_key_uncached": round(uncached, 3),
        "us_per_key_cached": round(cached, 3),
        "largest_groups": {k: v for k, v in largest},
        "suspect_pairs": len(suspect),
        "suspect_examples": [f"{a} ~ {b} ({k}, {r:.0f})" for k, a, b, r in suspect[:40]],
        "wikidata": wikidata_check(),
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "name_keys.json").write_text(json.dumps(result, indent=2, ensure_ascii=False))
    (RESULTS / "name_keys.md").write_text(markdown(result, largest))
    print(json.dumps({k: v for k, v in result.items() if k != "largest_groups"}, indent=2))


def markdown(result: dict[str, object], largest: list[tuple[str, list[str]]]) -> str:
    """The figures as a short Markdown report."""
    lines = [
        "# Phonetic name keys on the UN consolidated list",
        "",
        f"- distinct Latin name tokens: {result['un_distinct_tokens']}",
        f"- distinct keys: {result['un_distinct_keys']} ({result['un_tokens_per_key']} per key)",
        f"- µs per key: {result['us_per_key_uncached']} uncached, "
        f"{result['us_per_key_cached']} cached",
        f"- suspect merges (ratio < {SUSPECT_RATIO:.0f}): {result['suspect_pairs']} pairs",
        f"- Wikidata check: {result['wikidata']}",
        "",
        "## Largest key groups",
        "",
        *(f"- `{k}` ({len(v)}): {', '.join(v)}" for k, v in largest),
        "",
        "## Least alike merged pairs",
        "",
        *(f"- {s}" for s in result["suspect_examples"]),  # type: ignore[attr-defined]
        "",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
