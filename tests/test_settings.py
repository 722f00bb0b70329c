from pathlib import Path

import pytest

from watchkeeper.errors import ConfigError
from watchkeeper.settings import UN_LIST_URL, get_settings


def test_defaults_follow_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("WATCHKEEPER_DB", raising=False)
    settings = get_settings(data_dir=tmp_path)
    assert settings.db_url == f"sqlite:///{tmp_path / 'watchkeeper.db'}"
    assert settings.raw_dir == tmp_path / "raw"
    assert settings.un_list_url == UN_LIST_URL
    assert settings.keep_raw is True


def test_environment_and_overrides(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WATCHKEEPER_DB", "postgresql://wk@localhost/wk")
    monkeypatch.setenv("WATCHKEEPER_HTTP_TIMEOUT", "5")
    monkeypatch.setenv("WATCHKEEPER_KEEP_RAW", "no")
    monkeypatch.setenv("WATCHKEEPER_IMAGE_MAX_PIXELS", "40_000_000")
    monkeypatch.setenv("WATCHKEEPER_DOCUMENT_PDF_MAX_MB", "2.5")
    settings = get_settings(data_dir=tmp_path)
    assert (settings.image_max_pixels, settings.document_pdf_max_mb) == (40_000_000, 2.5)
    assert settings.db_url == "postgresql://wk@localhost/wk"
    assert settings.http_timeout == 5.0
    assert settings.keep_raw is False
    assert get_settings(db_url="sqlite:///x.db").db_url == "sqlite:///x.db"


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("WATCHKEEPER_HTTP_TIMEOUT", "soon", "is not a number"),
        ("WATCHKEEPER_HTTP_TIMEOUT", "-1", "must be greater than zero"),
        ("WATCHKEEPER_KEEP_RAW", "perhaps", "is not a boolean"),
        ("WATCHKEEPER_LOG_LEVEL", "loud", "is not debug, info, warning or error"),
        ("WATCHKEEPER_IMAGE_MAX_PIXELS", "1.5e8", "is not a whole number"),
        ("WATCHKEEPER_IMAGE_MAX_PIXELS", "0", "must be greater than zero"),
        ("WATCHKEEPER_DOCUMENT_PDF_MAX_MB", "big", "is not a number"),
    ],
)
def test_bad_values_fail_at_start(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str, message: str
) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(ConfigError, match=message) as info:
        get_settings()
    assert name in info.value.detail
