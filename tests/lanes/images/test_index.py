"""The multi-index and FAISS indexes against the exact scan, on planted near-duplicates:
recall 1.0 at distance 31 (the pigeonhole bound), same rows, same distances."""

import numpy as np
import pytest

from watchkeeper.lanes.images.index import (
    FaissIndex,
    LinearIndex,
    MultiIndex,
    build_index,
    flips_for,
)


def planted(count: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """20,000 random hashes and ``count`` queries, each a stored hash with 0 to 31 bits
    flipped (every other one exactly 31)."""
    rng = np.random.default_rng(seed)
    codes = rng.integers(0, 256, (20_000, 32), dtype=np.uint8)
    bits = np.unpackbits(codes[:count], axis=1)
    for i in range(count):
        flips = 31 if i % 2 == 0 else int(rng.integers(0, 32))
        bits[i, rng.choice(256, flips, replace=False)] ^= 1
    return codes, np.packbits(bits, axis=1)


@pytest.mark.parametrize("kind", [MultiIndex, FaissIndex])
def test_agrees_with_the_exact_scan(kind: type[MultiIndex] | type[FaissIndex]) -> None:
    codes, queries = planted(200, seed=1)
    exact = LinearIndex.build(codes, 31)
    index = kind.build(codes, 31)
    for row, query in enumerate(queries):
        rows, distances = index.query(query, 31)
        want_rows, want_distances = exact.query(query, 31)
        assert row in rows.tolist()  # recall 1.0
        assert rows.tolist() == want_rows.tolist()
        assert distances.tolist() == want_distances.tolist()


def test_larger_distance_probes_more_bits() -> None:
    assert flips_for(31) == 1
    assert flips_for(47) == 2
    codes, queries = planted(20, seed=2)
    bits = np.unpackbits(queries, axis=1)
    bits[:, :16] ^= 1  # 16 more bits: up to 47 from the planted row
    far = np.packbits(bits, axis=1)
    index = MultiIndex.build(codes, 47)
    for row, query in enumerate(far):
        assert row in index.query(query, 47)[0].tolist()


def test_build_index_picks_by_size() -> None:
    codes, _ = planted(1, seed=3)
    assert isinstance(build_index(codes, 31), LinearIndex)
    assert isinstance(build_index(codes, 31, "mih"), MultiIndex)
    assert build_index(codes[:0], 31).query(codes[0], 31)[0].size == 0


@pytest.mark.parametrize("distance", [0, 10, 47])
def test_multi_index_is_exact_at_other_distances_and_with_repeats(distance: int) -> None:
    codes, queries = planted(60, seed=4)
    codes = np.concatenate([codes, codes[:30]])  # the same hash twice: both rows are found
    exact = LinearIndex.build(codes, distance)
    index = MultiIndex.build(codes, distance)
    for query in np.concatenate([queries, codes[:10]]):
        rows, distances = index.query(query, distance)
        want_rows, want_distances = exact.query(query, distance)
        assert rows.tolist() == want_rows.tolist()
        assert distances.tolist() == want_distances.tolist()
