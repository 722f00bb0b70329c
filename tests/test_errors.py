"""Errors keep what a person needs to fix the input, across processes too."""

import pickle

from watchkeeper.errors import SourceError, SourceIssue


def test_source_error_survives_pickling() -> None:
    error = SourceError(
        [SourceIssue("a.csv", "line 3", "bad date"), SourceIssue("a.csv", "line 9", "x")]
    )
    again = pickle.loads(pickle.dumps(error))
    assert again.issues == error.issues
    assert str(again) == "a.csv: line 3: bad date\na.csv: line 9: x"
