"""The ``synthagent`` command line as a user meets it (the installed console script in a subprocess, run from
a scratch directory): mistakes are one line that says what to do, never a traceback; ``--help`` shows defaults;
an agent loads from a module in the current directory or from a file; each env gets the agent that can play it;
and without the ``report`` extra an eval still runs and says what it left out."""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = str(Path(sys.executable).with_name("synthagent"))
KEYWORD_AGENT = '''
from synthagent_agents import BaseAgent

class KeywordAgent(BaseAgent):
    def __init__(self, question="Could you give me your order number?"):
        self.question = question

    def reset(self, info):
        self.step = 0

    def act(self, observation, info):
        self.step += 1
        return self.question if self.step == 1 else "<answer>Done.</answer>"
'''


def synthagent(*args: str, cwd: Path, prefix: list[str] | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "OMP_NUM_THREADS": "1"}
    env.pop("PYTHONPATH", None)  # what a user has: the installed names only, the working directory is not on it
    argv = [*(prefix or [SCRIPT]), *args]
    return subprocess.run(argv, cwd=cwd, env=env, capture_output=True, text=True, timeout=300, check=False)


def one_line_error(done: subprocess.CompletedProcess) -> str:
    """The error a user sees: exit 2, no traceback, the last stderr line is the message."""
    assert done.returncode == 2, (done.returncode, done.stdout, done.stderr)
    assert "Traceback" not in done.stderr, done.stderr
    return done.stderr.strip().splitlines()[-1]


@pytest.mark.parametrize("args, expected", [
    (["eval", "--env-kwargs", "{bad"], "argument --env-kwargs: not valid JSON"),
    (["eval", "--agent-kwargs", "[1, 2]"], "must be a JSON object"),
    (["eval", "--agent", "nope"], "unknown agent 'nope': use one of oracle, bfcl-gold"),
    (["eval", "--agent", "hf", "--model", "./my-qwen"], "no model folder at "),
    (["eval", "--agent", "hf"], "--agent hf needs --model MODEL_FOLDER"),
    (["eval", "--agent", "not_a_module_anywhere:Agent"], "cannot import 'not_a_module_anywhere'"),
    (["eval", "--agent", "./missing.py:Agent"], "no Python file at "),
    (["eval", "--tasks", "no-such-pack.jsonl", "--limit", "1"], "no task pack at"),
    (["eval", "--agent", "bfcl-gold"], "bfcl-gold replays BFCL-v0's ground truth"),
    (["eval", "--env", "synthagent/BFCL-v0", "--agent", "oracle"], "use --agent bfcl-gold"),
    (["eval", "compare", "a_run"], "eval compare needs exactly two runs"),
    (["eval", "compare", "nowhere_a", "nowhere_b"], "no eval run at nowhere_a"),
    (["demo", "--tasks", "no-such-pack.jsonl"], "no task pack at"),
    (["synth", "--teacher-url", "http://127.0.0.1:9/v1", "--out", "p.jsonl", "--persona-file", "nope.jsonl"],
     "no persona file at"),
])
def test_user_mistakes_are_one_line_errors(tmp_path, args, expected):
    line = one_line_error(synthagent(*args, cwd=tmp_path))
    assert expected in line, line
    if "my-qwen" in args:
        assert line.endswith(f"no model folder at {tmp_path / 'my-qwen'}")


def test_a_folder_that_is_not_a_model_is_one_line(tmp_path):
    (tmp_path / "not-a-model").mkdir()
    line = one_line_error(synthagent("eval", "--agent", "hf", "--model", "not-a-model", cwd=tmp_path))
    assert line.startswith("synthagent eval: error: not-a-model is not a model folder (no config.json)"), line


def test_an_agent_file_never_shadows_an_installed_module(tmp_path):
    """A user's ``json.py`` loaded by path must not replace the standard ``json`` module the run relies on."""
    (tmp_path / "agents_dir").mkdir()
    (tmp_path / "agents_dir" / "json.py").write_text(KEYWORD_AGENT)
    done = synthagent("eval", "--agent", "agents_dir/json.py:KeywordAgent", "--limit", "1", "--out", "run",
                      "--no-progress", "--no-plot", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert json.loads((tmp_path / "run" / "summary.json").read_text())["episodes"] == 1


def test_an_empty_pack_is_named_not_a_traceback(tmp_path):
    (tmp_path / "empty.jsonl").write_text("")
    assert one_line_error(synthagent("demo", "--tasks", "empty.jsonl", cwd=tmp_path)).endswith("holds no tasks")


@pytest.mark.parametrize("command, shown", [
    ("eval", ["(default: 8)", "(default: synthagent/ToolUse-v0)", "(default: tools)", "(default: 1.0)"]),
    ("demo", ["(default: tooluse-v0)", "(default: 3)", "(default: offline)"]),
    ("synth", ["(default: 100)", "(default: 0.7)", "(default: teacher)"]),
])
def test_help_shows_defaults(tmp_path, command, shown):
    done = synthagent(command, "--help", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    text = " ".join(done.stdout.split())
    assert all(s in text for s in shown), text
    assert "(default: None)" not in text and "(default: False)" not in text


@pytest.mark.parametrize("spec", ["my_agents:KeywordAgent", "./my_agents.py:KeywordAgent",
                                  "{dir}/my_agents.py:KeywordAgent"])
def test_an_agent_loads_from_the_working_directory_or_a_file(tmp_path, spec):
    (tmp_path / "my_agents.py").write_text(KEYWORD_AGENT)
    done = synthagent("eval", "--agent", spec.format(dir=tmp_path), "--agent-kwargs",
                      '{"question": "What is the order number?"}', "--limit", "2", "--out", "run", "--no-progress",
                      "--no-plot", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    records = [json.loads(line) for line in (tmp_path / "run" / "episodes.jsonl").read_text().splitlines()]
    assert len(records) == 2 and all(r["status"] == "ok" for r in records)
    first_agent_message = next(m for m in records[0]["messages"] if m["role"] == "assistant")
    assert first_agent_message["content"] == "What is the order number?"


@pytest.mark.parametrize("env_args", [[], ["--env", "synthagent/Math-v0"]], ids=["ToolUse-v0", "Math-v0"])
def test_the_default_agent_is_the_envs_reference_player(tmp_path, env_args):
    if env_args and importlib.util.find_spec("math_verify") is None:
        pytest.skip("Math-v0 scores answers with math-verify (the math extra)")
    done = synthagent("eval", *env_args, "--limit", "2", "--out", "run", "--no-progress", "--no-plot", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    summary = json.loads((tmp_path / "run" / "summary.json").read_text())
    assert summary["label"] == "oracle" and summary["episodes"] == 2 and summary["mean_reward"] == 1.0


@pytest.mark.skipif(importlib.util.find_spec("bfcl_eval") is None, reason="bfcl-eval not installed (docs/bfcl.md)")
def test_bfcl_without_agent_uses_the_bfcl_gold_agent(tmp_path):
    done = synthagent("eval", "--env", "synthagent/BFCL-v0", "--env-kwargs", '{"category": "base"}', "--limit", "2",
                      "--out", "run", "--no-progress", "--no-plot", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    summary = json.loads((tmp_path / "run" / "summary.json").read_text())
    assert summary["label"] == "bfcl-gold" and summary["episodes"] == 2 and summary["mean_reward"] == 1.0


def test_without_the_report_extra_eval_runs_and_names_what_is_missing(tmp_path):
    """rich and matplotlib made unimportable (as after ``pip install -e .`` alone): the run completes, says the
    progress bar is off and report.png was not written, and names the extra to install."""
    blocked = ("import sys; sys.modules.update({m: None for m in ('rich', 'matplotlib')}); "
               "from synthagent_env.cli import main; sys.exit(main())")
    done = synthagent("eval", "--limit", "1", "--out", "run", cwd=tmp_path,
                      prefix=[sys.executable, "-c", blocked])
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    notes = [line for line in done.stderr.splitlines() if line.startswith("note:")]
    assert len(notes) == 2 and all('pip install "synthagent[report]"' in n for n in notes), done.stderr
    assert "progress bar" in notes[0] and "report.png not written" in notes[1]
    assert (tmp_path / "run" / "report.md").is_file() and not (tmp_path / "run" / "report.png").exists()
