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
    assert events[1].precision == "hour"
    assert events[1].phrase == {"original": "in the evening", "language": "en", "translations": []}
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
    assert caught.value.where == "step 2 (S18) command 1 (convoy.change_status)"
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
    assert caught.value.where == "step 1 (S17)"
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
            "step 1 \\(S9\\)",
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


def _refusal(tmp_path: Path, steps: list[dict[str, object]]) -> runner.ScenarioError:
    path = write_variant(tmp_path, {"steps": steps})
    with pytest.raises(runner.ScenarioError) as caught:
        runner.plan(runner.load(str(path)))
    return caught.value


def test_errors_name_the_step_by_number_and_name_with_its_title(tmp_path: Path) -> None:
    ok = {
        "step": "S1",
        "at": "2016-12-13T20:00+02:00",
        "do": "operation.close",
        "with": {"id": "mini-op"},
    }
    bad = {
        "step": "S7",
        "title": "The convoy is planned",
        "at": "2016-12-13T20:00+02:00",
        "commands": [
            {"do": "operation.close", "with": {"id": "mini-op"}},
            {"do": "convoy.plan", "with": {"id": "c", "name": {"en": "x"}, "colour": "red"}},
        ],
    }
    refused = _refusal(tmp_path, [ok, bad])
    assert refused.where == "step 2 (S7: The convoy is planned) command 2 (convoy.plan)"
    # An unknown field is named, with the fields allowed in its place.
    assert "unknown field 'colour'" in refused.reason
    assert "the fields allowed here are: " in refused.reason
    allowed = refused.reason.split("the fields allowed here are: ")[1].split(", ")
    assert {"name", "origin", "stops", "vehicles", "group"} <= set(allowed)


def test_unknown_fields_inside_a_value_list_the_values_fields(tmp_path: Path) -> None:
    step = {
        "step": "S3",
        "at": "2016-12-13T20:00+02:00",
        "do": "convoy.plan",
        "with": {
            "id": "c",
            "name": {"en": "x"},
            "stops": [{"place": "p", "kind": "pickup", "when": 1}],
        },
    }
    refused = _refusal(tmp_path, [step])
    assert refused.where == "step 1 (S3)"
    assert "stops.0.when: unknown field 'when'" in refused.reason
    assert "the fields allowed here are: kind, leg, note, place" in refused.reason


def test_a_malformed_step_is_named_by_number_and_name_on_loading(tmp_path: Path) -> None:
    first = {
        "step": "S1",
        "at": "2016-12-13T20:00+02:00",
        "do": "operation.close",
        "with": {"id": "mini-op"},
    }
    second = {"step": "S2", "title": "Late", "at": "2016-12-13T21:00+02:00", "do": "x", "when": 3}
    path = write_variant(tmp_path, {"steps": [first, second]})
    with pytest.raises(runner.ScenarioError) as caught:
        runner.load(str(path))
    assert caught.value.where.endswith("step 2 (S2: Late)")
    assert "when: unknown field 'when'" in caught.value.reason
    allowed = caught.value.reason.split("the fields allowed here are: ")[1].split(", ")
    assert {"as", "at", "commands", "do", "phrase", "precision", "step", "title", "with"} <= set(
        allowed
    )


def test_a_command_with_its_own_time_does_not_take_the_steps_phrase(tmp_path: Path) -> None:
    step = {
        "step": "S25",
        "at": "2016-12-14T19:00+02:00",
        "phrase": "after long hours of waiting",
        "commands": [
            {"do": "operation.close", "with": {"id": "mini-op"}},
            {"do": "operation.close", "with": {"id": "mini-op"}, "at": "2016-12-14T22:30+02:00"},
            {
                "do": "operation.close",
                "with": {"id": "mini-op"},
                "at": "2016-12-14T22:40+02:00",
                "phrase": "later",
            },
        ],
    }
    path = write_variant(tmp_path, {"steps": [step]})
    planned = [p for p in runner.plan(runner.load(str(path))) if p.label.startswith("step 1")]
    said = [p.occurred.phrase and p.occurred.phrase.original for p in planned]
    assert said == ["after long hours of waiting", None, "later"]
