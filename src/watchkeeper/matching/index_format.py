"""The candidate index as versioned JSON (``NameIndex.serialize``): its subjects by number,
and each term's live posting as base64 of little-endian uint32, so an index is shared and
stored without pickle."""

import base64
import json

import numpy as np
import numpy.typing as npt
import orjson

from watchkeeper.matching.subject import Subject

FORMAT = "watchkeeper.name-index"
VERSION = 3  # 2: subjects keep the parts of their names; 3: names' signatures, hashed
_SUBJECT_FIELDS = (
    "schema",
    "names",
    "weak_names",
    "birth_dates",
    "countries",
    "gender",
    "identifiers",
    "entity_id",
    "list_name",
    "identifier_kinds",
    "given_names",
    "family_names",
)

Numbers = npt.NDArray[np.uint32]
Hashes = npt.NDArray[np.int64]


def dump(
    subjects: list[Subject | None],
    postings: dict[str, Numbers],
    signatures: tuple[Hashes, Numbers],
) -> bytes:
    """The document of an index's subjects (None where removed), postings and signature
    hashes with their holders (``signatures``)."""
    hashes, holders = signatures
    return orjson.dumps(
        {
            "format": FORMAT,
            "version": VERSION,
            "subjects": [_subject_dict(s) if s else None for s in subjects],
            "postings": {term: _encode(posting) for term, posting in postings.items()},
            "signatures": {
                "hashes": _encode(hashes, "<i8"),
                "holders": _encode(holders),
            },
        }
    )


def load(
    data: bytes,
) -> tuple[list[Subject | None], dict[str, Numbers], tuple[Hashes, Numbers]]:
    """The subjects, postings and signatures of ``dump``'s bytes; ValueError for another
    format or version."""
    doc = json.loads(data)
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise ValueError(f"not a {FORMAT} document")
    if doc.get("version") != VERSION:
        raise ValueError(f"{FORMAT} version {doc.get('version')!r}; this code reads {VERSION}")
    subjects = [_subject_of(s) if s else None for s in doc["subjects"]]
    signed = doc["signatures"]
    postings: dict[str, Numbers] = {
        term: _decode(text).astype(np.uint32, copy=False) for term, text in doc["postings"].items()
    }
    hashes: Hashes = _decode(signed["hashes"], "<i8").astype(np.int64, copy=False)
    return subjects, postings, (hashes, _decode(signed["holders"]).astype(np.uint32, copy=False))


def _subject_dict(subject: Subject) -> dict[str, object]:
    return {f: getattr(subject, f) for f in _SUBJECT_FIELDS}


def _subject_of(doc: dict[str, object]) -> Subject:
    values = {f: tuple(v) if isinstance(v, list) else v for f, v in doc.items()}
    return Subject(**values)  # type: ignore[arg-type]


def _encode(values: npt.NDArray[np.integer], dtype: str = "<u4") -> str:
    """Base64 of the values as ``dtype`` (little-endian uint32 for postings)."""
    return base64.b64encode(values.astype(dtype).tobytes()).decode("ascii")


def _decode(text: str, dtype: str = "<u4") -> npt.NDArray[np.integer]:
    """``_encode``'s values, in the machine's byte order."""
    little = np.dtype(dtype)
    values: npt.NDArray[np.integer] = np.frombuffer(base64.b64decode(text), dtype=little)
    return values.astype(little.newbyteorder("="))
