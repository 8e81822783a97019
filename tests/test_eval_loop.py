"""The benchmark loop: scores on the bundled pack, reports, resume after a real kill, errors, any gym id."""

import json
import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import gymnasium as gym
import pytest

from synthagent_agents import BaseAgent, DoNothingAgent, OracleAgent
from synthagent_agents.registry import agent_factory
from synthagent_env.evaluation.loop import EPISODES_FILE, EvalConfig, RunMismatch, evaluate
from synthagent_env.evaluation.metrics import pass_at_k, pass_hat_k, summarize
from synthagent_env.evaluation.records import EpisodeLog
from synthagent_env.evaluation.report import compare_markdown, load_summary
from synthagent_env import load_tasks
from synthagent_env.cli import main as cli_main
from synthagent_env.spaces import UnicodeText

ROOT = Path(__file__).resolve().parents[1]
N_TASKS = len(load_tasks("tooluse-v0"))
N_SMALL = min(3, N_TASKS)


def _config(tmp_path, limit=3, concurrency=2, **kw):
    """A run over the first few tasks (the whole pack is played once, by the oracle and random fixtures)."""
    return EvalConfig(env_kwargs={"mapping_path": str(tmp_path / "mapping.sqlite")}, progress=False, limit=limit,
                      concurrency=concurrency, **kw)


def _lines(path):
    return [json.loads(x) for x in Path(path).read_text().splitlines()]


@pytest.fixture(scope="module")
def oracle_and_random(tmp_path_factory):
    root = tmp_path_factory.mktemp("runs")
    cfg = dict(env_kwargs={"mapping_path": str(root / "mapping.sqlite")}, samples=2, progress=False)
    oracle = evaluate(agent_factory("oracle"), root / "oracle", EvalConfig(label="oracle", **cfg))
    rand = evaluate(agent_factory("random", seed=3), root / "random", EvalConfig(label="random", **cfg))
    return oracle, rand


def test_oracle_solves_the_bundled_pack(oracle_and_random):
    oracle, _ = oracle_and_random
    s = oracle.summary
    assert s["episodes"] == 2 * N_TASKS and s["tasks"] == N_TASKS and s["complete"]
    assert s["success_rate"] == 1.0 and s["mean_reward"] == 1.0 and s["pass_hat_k"] == {"1": 1.0, "2": 1.0}
    assert s["agent_errors"] == 0 and s["simulator_failures"] == 0 and s["mean_tool_errors"] == 0
    assert s["sub_goal_pass_rate"] == 1.0 and s["forbidden_violation_rate"] == 0.0
    assert all(r["pass_rate"] == (0.0 if r["section"] == "forbidden" else 1.0) for r in s["rubric_items"])
    names = {p.name for p in oracle.files}
    assert names == {"summary.json", "report.md", "report.png"}
    assert (oracle.out_dir / "report.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "| success rate | 1.000 |" in (oracle.out_dir / "report.md").read_text()
    assert load_summary(oracle.out_dir)["mean_reward"] == 1.0


def test_random_agent_scores_lower(oracle_and_random):
    oracle, rand = oracle_and_random
    assert rand.summary["episodes"] == 2 * N_TASKS
    assert rand.summary["mean_reward"] < oracle.summary["mean_reward"]
    assert rand.summary["success_rate"] < 1.0
    assert rand.summary["mean_tool_calls"] > 0 and rand.summary["mean_tool_errors"] == 0  # valid random calls
    table = compare_markdown(oracle.summary, rand.summary)
    assert "| mean reward | 1.000 |" in table and "B − A" in table


def test_records_carry_the_structured_trajectory(oracle_and_random):
    oracle, _ = oracle_and_random
    record = _lines(oracle.out_dir / EPISODES_FILE)[0]
    assert record["status"] == "ok" and record["reward"] == 1.0 and record["end_reason"] == "answer"
    assert record["trajectory"][-1]["type"] == "answer" and record["messages"][0]["role"] == "system"
    assert {i["id"] for i in record["reward_details"]["items"]}
    assert record["stats"]["tool_calls"] >= 1


def test_random_agent_is_reproducible_under_any_concurrency(tmp_path):
    rewards = []
    for conc in (1, 4):
        result = evaluate(agent_factory("random", seed=11), tmp_path / f"c{conc}",
                          _config(tmp_path, samples=3, concurrency=conc, label="random"))
        rewards.append({(r["task_id"], r["sample"]): (r["reward"], r["turns"])
                        for r in _lines(result.out_dir / EPISODES_FILE)})
    assert rewards[0] == rewards[1]


def test_do_nothing_agent_answers_at_once(tmp_path):
    s = evaluate(DoNothingAgent, tmp_path / "noop", _config(tmp_path, label="noop"), plot=False).summary
    assert s["mean_turns"] == 1 and s["mean_tool_calls"] == 0 and s["success_rate"] == 0.0


def test_resume_skips_finished_episodes_and_mismatch_is_refused(tmp_path):
    out = tmp_path / "run"
    first = evaluate(agent_factory("oracle"), out, _config(tmp_path, samples=1, label="oracle"), plot=False)
    assert first.ran == N_SMALL and first.skipped == 0
    second = evaluate(agent_factory("oracle"), out, _config(tmp_path, samples=2, label="oracle"), plot=False)
    assert second.ran == N_SMALL and second.skipped == N_SMALL and second.summary["episodes"] == 2 * N_SMALL
    with pytest.raises(RunMismatch):
        evaluate(agent_factory("oracle"), out, _config(tmp_path, label="someone-else"), plot=False)
    third = evaluate(agent_factory("oracle"), out, _config(tmp_path, label="someone-else"), overwrite=True)
    assert third.ran == N_SMALL and len(_lines(out / EPISODES_FILE)) == N_SMALL


class FlakyOracle(BaseAgent):
    """Raises on its second action the first time it plays each task: an agent (or endpoint) failure."""

    failed: set = set()

    def __init__(self):
        self.oracle = OracleAgent()

    def reset(self, info):
        self.oracle.reset(info)
        self.task, self.turns = info["task_id"], 0

    def act(self, observation, info):
        self.turns += 1
        if self.turns == 2 and self.task not in self.failed:
            self.failed.add(self.task)
            raise ConnectionError("endpoint went away")
        return self.oracle.act(observation, info)


def test_agent_errors_count_as_failures_and_rerun_on_resume(tmp_path, capsys):
    out = tmp_path / "flaky"
    first = evaluate(FlakyOracle, out, _config(tmp_path, label="flaky"), plot=False).summary
    # nothing is dropped from a mean: every failed episode is there, worth 0
    assert first["episodes"] == N_SMALL and first["failed"] == N_SMALL and first["agent_errors"] == N_SMALL
    assert first["mean_reward"] == 0.0 and first["success_rate"] == 0.0 and first["avg_at_k"] == 0.0
    assert first["pass_hat_k"] == {"1": 0.0} and not first["complete"]
    assert first["failures"]["agent"]["count"] == N_SMALL
    assert "ConnectionError: endpoint went away" in first["failures"]["agent"]["first"]["error"]
    assert "agent: 3; first:" in capsys.readouterr().err.replace(str(N_SMALL), "3")
    assert "| agent | " in (out / "report.md").read_text()
    error = _lines(out / EPISODES_FILE)[0]
    assert error["status"] == "error" and error["error_in"] == "agent" and "endpoint went away" in error["error"]
    assert error["reward"] == 0.0 and error["turns"] == 1  # what it did before failing is kept
    second = evaluate(FlakyOracle, out, _config(tmp_path, label="flaky"), plot=False)
    assert second.ran == N_SMALL and second.summary["failed"] == 0 and second.summary["success_rate"] == 1.0


class HalfFlaky(BaseAgent):
    """Solves sample 0 of every task with the oracle; raises on sample 1."""

    def __init__(self):
        self.oracle = OracleAgent()

    def reset(self, info):
        self.oracle.reset(info)
        self.sample = info["sample"]

    def act(self, observation, info):
        if self.sample == 1:
            raise RuntimeError("model crashed")
        return self.oracle.act(observation, info)


def test_a_mean_over_some_failures_counts_them_as_zero(tmp_path):
    s = evaluate(HalfFlaky, tmp_path / "half", _config(tmp_path, samples=2, label="half"), plot=False).summary
    assert s["episodes"] == 2 * N_SMALL and s["failed"] == N_SMALL
    assert s["mean_reward"] == 0.5 and s["success_rate"] == 0.5 and s["avg_at_k"] == 0.5
    assert s["pass_hat_k"] == {"1": 0.5, "2": 0.0} and s["pass_at_k"]["2"] == 1.0
    assert all(t["mean_reward"] == 0.5 and t["failed"] == 1 for t in s["per_task"])


class _Always500(BaseHTTPRequestHandler):
    """An OpenAI-compatible endpoint that fails every request, as ``transformers serve`` does on bad model output."""

    def _fail(self):
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        body = b'{"error": {"message": "Internal Server Error"}}'
        self.send_response(500)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = _fail

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def http_500_url():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Always500)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/v1"
    server.shutdown()
    server.server_close()


def test_an_endpoint_answering_http_500_fails_every_episode_visibly(tmp_path, http_500_url, capsys):
    factory = agent_factory("openai", model="m", base_url=http_500_url, api_key_env=None,
                            client_options={"max_retries": 0})
    s = evaluate(factory, tmp_path / "500", _config(tmp_path, label="http500"), plot=False).summary
    assert s["episodes"] == N_SMALL and s["failed"] == N_SMALL and s["mean_reward"] == 0.0
    assert s["success_rate"] == 0.0 and s["rewards"] == [0.0] * N_SMALL
    first = s["failures"]["agent"]["first"]["error"]
    assert "500" in first
    err = capsys.readouterr().err
    assert f"{N_SMALL} of {N_SMALL} episodes failed" in err and first in err


class _DeadUser:
    def reply(self, task, conversation):
        raise ConnectionError("user simulator is down")


class _DeadTools:
    def respond(self, task, tool, arguments, mapping):
        raise ConnectionError("tool simulator is down")


class Chatty(BaseAgent):
    def act(self, observation, info):
        return "Hello! Could you tell me your order number?"


def test_a_simulator_failure_is_a_failed_episode(tmp_path):
    from synthagent_env.simulators.base import Simulator

    config = _config(tmp_path, label="chatty")
    config.env_kwargs["simulator"] = Simulator(tool=_DeadTools(), user=_DeadUser())
    s = evaluate(Chatty, tmp_path / "dead", config, plot=False).summary
    assert s["episodes"] == N_SMALL and s["failed"] == N_SMALL and s["mean_reward"] == 0.0
    assert "user simulator is down" in s["failures"]["simulator"]["first"]["error"]
    assert s["end_reasons"] == {"simulator_failure": N_SMALL} and s["rubric_items"] == []


def test_a_torn_last_line_is_cut_before_appending(tmp_path):
    path = tmp_path / "episodes.jsonl"
    path.write_text('{"task_id": "a", "sample": 0, "status": "ok"}\n{"task_id": "b", "sa')
    log = EpisodeLog(path)
    assert [r["task_id"] for r in log.load()] == ["a"]
    log.append({"task_id": "c", "sample": 0})
    log.close()
    assert [r["task_id"] for r in _lines(path)] == ["a", "c"]


def test_pass_hat_k_and_avg_at_k():
    assert pass_hat_k(4, 2, 2) == pytest.approx(1 / 6) and pass_at_k(4, 2, 2) == pytest.approx(5 / 6)
    records = [{"task_id": t, "sample": i, "status": "ok", "reward": r}
               for t, rs in (("a", [1.0, 1.0]), ("b", [1.0, 0.5]), ("c", [0.0, 0.0])) for i, r in enumerate(rs)]
    s = summarize(records, k=2)
    assert s["success_rate"] == pytest.approx(3 / 6) and s["avg_at_k"] == pytest.approx((1 + 0.75 + 0) / 3)
    assert s["pass_hat_k"] == {"1": pytest.approx(0.5), "2": pytest.approx(1 / 3)}
    assert s["pass_at_k"]["2"] == pytest.approx(2 / 3)


# ---- any gym id that follows the env contract ----


class CoinEnv(gym.Env):
    """Two tasks; the agent wins by answering with the task's word. Stands in for e.g. a BFCL env."""

    task_ids = ["heads", "tails"]

    def __init__(self, turns=3):
        self.observation_space = self.action_space = UnicodeText(64)
        self.turns = turns

    def reset(self, *, seed=None, options=None):
        super().reset(seed=seed)
        self.task, self.t = options["task_id"], 0
        return f"say {self.task}", {"task_id": self.task, "turn": 0}

    def step(self, action):
        self.t += 1
        done = self.task in action or self.t >= self.turns
        reward = float(self.task in action)
        info = {"task_id": self.task, "turn": self.t, "stats": {"tool_calls": 0}}
        if done:
            info["reward_details"] = {"reward": reward, "items": []}
        return "ok", reward, done, False, info


class UnscoredCoinEnv(CoinEnv):
    """Breaks the contract: ends episodes without ``reward_details``."""

    def step(self, action):
        obs, reward, terminated, truncated, info = super().step(action)
        info.pop("reward_details", None)
        return obs, reward, terminated, truncated, info


class ExplodingCoinEnv(CoinEnv):
    def step(self, action):
        raise ValueError("env bug")


class SayTask(BaseAgent):
    def reset(self, info):
        self.task = info["task_id"]

    def act(self, observation, info):
        return f"<answer>{self.task}</answer>"


def test_the_loop_runs_any_env_following_the_contract(tmp_path):
    gym.register("test/Coin-v0", entry_point=CoinEnv)
    config = EvalConfig(env_id="test/Coin-v0", env_kwargs={"turns": 2}, samples=3, progress=False, label="say")
    s = evaluate(SayTask, tmp_path / "coin", config).summary
    assert s["episodes"] == 6 and s["success_rate"] == 1.0 and s["rubric_items"] == []
    s = evaluate(DoNothingAgent, tmp_path / "coin0", EvalConfig(env_id="test/Coin-v0", task_ids=["tails"],
                                                                progress=False)).summary
    assert s["episodes"] == 1 and s["mean_reward"] == 0.0 and s["mean_turns"] == 3


@pytest.mark.parametrize("env_class, reason", [(UnscoredCoinEnv, "without reward_details"),
                                                (ExplodingCoinEnv, "ValueError: env bug")])
def test_an_unscored_or_raising_env_is_a_failed_episode(tmp_path, env_class, reason):
    gym.register(f"test/{env_class.__name__}-v0", entry_point=env_class)
    config = EvalConfig(env_id=f"test/{env_class.__name__}-v0", samples=2, progress=False, label="say")
    s = evaluate(SayTask, tmp_path / "coin", config, plot=False).summary
    assert s["episodes"] == 4 and s["failed"] == 4 and s["mean_reward"] == 0.0 and s["success_rate"] == 0.0
    assert reason in s["failures"]["env"]["first"]["error"]


class NaNCoinEnv(CoinEnv):
    """Scores every episode NaN (a reward function dividing by zero): not a number any figure may take."""

    def step(self, action):
        obs, _, terminated, truncated, info = super().step(action)
        if "reward_details" in info:
            info["reward_details"]["reward"] = float("nan")
        return obs, float("nan"), terminated, truncated, info


def test_a_nan_reward_is_a_named_failure_that_reruns(tmp_path):
    gym.register("test/NaNCoin-v0", entry_point=NaNCoinEnv)
    config = EvalConfig(env_id="test/NaNCoin-v0", samples=2, progress=False, label="say")
    first = evaluate(SayTask, tmp_path / "nan", config, plot=False)
    s = first.summary
    assert s["episodes"] == 4 and s["failed"] == 4 and s["mean_reward"] == 0.0 and not s["complete"]
    # the rollout core fails the episode where the env returned it (an env bug), naming the value
    assert s["failures"]["env"]["count"] == 4 and "reward nan: not a finite number" in s["failures"]["env"]["first"]["error"]

    def refuse(name):
        raise ValueError(name)

    for line in (tmp_path / "nan" / EPISODES_FILE).read_text().splitlines():
        json.loads(line, parse_constant=refuse)  # strict JSON, as jq and browsers read it
    assert json.loads((tmp_path / "nan" / "summary.json").read_text(), parse_constant=refuse)["failed"] == 4
    assert evaluate(SayTask, tmp_path / "nan", config, plot=False).ran == 4  # like any failure, retried on resume


def test_a_time_limit_truncation_is_scored_not_dropped(tmp_path):
    config = _config(tmp_path, label="chatty-limited")
    config.env_kwargs["max_episode_steps"] = 1  # gymnasium's TimeLimit wrapper
    s = evaluate(Chatty, tmp_path / "limited", config, plot=False).summary
    assert s["episodes"] == N_SMALL and s["failed"] == 0 and s["mean_turns"] == 1
    records = _lines(tmp_path / "limited" / EPISODES_FILE)
    assert all(r["reward_details"] is not None and r["truncated"] for r in records)


# ---- the CLI, and resume after really killing it ----

SLOW_AGENT = textwrap.dedent('''
    import time
    from synthagent_agents import OracleAgent

    class SlowOracle(OracleAgent):
        def __init__(self, delay=0.0):
            super().__init__("tooluse-v0")
            self.delay = delay

        def act(self, observation, info):
            time.sleep(self.delay)
            return super().act(observation, info)
''')


# not ``-m synthagent_env.cli``: run as __main__, that module would hold a second, empty command table.
# The child restores Python's SIGINT handler itself: a runner that ignores SIGINT (``nohup``, a background job of a
# non-interactive shell) passes SIG_IGN on, and Python then installs no KeyboardInterrupt handler at all.
CLI = ("import signal, sys; signal.signal(signal.SIGINT, signal.default_int_handler); "
       "from synthagent_env.cli import main; sys.exit(main(sys.argv[1:]))")

# Starts the command in argv with SIGINT ignored, as ``nohup`` or a background job of a non-interactive shell would
# (exec keeps an ignored disposition); used instead of ``preexec_fn``, which is unsafe when threads are running.
IGNORING_SIGINT = "import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_IGN); os.execv(sys.argv[1], sys.argv[1:])"


def _cli(tmp_path, out, delay, episodes):
    (tmp_path / "slow_agents.py").write_text(SLOW_AGENT)
    cmd = [sys.executable, "-c", CLI, "eval", "--agent", "slow_agents:SlowOracle",
           "--agent-kwargs", json.dumps({"delay": delay}), "--label", "slow", "--limit", "1", "-k", str(episodes),
           "-c", "2", "--out", str(out), "--no-progress", "--no-plot"]
    env = {**os.environ, "PYTHONPATH": f"{tmp_path}{os.pathsep}{ROOT}", "OMP_NUM_THREADS": "1"}
    return cmd, env


def _kill_part_way(tmp_path, out, sig, episodes):
    cmd, env = _cli(tmp_path, out, 0.05, episodes)
    cmd = [sys.executable, "-c", IGNORING_SIGINT, *cmd]
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    log, deadline = out / EPISODES_FILE, time.monotonic() + 60
    while time.monotonic() < deadline and (not log.exists() or log.read_text().count("\n") < 3):
        time.sleep(0.05)
    proc.send_signal(sig)
    _, stderr = proc.communicate(timeout=30)
    return proc.returncode, stderr


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGINT])
def test_a_killed_cli_run_resumes_without_redoing_episodes(tmp_path, sig):
    out, episodes = tmp_path / "run", 30
    rc, stderr = _kill_part_way(tmp_path, out, sig, episodes)
    if sig == signal.SIGINT:
        assert rc == 130 and "rerun the same command to resume" in stderr
    else:
        assert rc == -signal.SIGKILL
    before = EpisodeLog(out / EPISODES_FILE).load()
    assert 3 <= len(before) < episodes
    cmd, env = _cli(tmp_path, out, 0.0, episodes)
    done = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert f"{episodes - len(before)} episodes run, {len(before)} resumed" in done.stdout
    after = _lines(out / EPISODES_FILE)
    assert after[: len(before)] == before  # finished episodes are kept as they were
    assert sorted(r["sample"] for r in after) == list(range(episodes))
    assert json.loads((out / "summary.json").read_text())["success_rate"] == 1.0


def test_cli_compare(tmp_path, capsys):
    for name in ("oracle", "noop"):
        assert cli_main(["eval", "--agent", name, "--out", str(tmp_path / name), "--limit", "2",
                        "--no-progress", "--no-plot"]) == 0
    capsys.readouterr()
    assert cli_main(["eval", "compare", str(tmp_path / "oracle"), str(tmp_path / "noop" / "summary.json")]) == 0
    out = capsys.readouterr().out
    assert "# Compare: oracle vs noop" in out and "| success rate | 1.000 | 0.000 | -1.000 |" in out


def test_play_episode_raises_what_the_env_raised_and_flags_an_unscored_end():
    from synthagent_env.episode import play_episode

    with pytest.raises(ValueError, match="env bug"):
        play_episode(ExplodingCoinEnv(), SayTask(), task_id="heads")
    result = play_episode(UnscoredCoinEnv(), SayTask(), task_id="heads")
    assert result.failed and result.failure.kind == "env" and result.reward == 0.0
    scored = play_episode(CoinEnv(), SayTask(), task_id="tails")
    assert not scored.failed and scored.reward == 1.0 and scored.steps == 1
