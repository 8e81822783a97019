"""Packs and eval records survive a round trip through Hugging Face datasets exactly (issue 15 item 9)."""

import json

import pytest

from synthagent_env import load_tasks
from synthagent_env.hub import records_from_dataset, records_to_dataset, tasks_from_dataset, tasks_to_dataset

datasets = pytest.importorskip("datasets")


def test_the_whole_bundled_pack_round_trips_through_parquet_exactly(tmp_path):
    tasks = load_tasks("tooluse-v0")
    tasks_to_dataset(tasks).to_parquet(tmp_path / "pack.parquet")
    loaded = datasets.load_dataset("parquet", data_files=str(tmp_path / "pack.parquet"), split="train")
    back = tasks_from_dataset(loaded)
    assert [t.model_dump() for t in back] == [t.model_dump() for t in tasks]
    assert loaded.filter(lambda row: row["domain"] == "retail").num_rows == sum(t.domain == "retail" for t in tasks)


def test_save_to_disk_round_trip(tmp_path):
    tasks = load_tasks("tooluse-v0")[:5]
    tasks_to_dataset(tasks).save_to_disk(tmp_path / "ds")
    assert tasks_from_dataset(datasets.load_from_disk(tmp_path / "ds")) == tasks


def test_eval_records_round_trip_exactly(tmp_path):
    records = [{"task_id": "t1", "sample": 0, "reward": 0.1 + 0.2, "info": {"nested": [1, {"x": None}]}},
               {"task_id": "t2", "sample": 1, "reward": None, "error": "agent failed: boom"}]
    records_to_dataset(records).to_parquet(tmp_path / "r.parquet")
    loaded = datasets.load_dataset("parquet", data_files=str(tmp_path / "r.parquet"), split="train")
    assert records_from_dataset(loaded) == records
    assert json.dumps(records_from_dataset(loaded)[0]["reward"]) == json.dumps(0.1 + 0.2)
