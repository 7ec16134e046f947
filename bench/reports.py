"""Situation reports: how long a PDF takes, for aleppo-2016 and for an operation of 100,000 events.

Run: ``.venv/bin/python bench/reports.py [--quick] [--events N]``.
Each figure is the median of several runs (``--quick``: one) of
``mamar.reports.making.make_sitrep`` as a reader sees it: reading the record through
the viewer, building the report, rendering the HTML and laying out the PDF. The
baseline, measured in the same run on the same records, is the same report rendered
as HTML without the PDF; the ratio says what the PDF layout itself costs. The
synthetic operation is ``mamar.scenarios.synthetic`` (the one ``mamar demo
--synthetic N`` loads), written first through the application services into a
temporary SQLite file. Progress goes to stderr; the last lines are ``name: value``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

from mamar.config import Settings
from mamar.domain.model import Actor
from mamar.domain.visibility import Role
from mamar.reports.making import SitrepRequest, make_sitrep
from mamar.scenarios import runner, synthetic
from mamar.system import Mamar
from mamar.vault.store import generate_key

#: Target from issue 14: a PDF of the synthetic operation of 100,000 events in under 10 s.
TARGET_100K_S = 10.0


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def open_system(folder: Path, name: str) -> Mamar:
    settings = Settings(database_url=f"sqlite:///{folder / name}", vault_key=generate_key())
    system = Mamar(settings)
    system.init()
    return system


def seconds(system: Mamar, reader: Actor, request: SitrepRequest, repeats: int) -> float:
    """The median seconds of ``repeats`` reports (one more made first, unmeasured: the
    first loads Pango and the fonts)."""
    make_sitrep(system, reader, request)
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        made = make_sitrep(system, reader, request)
        times.append(time.perf_counter() - start)
        assert made.content
    return statistics.median(times)


def measure(
    system: Mamar, reader: Actor, operation: str, at: datetime, repeats: int, suffix: str
) -> dict[str, float]:
    figures = {}
    for fmt in ("pdf", "html"):
        request = SitrepRequest(operation=operation, at=at, lang="ar", format=fmt)
        figures[f"sitrep_{fmt}_s{suffix}"] = seconds(system, reader, request, repeats)
        say(f"{operation} {fmt}: {figures[f'sitrep_{fmt}_s{suffix}']:.2f} s")
    figures[f"sitrep_pdf_vs_html{suffix}"] = (
        figures[f"sitrep_pdf_s{suffix}"] / figures[f"sitrep_html_s{suffix}"]
    )
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="one run of each report")
    parser.add_argument("--events", type=int, default=100_000, help="synthetic operation's size")
    args = parser.parse_args()
    repeats = 1 if args.quick else 5
    say(f"load average before: {os.getloadavg()}")
    figures: dict[str, float] = {}
    with tempfile.TemporaryDirectory(prefix="mamar-bench-reports-") as tmp:
        folder = Path(tmp)
        aleppo = open_system(folder, "aleppo.db")
        runner.run(aleppo, runner.load("aleppo-2016"))
        reader = aleppo.actor("coordinator")  # the factions' coordinator: a full report
        at = datetime.fromisoformat("2016-12-22T23:00+02:00")
        figures |= measure(aleppo, reader, "aleppo-2016", at, repeats, "")
        aleppo.dispose()

        big = open_system(folder, "synthetic.db")
        say(f"writing a synthetic operation of {args.events} events …")
        start = time.perf_counter()
        written = synthetic.generate(big, args.events)
        say(f"written {written} events in {time.perf_counter() - start:.0f} s")
        coordinator = Actor(username="bench", role=Role.COORDINATOR)
        end = synthetic.START + synthetic.WEEK
        figures |= measure(big, coordinator, synthetic.OPERATION, end, repeats, "_100k")
        figures["sitrep_events_100k"] = written
        big.dispose()
    say(f"load average after: {os.getloadavg()}")
    met = figures["sitrep_pdf_s_100k"] < TARGET_100K_S
    print(f"# sitrep_pdf_s_100k: {'met' if met else 'MISSED'} (target < {TARGET_100K_S:g})")
    for name, value in figures.items():
        print(f"{name}: {value:.3f}" if isinstance(value, float) else f"{name}: {value}")


if __name__ == "__main__":
    main()
