"""The bound kernel's edit similarities: rapidfuzz's, bit for bit, however the patterns
share machine words, for texts beyond a word and code points beyond ASCII; and the kernel
modules' record of the kernels they call, which keeps their disk cache fresh."""

import hashlib
import importlib
import pkgutil
from pathlib import Path
from types import ModuleType

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numba.core.dispatcher import Dispatcher
from rapidfuzz.distance import OSA

from watchkeeper.matching import kernels
from watchkeeper.matching.kernels import edit
from watchkeeper.matching.table import code_points

EXAMPLES = settings(
    max_examples=200,
    deadline=None,  # the first example compiles the kernels
    database=None,  # keep no example database in the working tree
    derandomize=True,  # the same examples on every run, so a failure reproduces
)


def similarities(patterns: list[str], texts: list[str]) -> np.ndarray:
    """The kernel's similarity of each pattern (column) with each text (row)."""
    ptr, cp = _flat(patterns)
    b_ptr, b = _flat(texts)
    out = np.full((len(texts), len(patterns)), np.nan)
    which = np.arange(len(texts))
    edit.similarities(ptr, cp, edit.bit_patterns(ptr, cp), b_ptr, b, which, out)
    return out


def _flat(texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
    ptr = np.zeros(len(texts) + 1, dtype=np.int64)
    ptr[1:] = np.cumsum([len(t) for t in texts])
    return ptr, code_points("".join(texts))


def expected(patterns: list[str], texts: list[str]) -> list[list[float]]:
    return [[OSA.normalized_similarity(p, t) for p in patterns] for t in texts]


# Few letters, so that texts share many and swap neighbours often; é and ب beyond ASCII,
# 😀 beyond 16 bits.
texts = st.text(alphabet="abcdé😀ب", max_size=12) | st.text(alphabet="ab", max_size=90)


@EXAMPLES
@given(patterns=st.lists(texts, min_size=1, max_size=12), others=st.lists(texts, max_size=6))
def test_edit_similarity_is_rapidfuzzs(patterns: list[str], others: list[str]) -> None:
    assert similarities(patterns, others).tolist() == expected(patterns, others)


def test_patterns_fill_words_and_overflow_them() -> None:
    """Lanes up to a full word, several words, and texts a word cannot hold."""
    patterns = ["mohammed", "", "x" * 64, "abdulrahman" * 6, "ab" * 40, "ali", "hassan"]
    patterns += ["al" * (n % 9 + 1) for n in range(20)]
    others = ["", "muhammad", "alalala", "x" * 63 + "y", "abdulrahman" * 5, "ba" * 41, "hasan"]
    assert similarities(patterns, others).tolist() == expected(patterns, others)


KERNEL_MODULES = [
    importlib.import_module(f"{kernels.__name__}.{found.name}")
    for found in pkgutil.iter_modules(kernels.__path__)
]


def _digest(module: ModuleType) -> str:
    assert module.__file__ is not None
    return hashlib.sha256(Path(module.__file__).read_bytes()).hexdigest()[:16]


@pytest.mark.parametrize("module", KERNEL_MODULES, ids=lambda module: module.__name__)
def test_kernel_modules_record_the_kernels_they_call(module: ModuleType) -> None:
    """numba's disk cache of a kernel is invalidated by changes to its own file only, yet
    holds the kernels it calls compiled in: a module calling another module's kernels
    records that module's digest in ``CALLEES``, so that changing the callee means
    changing the caller's file too, and its cached kernels are compiled afresh."""
    called = {
        value.py_func.__module__
        for value in vars(module).values()
        if isinstance(value, Dispatcher) and value.py_func.__module__ != module.__name__
    }
    recorded: dict[str, str] = getattr(module, "CALLEES", {})
    assert {f"{kernels.__name__}.{name}" for name in recorded} == called
    for name, digest in recorded.items():
        found = _digest(importlib.import_module(f"{kernels.__name__}.{name}"))
        assert digest == found, f"{module.__name__}.CALLEES[{name!r}] should be {found!r}"
