"""The finance lane's inputs, read into the shared model (``lanes/finance/model.py``).

``read_payments`` takes any supported payment file and picks its reader, so callers need not
know the format: tabular (CSV, Parquet) by extension, ISO 20022 pacs.008 by a leading ``<``,
SWIFT MT103 by a leading ``{1:``. Customers come only as tables (``read_customers``).
"""

from pathlib import Path

from watchkeeper.errors import SourceError
from watchkeeper.lanes.finance.inputs.common import Batch
from watchkeeper.lanes.finance.inputs.mt103 import read_mt103
from watchkeeper.lanes.finance.inputs.pacs008 import read_pacs008
from watchkeeper.lanes.finance.inputs.tabular import (
    PARQUET_SUFFIXES,
    read_customers,
    read_transactions,
)
from watchkeeper.lanes.finance.model import Transaction
from watchkeeper.sources.base import check_file

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
