"""The bound kernel's edit similarities: rapidfuzz's, bit for bit, however the patterns
share machine words, for texts beyond a word and code points beyond ASCII."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from rapidfuzz.distance import Levenshtein

from watchkeeper.matching import kernels
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
    kernels._similarities(ptr, cp, kernels._patterns(ptr, cp), b_ptr, b, which, out)
    return out


def _flat(texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
    ptr = np.zeros(len(texts) + 1, dtype=np.int64)
    ptr[1:] = np.cumsum([len(t) for t in texts])
    return ptr, code_points("".join(texts))


def expected(patterns: list[str], texts: list[str]) -> list[list[float]]:
    return [[Levenshtein.normalized_similarity(p, t) for p in patterns] for t in texts]


# Few letters, so that texts share many; é and ب beyond ASCII, 😀 beyond 16 bits.
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
