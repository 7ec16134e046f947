"""Serving the product over HTTP: the API, extended by the web pages when they are installed."""

from __future__ import annotations

import errno
import gc
import importlib
import importlib.util
import multiprocessing
import os
import secrets
import signal
import socket
import time
from multiprocessing.process import BaseProcess
from typing import Any

import uvicorn

from mamar.cli.language import cli_lang
from mamar.cli.main import console, fail
from mamar.system import Mamar
from mamar.web.i18n import digits, ntr, tr


def _taken(host: str, port: int) -> bool:
    """Whether another program already listens on ``host:port`` (the probe keeps nothing)."""
    try:
        family, kind, proto, _, address = socket.getaddrinfo(
            host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
        )[0]
    except (OSError, IndexError):
        return False  # an address that cannot be resolved: uvicorn says so itself
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn binds
        try:
            probe.bind(address)
        except OSError as error:
            return error.errno == errno.EADDRINUSE
    return False


def refuse_a_taken_port(host: str, port: int) -> None:
    """Stop before anything is made (no database, no key) when ``port`` is already in use,
    saying so in the reader's language with a free port to choose instead."""
    if not _taken(host, port):
        return
    lang = cli_lang()
    free = next((p for p in range(port + 1, min(port + 100, 65536)) if not _taken(host, p)), 0)
    advice = (
        tr(
            lang,
            "Stop that program, or choose another port with --port, e.g. --port %(free)s.",
            free=free,
        )
        if free
        else tr(lang, "Stop that program, or choose another port with --port.")
    )
    said = tr(
        lang,
        "Port %(port)s on %(host)s is already in use by another program (perhaps another "
        "Mamar server): nothing was started or created.",
        port=digits(str(port), lang),
        host=host,
    )
    raise fail(f"{said} {advice}")


def build_app(system: Mamar) -> Any:
    """``mamar.web.app.create_app`` if this build has pages (it extends the API), else the API."""
    if importlib.util.find_spec("mamar.web") is not None and (
        importlib.util.find_spec("mamar.web.app") is not None
    ):
        return importlib.import_module("mamar.web.app").create_app(system)
    from mamar.api.app import create_app

    return create_app(system)


def app_from_environment() -> Any:
    """The app of one worker process, its settings from the environment (``MAMAR_…``)."""
    return build_app(Mamar())


#: Net allocations between collections of the youngest generation (Python's default: 700).
YOUNG_COLLECTION_THRESHOLD = 50_000


def settle_heap() -> None:
    """Shorter and rarer garbage-collection pauses in a server process; call once the app
    is built. Each pause holds up every request the process has in flight.

    - Everything allocated so far (modules, routes, models: some 210,000 objects, never
      garbage) is frozen out of the collector's sight (``gc.freeze``), so a full
      collection walks only what was allocated since. With two processes at 50 clients
      (bench/api.py, two cores) the constant endpoint's p99 went from about 130 ms to
      about 20 ms, the overview's from 160-180 ms to 70-90 ms.
    - The youngest generation is collected after :data:`YOUNG_COLLECTION_THRESHOLD` net
      allocations rather than 700. Objects of requests still in flight when it is
      collected are promoted, and enough promotions set off a full collection, whose
      pause grows with the states the process has cached (40-90 ms with 5,000
      incidents); most of a request's objects now die by reference count before a
      collection sees them, so full collections come far less often.
    """
    gc.collect()
    gc.freeze()
    _young, middle, old = gc.get_threshold()
    gc.set_threshold(YOUNG_COLLECTION_THRESHOLD, middle, old)


def start_checkpoints(system: Mamar) -> None:
    """Sign a checkpoint every ``MAMAR_CHECKPOINT_INTERVAL`` seconds when the journal grew
    (each server process does; the signature is deterministic, so they agree)."""
    from mamar.evidence.log import Checkpointer

    if system.settings.checkpoint_interval > 0:
        Checkpointer(system, system.settings.checkpoint_interval).start()
    start_retention(system)


def start_retention(system: Mamar) -> None:
    """Erase personal data whose operation's retention ran out, every
    ``MAMAR_RETENTION_INTERVAL`` seconds (each erasure journalled)."""
    from mamar.services.retention import RetentionKeeper

    if system.settings.retention_interval > 0:
        RetentionKeeper(system, system.settings.retention_interval).start()


def serve_app(
    system: Mamar, *, host: str, port: int, workers: int = 1, log_level: str | None = None
) -> None:
    """Serve with uvicorn until interrupted; ``workers`` > 1 runs that many processes."""
    lang = cli_lang()
    where = tr(
        lang,
        "%(url)s (the API: %(api)s, its documentation: %(docs)s)",
        url=f"http://{host}:{port}/",
        api="/api/v1",
        docs="/api/v1/docs",
    )
    if workers <= 1:
        console.print(tr(lang, "serving on %(where)s", where=where), highlight=False)
        app = build_app(system)
        start_checkpoints(system)
        settle_heap()
        uvicorn.run(app, host=host, port=port, log_level=log_level)
        return
    # Each worker builds its own system from the environment: give it this one's database,
    # and in development (no configured secret key) one session key for all of them, so a
    # session signed by one worker is honoured by the others.
    os.environ["MAMAR_DATABASE_URL"] = system.settings.database_url
    if not system.settings.secret_key:
        os.environ["MAMAR_SECRET_KEY"] = secrets.token_urlsafe(32)
    system.dispose()
    console.print(
        tr(
            lang,
            "starting %(processes)s on %(where)s",
            processes=ntr(lang, "%(n)s server process", "%(n)s server processes", workers),
            where=where,
        ),
        highlight=False,
    )
    serve_processes(host=host, port=port, workers=workers, log_level=log_level)


#: A worker that stops within this many seconds of starting is not restarted: serving stops.
EARLY_EXIT_SECONDS = 10.0


def serve_processes(*, host: str, port: int, workers: int, log_level: str | None = None) -> None:
    """``workers`` processes, each a uvicorn server of :func:`app_from_environment` on its
    own listening socket (``SO_REUSEPORT``), until SIGINT or SIGTERM.

    Why not ``uvicorn --workers``: its workers share one listening socket, and the
    first one woken accepts every pending connection, so one process could hold 45 of
    50 clients' connections while the other idled (bench/api.py's throughput at 50
    clients swung between one and two processes' worth from run to run). With a
    socket each, the kernel spreads connections over the processes. Also, uvicorn
    creates that shared socket with protocol number 0, so asyncio leaves Nagle's
    algorithm on for its connections: a response written in two parts then waits for
    the client's delayed acknowledgement, 40 ms on every keep-alive request. Each
    socket here is made from ``getaddrinfo`` (protocol TCP) and has TCP_NODELAY set.

    Prints "N server processes ready" once every one is listening. A worker that
    exits is started again, unless it exits within
    :data:`EARLY_EXIT_SECONDS` of starting (it cannot serve: the port is taken, the
    settings are wrong): then every worker is stopped and this raises SystemExit.
    """
    context = multiprocessing.get_context("spawn")
    stopping = False

    def stop(_signum: int, _frame: Any) -> None:
        nonlocal stopping
        stopping = True

    ready = context.Queue()
    listening: set[int] = set()

    def start() -> tuple[BaseProcess, float]:
        process = context.Process(
            target=_serve_worker, args=(host, port, log_level, ready), name="mamar-worker"
        )
        process.start()
        return process, time.monotonic()

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    running = [start() for _ in range(workers)]
    failed: str | None = None
    try:
        while not stopping and failed is None:
            time.sleep(0.2)
            if len(listening) < workers:
                while not ready.empty():
                    listening.add(ready.get())
                if len(listening) == workers:
                    lang = cli_lang()
                    console.print(
                        tr(
                            lang,
                            "%(processes)s ready",
                            processes=ntr(
                                lang, "%(n)s server process", "%(n)s server processes", workers
                            ),
                        )
                    )
            for index, (process, started) in enumerate(running):
                if process.is_alive() or stopping:
                    continue
                if time.monotonic() - started < EARLY_EXIT_SECONDS:
                    failed = tr(
                        cli_lang(),
                        "a server process exited on starting (exit code %(code)s): serving "
                        "stops. If the port is taken, choose another with --port.",
                        code=process.exitcode,
                    )
                    break
                console.print(
                    tr(
                        cli_lang(),
                        "A server process stopped (exit code %(code)s): starting another.",
                        code=digits(str(process.exitcode), cli_lang()),
                    )
                )
                running[index] = start()
    finally:
        for process, _ in running:
            if process.is_alive():
                process.terminate()
        for process, _ in running:
            process.join(timeout=30)
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    if failed is not None:
        raise SystemExit(failed)


class _Worker(uvicorn.Server):
    """A uvicorn server that tells the supervisor when it is listening."""

    def __init__(self, config: uvicorn.Config, ready: Any) -> None:
        super().__init__(config)
        self.ready = ready

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets=sockets)
        if self.started:
            self.ready.put(os.getpid())


def _serve_worker(host: str, port: int, log_level: str | None, ready: Any) -> None:
    family, kind, proto, _, address = socket.getaddrinfo(
        host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
    )[0]
    sock = socket.socket(family, kind, proto)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    sock.bind(address)
    app = app_from_environment()
    start_checkpoints(app.state.system)
    settle_heap()
    _Worker(uvicorn.Config(app, host=host, port=port, log_level=log_level), ready).run(
        sockets=[sock]
    )
