"""The eval metrics and report files on odd episode records: never an exception, never a NaN, strict JSON."""

import json
import math

import pytest

from synthagent_env.evaluation.loop import EvalConfig
from synthagent_env.evaluation.metrics import summarize
from synthagent_env.evaluation.progress import EvalProgress
from synthagent_env.evaluation.records import EpisodeLog, latest_by_key
from synthagent_env.evaluation.report import markdown, write_report

BAD_REWARDS = [float("nan"), float("inf"), float("-inf"), "high", "0.5", True, None, [1.0], {"r": 1}]


def _strict(text: str):
    """json.loads that refuses NaN / Infinity, as every other JSON reader does."""
    def refuse(name):
        raise ValueError(f"non-standard JSON constant {name}")

    return json.loads(text, parse_constant=refuse)


def _ok(task="a", sample=0, reward=1.0, **kw):
    return {"task_id": task, "sample": sample, "status": "ok", "reward": reward, **kw}


def _all_finite(value) -> bool:
    if isinstance(value, float):
        return math.isfinite(value)
    if isinstance(value, dict):
        return all(_all_finite(v) for v in value.values())
    if isinstance(value, list):
        return all(_all_finite(v) for v in value)
    return True


@pytest.mark.parametrize("bad", BAD_REWARDS, ids=repr)
def test_an_ok_episode_without_a_finite_reward_is_a_failure_worth_0(bad):
    s = summarize([_ok(reward=1.0), _ok(sample=1, reward=bad)], k=2)
    assert s["episodes"] == 2 and s["failed"] == 1 and s["mean_reward"] == 0.5 and s["rewards"] == [1.0, 0.0]
    assert s["success_rate"] == 0.5 and s["pass_hat_k"] == {"1": 0.5, "2": 0.0}
    assert s["failures"]["invalid_reward"]["count"] == 1
    first = s["failures"]["invalid_reward"]["first"]
    assert first["sample"] == 1 and repr(bad) in first["error"]
    assert s["per_task"] == [{"task_id": "a", "n": 2, "failed": 1, "mean_reward": 0.5, "success_rate": 0.5}]
    assert s["agent_errors"] == 0 and _all_finite(s)
    _strict(json.dumps(s, allow_nan=False))


def test_an_empty_run_has_no_figures_and_a_report():
    s = summarize([], k=3)
    assert s["episodes"] == 0 and s["failed"] == 0 and s["tasks"] == 0
    assert s["mean_reward"] is None and s["success_rate"] is None and s["reward_std"] is None
    assert s["pass_hat_k"] == {} and s["per_task"] == [] and s["rubric_items"] == []
    assert "| mean reward | – |" in markdown(s)


def test_rubric_items_with_missing_optional_keys():
    items = [
        {"id": "no-description", "section": "sub_goal", "passed": True},
        {"id": "no-section", "description": "d", "passed": True},
        {"id": "no-verdict", "section": "sub_goal", "description": "d"},
        {"id": "odd-verdict", "section": "sub_goal", "description": "d", "passed": "yes"},
        {"section": "sub_goal", "passed": False},  # no id: cannot be told apart from others, so not counted
        "not an item",
    ]
    records = [_ok(reward_details={"items": items}), _ok(sample=1, reward_details={"items": None}),
               _ok(sample=2, reward_details="nope")]
    s = summarize(records, k=3)
    rows = {r["item_id"]: r for r in s["rubric_items"]}
    assert set(rows) == {"no-description", "no-section", "no-verdict", "odd-verdict"}
    assert rows["no-description"]["description"] is None and rows["no-description"]["pass_rate"] == 1.0
    assert rows["no-section"]["section"] is None
    assert rows["no-verdict"]["undecided"] == 1 and rows["no-verdict"]["passed"] == 0
    assert rows["odd-verdict"]["undecided"] == 1 and rows["odd-verdict"]["passed"] == 0  # "yes" is not a verdict
    assert s["sub_goal_pass_rate"] == pytest.approx(1 / 3)  # the section-less item is in no section's rate
    assert s["unreadable_values"] == {"reward_details": 1, "reward_details.items": 1,
                                      "reward_details.items.id": 1, "reward_details.items.passed": 1}
    assert "no-description" in markdown(s)
    _strict(json.dumps(s, allow_nan=False))


def test_behaviour_figures_use_only_the_episodes_that_report_them():
    records = [
        _ok(stats={"tool_calls": 4, "tool_errors": 1, "user_turns": 2, "format_errors": 0}, turns=3),
        _ok(sample=1),  # no stats at all: not "zero tool calls"
        _ok(sample=2, stats=None, turns=None),
        _ok(sample=3, stats=["not", "a", "dict"], turns="many"),
        _ok(sample=4, stats={"tool_calls": float("nan"), "tool_errors": "x", "user_turns": -1,
                             "simulator_failures": float("inf")}, turns=float("nan")),
    ]
    s = summarize(records, k=5)
    assert s["mean_tool_calls"] == 4 and s["mean_tool_errors"] == 1 and s["mean_user_questions"] == 2
    assert s["mean_format_errors"] == 0 and s["tool_error_rate"] == 0.25 and s["mean_turns"] == 3
    assert s["simulator_failures"] == 0 and s["episodes_with_simulator_failure"] == 0
    assert s["unreadable_values"] == {"stats": 1, "stats.simulator_failures": 1, "stats.tool_calls": 1,
                                      "stats.tool_errors": 1, "stats.user_turns": 1, "turns": 2}
    assert s["mean_reward"] == 1.0 and s["failed"] == 0 and _all_finite(s)
    none = summarize([_ok()], k=1)
    assert none["mean_tool_calls"] is None and none["tool_error_rate"] is None and none["mean_turns"] is None


def test_odd_trajectories_task_ids_and_error_kinds():
    records = [
        _ok(trajectory=None),
        _ok(sample=1, trajectory=["not an event", {"type": "tool_call", "status": "error", "error_kind": ["x"]},
                                   {"type": "tool_call", "status": "error"}]),
        {"sample": 0, "status": "ok", "reward": 1.0},  # no task id
        {"task_id": 7, "sample": 0, "status": "ok", "reward": 0.0},  # a number as task id
        {"task_id": "b", "sample": 0},  # no status: an episode that did not finish
    ]
    s = summarize(records, k=2)
    assert s["episodes"] == 5 and s["tasks"] == 4 and s["failed"] == 1 and s["failures"]["unknown"]["count"] == 1
    assert [t["task_id"] for t in s["per_task"]] == ["7", "?", "a", "b"]
    assert s["tool_errors_by_kind"] == {"['x']": 1, "unknown": 1}
    assert s["unreadable_values"] == {"task_id": 1, "trajectory": 1}
    _strict(json.dumps(s, allow_nan=False))


def test_a_bad_success_threshold_is_refused_up_front():
    for bad in (float("nan"), float("inf"), "1"):
        with pytest.raises(ValueError, match="success_threshold"):
            summarize([_ok()], k=1, success_threshold=bad)
        with pytest.raises(ValueError, match="success_threshold"):
            EvalConfig(success_threshold=bad)


def test_report_files_are_strict_json_whatever_the_summary_holds(tmp_path):
    s = summarize([_ok(reward=float("nan")), _ok(sample=1, stats={"tool_calls": float("inf")})], k=2)
    s["extra"] = {"from_a_caller": float("nan"), "list": [float("-inf"), 1.5]}  # report writers get whole dicts
    write_report(tmp_path, s, plot=False)
    written = _strict((tmp_path / "summary.json").read_text())
    assert written["extra"] == {"from_a_caller": "NaN", "list": ["-Infinity", 1.5]}  # named, not a silent null
    assert written["failures"]["invalid_reward"]["count"] == 1 and written["mean_reward"] == 0.5
    report = (tmp_path / "report.md").read_text()
    assert "| mean reward | 0.500 |" in report and "| tool calls / episode | – |" in report
    assert "| NaN |" in markdown(dict(s, mean_turns=float("nan")))  # a caller's NaN is named, not formatted as nan


def test_the_episode_log_is_strict_json_and_a_nan_episode_reruns(tmp_path):
    log = EpisodeLog(tmp_path / "episodes.jsonl")
    log.append(_ok(reward=float("nan"), stats={"tool_calls": float("inf")}))
    log.close()
    line = (tmp_path / "episodes.jsonl").read_text().splitlines()[0]
    assert _strict(line)["reward"] == "NaN" and _strict(line)["stats"]["tool_calls"] == "Infinity"
    [loaded] = log.load()
    assert summarize([loaded], k=1)["failures"]["invalid_reward"]["count"] == 1
    later = _ok(reward=0.25)
    best = latest_by_key([loaded, later, _ok(reward=float("nan"))])
    assert best[("a", 0)] is later  # a scored record wins over an unscored "ok" one, either way round


def test_the_progress_bar_takes_any_reward():
    progress = EvalProgress(total=len(BAD_REWARDS), done=0, label="odd", enabled=False)
    for bad in BAD_REWARDS:
        progress.advance(_ok(reward=bad))
    assert progress._rewards == [0.0] * len(BAD_REWARDS) and progress._errors == len(BAD_REWARDS)


def test_absurdly_large_counts_are_unreadable_not_an_overflow():
    from synthagent_env.evaluation.metrics import summarize

    records = [{"task_id": "t", "sample": i, "status": "ok", "reward": 1.0,
                "stats": {"simulator_failures": 1e308, "tool_calls": 1e308, "tool_errors": 1e308}} for i in range(2)]
    s = summarize(records, k=2)
    assert s["unreadable_values"]["stats.simulator_failures"] == 2
    assert s["simulator_failures"] == 0 and s["tool_error_rate"] is None
