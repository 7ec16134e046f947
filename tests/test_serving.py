"""`mamar serve --workers N`: several processes, each on its own socket, prompt on keep-alive."""

from __future__ import annotations

import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

import httpx

import mamar
from mamar.vault.store import generate_key
from tests.arabic_text import LATIN_WORD
from tests.live_server import free_port

SERVE = "from mamar.cli import main; main()"
#: The package's source folder: the one the tests import, for a process run with a bare
#: environment.
SOURCE = str(Path(mamar.__file__).parents[1])


def _serve(
    tmp_path: Path, port: int, workers: int, *, supervisor_only: bool = False
) -> subprocess.Popen[str]:
    env = {
        **os.environ,
        "MAMAR_DATABASE_URL": f"sqlite:///{tmp_path / 'serve.db'}",
        "MAMAR_VAULT_KEY": generate_key(),
        "MAMAR_ENVIRONMENT": "development",
    }
    command = [sys.executable, "-c", SERVE, "serve", "--port", str(port)]
    command += ["--workers", str(workers)]
    if supervisor_only:  # its processes started without the command's checks
        supervise = "from mamar.cli.serving import serve_processes as s; s(host='127.0.0.1', "
        command = [sys.executable, "-c", f"{supervise}port={port}, workers={workers})"]
    return subprocess.Popen(
        command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )


def _wait_for(process: subprocess.Popen[str], text: str, seconds: float = 60) -> list[str]:
    assert process.stdout is not None
    lines: list[str] = []
    deadline = time.monotonic() + seconds
    for line in process.stdout:
        lines.append(line)
        if text in line or time.monotonic() > deadline:
            break
    return lines


def test_workers_serve_keep_alive_requests_without_a_delayed_ack_stall(tmp_path: Path) -> None:
    port = free_port()
    server = _serve(tmp_path, port, workers=2)
    try:
        lines = _wait_for(server, "2 server processes ready")
        assert any("2 server processes ready" in line for line in lines), "".join(lines)
        with httpx.Client(base_url=f"http://127.0.0.1:{port}") as client:
            times = []
            for _ in range(30):
                started = time.perf_counter()
                assert client.get("/api/v1/health").status_code == 200
                times.append(time.perf_counter() - started)
        # Nagle's algorithm against the client's delayed acknowledgement costs 40 ms a
        # request on a kept-alive connection; the answer itself takes about one.
        assert statistics.median(times) < 0.02, times
    finally:
        server.send_signal(signal.SIGTERM)
        assert server.wait(timeout=30) == 0


def test_serving_stops_when_its_processes_cannot_listen(tmp_path: Path) -> None:
    """The supervisor's own stop: a port taken between ``serve``'s check (which refuses a
    port already taken, see below) and the processes' start."""
    port = free_port()
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", port))
        taken.listen()
        server = _serve(tmp_path, port, workers=2, supervisor_only=True)
        try:
            assert server.wait(timeout=60) != 0
        finally:
            if server.poll() is None:
                server.kill()
                server.wait()
        assert server.stdout is not None
        assert "exited on starting" in server.stdout.read()


def test_a_port_in_use_is_said_in_the_readers_language_and_nothing_is_made(
    tmp_path: Path,
) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        said = {}
        for lang in ("ar", "en"):
            result = subprocess.run(
                [sys.executable, "-c", SERVE, "--lang", lang, "serve", "--port", str(port)],
                capture_output=True,
                text=True,
                cwd=tmp_path,
                env={"PATH": "/usr/bin:/bin", "COLUMNS": "200", "PYTHONPATH": SOURCE},
                timeout=60,
                check=False,
            )
            assert result.returncode == 1, result.stdout + result.stderr
            said[lang] = " ".join(result.stderr.split())
            assert result.stdout == ""
        assert list(tmp_path.iterdir()) == []  # no database, no key beside it
    arabic = said["ar"]
    assert f"المنفذ {port} على العنوان 127.0.0.1 يستعمله برنامج آخر" in arabic, arabic
    assert "--port" in arabic and "Traceback" not in arabic
    typed = re.compile(r"--port \d+|--port|127\.0\.0\.1")
    assert LATIN_WORD.findall(typed.sub(" ", arabic)) == [], arabic
    english = said["en"]
    assert f"Port {port} on 127.0.0.1 is already in use" in english, english
    assert "choose another port with --port" in english


def test_a_server_process_that_dies_is_replaced_and_it_is_said_in_arabic(tmp_path: Path) -> None:
    """A process lost after its start (killed, out of memory) is replaced; the supervisor
    says so in the reader's language, as everything else it prints."""
    port = free_port()
    os.environ["MAMAR_LANG"] = "ar"  # the conftest puts it back after the test
    server = _serve(tmp_path, port, workers=2)
    try:
        lines = _wait_for(server, "جاهز: ", seconds=120)
        assert any("جاهز: " in line for line in lines), "".join(lines)
        children = subprocess.run(
            ["pgrep", "-P", str(server.pid)], capture_output=True, text=True, check=False
        ).stdout.split()
        workers = [
            pid
            for pid in children
            if "resource_tracker" not in Path(f"/proc/{pid}/cmdline").read_text(errors="replace")
        ]
        assert workers, children
        time.sleep(12)  # past the window in which a lost process stops serving altogether
        os.kill(int(workers[0]), signal.SIGKILL)
        lines = _wait_for(server, "تُشغَّل عملية أخرى", seconds=60)
        said = [line for line in lines if "توقفت إحدى عمليات الخادم" in line]
        assert said and not LATIN_WORD.search(said[0]), "".join(lines)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
