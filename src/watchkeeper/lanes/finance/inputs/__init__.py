"""The finance lane's inputs, read into the shared model (``lanes/finance/model.py``).

``read_payments`` takes any supported payment file and picks its reader, so callers need not
know the format: tabular (CSV, Parquet) by extension, ISO 20022 pacs.008 by a leading ``<``,
SWIFT MT103 by a leading ``{1:``. Customers come only as tables (``read_customers``).

These two are what callers use: whatever goes wrong reading a file (no permission, a
folder, bytes that are not text, a library's error on a corrupt file) comes out of them as a
``SourceError`` naming the file, so a batch reports it and goes on with the other files.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from watchkeeper.errors import SourceError
from watchkeeper.lanes.finance.inputs import tabular
from watchkeeper.lanes.finance.inputs.common import Batch
from watchkeeper.lanes.finance.inputs.mt103 import read_mt103
from watchkeeper.lanes.finance.inputs.pacs008 import read_pacs008
from watchkeeper.lanes.finance.inputs.tabular import PARQUET_SUFFIXES, read_transactions
from watchkeeper.lanes.finance.model import Customer, Transaction
from watchkeeper.sources.inputs import check_file

__all__ = [
    "Batch",
    "read_customers",
    "read_mt103",
    "read_pacs008",
    "read_payments",
    "read_transactions",
]


def read_payments(path: Path) -> Batch[Transaction]:
    """The transactions in a payment file of any supported format."""
    with located(path):
        return _read_payments(path)


def read_customers(path: Path) -> Batch[Customer]:
    """The customers in a CSV or Parquet file."""
    with located(path):
        return tabular.read_customers(path)


@contextmanager
def located(path: Path) -> Iterator[None]:
    """Any failure reading ``path`` as a ``SourceError`` naming it; the readers' own faults
    (a bad header, malformed XML) already name their position and pass through."""
    try:
        yield
    except SourceError:
        raise
    except OSError as exc:
        raise SourceError.at(str(path), "file", f"cannot read: {exc.strerror or exc}") from exc
    except Exception as exc:
        # A parser library's error on a corrupt file (pyarrow, defusedxml) is a fault of the
        # file, whatever its type: reported with the file, and the batch goes on.
        raise SourceError.at(str(path), "file", f"unreadable: {exc!r}") from exc


def _read_payments(path: Path) -> Batch[Transaction]:
    check_file(path)
    with open(path, "rb") as fh:
        start = fh.read(64).lstrip(b"\xef\xbb\xbf \t\r\n")
    if path.suffix.lower() in (".csv", *PARQUET_SUFFIXES) or start.startswith(b"PAR1"):
        return read_transactions(path)
    if start.startswith(b"<"):
        return read_pacs008(path)
    if start.startswith(b"{1:"):
        return read_mt103(path)
    problem = "unknown payment format: expected .csv, .parquet, ISO 20022 XML or SWIFT MT"
    raise SourceError.at(str(path), "file", problem)
