"""Benchmark: Latin spellings that ``romanise`` gives Arabic-script name tokens.

1. Held-out Wikidata pairs (``wd_arabic_20`` = test; ``--split dev`` reads
   ``wd_arabic_16``, the only split tuned on). A token's candidates match its English
   spelling *exactly* (lowercase a-z, spaces and hyphens removed) or *near* (same consonant
   skeleton, ``build_arabic_lexicon.skeleton``; defined there for now, until the matcher
   has its own). Where the Arabic has the article, a candidate also matches when its bare
   word (after "-") equals the English with any "al"/"el" removed, because Wikidata often
   drops the article ("ghannouchi" for الغنوشي). Rates are per pair and weighted by the
   pair's count, split into lexicon hits and rule-only tokens. Every test pair is new to the
   lexicon (the splits share no pair), so lexicon hits are scored on spellings it never saw.
   "Top-4" is a token's first four spellings, and for a word the lexicon lacks the two
   readings as a foreign name that follow them (``arabic.FOREIGN_SLOTS``).
2. UN list sanity check: for each listed individual with an Arabic-script name, the share
   of its Arabic token groups of which some candidate has the skeleton of some token of the
   person's Latin names (or of two adjacent tokens, for "ABD AL-RAHMAN").
3. Western names written in Arabic script (google/transliteration's ``ar2en`` pairs from
   Wikipedia, its test split; ``eval`` with ``--split dev``): the share of words with a
   candidate spelt exactly as the English, of the same skeleton, and of an edit
   similarity of 0.8 or more, the last the edit similarity the matcher credits almost in
   full. Never tuned on: the foreign reading (``arabic._FOREIGN_LETTERS``) was written from
   how Arabic transcribes foreign names and checked on the Wikidata dev split.
4. Time per name: three-token names, first call (token caches empty) and repeated.

Figures go to bench/results/arabic_romanise.{json,md}.

    python bench/arabic_romanise.py [--split test|dev]
"""

import argparse
import gzip
import json
import platform
import random
import re
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import pairwise

from rapidfuzz.distance import OSA

from build_arabic_lexicon import OUTPUT, fold_english, skeleton
from paths import GOOGLE_AR2EN, RESULTS, UN_LIST, WIKIDATA
from watchkeeper.matching.names import arabic
from watchkeeper.matching.names.arabic import (
    is_arabic_script,
    lexicon_key,
    normalise_arabic,
    romanise,
)
from watchkeeper.sources.un_xml import UnXmlSource

SPLITS = {"test": "wd_arabic_20", "dev": "wd_arabic_16"}
WESTERN_SPLITS = {"test": "ar2en-test.txt", "dev": "ar2en-eval.txt"}
CLOSE = 0.8
LIMIT = 4
TIMED_NAMES = 2000
ARTICLE = "ال"
_ENGLISH_ARTICLE = re.compile(r"^[ae]l(?=[^aeiou])")
LATIN_NAME_PROPS = ("name", "alias", "weakAlias", "previousName", "firstName", "lastName")


@dataclass
class Tally:
    """Pairs (and their summed counts) whose candidates matched, by kind of match."""

    pairs: int = 0
    weight: int = 0
    hits: dict[str, list[int]] = field(default_factory=dict)

    def add(self, count: int, matched: dict[str, bool]) -> None:
        """Count one pair, ``count`` times in the weighted figures."""
        self.pairs += 1
        self.weight += count
        for kind, ok in matched.items():
            pair, weighted = self.hits.setdefault(kind, [0, 0])
            self.hits[kind] = [pair + ok, weighted + count * ok]

    def rates(self) -> dict[str, float | int]:
        """Rates in percent, per pair and count-weighted."""
        out: dict[str, float | int] = {"pairs": self.pairs}
        for kind, (pair, weighted) in self.hits.items():
            out[kind] = round(100 * pair / max(self.pairs, 1), 1)
            out[f"{kind}_weighted"] = round(100 * weighted / max(self.weight, 1), 1)
        return out


def compact(spelling: str) -> str:
    """The spelling as compared: a-z only."""
    return re.sub("[^a-z]", "", spelling.lower())


def forms(spelling: str) -> set[str]:
    """The candidate joined, and its bare word when the article is hyphenated to it."""
    found = {compact(spelling)}
    if "-" in spelling:
        found.add(compact(spelling.split("-", 1)[1]))
    return found


def reference_forms(english: str, has_article: bool) -> set[str]:
    """The English spelling, and without "al"/"el" when the Arabic has the article."""
    folded = fold_english(english)
    return {folded, _ENGLISH_ARTICLE.sub("", folded)} if has_article else {folded}


def candidates(arabic_token: str) -> list[str]:
    """Spellings of the whole token; a token that splits into groups is joined back."""
    groups = romanise(arabic_token, LIMIT)
    if len(groups) == 1:
        return groups[0]
    return [" ".join(g[min(i, len(g) - 1)] for g in groups) for i in range(LIMIT)]


def lexicon_keys() -> set[str]:
    """Keys of the shipped lexicon, read from the file itself."""
    text = gzip.decompress(OUTPUT.read_bytes()).decode("utf-8")
    return {line.split("\t")[0] for line in text.splitlines() if not line.startswith("#")}


def score_pairs(split: str) -> dict[str, dict[str, float | int]]:
    """Top-1, top-4 and near rates on one split, for all, lexicon and rule-only tokens."""
    keys = lexicon_keys()
    tallies = {"all": Tally(), "lexicon": Tally(), "rules": Tally()}
    for line in (WIKIDATA / SPLITS[split]).read_text(encoding="utf-8").splitlines():
        english, letters, count = line.split("\t")
        word = normalise_arabic(letters.replace(" ", ""))
        key = lexicon_key(word)
        has_article = key.startswith(ARTICLE)
        references = reference_forms(english, has_article)
        spelt = candidates(word)
        if not spelt or not references - {""}:
            continue
        near = {skeleton(ref) for ref in references}
        matched = {
            "top1": bool(forms(spelt[0]) & references),
            "top4": any(forms(c) & references for c in spelt),
            "near4": any({skeleton(f) for f in forms(c)} & near for c in spelt),
        }
        in_lexicon = key in keys or (has_article and key[len(ARTICLE) :] in keys)
        for name in ("all", "lexicon" if in_lexicon else "rules"):
            tallies[name].add(int(count), matched)
    return {name: tally.rates() for name, tally in tallies.items()}


def latin_skeletons(names: Iterable[str]) -> set[str]:
    """Skeletons of each Latin token, its bare word after "AL-", and adjacent pairs."""
    found: set[str] = set()
    for name in names:
        tokens = [t for t in re.split(r"[\s,.()]+", name.lower()) if t]
        for token in tokens:
            found |= {skeleton(f) for f in forms(token)}
        found |= {skeleton(a + b) for a, b in pairwise(tokens)}
    return found - {""}


def score_un() -> dict[str, float | int]:
    """Share of UN individuals' Arabic token groups matching one of their Latin names."""
    persons = groups = matched = 0
    for record in UnXmlSource(UN_LIST).records():
        entity = record.entity
        if entity.schema.name != "Person":
            continue
        values = [v for prop in LATIN_NAME_PROPS for v in entity.get(prop, quiet=True)]
        arabic_names = [v for v in values if is_arabic_script(v)]
        if not arabic_names:
            continue
        persons += 1
        latin = latin_skeletons(v for v in values if not is_arabic_script(v))
        for name in arabic_names:
            for spellings in romanise(name, LIMIT):
                groups += 1
                matched += any(skeleton(f) in latin for s in spellings for f in forms(s))
    return {
        "persons": persons,
        "groups": groups,
        "near4": round(100 * matched / max(groups, 1), 1),
    }


def score_western(split: str) -> dict[str, float | int]:
    """Exact, skeleton and close (``CLOSE``) rates of the candidates of single-word Western
    names in Arabic script, and how many of those words the lexicon has."""
    keys = lexicon_keys()
    words = exact = near = close = known = 0
    for line in (GOOGLE_AR2EN / WESTERN_SPLITS[split]).read_text(encoding="utf-8").splitlines():
        letters, english = line.split("\t")[:2]
        groups = romanise(letters, LIMIT)
        if len(groups) != 1:
            continue
        reference = fold_english(english)
        spelt = [compact(spelling) for spelling in groups[0]]
        words += 1
        known += lexicon_key(normalise_arabic(letters)) in keys
        exact += reference in spelt
        near += skeleton(reference) in {skeleton(s) for s in spelt}
        close += max(OSA.normalized_similarity(reference, s) for s in spelt) >= CLOSE
    return {
        "words": words,
        "in_lexicon": known,
        "exact": round(100 * exact / max(words, 1), 1),
        "near": round(100 * near / max(words, 1), 1),
        "close": round(100 * close / max(words, 1), 1),
    }


def time_names(split: str) -> dict[str, float]:
    """Microseconds per three-token name: first call (caches empty), then repeated."""
    lines = (WIKIDATA / SPLITS[split]).read_text(encoding="utf-8").splitlines()
    tokens = [line.split("\t")[1].replace(" ", "") for line in lines]
    rng = random.Random(7)
    names = [" ".join(rng.sample(tokens, 3)) for _ in range(TIMED_NAMES)]
    romanise(names[0])  # loads the lexicon
    arabic.spell_group.cache_clear()
    arabic._rule_spellings.cache_clear()
    timings = {}
    for label in ("first_call_us", "repeat_us"):
        start = time.perf_counter()
        for name in names:
            romanise(name)
        timings[label] = round(1e6 * (time.perf_counter() - start) / len(names), 1)
    return timings


def markdown(results: dict[str, object], pairs: dict[str, dict[str, float | int]]) -> str:
    """A short table of the figures for the README."""
    rows = [
        f"| {name} | {r['pairs']:,} | {r['top1']} % | {r['top4']} % | {r['near4']} % "
        f"| {r['top1_weighted']} / {r['top4_weighted']} / {r['near4_weighted']} % |"
        for name, r in pairs.items()
    ]
    un = results["un"]
    western = results["western"]
    timing = results["timing"]
    assert isinstance(un, dict) and isinstance(western, dict) and isinstance(timing, dict)
    return "\n".join(
        [
            f"Split `{results['split']}` (Wikidata pairs, exact = a-z match, near = skeleton; "
            "top-4 and a word the lexicon lacks read as a foreign name twice):",
            "",
            "| tokens | pairs | top-1 | top-4 | near (top-4) | weighted top-1 / top-4 / near |",
            "| --- | ---: | ---: | ---: | ---: | ---: |",
            *rows,
            "",
            f"UN list: {un['persons']} individuals with Arabic-script names, {un['groups']} "
            f"token groups, {un['near4']} % with a candidate whose skeleton is one of the "
            "person's Latin name tokens.",
            "",
            f"Western names in Arabic script (google/transliteration `ar2en`, "
            f"{WESTERN_SPLITS[str(results['split'])]}): {western['words']:,} words "
            f"({western['in_lexicon']:,} in the lexicon), {western['exact']} % with a "
            f"candidate spelt as in English, {western['near']} % of its skeleton, "
            f"{western['close']} % within an edit similarity of {CLOSE}.",
            "",
            f"Time per 3-token name: {timing['first_call_us']} µs on first sight, "
            f"{timing['repeat_us']} µs repeated (token cache warm).",
            "",
        ]
    )


def main() -> None:
    """Score one split, the UN list and timing; write JSON and Markdown."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=sorted(SPLITS), default="test")
    args = parser.parse_args()
    pairs = score_pairs(args.split)
    results: dict[str, object] = {
        "split": args.split,
        "file": SPLITS[args.split],
        "limit": LIMIT,
        "pairs": pairs,
        "un": score_un(),
        "western": score_western(args.split),
        "timing": time_names(args.split),
        "python": platform.python_version(),
        "machine": platform.machine(),
    }
    print(json.dumps(results, indent=2, ensure_ascii=False))
    if args.split == "test":
        RESULTS.mkdir(exist_ok=True)
        (RESULTS / "arabic_romanise.json").write_text(json.dumps(results, indent=2) + "\n")
        (RESULTS / "arabic_romanise.md").write_text(markdown(results, pairs))


if __name__ == "__main__":
    main()
