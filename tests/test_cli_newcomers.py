"""The command line for a newcomer: ``mamar demo`` says how to read its database and the
CLI finds it from the same folder; a read command on a missing database says so and
creates nothing; output into a closed pipe ends with status 0."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

MAMAR = str(Path(sys.executable).with_name("mamar"))


def _run(*args: str, cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k != "MAMAR_DATABASE_URL"}
    return subprocess.run(
        [MAMAR, *args], cwd=cwd, env={**clean, **env}, capture_output=True, text=True, timeout=300
    )


def test_a_read_command_on_a_missing_database_says_so_and_creates_nothing(
    tmp_path: Path,
) -> None:
    result = _run("timeline", cwd=tmp_path, MAMAR_LANG="ar")
    assert result.returncode == 1
    assert "لا توجد قاعدة بيانات" in result.stderr and "لم يُنشأ شيء" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_the_demo_database_is_found_from_its_folder_and_a_closed_pipe_ends_well(
    tmp_path: Path,
) -> None:
    demo = _run("demo", "--no-serve", cwd=tmp_path)
    assert demo.returncode == 0, demo.stderr
    assert "--database sqlite:///" in demo.stdout and "mamar-demo.db" in demo.stdout
    read = subprocess.Popen(
        [MAMAR, "timeline", "--lang", "ar"],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={k: v for k, v in os.environ.items() if k != "MAMAR_DATABASE_URL"},
    )
    assert read.stdout is not None and read.stderr is not None
    first = read.stdout.readline().decode()
    read.stdout.close()  # like `| head -1`
    assert read.wait(timeout=300) == 0, read.stderr.read().decode()
    assert "سُجّلت منظمة" in first
    assert not (tmp_path / "mamar.db").exists()


def test_lang_applies_to_checkpoint_and_witness_messages(tmp_path: Path) -> None:
    key = tmp_path / "log.key"
    made = _run(
        "--lang", "ar", "checkpoint", "new-key", "mamar.example/x", "-o", str(key), cwd=tmp_path
    )
    assert made.returncode == 0, made.stderr
    assert "كُتب المفتاح في" in made.stdout
    again = _run(
        "--lang", "ar", "checkpoint", "new-key", "mamar.example/x", "-o", str(key), cwd=tmp_path
    )
    assert again.returncode != 0 and "لا يُكتب فوق مفتاح توقيع أبداً" in again.stderr
    witness = _run(
        "--lang",
        "ar",
        "witness",
        "new-key",
        "w.example",
        "-o",
        str(tmp_path / "w.key"),
        cwd=tmp_path,
    )
    assert witness.returncode == 0, witness.stderr
    assert "سجّل هذا المفتاح العام" in witness.stdout


def test_the_global_lang_reaches_a_commands_own_output(tmp_path: Path) -> None:
    demo = _run("demo", "--no-serve", cwd=tmp_path)
    assert demo.returncode == 0, demo.stderr
    shown = _run("--lang", "ar", "timeline", "--type", "convoy.", cwd=tmp_path)
    assert shown.returncode == 0, shown.stderr
    assert "خُطّط لقافلة" in shown.stdout and "Convoy planned" not in shown.stdout


def test_python_dash_m_mamar_is_the_mamar_command(tmp_path: Path) -> None:
    """``python -m mamar`` (a machine without the entry point on its path) is the CLI."""
    clean = {k: v for k, v in os.environ.items() if k != "MAMAR_DATABASE_URL"}
    ran = subprocess.run(
        [sys.executable, "-m", "mamar", "--lang", "ar", "status", "--database", "gone.db"],
        cwd=tmp_path,
        env=clean,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert ran.returncode == 1, ran.stderr
    assert "لا توجد قاعدة بيانات" in ran.stderr and not (tmp_path / "gone.db").exists()
