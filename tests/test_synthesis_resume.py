"""Resuming: a run killed part-way (SIGKILL, a real process) and one interrupted by an exception redo nothing
that had finished; the server's request log proves it."""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from test_synthesis_pipeline import tagged_personas

from synthagent_env.llm import LLMTestServer, OpenAIClient
from synthagent_env.synthesis import fuzzy, rubric_extraction, tool_check, toolset
from synthagent_env.synthesis.config import SynthConfig
from synthagent_env.synthesis.pipeline import run_pipeline
from synthagent_env.synthesis.runner import run_stage
from synthagent_env.synthesis.stage import ItemContext, Rejected, Stage
from synthagent_env.synthesis.stage_log import StageLog
from synthagent_env.synthesis.teacher import Teacher
from tests.scripted_teacher import ScriptedTeacher

ROOT = Path(__file__).resolve().parents[1]
DEMOS = 2


def stage_of(request):
    system = request.body["messages"][0]["content"]
    return {toolset.SYSTEM: "toolset", tool_check.SYSTEM: "tool_check", fuzzy.SYSTEM: "fuzzy",
            rubric_extraction.SYSTEM: "rubric"}.get(system, "agent" if "tools" in request.body else "simulator")


def lines(path):
    return path.read_text().splitlines() if path.exists() else []


def test_killed_run_resumes_without_redoing_finished_items(tmp_path):
    personas = tagged_personas(tmp_path / "p.jsonl", ["clean"] * 6, prefix="A resumable tester")
    out, work = tmp_path / "pack.jsonl", tmp_path / "work"
    with LLMTestServer(ScriptedTeacher(), latency=0.01) as server:
        cmd = [sys.executable, "-m", "synthagent_env.cli", "synth", "--teacher-url", server.url, "--model",
               "test-model", "--persona-file", str(tmp_path / "p.jsonl"), "--personas", "6", "--out", str(out),
               "--workdir", str(work), "--concurrency", "2", "--demos", str(DEMOS), "--no-progress",
               "--api-key-env", ""]
        env = {**os.environ, "OMP_NUM_THREADS": "1", "PYTHONPATH": str(ROOT)}
        proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 60
        while len(lines(work / "demos.jsonl")) < 2 and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.01)
        proc.send_signal(signal.SIGKILL)
        output = proc.communicate()[0].decode(errors="replace")
        assert proc.returncode == -signal.SIGKILL, output
        assert not out.exists()
        finished = {json.loads(line)["id"] for line in lines(work / "demos.jsonl") if line.endswith("}")}
        assert 2 <= len(finished) < 6, "the kill should land in the middle of the demonstrations"
        first_run = len(server.requests)

        config = SynthConfig(teacher_url=server.url, out=out, workdir=work, persona_file=tmp_path / "p.jsonl",
                             personas=6, concurrency=2, demos=DEMOS, progress=False, api_key_env=None)
        result = run_pipeline(config)
        resumed = server.requests[first_run:]
        second = [stage_of(r) for r in resumed]
        episode_starts = [r for r in resumed if stage_of(r) == "agent" and len(r.body["messages"]) == 2]

    assert result.errors == []
    assert second.count("toolset") == second.count("tool_check") == second.count("fuzzy") == 0
    assert len(episode_starts) == DEMOS * (6 - len(finished))  # only unfinished items were demonstrated again
    assert second.count("rubric") == 6  # the kill came before any rubric
    assert len(result.tasks) == 6 and out.exists()
    assert sorted(t.persona for t in result.tasks) == sorted(personas)


def _context(item_id):
    return ItemContext(item_id, Teacher(OpenAIClient("http://127.0.0.1:9/v1", "unused", api_key_env=None)))


def test_interrupted_stage_resumes_where_it_stopped(tmp_path):
    calls, boom = [], [True]

    def work(draft, ctx):
        calls.append(ctx.item_id)
        if len(calls) == 4 and boom:
            boom.clear()
            raise KeyboardInterrupt  # like Ctrl-C while the fourth item runs
        if draft["n"] % 3 == 0:
            raise Rejected("multiple_of_three", f"{draft['n']} is divisible by 3")
        return {**draft, "double": 2 * draft["n"]}

    items = [(f"item{i}", {"n": i}) for i in range(1, 9)]
    log = StageLog(tmp_path / "s.jsonl")
    with pytest.raises(KeyboardInterrupt):
        run_stage(Stage("s", work), items, log, _context, concurrency=1, progress=False)
    assert sorted(log.records()) == ["item1", "item2", "item3"]
    calls.clear()
    run = run_stage(Stage("s", work), items, StageLog(tmp_path / "s.jsonl"), _context, concurrency=3, progress=False)
    assert sorted(calls) == [f"item{i}" for i in range(4, 9)]
    assert run.skipped == 3 and run.ran == 5
    assert [i for i, _ in run.kept] == ["item1", "item2", "item4", "item5", "item7", "item8"]
    discarded = [r for r in log.records().values() if r["status"] == "discarded"]
    assert {r["id"] for r in discarded} == {"item3", "item6"} and discarded[0]["code"] == "multiple_of_three"


def test_errors_are_not_recorded_and_are_retried(tmp_path):
    attempts = []

    def flaky(draft, ctx):
        attempts.append(ctx.item_id)
        if ctx.item_id == "b" and attempts.count("b") == 1:
            raise ConnectionError("server went away")
        return draft

    items = [("a", {}), ("b", {}), ("c", {})]
    first = run_stage(Stage("s", flaky), items, StageLog(tmp_path / "s.jsonl"), _context, progress=False)
    assert [e["id"] for e in first.errors] == ["b"] and [i for i, _ in first.kept] == ["a", "c"]
    second = run_stage(Stage("s", flaky), items, StageLog(tmp_path / "s.jsonl"), _context, progress=False)
    assert second.errors == [] and second.ran == 1 and [i for i, _ in second.kept] == ["a", "b", "c"]


def test_torn_last_line_is_cut_before_appending(tmp_path):
    path = tmp_path / "s.jsonl"
    path.write_text('{"id": "a", "status": "kept", "output": {}}\n{"id": "b", "sta')
    log = StageLog(path)
    assert list(log.records()) == ["a"]
    log.append({"id": "c", "status": "kept", "output": {}})
    assert list(StageLog(path).records()) == ["a", "c"]
