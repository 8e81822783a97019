"""Per-category accuracy and BFCL's overall multi-turn score; the gold-replay benchmark script end to end."""

import pytest

pytest.importorskip("bfcl_eval")

from synthagent_env.bfcl.report import category_of, format_summary, summarize  # noqa: E402


def test_category_of_reads_the_entry_id():
    assert category_of("multi_turn_long_context_17") == "long_context"
    assert category_of("multi_turn_base_0") == "base"


def test_overall_is_the_unweighted_mean_of_the_four_categories():
    records = (
        [{"task_id": f"multi_turn_base_{i}", "reward": 1.0} for i in range(4)]
        + [{"task_id": "multi_turn_miss_func_0", "reward": 0.0}, {"task_id": "multi_turn_miss_func_1", "reward": 1.0}]
        + [{"task_id": "multi_turn_miss_param_0", "reward": 0.0}]
        + [{"task_id": "multi_turn_long_context_0", "reward": 1.0}]
    )
    summary = summarize(records)
    assert summary["categories"]["base"] == {"n": 4, "passed": 4, "accuracy": 1.0}
    assert summary["complete"] and summary["overall"] == pytest.approx((1.0 + 0.5 + 0.0 + 1.0) / 4)
    assert "overall" in format_summary(summary)
    partial = summarize(records[:4])
    assert partial["overall"] is None and not partial["complete"]


def test_gold_replay_script_runs(capsys, tmp_path):
    from benchmarks.bfcl_gold_replay import main

    out_file = tmp_path / "gold.json"
    assert main(["--limit", "3", "--format", "hermes", "--json", str(out_file)]) == 0
    out = capsys.readouterr().out
    assert "overall" in out and "failing entries: 0" in out and out_file.exists()
