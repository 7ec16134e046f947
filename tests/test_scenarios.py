"""Scenarios run through the same services; bad steps stop the run naming the step."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from mamar import reads
from mamar.journal import store
from mamar.scenarios import runner
from mamar.services.commands import SYSTEM
from mamar.system import Mamar
from tests.helpers import at

MINI = Path(__file__).parent / "scenarios" / "mini.yaml"


def write_variant(tmp_path: Path, change: dict[str, object]) -> Path:
    data = yaml.safe_load(MINI.read_text())
    data.update(change)
    path = tmp_path / "variant.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True))
    return path


def test_scenario_runs_commands_as_named_accounts_with_their_times(system: Mamar) -> None:
    count = runner.run(system, runner.load(str(MINI)))
    assert count == 1 + 2 + 5
    with system.reading() as conn:
        events = store.read_stream(conn, "convoy:batch-1")
        convoy = reads.get_entity(conn, viewer=SYSTEM, kind="convoy", entity_id="batch-1")
    assert [e.actor for e in events] == ["ops"] * 5
    assert events[1].occurred_at == "2016-12-13T21:00:00+02:00"
    assert (events[1].precision, events[1].phrase) == ("hour", "in the evening")
    assert events[2].occurred_at == "2016-12-13T21:30:00+02:00"
    assert convoy["status"] == "arrived"
    assert convoy["counts"] == {"planned": 40, "boarded": 38, "arrived": 38}


def test_a_refused_step_stops_the_run_naming_step_and_reason(
    sqlite_system: Mamar, tmp_path: Path
) -> None:
    data = yaml.safe_load(MINI.read_text())
    data["steps"][1]["commands"][0]["with"]["status"] = "arrived"  # planned → arrived is illegal
    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True))
    with pytest.raises(runner.ScenarioError) as caught:
        runner.run(sqlite_system, runner.load(str(path)))
    assert caught.value.where == "step S18 command 1"
    assert "cannot become 'arrived'" in caught.value.reason
    with sqlite_system.reading() as conn:
        assert len(store.read_stream(conn, "convoy:batch-1")) == 1


def test_a_step_not_permitted_for_the_account_stops_the_run(
    sqlite_system: Mamar, tmp_path: Path
) -> None:
    data = yaml.safe_load(MINI.read_text())
    data["steps"][0]["as"] = "watcher"  # observers record nothing
    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True))
    with pytest.raises(runner.ScenarioError) as caught:
        runner.run(sqlite_system, runner.load(str(path)))
    assert caught.value.where == "step S17"
    assert "observer" in caught.value.reason and "convoy.plan" in caught.value.reason


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"steps": [{"step": "S1", "at": "2016-12-13T20:00", "do": "convoy.plan"}]}, "offset"),
        (
            {"steps": [{"step": "S1", "at": "2016-12-13T20:00+02:00", "do": "convoy.fly"}]},
            "unknown command 'convoy.fly'",
        ),
        (
            {
                "steps": [
                    {
                        "step": "S9",
                        "at": "2016-12-13T20:00+02:00",
                        "do": "convoy.plan",
                        "with": {"id": "Bad Id", "name": {"en": "x"}},
                    }
                ]
            },
            "step S9",
        ),
    ],
)
def test_malformed_scenarios_are_refused_before_anything_runs(
    sqlite_system: Mamar, tmp_path: Path, change: dict[str, object], message: str
) -> None:
    path = write_variant(tmp_path, change)
    with pytest.raises(runner.ScenarioError, match=message):
        runner.run(sqlite_system, runner.load(str(path)))
    with sqlite_system.reading() as conn:
        assert store.count(conn) == 0


def test_overview_as_of_a_past_moment(system: Mamar) -> None:
    runner.run(system, runner.load(str(MINI)))
    with system.reading() as conn:
        before = reads.overview(
            conn, viewer=SYSTEM, operation="mini-op", at=at("2016-12-13T21:15+02:00").at
        )
        after = reads.overview(conn, viewer=SYSTEM, operation="mini-op")
    assert list(before["convoys_by_status"]) == ["preparing"]
    assert before["evacuated"] == {"planned": 40, "boarded": 0, "arrived": 0}
    assert list(after["convoys_by_status"]) == ["arrived"]
    assert after["evacuated"] == {"planned": 40, "boarded": 38, "arrived": 38}
