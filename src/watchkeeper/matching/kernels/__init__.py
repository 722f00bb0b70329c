"""Compiled loops of the screening hot path (numba), over the flat arrays of ``bounds``.

Bounding twenty candidates is a few thousand multiply-adds; written as numpy array calls it
costs hundreds of microseconds of call overhead, as plain loops compiled by numba a few
microseconds. The formulas are those of ``features`` (token similarity, name alignment) and
``score`` (the logit), with every pairing at its best: see ``bounds`` for why that is an
upper bound. Kernels are compiled on first use and cached on disk (``cache=True``);
``make install`` compiles them once (``warm``).

One module per concern: ``constants`` (the weights as the kernels take them), ``edit`` (edit
similarities over code points), ``tokens`` (token similarity of spellings and glued
names), ``score_bounds`` (the bound itself) and ``retrieval`` (the index's candidates).
numba has no type hints, so each kernel called from Python is wrapped in a typed function
of the same name (``score_bounds.bounds``, ``retrieval.retrieve``).

numba's disk cache of a kernel is invalidated by changes to its own file only, though it
holds the code of the kernels it calls from other files compiled in; so a module calling
another's kernels names it in ``CALLEES`` with the digest of its source, which
``tests/matching/test_kernels.py`` checks.
"""
