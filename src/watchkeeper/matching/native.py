"""The matcher's modules that ``setup.py`` compiles with mypyc, and what that changes.

Python's import system loads a compiled module in place of its source. A build is stale
once a compiled module's source has changed since (an edit, a checkout): then the source
is loaded instead, and said so on stderr (at import, before any logging is set up, and
never on stdout, where commands write their answers), so that an edit takes effect before
the next ``make install`` rebuilds. ``WATCHKEEPER_PURE_PYTHON=1`` asks for the source always (to
profile or debug the matcher in Python). Compiled functions and classes keep no
docstrings; ``doc`` reads them from the source, where the features' public descriptions
are.
"""

import ast
import hashlib
import importlib.util
import json
import os
import sys
from collections.abc import Callable
from functools import cache
from pathlib import Path

NATIVE = ("prepared", "features", "score")  # compiled by setup.py, each importing the ones before
FOLDER = Path(__file__).parent
DIGESTS = FOLDER / "native.json"  # each module's source digest at the build, by setup.py


def use_source_if_stale() -> None:
    """Load the compiled modules from their source when the build is stale or the source
    is asked for; nothing when no build was made (a pure-Python install)."""
    if not DIGESTS.exists():
        return
    if not os.environ.get("WATCHKEEPER_PURE_PYTHON"):
        built = json.loads(DIGESTS.read_text())
        changed = [name for name in NATIVE if built.get(name) != _digest(name)]
        if not changed:
            return
        stale = ", ".join(changed)
        print(f"watchkeeper: matcher build stale ({stale}): running the source", file=sys.stderr)
    package = sys.modules[__package__]
    for name in NATIVE:
        full = f"{__package__}.{name}"
        spec = importlib.util.spec_from_file_location(full, FOLDER / f"{name}.py")
        assert spec is not None and spec.loader is not None  # a .py path always has both
        module = importlib.util.module_from_spec(spec)
        sys.modules[full] = module
        spec.loader.exec_module(module)
        setattr(package, name, module)


def _digest(name: str) -> str:
    return hashlib.sha256((FOLDER / f"{name}.py").read_bytes()).hexdigest()


def doc(obj: Callable[..., object] | type) -> str:
    """The docstring of a function or class of this package, compiled or not."""
    return obj.__doc__ or _docstrings(obj.__module__).get(obj.__qualname__, "")


@cache
def _docstrings(module: str) -> dict[str, str]:
    """The docstrings of a module's top-level functions and classes, read from its source."""
    source = FOLDER / f"{module.rsplit('.', 1)[-1]}.py"
    tree = ast.parse(source.read_text(encoding="utf-8"))
    return {
        node.name: ast.get_docstring(node) or ""
        for node in tree.body
        if isinstance(node, ast.FunctionDef | ast.ClassDef)
    }
