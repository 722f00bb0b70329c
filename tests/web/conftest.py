"""The web pages run on the service's fixtures: the UN list, users sam/ana/bob/sue, a client."""

from tests.api.conftest import client, settings, store, tokens

__all__ = ["client", "settings", "store", "tokens"]
