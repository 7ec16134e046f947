"""Live streams benchmark: what 500 idle ``/live`` streams cost every other request.

Run: ``.venv/bin/python bench/live.py [--quick] [--streams 500]``.
A real uvicorn server (one process, as ``mamar serve`` runs by default; a child
process on 127.0.0.1) serves the aleppo-2016 demo from a temporary SQLite file.
Two clients, each on its own keep-alive connection, request ``/api/v1/health`` (a
constant answer) and an operation's dashboard (signed in) in turn, and the latency
of each request is recorded:

1. with no live stream open (the baseline);
2. with ``--streams`` live streams open and idle (each a signed-in
   ``GET /live?operation=…`` whose first line has arrived; nothing is recorded
   meanwhile, so the streams only wait);
3. with none again, the streams closed (a second baseline: the machine is shared,
   so the baseline is the two rounds around the measured one, together).

``live_500_p99_vs_idle`` is the larger of the two ratios p99 with the streams /
p99 without (health and dashboard; each printed too). Target: at most 2. A
stream that held a worker thread (as before) exhausts the server's thread pool at
40 streams: the requests then wait for minutes and the run stops with the reason.

The last lines are ``name: value``.
"""

from __future__ import annotations

import argparse
import http.client
import json
import socket
import statistics
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.live_server import OPERATION, PASSWORD, live_server

TARGET = 2.0
CLIENTS = 2
REQUEST_TIMEOUT = 60.0


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def sign_in(host: str, port: int) -> str:
    """A session cookie header for the coordinator (through the JSON API)."""
    conn = http.client.HTTPConnection(host, port, timeout=REQUEST_TIMEOUT)
    body = json.dumps({"username": "coordinator", "password": PASSWORD})
    conn.request("POST", "/api/v1/auth/login", body, {"Content-Type": "application/json"})
    response = conn.getresponse()
    response.read()
    if response.status != 200:
        raise SystemExit(f"could not sign in: HTTP {response.status}")
    cookies = [
        value.split(";", 1)[0]
        for name, value in response.getheaders()
        if name.lower() == "set-cookie"
    ]
    conn.close()
    return "; ".join(cookies)


def timed_requests(host: str, port: int, path: str, cookie: str, count: int) -> list[float]:
    """``count`` GETs of ``path`` over one keep-alive connection; each one's milliseconds."""
    conn = http.client.HTTPConnection(host, port, timeout=REQUEST_TIMEOUT)
    headers = {"Cookie": cookie, "Accept": "text/html"}
    times = []
    for _ in range(count):
        started = time.perf_counter()
        conn.request("GET", path, headers=headers)
        response = conn.getresponse()
        response.read()
        times.append((time.perf_counter() - started) * 1000.0)
        if response.status != 200:
            raise SystemExit(f"GET {path}: HTTP {response.status}")
    conn.close()
    return times


def measure(host: str, port: int, cookie: str, count: int) -> dict[str, list[float]]:
    """Latencies of health and the dashboard, ``count`` each, over :data:`CLIENTS` clients."""
    paths = {"health": "/api/v1/health", "dashboard": f"/ops/{OPERATION}/dashboard"}
    found: dict[str, list[float]] = {}
    with ThreadPoolExecutor(CLIENTS) as pool:
        for name, path in paths.items():
            runs = pool.map(
                lambda _, path=path: timed_requests(host, port, path, cookie, count // CLIENTS),
                range(CLIENTS),
            )
            found[name] = [t for run in runs for t in run]
    return found


def p99(values: list[float]) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[98]


def open_streams(host: str, port: int, cookie: str, count: int) -> list[socket.socket]:
    """``count`` live streams, each open once its first line has arrived."""
    request = (
        f"GET /live?operation={OPERATION} HTTP/1.1\r\nHost: {host}:{port}\r\n"
        f"Cookie: {cookie}\r\nAccept: text/event-stream\r\n\r\n"
    ).encode()
    streams = []
    for number in range(count):
        sock = socket.create_connection((host, port), timeout=REQUEST_TIMEOUT)
        sock.sendall(request)
        received = b""
        try:
            while b"retry:" not in received:
                chunk = sock.recv(4096)
                if not chunk:
                    raise SystemExit(f"stream {number + 1} closed before its first line")
                received += chunk
        except TimeoutError:
            raise SystemExit(
                f"stream {number + 1} sent nothing within {REQUEST_TIMEOUT:.0f} s "
                "(the server's worker threads are all taken by the streams before it)"
            ) from None
        status = received.split(b"\r\n", 1)[0]
        if b" 200 " not in status:
            raise SystemExit(f"stream {number + 1}: {status!r}")
        streams.append(sock)
    return streams


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer requests (about a minute)")
    parser.add_argument("--streams", type=int, default=500, help="idle live streams to open")
    args = parser.parse_args()
    count = 300 if args.quick else 1500
    with tempfile.TemporaryDirectory() as directory, live_server(Path(directory)) as server:
        where = urlsplit(server.url)
        host, port = where.hostname or "127.0.0.1", where.port or 80
        cookie = sign_in(host, port)
        measure(host, port, cookie, 40)  # warm-up: templates compiled, caches filled
        log(f"baseline: {count} requests each, no stream open")
        before = measure(host, port, cookie, count)
        log(f"opening {args.streams} live streams")
        started = time.perf_counter()
        streams = open_streams(host, port, cookie, args.streams)
        log(f"{len(streams)} streams open in {time.perf_counter() - started:.1f} s")
        time.sleep(1.0)
        log(f"with {len(streams)} idle streams: {count} requests each")
        during = measure(host, port, cookie, count)
        for sock in streams:
            sock.close()
        time.sleep(1.0)
        log("baseline again, the streams closed")
        after = measure(host, port, cookie, count)
    figures: dict[str, float] = {}
    ratios = []
    for name in ("health", "dashboard"):
        idle = p99(before[name] + after[name])
        loaded = p99(during[name])
        figures[f"{name}_p99_ms_idle (baseline)"] = idle
        figures[f"{name}_p99_ms_{args.streams}_streams"] = loaded
        figures[f"{name}_p50_ms_idle"] = statistics.median(before[name] + after[name])
        figures[f"{name}_p50_ms_{args.streams}_streams"] = statistics.median(during[name])
        figures[f"live_{args.streams}_{name}_p99_vs_idle"] = loaded / idle
        ratios.append(loaded / idle)
    figures[f"live_{args.streams}_p99_vs_idle"] = max(ratios)
    print(f"target: live_{args.streams}_p99_vs_idle <= {TARGET}")
    for name, value in figures.items():
        print(f"{name}: {value:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
