"""The multi-index and FAISS indexes against the exact scan, on random banks with planted
near-duplicates: recall 1.0 at distance 31 (the pigeonhole bound), and exactly the scan's
rows and distances at every distance, near ones (0, 31, 32), far ones (47, 63) and ones
where ``MultiIndex`` scans itself."""

import numpy as np
import pytest

from watchkeeper.lanes.images import index
from watchkeeper.lanes.images.codes import distance, to_hex
from watchkeeper.lanes.images.index import (
    FaissIndex,
    LinearIndex,
    MultiIndex,
    build_index,
    flips_for,
    probe_radii,
)

PRODUCT_BITS = [22, 22, 20] * 4
"""``MultiIndex``'s keys from 8.4 million hashes up (``_key_bits``)."""


def flipped(codes: np.ndarray, distances: list[int], rng: np.random.Generator) -> np.ndarray:
    """Each row of ``codes`` with exactly ``distances[i]`` random bits flipped."""
    bits = np.unpackbits(codes, axis=1)
    for i, count in enumerate(distances):
        bits[i, rng.choice(256, count, replace=False)] ^= 1
    return np.packbits(bits, axis=1)


def planted(count: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """20,000 random hashes and ``count`` queries, each a stored hash with 0 to 31 bits
    flipped (every other one exactly 31)."""
    rng = np.random.default_rng(seed)
    codes = rng.integers(0, 256, (20_000, 32), dtype=np.uint8)
    spread = [31 if i % 2 == 0 else int(rng.integers(0, 32)) for i in range(count)]
    return codes, flipped(codes[:count], spread, rng)


def clustered(seed: int) -> np.ndarray:
    """20,000 random hashes and 40 clusters of 50 copies of one hash 0 to 40 bits away (as
    in real banks, where one image is shared in many edits): buckets with many rows and
    queries close to many rows through several substrings."""
    rng = np.random.default_rng(seed)
    codes = rng.integers(0, 256, (22_000, 32), dtype=np.uint8)
    for cluster in range(40):
        rows = slice(20_000 + 50 * cluster, 20_000 + 50 * (cluster + 1))
        spread = rng.integers(0, 41, 50).tolist()
        codes[rows] = flipped(np.repeat(codes[cluster : cluster + 1], 50, axis=0), spread, rng)
    return codes


def assert_same(got: tuple[np.ndarray, np.ndarray], want: tuple[np.ndarray, np.ndarray]) -> None:
    assert got[0].dtype == want[0].dtype == np.int64
    assert got[0].tolist() == want[0].tolist()
    assert got[1].tolist() == want[1].tolist()


def test_exact_scan_counts_every_bit() -> None:
    rng = np.random.default_rng(0)
    codes = rng.integers(0, 256, (300, 32), dtype=np.uint8)
    codes[1] = codes[0]  # distance 0
    codes[2] = ~codes[0]  # distance 256: four full 64-bit words
    codes[3] = codes[0] ^ np.array([255] * 8 + [0] * 24, dtype=np.uint8)  # 64
    rows, distances = LinearIndex.build(codes, 256).query(codes[0], 256)
    assert rows.tolist() == list(range(300))
    want = [distance(to_hex(codes[0]), to_hex(code)) for code in codes]
    assert distances.tolist() == want
    assert want[:4] == [0, 0, 256, 64]


@pytest.mark.parametrize("kind", [MultiIndex, FaissIndex])
def test_agrees_with_the_exact_scan(kind: type[MultiIndex] | type[FaissIndex]) -> None:
    codes, queries = planted(200, seed=1)
    exact = LinearIndex.build(codes, 31)
    found = kind.build(codes, 31)
    for row, query in enumerate(queries):
        rows, distances = found.query(query, 31)
        assert row in rows.tolist()  # recall 1.0
        assert_same((rows, distances), exact.query(query, 31))


@pytest.mark.parametrize("max_distance", [0, 1, 31, 32, 47, 63])
def test_multi_index_at_each_distance(max_distance: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """Queries planted from 0 to 40 bits beyond ``max_distance`` (those beyond must not be
    found), in the layout of a 20,000-hash bank and in the product's full-width one, always
    probing (a bank this small would be scanned at 47 bits and more)."""
    rng = np.random.default_rng(max_distance)
    codes = rng.integers(0, 256, (20_000, 32), dtype=np.uint8)
    spread = list(range(max_distance + 41)) * 2
    queries = flipped(codes[: len(spread)], spread, rng)
    exact = LinearIndex.build(codes, max_distance)
    monkeypatch.setattr(index, "SCAN_RATIO", 0)
    small = MultiIndex.build(codes, max_distance)
    monkeypatch.setattr(index, "_key_bits", lambda size: PRODUCT_BITS)
    full = MultiIndex.build(codes, max_distance)
    assert small.bits != full.bits == PRODUCT_BITS
    assert small._plan(max_distance) is not None and full._plan(max_distance) is not None
    for row, query in enumerate(queries):
        want = exact.query(query, max_distance)
        assert (row in want[0].tolist()) == (spread[row] <= max_distance)
        assert_same(small.query(query, max_distance), want)
        assert_same(full.query(query, max_distance), want)


@pytest.mark.parametrize("max_distance", [0, 31, 47])
def test_multi_index_on_clusters(max_distance: int) -> None:
    codes = clustered(seed=5)
    rng = np.random.default_rng(6)
    queries = flipped(codes[:40], rng.integers(0, 20, 40).tolist(), rng)
    exact = LinearIndex.build(codes, max_distance)
    found = MultiIndex.build(codes, max_distance)
    for query in np.concatenate([queries, codes[20_000::25]]):
        assert_same(found.query(query, max_distance), exact.query(query, max_distance))
    assert found.query(codes[0], 31)[0].size > 30  # several rows through several tables


def test_far_distances_scan() -> None:
    """Where probing would reach more than a scan reads, the index scans: same answers."""
    codes, queries = planted(10, seed=4)
    found = MultiIndex.build(codes, 31)
    exact = LinearIndex.build(codes, 120)
    for max_distance in (100, 120):
        assert found._plan(max_distance) is None
        for query in queries:
            assert_same(found.query(query, max_distance), exact.query(query, max_distance))
    assert found._plan(31) is not None


def test_probe_radii_cover_the_distance() -> None:
    assert probe_radii(31, PRODUCT_BITS) == [2, 2, 1] * 4  # 8 * 3 + 4 * 2 = 32
    assert probe_radii(0, PRODUCT_BITS) == [0] + [-1] * 11  # one exact key suffices
    for max_distance in range(200):
        for bits in (PRODUCT_BITS, [13] * 12):
            radii = probe_radii(max_distance, bits)
            assert sum(radius + 1 for radius in radii) == max_distance + 1
            assert max(radii) - min(radii) <= 1


def test_key_bits_follow_the_bank_size() -> None:
    assert index._key_bits(10_000_000) == PRODUCT_BITS
    assert index._key_bits(1_000_000) == [18] * 12  # 3.8 rows a bucket
    assert index._key_bits(0) == [1] * 12


def test_larger_distance_probes_more_bits() -> None:
    assert flips_for(31) == 1
    assert flips_for(47) == 2
    codes, queries = planted(20, seed=2)
    bits = np.unpackbits(queries, axis=1)
    bits[:, :16] ^= 1  # 16 more bits: up to 47 from the planted row
    far = np.packbits(bits, axis=1)
    for kind in (MultiIndex, FaissIndex):
        found = kind.build(codes, 47)
        for row, query in enumerate(far):
            assert row in found.query(query, 47)[0].tolist()


def test_build_index_picks_by_size() -> None:
    codes, _ = planted(1, seed=3)
    assert isinstance(build_index(codes, 31), LinearIndex)
    assert isinstance(build_index(codes, 31, "mih"), MultiIndex)
    assert build_index(codes[:0], 31).query(codes[0], 31)[0].size == 0
    assert MultiIndex.build(codes[:0], 31).query(codes[0], 31)[0].size == 0


def test_repeated_hashes_are_each_found() -> None:
    rng = np.random.default_rng(11)
    codes = rng.integers(0, 256, (3000, 32), dtype=np.uint8)
    codes = np.concatenate([codes, codes[:30]])  # the same hash twice: both rows are found
    exact = LinearIndex.build(codes, 31)
    index = MultiIndex.build(codes, 31)
    for query in codes[:40]:
        assert_same(index.query(query, 31), exact.query(query, 31))
