"""Benchmark: the service under load, as yente is measured.

A store with the bundled UN list and OFAC's SDN list (2021) is served by ``watchkeeper serve``
(uvicorn, one process) on loopback; a load generator in another process keeps 32 requests in
flight for the given time, each ``POST /match/default`` with one simple person (names drawn as
in false_alerts.py). It reports throughput, p50/p99 latency and errors.
Goal: at least 1,000 requests/s on this 2-core machine with p99 under 50 ms and no errors
(yente: about 4 requests/s per vCPU).

    python bench/service_load.py [--seconds 60] [--clients 32]
"""

import argparse
import asyncio
import json
import multiprocessing
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from false_alerts import OFAC, travellers
from paths import RESULTS, ROOT, UN_LIST
from watchkeeper.auth import create_token, create_user
from watchkeeper.sources import get_source
from watchkeeper.store import load_source, open_engine

WATCHKEEPER = ROOT / ".venv" / "bin" / "watchkeeper"


def free_port() -> int:
    """A loopback port nobody listens on."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def prepare_store(data_dir: Path) -> str:
    """Load the lists and create a screener's token; returns the token."""
    engine = open_engine(f"sqlite:///{data_dir / 'watchkeeper.db'}")
    load_source(engine, get_source("un-xml", UN_LIST), "un", origin=str(UN_LIST), raw_dir=None)
    load_source(engine, get_source("ofac-csv", OFAC), "ofac", origin=str(OFAC), raw_dir=None)
    create_user(engine, "bench", "screener")
    return create_token(engine, "bench")[1]


def wait_ready(base: str, timeout: float = 120.0) -> None:
    """Until /readyz answers 200 (the index is built)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base}/readyz", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise RuntimeError("the service did not become ready")


async def load(base: str, token: str, seconds: float, clients: int) -> dict[str, object]:
    """Keep ``clients`` requests in flight for ``seconds``; latencies in ms and errors."""
    names = [p.names[0] for p in travellers(2000, seed=3)]
    latencies: list[float] = []
    errors = 0
    examples: list[str] = []  # what the first errors were, to tell a 5xx from a dropped socket
    deadline = time.perf_counter() + seconds
    headers = {"Authorization": f"Bearer {token}"}
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)

    async def client(number: int, http: httpx.AsyncClient) -> None:
        nonlocal errors
        i = number
        while time.perf_counter() < deadline:
            body = {"queries": {"q": {"schema": "Person", "properties": {"name": [names[i]]}}}}
            i = (i + clients) % len(names)
            start = time.perf_counter()
            try:
                answer = await http.post(f"{base}/match/default", json=body, headers=headers)
                ok = answer.status_code == 200
                problem = f"HTTP {answer.status_code}: {answer.text[:200]}"
            except httpx.HTTPError as exc:
                ok, problem = False, f"{type(exc).__name__}: {exc}"
            latencies.append((time.perf_counter() - start) * 1000)
            if not ok:
                errors += 1
                if len(examples) < 5:
                    examples.append(problem)

    started = time.perf_counter()
    async with httpx.AsyncClient(limits=limits, timeout=30) as http:
        await asyncio.gather(*(client(n, http) for n in range(clients)))
    elapsed = time.perf_counter() - started
    latencies.sort()
    return {
        "requests": len(latencies),
        "seconds": round(elapsed, 1),
        "requests_per_second": round(len(latencies) / elapsed, 1),
        "p50_ms": round(statistics.median(latencies), 1),
        "p99_ms": round(latencies[int(0.99 * (len(latencies) - 1))], 1),
        "errors": errors,
        "error_examples": examples,
    }


def run_load(
    base: str,
    token: str,
    seconds: float,
    clients: int,
    out: "multiprocessing.Queue[dict[str, object]]",
) -> None:
    """The load generator's process."""
    out.put(asyncio.run(load(base, token, seconds, clients)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--clients", type=int, default=32)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        data_dir = Path(tmp)
        token = prepare_store(data_dir)
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        env = {**os.environ, "WATCHKEEPER_LOG_LEVEL": "error"}
        server = subprocess.Popen(
            [str(WATCHKEEPER), "--data-dir", str(data_dir), "serve", "--port", str(port)], env=env
        )
        try:
            wait_ready(base)
            queue: multiprocessing.Queue[dict[str, object]] = multiprocessing.Queue()
            generator = multiprocessing.Process(
                target=run_load, args=(base, token, args.seconds, args.clients, queue)
            )
            generator.start()
            figures = queue.get()
            generator.join()
        finally:
            server.terminate()
            server.wait(timeout=30)
    result = {
        "benchmark": "service_load",
        "endpoint": "POST /match/default",
        "lists": ["un", "ofac-sdn-2021-07"],
        "clients": args.clients,
        **figures,
        "goal": {"requests_per_second": 1000, "p99_ms": 50, "errors": 0},
        "date": time.strftime("%Y-%m-%d"),
    }
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "service_load.json").write_text(json.dumps(result, indent=2) + "\n")
    (RESULTS / "service_load.md").write_text(
        "| endpoint | clients | seconds | requests/s | p50 | p99 | errors | goal |\n"
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |\n"
        f"| POST /match/default (UN + OFAC) | {args.clients} | {figures['seconds']} | "
        f"{figures['requests_per_second']} | {figures['p50_ms']} ms | {figures['p99_ms']} ms | "
        f"{figures['errors']} | ≥ 1,000/s, p99 < 50 ms, no errors |\n"
    )
    print((RESULTS / "service_load.md").read_text(), file=sys.stderr)


if __name__ == "__main__":
    main()
