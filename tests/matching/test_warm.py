"""Warming the kernels (``make install``) compiles every kernel variant a screening calls,
so that no process of an installed checkout compiles one on its first screening."""

from types import ModuleType

import numpy as np

from watchkeeper.matching.kernels import constants, edit, retrieval, score_bounds, tokens
from watchkeeper.matching.kernels.warm import warm
from watchkeeper.matching.screener import Screener
from watchkeeper.matching.subject import Subject

MODULES: tuple[ModuleType, ...] = (constants, edit, retrieval, score_bounds, tokens)


def _compiled() -> dict[str, int]:
    """Each kernel's number of compiled variants (argument types)."""
    return {
        f"{module.__name__}.{name}": len(kernel.signatures)
        for module in MODULES
        for name, kernel in vars(module).items()
        if hasattr(kernel, "signatures") and hasattr(kernel, "py_func")
    }


def test_a_screening_compiles_nothing_after_warming(
    un_screener: Screener, un_subjects: tuple[Subject, ...]
) -> None:
    assert warm() > 0  # it screened
    before = _compiled()
    assert before["watchkeeper.matching.kernels.score_bounds._bounds"] >= 1
    assert before["watchkeeper.matching.kernels.retrieval._retrieve_names"] >= 1
    queries = [
        Subject(s.schema, s.names[:1], birth_dates=s.birth_dates[:1], countries=s.countries)
        for s in un_subjects[:40]
    ]
    queries += [Subject("Person", ("Mohammed Ali",), birth_dates=("1990-01-01",), gender="m")]
    allowed = np.ones(un_screener.index.capacity, dtype=np.bool_)  # the service's filters
    for query in queries:
        un_screener.screen(query)
        un_screener.candidates(query, limit=30)
        un_screener.screen(query, lists=frozenset({"un"}), allowed=allowed)
    assert _compiled() == before
