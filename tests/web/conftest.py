"""The web pages run on the service's fixtures: the UN list, users sam/ana/bob/sue, a client."""

from tests.api.conftest import (
    client,
    ready,
    settings,
    store,
    tokens,
)

__all__ = [
    "client",
    "ready",
    "settings",
    "store",
    "tokens",
]
