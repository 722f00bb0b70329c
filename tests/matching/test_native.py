"""The compiled matcher (setup.py, matching/native.py): the same modules named everywhere,
the same scores compiled or not, and the source run when a build is stale."""

import ast
import json
import os
import re
import subprocess
import sys
from pathlib import Path

from watchkeeper.matching import features, native
from watchkeeper.matching.native import NATIVE, doc
from watchkeeper.matching.score import LogicWK
from watchkeeper.matching.subject import Subject

ROOT = Path(__file__).resolve().parents[2]
PAIRS = [
    ("Vladimir Putin", "PUTIN, Vladimir Vladimirovich"),
    ("Shi Jinping", "Xi Jinping"),
    ("أسامة بن لادن", "Usama bin Laden"),
    ("Patr ushev", "Nikolai Platonovich Patrushev"),
    ("JC Juncker", "Jean-Claude Juncker"),
]
SCORE_ALL = (
    "from watchkeeper.matching.score import LogicWK; from watchkeeper.matching.subject import"
    " Subject; import json, sys; print(json.dumps([LogicWK.compare(Subject('Person', (q,)),"
    " Subject('Person', (r,))).score for q, r in json.loads(sys.argv[1])]))"
)


def test_setup_and_make_compile_the_modules_native_names() -> None:
    setup = ast.parse((ROOT / "setup.py").read_text())
    assigned = next(
        node.value
        for node in setup.body
        if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", "") == "NATIVE"
    )
    assert ast.literal_eval(assigned) == NATIVE
    make = re.search(r"^NATIVE := .*,(.*)\)$", (ROOT / "Makefile").read_text(), re.M)
    assert make is not None
    assert tuple(p.removesuffix(".py") for p in make.group(1).split()) == NATIVE


def _scores(env: dict[str, str]) -> list[float]:
    run = subprocess.run(
        [sys.executable, "-c", SCORE_ALL, json.dumps(PAIRS)],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        check=True,
    )
    return list(json.loads(run.stdout))


def test_source_and_build_score_alike() -> None:
    built = _scores({})
    source = _scores({"WATCHKEEPER_PURE_PYTHON": "1"})
    assert built == source
    here = [_score(q, r) for q, r in PAIRS]
    assert here == built


def _score(query: str, listed: str) -> float:
    return LogicWK.compare(Subject("Person", (query,)), Subject("Person", (listed,))).score


def test_a_stale_build_runs_the_source(tmp_path: Path) -> None:
    digests = tmp_path / "native.json"
    digests.write_text(json.dumps({name: "an older source" for name in NATIVE}))
    code = (
        "from pathlib import Path; import sys; from watchkeeper.matching import native;"
        f" native.DIGESTS = Path({str(digests)!r}); native.use_source_if_stale();"
        " from watchkeeper.matching import features; print(features.__file__)"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert run.stdout.strip().endswith("features.py")
    assert "matcher build stale" in run.stderr
    assert run.stdout.count("\n") == 1  # the answer alone


def test_docstrings_are_read_compiled_or_not() -> None:
    assert doc(features.name_similarity).startswith("Rarity-weighted similarity")
    assert doc(LogicWK).startswith("Watchkeeper's screening matcher.")
    assert native.doc(native.use_source_if_stale).startswith("Load the compiled modules")
