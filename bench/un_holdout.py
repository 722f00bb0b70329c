"""Benchmark: UN alias hold-out through the whole screener (index, scorer, threshold).

For each UN-listed person with two or more names, one name at a time is held out: that
person's entry is replaced by one without it, and the name is screened, with and without the
person's first birth date. A hit is recall@1 at the default threshold: the person is the
first alert. Persons are split into dev and test halves by a hash of their id; nothing was
tuned on the test half, and it is the figure to quote. Tracks ending ``shares-a-key`` count
only the held-out names that share a name key with a remaining name of the person: the rest
(aliases such as "Abu Akram" or "Tek") cannot be found by any name matcher. The
Arabic-script track screens each Arabic-script name against an index holding no Arabic
script at all.

    python bench/un_holdout.py
"""

import hashlib
import json
import sys
import time
from collections.abc import Iterable, Iterator
from dataclasses import replace

from paths import RESULTS, UN_LIST
from watchkeeper.matching.index import NameIndex
from watchkeeper.matching.names.arabic import is_arabic_script
from watchkeeper.matching.screener import Screener
from watchkeeper.matching.subject import Subject
from watchkeeper.matching.terms import name_slots, subject_names
from watchkeeper.sources.un_xml import UnXmlSource

Counts = dict[str, list[int]]  # track -> [hits, queries]


def half(entity_id: str) -> str:
    """dev or test, fixed by the id so every run splits the same way."""
    return "dev" if hashlib.sha1(entity_id.encode()).digest()[0] % 2 == 0 else "test"


def persons() -> list[Subject]:
    """UN-listed persons as subjects."""
    found = []
    for record in UnXmlSource(UN_LIST).records():
        if record.entity.schema.name == "Person":
            found.append(Subject.from_entity(record.entity, "un"))
    return found


def without(subject: Subject, name: str) -> Subject:
    """The subject with one name taken out."""
    return replace(
        subject,
        names=tuple(n for n in subject.names if n != name),
        weak_names=tuple(n for n in subject.weak_names if n != name),
    )


def first_alert(screener: Screener, query: Subject, entity_id: str | None) -> bool:
    """Whether the best alert for ``query`` is ``entity_id``."""
    hits = screener.screen(query, limit=1)
    return bool(hits) and hits[0].entity_id == entity_id


def shares_key(name: str, rest: Subject) -> bool:
    """Whether the held-out name shares a name key with a remaining name: an alias that
    shares none ("Abu Akram" for Hani al-Sebai) no name matcher can find by its name."""
    keys = {k for other in subject_names(rest) for slot in name_slots(other) for k in slot}
    return any(k in keys for slot in name_slots(name) for k in slot)


def tally(counts: Counts, track: str, hit: bool) -> None:
    entry = counts.setdefault(track, [0, 0])
    entry[0] += int(hit)
    entry[1] += 1


def held_out(
    people: Iterable[Subject], index: NameIndex
) -> Iterator[tuple[Subject, Subject, str, list[tuple[str, Subject]]]]:
    """Each Latin name of a person with two or more names, held out: (the person, the
    person without it, its quality "good" or "low", its queries by "name" alone and with
    the first "dob"). While a name's queries are being screened, ``index`` holds the
    person without that name; the entry is put back after."""
    for person in people:
        names = [(n, "good") for n in person.names] + [(n, "low") for n in person.weak_names]
        if len(names) < 2:
            continue
        for name, quality in names:
            if is_arabic_script(name):
                continue
            rest = without(person, name)
            index.add(rest)  # replaces the entry
            queries = [("name", Subject("Person", (name,)))]
            if person.birth_dates:
                dob = person.birth_dates[:1]
                queries.append(("dob", Subject("Person", (name,), birth_dates=dob)))
            yield person, rest, quality, queries
            index.add(person)


def alias_holdout(people: list[Subject]) -> Counts:
    """Recall@1 at the default threshold, by half, alias quality and birth date given."""
    index = NameIndex.build(people)
    screener = Screener(index)
    counts: Counts = {}
    for person, rest, quality, queries in held_out(people, index):
        reachable = shares_key(queries[0][1].names[0], rest)
        for given, query in queries:
            track = f"{half(person.entity_id or '')}/{quality}/{given}"
            hit = first_alert(screener, query, person.entity_id)
            tally(counts, track, hit)
            if reachable:
                tally(counts, f"{track}/shares-a-key", hit)
    return counts


def latin_only(people: Iterable[Subject]) -> list[Subject]:
    """The persons without their Arabic-script names: the index of the Arabic track."""
    return [
        replace(
            p,
            names=tuple(n for n in p.names if not is_arabic_script(n)),
            weak_names=tuple(n for n in p.weak_names if not is_arabic_script(n)),
        )
        for p in people
    ]


def arabic_queries(people: Iterable[Subject]) -> Iterator[tuple[Subject, Subject]]:
    """(the person, a query by one of the person's Arabic-script names)."""
    for person in people:
        for name in person.names + person.weak_names:
            if is_arabic_script(name):
                yield person, Subject("Person", (name,))


def arabic_track(people: list[Subject]) -> Counts:
    """Arabic-script names against an index without any Arabic script."""
    screener = Screener(NameIndex.build(latin_only(people)))
    counts: Counts = {}
    for person, query in arabic_queries(people):
        hit = first_alert(screener, query, person.entity_id)
        tally(counts, f"{half(person.entity_id or '')}/arabic", hit)
    return counts


def main() -> None:
    people = persons()
    start = time.perf_counter()
    counts = alias_holdout(people) | arabic_track(people)
    seconds = time.perf_counter() - start
    queries = sum(n for _, n in counts.values())
    recall = {
        k: {"recall@1": round(h / n, 4), "queries": n} for k, (h, n) in sorted(counts.items())
    }
    result = {
        "benchmark": "un_holdout",
        "threshold": Screener(NameIndex.build([])).threshold,
        "recall": recall,
        "goal": {"good": 0.97, "arabic": 0.90},
        "screenings_per_second": round(queries / seconds),
        "date": time.strftime("%Y-%m-%d"),
    }
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "un_holdout.json").write_text(json.dumps(result, indent=2) + "\n")
    rows = [f"| {k} | {v['queries']:,} | {v['recall@1']:.3f} |" for k, v in recall.items()]
    table = "\n".join(
        [
            "| half/quality/query | queries | recall@1 (first alert) |",
            "| --- | ---: | ---: |",
            *rows,
        ]
    )
    (RESULTS / "un_holdout.md").write_text(
        f"UN alias hold-out through the screener, threshold {result['threshold']} "
        f"(goal: Good ≥ 0.97, Arabic script ≥ 0.90 on the test half)\n\n{table}\n"
    )
    print((RESULTS / "un_holdout.md").read_text(), file=sys.stderr)


if __name__ == "__main__":
    main()
