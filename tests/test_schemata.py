"""The shipped schema table (``watchkeeper.schemata``) answers as followthemoney's model does,
so the match path can leave followthemoney unloaded."""

from importlib.resources import files

import pytest
from followthemoney import model

from watchkeeper import schemata


def test_table_is_followthemoneys_model() -> None:
    """Fails after a followthemoney upgrade that changed the schemata: regenerate the file
    with ``python -m watchkeeper.schemata``."""
    table = schemata.load()
    assert table == schemata.derive()
    shipped = files("watchkeeper").joinpath("data", schemata.TABLE_FILE).read_text("utf-8")
    assert schemata.render(table) == shipped


@pytest.mark.parametrize("schema", sorted(model.schemata))
def test_is_a_is_the_models(schema: str) -> None:
    for other in model.schemata:
        assert schemata.is_a(schema, other) == model.schemata[schema].is_a(other)


def test_unknown_schemata() -> None:
    assert not schemata.known("Spaceship")
    assert not schemata.is_a("Spaceship", "Thing")
    assert not schemata.is_a("Person", "Spaceship")
    assert schemata.known("Person") and schemata.is_a("Person", "LegalEntity")


def test_extending() -> None:
    expected = sorted(s.name for s in model.schemata.values() if s.is_a("LegalEntity"))
    assert schemata.extending("LegalEntity") == expected
    assert {"Person", "Organization", "Company", "PublicBody"} <= set(expected)
    assert "Vessel" not in expected
