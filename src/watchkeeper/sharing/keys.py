"""Our agency's Ed25519 signing key, kept in the data folder, and our name as partners know it.

The private key is written once by ``share keys init`` (file mode 0600, written beside and
renamed, so a crash never leaves half a key); the public key goes to partners as a PEM file,
which they trust with ``share keys trust``. Partners' keys live in the store
(``share_partners.public_key``), so every node of one agency trusts the same partners.
"""

import base64
import json
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from watchkeeper import atomic
from watchkeeper.errors import ConfigError, SourceError, UsageError
from watchkeeper.sharing.config import check_name

KEY_FILE = "agency.key"
PUB_FILE = "agency.pub.pem"
AGENCY_FILE = "agency.json"


@dataclass(frozen=True)
class Agency:
    """Who we are to partners: our name and signing key."""

    name: str
    private_key: Ed25519PrivateKey

    @property
    def public_key(self) -> str:
        """Our public key as base64 of its 32 raw bytes."""
        return raw_public(self.private_key.public_key())


def folder(data_dir: Path) -> Path:
    """Where our key and name are kept."""
    return data_dir / "sharing"


def init_keys(data_dir: Path, name: str) -> Path:
    """Make our key pair and record our agency name; returns the public key file to send
    to partners. Refuses to replace an existing key: partners trust it."""
    check_name(name)
    where = folder(data_dir)
    if (where / KEY_FILE).exists():
        raise UsageError(f"{where / KEY_FILE} exists already; partners trust that key")
    where.mkdir(parents=True, exist_ok=True)
    key = Ed25519PrivateKey.generate()
    private = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    public = key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    atomic.write_bytes(where / PUB_FILE, public, 0o644)
    atomic.write_bytes(where / AGENCY_FILE, json.dumps({"name": name}).encode("utf-8"), 0o644)
    atomic.write_bytes(where / KEY_FILE, private, 0o600)
    return where / PUB_FILE


def load_agency(data_dir: Path) -> Agency:
    """Our name and key; ConfigError saying how to make them when there are none."""
    where = folder(data_dir)
    if not (where / KEY_FILE).exists():
        raise ConfigError(
            f"no agency key in {where}; run 'watchkeeper share keys init --agency NAME'"
        )
    name = json.loads((where / AGENCY_FILE).read_text("utf-8"))["name"]
    key = serialization.load_pem_private_key((where / KEY_FILE).read_bytes(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ConfigError(f"{where / KEY_FILE} is not an Ed25519 private key")
    return Agency(str(name), key)


def read_public_key(path: Path) -> str:
    """A partner's public key file (PEM) as base64 of its raw bytes; SourceError if unreadable."""
    try:
        key = serialization.load_pem_public_key(path.read_bytes())
    except FileNotFoundError:
        raise SourceError.at(str(path), "file", "does not exist") from None
    except (ValueError, UnsupportedAlgorithm) as exc:
        raise SourceError.at(str(path), "file", f"not a PEM public key: {exc}") from None
    if not isinstance(key, Ed25519PublicKey):
        raise SourceError.at(str(path), "file", "not an Ed25519 public key")
    return raw_public(key)


def raw_public(key: Ed25519PublicKey) -> str:
    """A public key as base64 of its 32 raw bytes, as stored and as put in bundles."""
    raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return base64.b64encode(raw).decode("ascii")


def public_from_raw(text: str) -> Ed25519PublicKey:
    """The key stored by ``raw_public``."""
    return Ed25519PublicKey.from_public_bytes(base64.b64decode(text))
