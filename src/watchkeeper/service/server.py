"""How uvicorn runs the service: with its C HTTP parser (httptools) and the libuv event loop
(uvloop) rather than its pure-Python defaults. Under load, h11's parser was a tenth of a match
request's time and asyncio's loop most of what the server itself costs; both are what uvicorn
picks on its own when installed, named here so that ``serve`` never falls back silently.
"""

from importlib.util import find_spec
from typing import Any

HTTP = "httptools"
LOOP = "uvloop" if find_spec("uvloop") else "asyncio"  # uvloop has no build for Windows


def options() -> dict[str, Any]:
    """uvicorn's settings for every way the service is run (``serve``, the tests' servers).
    No access log: at the warning level it writes nothing, yet uvicorn gathered its fields
    for every request; the audit log says who asked for what."""
    return {"http": HTTP, "loop": LOOP, "log_level": "warning", "access_log": False}
