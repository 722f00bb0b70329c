"""Downloading a published list to a local file before it is validated and loaded."""

import tempfile
from collections.abc import Callable
from pathlib import Path

import httpx

from watchkeeper.errors import FetchError

Progress = Callable[[int, int | None], None]


def download(url: str, timeout: float, progress: Progress | None = None) -> Path:
    """Fetch ``url`` into a temporary file and return its path; the caller deletes it.

    Any network fault becomes a ``FetchError`` that says the machine may be offline, so a
    person knows to load a file by hand instead.
    """
    suffix = ".xml.gz" if url.endswith(".gz") else Path(url.split("?")[0]).suffix or ".xml"
    handle = tempfile.NamedTemporaryFile(  # noqa: SIM115 - closed below, kept for the caller
        prefix="watchkeeper-", suffix=suffix, delete=False
    )
    path = Path(handle.name)
    try:
        with handle, httpx.stream("GET", url, timeout=timeout, follow_redirects=True) as resp:
            if resp.status_code != 200:
                raise FetchError(f"{url} answered HTTP {resp.status_code}; nothing was loaded")
            length = resp.headers.get("content-length")
            total = int(length) if length else None
            done = 0
            for chunk in resp.iter_bytes(1 << 16):
                handle.write(chunk)
                done += len(chunk)
                if progress is not None:
                    progress(done, total)
    except httpx.HTTPError as exc:
        path.unlink(missing_ok=True)
        raise FetchError(
            f"could not download {url}: {exc}. Is this machine offline? "
            "Load a downloaded copy with 'watchkeeper lists load' instead."
        ) from exc
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return path
