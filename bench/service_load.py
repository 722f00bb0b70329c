"""Benchmark: the service under load, measured with wrk.

A store with the bundled UN list and OFAC's SDN list (2021) is served by ``watchkeeper serve``
on loopback (two workers by default, one per core of the goal's machine); wrk (Debian's
package) keeps 16, 32 and 64 connections busy for the given time, each request a ``POST
/match/default`` with one simple person (names drawn as in false_alerts.py, a different one
per request). Server and wrk share the machine's cores. It reports requests/s, p50/p99
latency, errors (sockets and non-2xx answers), the server's memory (all its processes) before
and after, and the top of a py-spy profile taken under load at 32 connections. After the load
the audit chain is verified: every answered request left its record. Goal: at least 1,500
requests/s with p99 under 50 ms and no errors at 32 connections.

With ``--baseline REV`` (by default main before the lighter request path of issue 17) the
same is measured for the service as it was at REV, with the same workers, its store prepared
by its own code, this checkout's compiled matcher where REV's matcher source is the one built
(each version's row says whether its matcher ran ``compiled`` or from ``source``), and without
the packages REV did not depend on (uvicorn would pick its C parser and libuv loop up on its
own), so that before and after come from the same machine in the same run. Each run records
the load average (other work on the machine slows both).

    python bench/service_load.py [--seconds 60] [--connections 16,32,64] [--workers 2]
        [--profile-seconds 15] [--baseline REV | --baseline none]
"""

import argparse
import collections
import hashlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tarfile
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx

from false_alerts import OFAC, travellers
from paths import ROOT, UN_LIST, publish

WATCHKEEPER = Path(sys.executable).parent / "watchkeeper"
BASELINE = "4e247b3"  # main before the lighter request path (issue 17)
OPTIONAL = ("httptools", "uvloop")  # used by uvicorn when installed; hidden from a baseline
# that does not depend on them
GOAL = {"connections": 32, "requests_per_second": 1500, "p99_ms": 50, "errors": 0}
NAMES = 2000
TOP = 12  # profile entries reported

# wrk's script: each thread walks the bodies from its own offset; done() writes the figures.
WRK_SCRIPT = """
local bodies = {%(bodies)s}
local counter = 0
local threads = {}
function setup(thread)
  thread:set("offset", #threads * 997)
  table.insert(threads, thread)
end
function init(args)
  counter = tonumber(offset) or 0
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
  wrk.headers["Authorization"] = "Bearer %(token)s"
end
function request()
  counter = counter + 1
  return wrk.format(nil, "/match/default", nil, bodies[(counter %% #bodies) + 1])
end
function done(summary, latency, requests)
  local e = summary.errors
  local out = io.open("%(out)s", "w")
  out:write(string.format(
    '{"requests":%%d,"duration_us":%%d,"p50_us":%%d,"p99_us":%%d,"max_us":%%d,' ..
    '"connect":%%d,"read":%%d,"write":%%d,"status":%%d,"timeout":%%d}',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    latency.max, e.connect, e.read, e.write, e.status, e.timeout))
  out:close()
end
"""


def free_port() -> int:
    """A loopback port nobody listens on."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def prepare_store(data_dir: Path) -> str:
    """Load the lists and create a screener's token; returns the token. Imported here so
    that a baseline's store is prepared by the baseline's code (``--prepare``)."""
    from watchkeeper.auth import create_token, create_user
    from watchkeeper.sources import get_source
    from watchkeeper.store import load_source, open_engine

    engine = open_engine(f"sqlite:///{data_dir / 'watchkeeper.db'}")
    load_source(engine, get_source("un-xml", UN_LIST), "un", origin=str(UN_LIST), raw_dir=None)
    load_source(engine, get_source("ofac-csv", OFAC), "ofac", origin=str(OFAC), raw_dir=None)
    create_user(engine, "bench", "screener")
    token = create_token(engine, "bench")[1]
    engine.dispose()
    return token


def baseline_src(rev: str, into: Path) -> str:
    """The ``PYTHONPATH`` of the service at ``rev``: its ``src`` folder, unpacked under
    ``into``, behind a folder where the ``OPTIONAL`` packages it does not depend on cannot
    be imported."""
    archive = into / "src.tar"
    with archive.open("wb") as out:
        subprocess.run(["git", "-C", str(ROOT), "archive", rev, "src"], stdout=out, check=True)
    with tarfile.open(archive) as tar:
        tar.extractall(into, filter="data")
    project = subprocess.run(
        ["git", "-C", str(ROOT), "show", f"{rev}:pyproject.toml"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    _copy_build(ROOT / "src", into / "src")
    hidden = into / "hidden"
    hidden.mkdir()
    for name in OPTIONAL:
        if f'"{name}==' not in project:
            (hidden / f"{name}.py").write_text(f"raise ImportError('{rev} does not use {name}')\n")
    return f"{hidden}{os.pathsep}{into / 'src'}"


def _copy_build(built: Path, src: Path) -> None:
    """This checkout's compiled matcher (``setup.py``: the modules and their source
    digests), copied beside a baseline's source, so that both versions score with the same
    build: the baseline loads it where its sources are the ones built (``matching.native``),
    its own source otherwise. Nothing is copied for a baseline whose matcher sources are
    not the ones built: one from before ``matching.native`` would load the build whatever
    its sources."""
    digests = built / "watchkeeper" / "matching" / "native.json"
    if not digests.exists() or not _current(src / "watchkeeper" / "matching", digests):
        return
    for path in [*built.glob("*.so"), *built.glob("watchkeeper/matching/*.so")]:
        shutil.copy2(path, src / path.relative_to(built))
    shutil.copy2(digests, src / "watchkeeper" / "matching" / "native.json")


def _current(folder: Path, digests: Path) -> bool:
    """Whether the matcher sources in ``folder`` are those whose digests ``digests`` holds."""
    built = json.loads(digests.read_text())
    return all(
        (folder / f"{name}.py").exists()
        and hashlib.sha256((folder / f"{name}.py").read_bytes()).hexdigest() == digest
        for name, digest in built.items()
    )


def matcher(src: Path) -> str:
    """How a version's matcher runs: ``compiled`` when its build is current, else ``source``."""
    folder = src / "watchkeeper" / "matching"
    digests = folder / "native.json"
    if not digests.exists() or os.environ.get("WATCHKEEPER_PURE_PYTHON"):
        return "source"
    return "compiled" if _current(folder, digests) else "source"


def bodies() -> list[dict[str, Any]]:
    """One request body per name: one person, one name."""
    return [
        {"queries": {"q": {"schema": "Person", "properties": {"name": [person.names[0]]}}}}
        for person in travellers(NAMES, seed=3)
    ]


def wrk_script(token: str, out: Path) -> str:
    """The Lua script: the bodies, the token, where done() writes."""
    texts = [json.dumps(body) for body in bodies()]  # ASCII: \\u escapes pass through Lua
    assert not any("]==]" in text for text in texts)
    lua = ",".join(f"[==[{text}]==]" for text in texts)
    return WRK_SCRIPT % {"bodies": lua, "token": token, "out": out}


def processes(pid: int) -> list[int]:
    """A process and its descendants (the uvicorn workers)."""
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        try:
            for task in Path(f"/proc/{current}/task").iterdir():
                todo += [int(c) for c in (task / "children").read_text().split()]
        except FileNotFoundError:
            continue
        found.append(current)
    return found


def memory_mib(pid: int) -> float:
    """Resident memory of the server, all its processes together."""
    total = 0
    for current in processes(pid):
        status = Path(f"/proc/{current}/status").read_text()
        total += next(int(line.split()[1]) for line in status.splitlines() if line[:6] == "VmRSS:")
    return round(total / 1024, 1)


def cpu_seconds(pid: int) -> float:
    """CPU time (user and system) the server's processes have used so far."""
    ticks = 0
    for current in processes(pid):
        fields = Path(f"/proc/{current}/stat").read_text().rpartition(")")[2].split()
        ticks += int(fields[11]) + int(fields[12])  # utime, stime
    return ticks / os.sysconf("SC_CLK_TCK")


def warm_up(base: str, token: str, workers: int) -> None:
    """Every name, so that the measured runs find the caches (entity responses, prepared
    names) as a service that has been up a while has them: in every worker, each of which
    has its own. A connection stays with the worker that accepted it, so each pass opens new
    ones, and there are two passes per worker (a name then misses a worker of two one time
    in sixteen)."""
    headers = {"Authorization": f"Bearer {token}"}
    for _ in range(2 * workers if workers > 1 else 1):
        with httpx.Client(timeout=60) as http, ThreadPoolExecutor(8) as pool:
            list(
                pool.map(
                    lambda b: http.post(f"{base}/match/default", json=b, headers=headers),
                    bodies(),
                )
            )


class Server:
    """``watchkeeper serve`` in a subprocess, on a store of its own."""

    def __init__(self, data_dir: Path, workers: int, src: str | None) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        env = {**os.environ, "WATCHKEEPER_LOG_LEVEL": "error"}
        if src is not None:
            env["PYTHONPATH"] = src
        command = [str(WATCHKEEPER), "--data-dir", str(data_dir), "serve", "--port", str(self.port)]
        if workers > 1:
            command += ["--workers", str(workers)]
        self.process = subprocess.Popen(command, env=env)
        self.wait_ready(workers)

    def wait_ready(self, workers: int, timeout: float = 300.0) -> None:
        """Until /readyz answers 200 often enough that every worker has built its index."""
        deadline, ready = time.monotonic() + timeout, 0
        while time.monotonic() < deadline and ready < 20 * workers:
            try:
                ready = ready + 1 if httpx.get(f"{self.base}/readyz").status_code == 200 else 0
            except httpx.HTTPError:
                ready = 0
            time.sleep(0.05 if ready else 0.5)
        if ready < 20 * workers:
            raise RuntimeError("the service did not become ready")

    def stop(self) -> None:
        """Stop and wait for it."""
        self.process.send_signal(signal.SIGINT)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def run_wrk(
    server: Server, script: Path, out: Path, connections: int, seconds: float
) -> dict[str, Any]:
    """One wrk run; its figures."""
    threads = min(2, connections)
    cpu_before = cpu_seconds(server.process.pid)
    subprocess.run(
        ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds:g}s", "--timeout", "10s",
         "-s", str(script), server.base],
        check=True,
        stdout=subprocess.DEVNULL,
    )  # fmt: skip
    cpu = cpu_seconds(server.process.pid) - cpu_before
    raw = json.loads(out.read_text())
    seconds_run = raw["duration_us"] / 1e6
    return {
        "connections": connections,
        "seconds": round(seconds_run, 1),
        "requests": raw["requests"],
        "requests_per_second": round(raw["requests"] / seconds_run, 1),
        "p50_ms": round(raw["p50_us"] / 1000, 1),
        "p99_ms": round(raw["p99_us"] / 1000, 1),
        "max_ms": round(raw["max_us"] / 1000, 1),
        "server_cpu_ms_per_request": round(1000 * cpu / max(1, raw["requests"]), 2),
        "errors": sum(raw[k] for k in ("connect", "read", "write", "status", "timeout")),
        "load_average": round(os.getloadavg()[0], 2),  # of the last minute, as the run ends
        "error_kinds": {k: raw[k] for k in ("connect", "read", "write", "status", "timeout")},
    }


def profile(server: Server, script: Path, out: Path, seconds: float) -> dict[str, Any]:
    """py-spy over every server process while wrk runs at 32 connections, sampling the
    threads that hold the GIL (so: Python's CPU time): watchkeeper's functions by the share
    of samples they are on the stack (inclusive), any function by the share at the top."""
    spy = shutil.which("py-spy") or str(Path(sys.executable).parent / "py-spy")
    folded = out.with_suffix(".folded")
    recorder = subprocess.Popen(
        [spy, "record", "--pid", str(server.process.pid), "--subprocesses", "--format", "raw",
         "--rate", "200", "--gil", "--duration", f"{seconds:g}", "--output", str(folded),
         "--nonblocking"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    run_wrk(server, script, out, GOAL["connections"], seconds)
    recorder.wait()
    inclusive: collections.Counter[str] = collections.Counter()
    own: collections.Counter[str] = collections.Counter()
    busy = 0
    for line in folded.read_text(errors="replace").splitlines():
        stack, _, count = line.rpartition(" ")
        # 'process PID:"COMMAND";frame;...;frame COUNT': a worker's command holds a ';'
        frames = stack.partition('";')[2].split(";")
        if not count.isdigit() or not frames[-1] or _idle(frames[-1]):
            continue
        busy += int(count)
        own[_frame(frames[-1])] += int(count)
        for frame in {_frame(f) for f in frames if _ours(f)}:
            inclusive[frame] += int(count)
    return {
        "samples": busy,
        "inclusive": [
            {"function": f, "pct": round(100 * n / busy, 1)} for f, n in inclusive.most_common(TOP)
        ],
        "self": [{"function": f, "pct": round(100 * n / busy, 1)} for f, n in own.most_common(TOP)],
    }


def _frame(text: str) -> str:
    """``function (path/to/module.py:line)`` as ``package/module.py:function``."""
    name, _, where = text.partition(" (")
    path = Path(where.split(":")[0])
    return f"{path.parent.name}/{path.name}:{name}"


def _ours(frame: str) -> bool:
    """A frame of watchkeeper's code, but not the command that started the server (the
    root of every stack of its main thread)."""
    where = frame.partition(" (")[2]
    return ("watchkeeper/" in where) and "watchkeeper/cli/" not in where


def _idle(frame: str) -> bool:
    """Where a thread waits rather than works."""
    return frame.partition(" (")[0] in {"select", "wait", "run_forever", "poll", "sleep", "get"}


class Version:
    """One version of the service under test: its store, its server, what was measured."""

    def __init__(self, label: str, rev: str, folder: Path, src: str | None) -> None:
        self.label, self.rev, self.src = label, rev, src
        self.data_dir = folder / "store"
        self.data_dir.mkdir()
        self.token = prepared(self.data_dir, src)
        self.script, self.out = self.data_dir / "match.lua", self.data_dir / "wrk.json"
        self.script.write_text(wrk_script(self.token, self.out))
        self.server: Server | None = None
        code = Path(src.split(os.pathsep)[-1]) if src else ROOT / "src"
        self.result: dict[str, Any] = {"rev": _describe(rev), "matcher": matcher(code), "runs": []}

    def start(self, workers: int) -> None:
        """Serve, and warm every worker."""
        self.server = Server(self.data_dir, workers, self.src)
        self.result.update(workers=workers, memory_mib={"before": self.memory()})
        warm_up(self.server.base, self.token, workers)

    def run(self, connections: int, seconds: float) -> None:
        """One load level."""
        assert self.server is not None
        found = run_wrk(self.server, self.script, self.out, connections, seconds)
        self.result["runs"].append(found)

    def finish(self, profile_seconds: float) -> None:
        """Memory after the runs, the profile, then stop and verify the audit chain: every
        answered request left its record."""
        assert self.server is not None
        try:
            self.result["memory_mib"]["after"] = self.memory()
            self.result["profile_top"] = (
                profile(self.server, self.script, self.out, profile_seconds)
                if profile_seconds
                else {}
            )
        finally:
            self.stop()
        check = subprocess.run(
            [str(WATCHKEEPER), "--data-dir", str(self.data_dir), "audit", "verify"],
            env={**os.environ, **({"PYTHONPATH": self.src} if self.src else {})},
            capture_output=True,
            text=True,
        )
        self.result["audit_verify"] = "ok" if check.returncode == 0 else check.stdout + check.stderr

    def stop(self) -> None:
        if self.server is not None:
            self.server.stop()
            self.server = None

    def memory(self) -> float:
        assert self.server is not None
        return memory_mib(self.server.process.pid)


def prepared(folder: Path, src: str | None) -> str:
    """A store in ``folder`` prepared by the code in ``src`` (this checkout's without)."""
    if src is None:
        return prepare_store(folder)
    env = {**os.environ, "PYTHONPATH": f"{src}{os.pathsep}{Path(__file__).parent}"}
    done = subprocess.run(
        [sys.executable, __file__, "--prepare", str(folder)],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return done.stdout.strip().splitlines()[-1]


def table(result: dict[str, Any]) -> str:
    """The Markdown summary."""
    lines = [
        "| service | workers | connections | seconds | requests/s | p50 | p99 | errors "
        "| server CPU per request | load average | memory before → after |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for label in ("before", "after"):
        version = result.get(label)
        if not version:
            continue
        memory = version["memory_mib"]
        for run in version["runs"]:
            lines.append(
                f"| {label} ({version['rev']}, {version['matcher']}) | "
                f"{version['workers']} | {run['connections']} | "
                f"{run['seconds']} | {run['requests_per_second']} | {run['p50_ms']} ms | "
                f"{run['p99_ms']} ms | {run['errors']} | {run['server_cpu_ms_per_request']} ms | "
                f"{run['load_average']} | {memory['before']} → {memory['after']} MiB |"
            )
    lines.append("")
    lines.append(
        "Goal: ≥ 1,500 requests/s, p99 < 50 ms, no errors at 32 connections "
        "(POST /match/default, UN + OFAC, server and wrk on the same cores). The runs of the "
        "two versions alternate; the load average is the machine's over the minute before a "
        "run ended (other work on the machine slows both)."
    )
    for label in ("before", "after"):
        version = result.get(label)
        if not version or not version["profile_top"]:
            continue
        top = version["profile_top"]
        lines += ["", f"Profile under load at 32 connections, {label} ({top['samples']} samples):"]
        lines += ["", "| watchkeeper function (inclusive) | % | any function (self) | % |"]
        lines += ["| --- | ---: | --- | ---: |"]
        lines += [
            f"| `{a['function']}` | {a['pct']} | `{b['function']}` | {b['pct']} |"
            for a, b in zip(top["inclusive"], top["self"], strict=False)
        ]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument(
        "--connections", type=lambda s: [int(c) for c in s.split(",")], default=[16, 32, 64]
    )
    parser.add_argument("--workers", type=int, default=2)  # one per core of the goal's two
    parser.add_argument("--profile-seconds", type=float, default=15.0)
    parser.add_argument("--baseline", default=BASELINE, help="a git revision, or none")
    parser.add_argument("--prepare", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.prepare:  # a baseline's store, prepared by the baseline's code
        print(prepare_store(args.prepare))
        return
    result: dict[str, Any] = {
        "benchmark": "service_load",
        "endpoint": "POST /match/default",
        "lists": ["un", "ofac-sdn-2021-07"],
        "load": f"wrk, {NAMES} names in turn, server and wrk on {os.cpu_count()} cores",
        "goal": GOAL,
        "date": time.strftime("%Y-%m-%d"),
    }
    labels = [("after", "HEAD")] + ([("before", args.baseline)] if args.baseline != "none" else [])
    with tempfile.TemporaryDirectory() as tmp:
        versions = []
        for label, rev in labels:
            folder = Path(tmp) / label
            folder.mkdir()
            src = baseline_src(rev, folder) if label == "before" else None
            versions.append(Version(label, rev, folder, src))
        try:
            for version in versions:
                version.start(args.workers)
            for connections in args.connections:  # in turn: a busier machine slows both
                for version in versions:
                    version.run(connections, args.seconds)
            for version in versions:
                version.finish(args.profile_seconds)
        finally:
            for version in versions:
                version.stop()
    for version in versions:
        result[version.label] = version.result
    publish("service_load", result, table(result))


def _describe(rev: str) -> str:
    done = subprocess.run(
        ["git", "-C", str(ROOT), "rev-parse", "--short", rev], capture_output=True, text=True
    )
    return done.stdout.strip() or rev


if __name__ == "__main__":
    main()
