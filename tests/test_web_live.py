"""The live stream delivers a new incident the viewer may see."""

from __future__ import annotations

import json
import socket
import threading
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

from mamar.incidents.commands import ReportIncident
from mamar.system import Mamar
from tests.live_server import PASSWORD, live_server
from tests.web_support import OP, make_web


def test_live_stream_delivers_a_new_incident(system: Mamar) -> None:
    web = make_web(system)
    client = web.client("liaison")
    received: list[dict[str, object]] = []
    moments: dict[str, float] = {}

    def report() -> None:
        time.sleep(0.8)
        system.execute(
            ReportIncident.model_validate(
                {
                    "id": "live-incident",
                    "operation": OP,
                    "event_type": "battles",
                    "description": {"original": "اشتباك"},
                    "source": {"text": "monitor", "kind": "own_team"},
                }
            ),
            actor=system.actor("monitor"),
        )
        moments["reported"] = time.monotonic()

    with client.stream("GET", f"/live?operation={OP}") as response:
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/event-stream")
        threading.Thread(target=report).start()
        for line in response.iter_lines():
            if line.startswith("data: "):
                received.append(json.loads(line[6:]))
                moments["received"] = time.monotonic()
                break
    assert received and received[0]["entity_id"] == "live-incident"
    assert received[0]["type"] == "incident.reported"
    # Delivered within 2 seconds of being recorded.
    assert moments["received"] - moments["reported"] < 2.0


#: More idle streams than the server's pool of worker threads (40) for synchronous work.
IDLE_STREAMS = 60


def _stream_lines(host: str, port: int, cookie: str) -> socket.socket:
    sock = socket.create_connection((host, port), timeout=60)
    sock.sendall(
        f"GET /live?operation={OP} HTTP/1.1\r\nHost: {host}\r\nCookie: {cookie}\r\n\r\n".encode()
    )
    received = b""
    while b"retry:" not in received:
        chunk = sock.recv(4096)
        assert chunk, "the stream closed before its first line"
        received += chunk
    assert received.startswith(b"HTTP/1.1 200"), received[:80]
    return sock


def _threads(pid: int) -> int:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(next(line.split()[1] for line in status.splitlines() if line.startswith("Threads:")))


def test_idle_live_streams_hold_no_worker_thread(tmp_path: Path) -> None:
    """More idle streams than the server has worker threads: the server process runs
    only a few threads (a stream that held one while idle used up the pool of 40, and
    every other request waited for a stream's keep-alive), other requests are
    answered, and the streams still deliver."""
    with live_server(tmp_path) as server:
        where = urlsplit(server.url)
        host, port = where.hostname or "", where.port or 0
        login = urllib.request.Request(
            f"{server.url}/api/v1/auth/login",
            data=json.dumps({"username": "coordinator", "password": PASSWORD}).encode(),
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(login, timeout=30) as response:
            cookie = "; ".join(
                c.split(";", 1)[0] for c in response.headers.get_all("Set-Cookie") or []
            )
        streams = [_stream_lines(host, port, cookie) for _ in range(IDLE_STREAMS)]
        try:
            time.sleep(1.0)
            threads = _threads(server.process.pid)
            assert threads < IDLE_STREAMS // 2, f"{threads} threads for {IDLE_STREAMS} streams"
            # A route run in a worker thread, and a page.
            for path in ("/api/v1/health", f"/ops/{OP}/dashboard"):
                request = urllib.request.Request(server.url + path, headers={"Cookie": cookie})
                with urllib.request.urlopen(request, timeout=60) as response:
                    assert response.status == 200
            # The streams are still open and still deliver: a new incident reaches the last.
            report_through_services(server.system())
            last = streams[-1]
            received = b""
            while b"incident.reported" not in received:
                chunk = last.recv(4096)
                assert chunk, "the stream closed"
                received += chunk
        finally:
            for sock in streams:
                sock.close()


def report_through_services(system: Mamar) -> None:
    try:
        system.execute(
            ReportIncident.model_validate(
                {
                    "id": "idle-streams-incident",
                    "operation": OP,
                    "visibility": "shared",
                    "event_type": "battles",
                    "description": {"original": "اشتباك"},
                    "source": {"text": "monitor", "kind": "own_team"},
                }
            ),
            actor=system.actor("monitor"),
        )
    finally:
        system.dispose()


def test_a_stream_resumes_after_its_last_event_by_cursor_not_position(system: Mamar) -> None:
    web = make_web(system)
    client = web.client("liaison")
    for name in ("first-resumed", "second-resumed"):
        system.execute(
            ReportIncident.model_validate(
                {
                    "id": name,
                    "operation": OP,
                    "event_type": "battles",
                    "description": {"original": "اشتباك"},
                    "source": {"text": "monitor", "kind": "own_team"},
                    "visibility": "shared",
                }
            ),
            actor=system.actor("monitor"),
        )

    def first_event(headers: dict[str, str]) -> tuple[str, dict[str, object]]:
        ident = ""
        with client.stream("GET", f"/live?operation={OP}", headers=headers) as response:
            for line in response.iter_lines():
                if line.startswith("id: "):
                    ident = line[4:]
                if line.startswith("data: "):
                    return ident, json.loads(line[6:])
        raise AssertionError("no event")

    # A browser that missed everything since the first report resumes after it.
    from mamar.access.viewer import viewer_of
    from mamar.reads import timeline

    with system.reading() as conn:
        entries = list(
            timeline(
                conn,
                viewer=system.actor("liaison-ru"),
                operation=OP,
                entity="incident:first-resumed",
                cursors=system.cursors,
            )
        )
    cursor = entries[0].cursor
    assert cursor is not None and not cursor.isdigit()
    ident, data = first_event({"Last-Event-ID": cursor})
    assert data["entity_id"] == "second-resumed"
    assert ident == data["cursor"] and not ident.isdigit() and "position" not in data
    assert system.cursors.open(viewer_of(system.actor("liaison-ru")), ident) > entries[0].position
    # A made-up or stale Last-Event-ID (a restarted development server) starts from now,
    # and a position is not a cursor.
    for stale in ("123", "not-a-cursor"):
        with client.stream(
            "GET", f"/live?operation={OP}", headers={"Last-Event-ID": stale}
        ) as response:
            assert response.status_code == 200
