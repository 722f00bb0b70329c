"""Token weights: reference corpus, ordering, titles and particles, list counts."""

from followthemoney import model

from watchkeeper.matching.names.keys import key
from watchkeeper.matching.names.normalise import Role
from watchkeeper.matching.names.rarity import (
    COMMON,
    MINOR,
    RARE,
    TokenWeights,
    counts_from_entities,
    counts_from_names,
    load_counts,
)


def test_reference_counts_are_keyed() -> None:
    counts = load_counts()
    assert counts[key("mohammed")] > 1000  # all spellings in one count
    assert key("zawahiri") not in counts


def test_common_names_weigh_less_than_rare_ones() -> None:
    weights = TokenWeights.reference()
    order = ["smith", "mohammed", "ali", "hassan", "ayman", "baghdadi", "zawahiri"]
    got = [weights.weight(key(t)) for t in order]
    assert got == sorted(got)
    assert weights.weight(key("mohammed")) < 0.3
    assert weights.weight(key("ali")) < 0.3
    assert weights.weight(key("baghdadi")) > 0.8
    assert weights.weight(key("zawahiri")) == RARE


def test_build_scale() -> None:
    weights = TokenWeights.build({"a": 1000, "b": 10, "c": 0}, 10_000)
    assert weights.weight("a") == COMMON
    assert COMMON < weights.weight("b") < RARE
    assert weights.weight("c") == weights.weight("unseen") == RARE


def test_titles_and_particles_weigh_little() -> None:
    weights = TokenWeights.reference()
    assert weights.weight("al", Role.PARTICLE) == MINOR
    assert weights.weight(key("sheikh"), Role.TITLE) == MINOR


def test_counts_from_names_count_name_parts_only() -> None:
    counts = counts_from_names(["Dr. Ayman al-Zawahiri", "Aiman Zawahiri"])
    assert counts == {"aymen": 2, "zeweheri": 2}


def test_list_counts_combine() -> None:
    person = model.make_entity("Person")
    person.id = "p1"
    person.add("name", "Mohammed Zawahiri")
    person.add("alias", ["Muhammad al-Zawahiri", "Mohammed Zawahiri"])
    counts = counts_from_entities([person])
    assert counts == {"mehemed": 2, "zeweheri": 2}
    weights = TokenWeights.build({"mehemed": 10}, 100).combined(counts)
    assert weights.counts["zeweheri"] == 2 and weights.total == 104
