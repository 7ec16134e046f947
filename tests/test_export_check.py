"""`export journal` verifies as it is, by a checker that knows none of our code.

The checker below uses only ``hashlib`` and ``json``: it is what an outside
expert would write from docs/evidence.md.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from typer.testing import CliRunner

from mamar.cli import app
from mamar.journal import tree
from mamar.system import Mamar

MINI = str(Path(__file__).parent / "scenarios" / "mini.yaml")
runner = CliRunner()


def independent_check(lines: list[str]) -> tuple[int, bytes]:
    """Recompute the chain and the RFC 6962 root of an export; return (events, root)."""
    prev = bytes(32)
    leaves: list[bytes] = []
    for number, line in enumerate(lines, start=1):
        event = json.loads(line)
        body = event["body"].encode("utf-8")
        assert bytes.fromhex(event["prev_hash"]) == prev, f"event {number}: chain broken"
        digest = hashlib.sha256(prev + body).digest()
        assert digest.hex() == event["hash"], f"event {number}: hash does not match its body"
        hashed = json.loads(body)
        for name, value in hashed.items():
            assert event[name] == value, f"event {number}: {name} differs from the hashed body"
        assert hashed["position"] == number
        leaves.append(hashlib.sha256(b"\x00" + body).digest())
        prev = digest

    def root(items: list[bytes]) -> bytes:
        if len(items) == 1:
            return items[0]
        split = 1
        while split * 2 < len(items):
            split *= 2
        return hashlib.sha256(b"\x01" + root(items[:split]) + root(items[split:])).digest()

    return len(leaves), root(leaves) if leaves else hashlib.sha256(b"").digest()


def test_an_independent_checker_recomputes_the_whole_exported_chain_and_tree(
    sqlite_system: Mamar, tmp_path: Path
) -> None:
    url = sqlite_system.settings.database_url
    assert runner.invoke(app, ["scenario", "run", MINI, "-d", url]).exit_code == 0
    out = tmp_path / "journal.jsonl"
    result = runner.invoke(
        app, ["export", "journal", "--every-organisation", "-d", url, "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    count, root = independent_check(out.read_text(encoding="utf-8").splitlines())
    with sqlite_system.reading() as conn:
        head = tree.tree_head(conn)
    assert (count, root) == (head.size, head.root) and count == 8


def test_the_checker_catches_one_changed_character(sqlite_system: Mamar, tmp_path: Path) -> None:
    url = sqlite_system.settings.database_url
    assert runner.invoke(app, ["scenario", "run", MINI, "-d", url]).exit_code == 0
    out = tmp_path / "journal.jsonl"
    assert (
        runner.invoke(
            app, ["export", "journal", "--every-organisation", "-d", url, "-o", str(out)]
        ).exit_code
        == 0
    )
    lines = out.read_text(encoding="utf-8").splitlines()
    event = json.loads(lines[3])
    event["body"] = event["body"].replace('"version":', '"version": ', 1)
    lines[3] = json.dumps(event, ensure_ascii=False)
    try:
        independent_check(lines)
    except AssertionError as failure:
        assert "event 4: hash does not match its body" in str(failure)
    else:
        raise AssertionError("a changed body went unnoticed")
