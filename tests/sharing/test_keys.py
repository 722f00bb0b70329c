"""Our key pair and partners' public keys."""

from pathlib import Path

import pytest

from watchkeeper.errors import ConfigError, SourceError
from watchkeeper.sharing.keys import init_keys, load_agency, read_public_key


def test_a_key_pair_round_trips(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="share keys init"):
        load_agency(tmp_path)
    pub = init_keys(tmp_path, "XX-BPU")
    agency = load_agency(tmp_path)
    assert agency.name == "XX-BPU"
    assert read_public_key(pub) == agency.public_key
    assert not list(tmp_path.glob("sharing/*.partial"))


def test_a_bad_key_file_names_the_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad.pem"
    bad.write_text("not a key")
    with pytest.raises(SourceError, match=r"bad\.pem: file: not a PEM public key"):
        read_public_key(bad)
