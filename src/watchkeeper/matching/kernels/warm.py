"""Compile the kernels into numba's disk cache now, not on a process's first screening.

numba compiles a kernel on its first call (about 19 s for all of them on the development
machine) and, with ``cache=True``, keeps the machine code for later processes, which load it
in about a second. Without this, each worker of a freshly installed service spends its first
requests compiling, and so does each process of a fresh test run. ``make install`` runs it
(``python -m watchkeeper.matching.kernels.warm``). The kernels are compiled for the argument
types screening gives them, by screening a few subjects through the index and the screener
as every lane does: a kernel compiled for other types would compile again on first use.
"""

from watchkeeper.matching.index import NameIndex
from watchkeeper.matching.screener import Screener
from watchkeeper.matching.subject import Subject

LISTED = (
    Subject(
        "Person",
        ("Ayman al-Zawahiri", "A. al-Zawahiri"),
        weak_names=("Abu Muhammad",),
        birth_dates=("1951-06-19",),
        countries=("eg",),
        gender="male",
        identifiers=("1084010",),
        entity_id="warm-1",
    ),
    Subject("Organization", ("Al-Qaida", "The Base"), entity_id="warm-2"),
    Subject("Person", ("Mohammed Ali Hassan",), birth_dates=("1970",), entity_id="warm-3"),
)
QUERIES = (
    Subject("Person", ("Aiman Zawahri",), birth_dates=("1951-06-19",), countries=("eg",)),
    Subject("Person", ("Mohamed Ali",), gender="male", identifiers=("1084010",)),
    Subject("Organization", ("AlQaida",)),
)


def warm() -> int:
    """Screen ``QUERIES`` against ``LISTED``, compiling every kernel a screening calls; the
    number of hits, which says the screening ran."""
    screener = Screener(NameIndex.build(list(LISTED)))
    return sum(len(screener.candidates(query, limit=5)) for query in QUERIES)


if __name__ == "__main__":
    print(f"matcher kernels compiled and cached ({warm()} hits on the warm-up subjects)")
