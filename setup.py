"""Builds the matcher's hot modules to C with mypyc, or leaves them Python.

Why compiled: scoring a pair of names is some forty small typed functions over short lists
(``matching.prepared``, ``features``, ``score``); CPython spends most of it interpreting, and
screening scores millions of pairs. mypyc, mypy's own compiler (mypy is already this
project's type checker), compiles the same typed source to C extension modules, with the
same results about a third faster; nothing is written by hand in C. Why optional: where no
C compiler is found, or ``WATCHKEEPER_PURE_PYTHON=1`` is set, the package installs as plain
Python and behaves the same. The source digests of a build are written beside the modules
(``native.json``), so ``watchkeeper.matching`` runs the source, not a stale build, once a
compiled module's source has changed since.
"""

import hashlib
import json
import os
import sys
from pathlib import Path

from setuptools import setup
from setuptools.command.build_ext import build_ext

FOLDER = Path("src/watchkeeper/matching")
NATIVE = ("prepared", "features", "score")  # as watchkeeper.matching.native.NATIVE


class OptionalBuildExt(build_ext):
    """``build_ext`` that falls back to the Python source when compiling fails."""

    def run(self) -> None:
        digests = FOLDER / "native.json"
        digests.unlink(missing_ok=True)
        if not self.extensions:  # mypyc refused the source: no earlier build may stay
            _remove_builds()  # and be imported in place of the source it no longer matches
            return
        try:
            super().run()
        except Exception as exc:  # no compiler, a compiler error: the source still runs
            for output in self.get_outputs():
                Path(output).unlink(missing_ok=True)
            print(f"watchkeeper: matcher not compiled ({exc}); using Python", file=sys.stderr)
            return
        sources = {name: (FOLDER / f"{name}.py").read_bytes() for name in NATIVE}
        digests.write_text(
            json.dumps({name: hashlib.sha256(text).hexdigest() for name, text in sources.items()})
        )


def _remove_builds() -> None:
    """Delete the compiled modules of an earlier build, which Python would import first."""
    for name in NATIVE:
        for built in FOLDER.glob(f"{name}.*.so"):
            built.unlink()
    for shared in FOLDER.parents[1].glob("watchkeeper_matching__mypyc.*.so"):
        shared.unlink()


def _extensions() -> list[object]:
    """The mypyc extensions, none when asked for plain Python or mypyc cannot translate."""
    if os.environ.get("WATCHKEEPER_PURE_PYTHON"):
        return []
    try:
        from mypyc.build import mypycify

        paths = [str(FOLDER / f"{name}.py") for name in NATIVE]
        return list(mypycify(paths, opt_level="3", group_name="watchkeeper_matching"))
    except (Exception, SystemExit) as exc:  # mypy missing, or its types: the source runs
        print(f"watchkeeper: matcher not compiled ({exc}); using Python", file=sys.stderr)
        return []


setup(ext_modules=_extensions(), cmdclass={"build_ext": OptionalBuildExt})
