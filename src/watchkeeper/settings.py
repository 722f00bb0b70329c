"""All configuration in one place: ``WATCHKEEPER_*`` environment variables with defaults.

Each setting is read through a typed helper and a bad value fails at start-up with a
message naming the variable. ``get_settings(**overrides)`` builds one immutable object, so
tests pass overrides instead of patching globals. The README mirrors this table.
"""

import os
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, TypeVar

from platformdirs import user_data_dir

from watchkeeper.errors import ConfigError

UN_LIST_URL = "https://scsanctions.un.org/resources/xml/en/consolidated.xml"
N = TypeVar("N", int, float)

REASON_CODES = (
    "false-positive-name-only",
    "different-date-of-birth",
    "different-nationality",
    "different-gender",
    "different-identifier",
    "known-customer-cleared",
    "true-match-escalated",
    "true-match-confirmed",
    "insufficient-information",
    "rule-context-only",
)
"""Why a decision was made, as analysts of screening teams record it: the name alone
matched, another fact tells the two apart, the customer is known, or the match is true."""

_CODE = re.compile(r"[a-z0-9][a-z0-9-]{0,63}")


def _env_str(name: str, default: str) -> str:
    value = os.environ.get(name, "").strip()
    return value or default


def _env_number(name: str, parse: Callable[[str], N], what: str) -> tuple[str, N] | None:
    """The variable as written and as read by ``parse``; None when unset; a ConfigError
    saying it is not ``what`` when ``parse`` refuses it."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return None
    try:
        return raw, parse(raw)
    except ValueError as exc:
        raise ConfigError(f"{name}={raw!r} is not {what}") from exc


def _positive(name: str, default: N, parse: Callable[[str], N], what: str) -> N:
    found = _env_number(name, parse, what)
    if found is None:
        return default
    raw, value = found
    if value <= 0:
        raise ConfigError(f"{name}={raw!r} must be greater than zero")
    return value


def _env_float(name: str, default: float) -> float:
    return _positive(name, default, float, "a number")


def _env_int(name: str, default: int) -> int:
    return _positive(name, default, lambda raw: int(raw.replace("_", "")), "a whole number")


def _env_percent(name: str, default: float) -> float:
    found = _env_number(name, float, "a number")
    if found is None:
        return default
    raw, value = found
    if not 0 <= value <= 100:
        raise ConfigError(f"{name}={raw!r} is not a percentage from 0 to 100")
    return value


def _env_origins(name: str, default: tuple[str, ...]) -> tuple[str, ...]:
    """Comma-separated web origins (``https://refine.example.org``), or ``*`` for any."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    origins = tuple(o.strip().rstrip("/") for o in raw.split(",") if o.strip())
    for origin in origins:
        scheme, sep, host = origin.partition("://")
        web = scheme in ("http", "https") and bool(sep) and bool(host) and "/" not in host
        if origin != "*" and not web:
            raise ConfigError(f"{name}: {origin!r} is not * or an origin like https://host:port")
    return origins


def _env_codes(name: str, default: tuple[str, ...]) -> tuple[str, ...]:
    """Comma-separated codes in lower case with hyphens (``different-date-of-birth``)."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    codes = tuple(dict.fromkeys(c.strip() for c in raw.split(",") if c.strip()))
    for code in codes:
        if not _CODE.fullmatch(code):
            raise ConfigError(
                f"{name}: {code!r} is not a code (lower-case letters, digits and hyphens, "
                "at most 64)"
            )
    if not codes:
        raise ConfigError(f"{name}={raw!r} names no code")
    return codes


def _env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name, "").strip().lower()
    if not raw:
        return default
    if raw in ("1", "true", "yes", "on"):
        return True
    if raw in ("0", "false", "no", "off"):
        return False
    raise ConfigError(f"{name}={raw!r} is not a boolean (use true or false)")


@dataclass(frozen=True)
class InputLimits:
    """How far one list or screening input may expand while it is read.

    A few MB of gzip can hold gigabytes (a gzip bomb), and expat rescans an unfinished
    token on every chunk it is fed, so one huge comment takes minutes; these caps turn
    both into a fault within seconds.
    """

    max_bytes: int = 2 << 30
    """Decompressed bytes one compressed input may hold."""

    max_ratio: float = 200.0
    """Decompressed bytes per compressed byte, checked once ``ratio_after`` bytes are out."""

    max_xml_token: int = 8 << 20
    """Bytes of one XML token (a comment, a tag with its attributes, a declaration)."""

    ratio_after: int = 16 << 20
    """Decompressed bytes read before the ratio applies: the start of a file (a header, a
    run of padding) may compress far better than the rest."""


@dataclass(frozen=True)
class Settings:
    """The configuration of one watchkeeper process."""

    data_dir: Path
    """Where the embedded database and the raw-input archive live."""

    db_url: str
    """SQLAlchemy URL of the store: SQLite file by default, PostgreSQL in production."""

    un_list_url: str
    """Public address of the UN Security Council Consolidated List XML."""

    http_timeout: float
    """Seconds to wait for a list download before giving up."""

    keep_raw: bool
    """Keep a gzip copy of every loaded input so a load can be replayed and audited."""

    log_json: bool
    """Write logs as JSON lines (for log shippers) instead of console text."""

    log_level: str
    """Lowest log level written: debug, info, warning or error."""

    index_refresh: float = 30.0
    """Seconds between the service's checks for new list versions (the index is then rebuilt
    in the background and swapped in whole)."""

    document_pdf_max_mb: float = 100.0
    """Largest PDF the documents lane reads, in MB: pypdf holds a whole PDF in memory, so a
    larger one is reported as a fault instead (text and HTML are read in chunks, any size)."""

    image_max_pixels: int = 100_000_000
    """Largest image (width times height, read from its header) the images lane decodes: a
    larger one is reported as a fault before any memory is spent on its pixels."""

    max_shrink: float = 5.0
    """Percent of its entries a list may lose in one new version before the load is refused
    (``--allow-shrink`` lets one load through): a cut-short file looks like a shorter list."""

    max_decompressed: int = InputLimits.max_bytes
    """Bytes one compressed input may expand to."""

    max_ratio: float = InputLimits.max_ratio
    """Expansion ratio a compressed input may reach after its first few MB."""

    max_xml_token: int = InputLimits.max_xml_token
    """Bytes one XML token (comment, tag, declaration) may take."""

    cors_origins: tuple[str, ...] = ("*",)
    """Web origins whose pages may call the reconciliation API from a browser (CORS, which
    the W3C specification requires); ``*`` lets any page call it, with its own token: the
    API is read-only and no cookie is sent cross-origin."""

    reason_codes: tuple[str, ...] = REASON_CODES
    """The codes a decision may carry beside its comment (``review.reasons``); an unknown
    code is refused, so that decisions can be counted by why they were made."""

    risk_threshold: float = 50.0
    """The rolled-up rule risk (the sum of the weights of the distinct rules that hit one
    traveller or customer) from which a rule-only group is worth a look in the queue; below
    it the group is "context only" and sorts last. A rule file's ``risk_threshold:`` sets
    it for its lane."""

    list_max_age_days: int = 7
    """Days a list's active version may age before every page warns that it is out of date:
    the UN and OFAC publish changes within days, and a list nobody reloaded lets a newly
    listed person through."""

    @property
    def input_limits(self) -> InputLimits:
        """The caps every input reader applies."""
        return InputLimits(self.max_decompressed, self.max_ratio, self.max_xml_token)

    @property
    def raw_dir(self) -> Path:
        """Folder of the raw-input archive."""
        return self.data_dir / "raw"


def get_settings(**overrides: Any) -> Settings:
    """Read the environment once and apply explicit overrides (from the CLI or tests).

    ``None`` overrides are ignored; overriding ``data_dir`` also moves the default database.
    """
    given = {k: v for k, v in overrides.items() if v is not None}
    data_dir = Path(
        given.pop("data_dir", None)
        or _env_str("WATCHKEEPER_DATA_DIR", user_data_dir("watchkeeper"))
    )
    level = _env_str("WATCHKEEPER_LOG_LEVEL", "warning").lower()
    if level not in ("debug", "info", "warning", "error"):
        raise ConfigError(f"WATCHKEEPER_LOG_LEVEL={level!r} is not debug, info, warning or error")
    settings = Settings(
        data_dir=data_dir,
        db_url=_env_str("WATCHKEEPER_DB", f"sqlite:///{data_dir / 'watchkeeper.db'}"),
        un_list_url=_env_str("WATCHKEEPER_UN_LIST_URL", UN_LIST_URL),
        http_timeout=_env_float("WATCHKEEPER_HTTP_TIMEOUT", 60.0),
        keep_raw=_env_bool("WATCHKEEPER_KEEP_RAW", True),
        log_json=_env_bool("WATCHKEEPER_LOG_JSON", False),
        log_level=level,
        index_refresh=_env_float("WATCHKEEPER_INDEX_REFRESH", 30.0),
        document_pdf_max_mb=_env_float("WATCHKEEPER_DOCUMENT_PDF_MAX_MB", 100.0),
        image_max_pixels=_env_int("WATCHKEEPER_IMAGE_MAX_PIXELS", 100_000_000),
        max_shrink=_env_percent("WATCHKEEPER_MAX_SHRINK", 5.0),
        max_decompressed=_env_int("WATCHKEEPER_MAX_DECOMPRESSED", InputLimits.max_bytes),
        max_ratio=_env_float("WATCHKEEPER_MAX_RATIO", InputLimits.max_ratio),
        max_xml_token=_env_int("WATCHKEEPER_MAX_XML_TOKEN", InputLimits.max_xml_token),
        cors_origins=_env_origins("WATCHKEEPER_CORS_ORIGINS", ("*",)),
        reason_codes=_env_codes("WATCHKEEPER_REASON_CODES", REASON_CODES),
        risk_threshold=_env_float("WATCHKEEPER_RISK_THRESHOLD", 50.0),
        list_max_age_days=_env_int("WATCHKEEPER_LIST_MAX_AGE_DAYS", 7),
    )
    return replace(settings, **given)
