from pathlib import Path

import pytest

from watchkeeper.errors import ConfigError
from watchkeeper.settings import UN_LIST_URL, InputLimits, get_settings


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
        ("WATCHKEEPER_MAX_SHRINK", "150", "is not a percentage from 0 to 100"),
        ("WATCHKEEPER_MAX_DECOMPRESSED", "2G", "is not a whole number"),
        ("WATCHKEEPER_MAX_XML_TOKEN", "0", "must be greater than zero"),
        ("WATCHKEEPER_MAX_RATIO", "-5", "must be greater than zero"),
    ],
)
def test_bad_values_fail_at_start(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str, message: str
) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(ConfigError, match=message) as info:
        get_settings()
    assert name in info.value.detail


def test_load_guards(monkeypatch: pytest.MonkeyPatch) -> None:
    names = ("SHRINK", "DECOMPRESSED", "RATIO", "XML_TOKEN")
    for name in names:
        monkeypatch.delenv(f"WATCHKEEPER_MAX_{name}", raising=False)
    defaults = get_settings()
    assert defaults.max_shrink == 5.0
    assert defaults.input_limits == InputLimits(2 << 30, 200.0, 8 << 20)
    monkeypatch.setenv("WATCHKEEPER_MAX_SHRINK", "0")
    monkeypatch.setenv("WATCHKEEPER_MAX_DECOMPRESSED", "1048576")
    monkeypatch.setenv("WATCHKEEPER_MAX_RATIO", "50")
    monkeypatch.setenv("WATCHKEEPER_MAX_XML_TOKEN", "65536")
    settings = get_settings()
    assert settings.max_shrink == 0.0
    assert settings.input_limits == InputLimits(1 << 20, 50.0, 1 << 16)


def test_cors_origins(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("WATCHKEEPER_CORS_ORIGINS", raising=False)
    assert get_settings().cors_origins == ("*",)
    monkeypatch.setenv(
        "WATCHKEEPER_CORS_ORIGINS", "https://refine.example.org, http://localhost:3333/"
    )
    expected = ("https://refine.example.org", "http://localhost:3333")
    assert get_settings().cors_origins == expected
    for bad in ("refine.example.org", "https://refine.example.org/app", "ftp://x"):
        monkeypatch.setenv("WATCHKEEPER_CORS_ORIGINS", bad)
        with pytest.raises(ConfigError, match="is not \\* or an origin"):
            get_settings()
