"""``synthagent/Math-v0``: the env contract, answer checking with math-verify, and the sandboxed python tool."""

import json
import subprocess
import sys
import threading
import time

import gymnasium as gym
import pytest
from gymnasium.utils.env_checker import check_env

import synthagent_env  # noqa: F401  (registers the envs)
from synthagent_agents import OracleAgent
from synthagent_env.episode import play_episode
from synthagent_env.math_env import BUNDLED_MATH_TASKS, NO_USER, load_math_tasks, math_task, run_python, verify_answer

from helpers import call


def python(code):
    return call("python", code=code)


@pytest.fixture
def env():
    env = gym.make("synthagent/Math-v0")
    yield env
    env.close()


def test_env_checker_and_info_contract(env, mapping_path):
    check_env(env.unwrapped)
    _, info = env.reset(options={"task_id": "math-lcm"})
    tool_use = gym.make("synthagent/ToolUse-v0", mapping_path=mapping_path)
    _, tool_info = tool_use.reset(seed=0)
    assert set(info) == set(tool_info)
    assert set(info["stats"]) == set(tool_info["stats"])
    tool_use.close()
    _, reward, terminated, truncated, info = env.step({"content": "<answer>840</answer>"})
    assert (reward, terminated, truncated) == (1.0, True, False)
    details = info["reward_details"]
    assert details["items"][0]["passed"] is True and details["items"][0]["decided_by"] == "math_verify"
    assert info["end_reason"] == "answer" and info["trajectory"][-1] == {"type": "answer", "turn": 1, "content": "840"}


def test_oracle_solves_every_bundled_task(env):
    agent = OracleAgent(BUNDLED_MATH_TASKS)
    rewards = [play_episode(env, agent, task_id=t.id).reward for t in BUNDLED_MATH_TASKS]
    assert rewards == [1.0] * len(BUNDLED_MATH_TASKS)


@pytest.mark.parametrize("gold, given, correct", [
    (r"\frac{13}{12}", "13/12", True), (r"\frac{13}{12}", r"\dfrac{13}{12}", True), ("48", r"$\boxed{48}$", True),
    ("840", "The answer is 840", True), (r"3\sqrt{2}", r"\sqrt{18}", True), (r"\frac{1}{6}", "1/6", True),
    ("840", "841", False), (r"3\sqrt{2}", "3", False), ("24", "", False), ("24", "x" * 5000, False),
])
def test_answers_are_checked_by_value(gold, given, correct):
    assert verify_answer(gold, given)[0] is correct


def test_a_tool_call_then_an_answer(env):
    env.reset(options={"task_id": "math-power-mod-13"})
    obs, reward, terminated, _, info = env.step(python("print(pow(2, 100, 13))"))
    assert obs == '<tool_response name="python">\n3\n</tool_response>' and not terminated
    assert info["trajectory"][0]["status"] == "ok" and info["stats"]["tool_calls"] == 1
    assert info["messages"][-1] == {"role": "tool", "tool_call_id": "call_1_0", "name": "python", "content": "3"}
    _, reward, terminated, _, _ = env.step("It is 3.\n<answer>3</answer>")
    assert reward == 1.0 and terminated


def test_bad_actions_get_error_observations(env):
    env.reset(options={"task_id": "math-lcm"})
    obs, *_ = env.step("Let me think about this.")
    assert obs == f"User: [environment] Error: {NO_USER}"
    obs, *_, info = env.step(call("calculator", expression="1+1"))
    assert "unknown tool 'calculator'" in obs and info["trajectory"][-1]["error_kind"] == "unknown_tool"
    obs, *_, info = env.step(call("python", source="print(1)"))
    assert info["trajectory"][-1]["error_kind"] == "invalid_arguments"
    obs, *_, info = env.step('<tool_call>{"name": "python", "arguments": </tool_call>')
    assert info["trajectory"][-1]["error_kind"] == "malformed"
    assert info["stats"]["format_errors"] == 1 and info["stats"]["tool_errors"] == 3


def test_turn_limit_truncates_with_zero_reward():
    env = gym.make("synthagent/Math-v0", max_turns=2, python_tool=False)
    _, info = env.reset(options={"task_index": 0})
    assert info["tools"] == [] and "python" not in info["messages"][0]["content"]
    env.step("hmm")
    _, reward, terminated, truncated, info = env.step("still thinking")
    assert (reward, terminated, truncated, info["end_reason"]) == (0.0, False, True, "max_turns")
    assert info["reward_details"]["items"][0]["reason"] == "the agent gave no final answer"
    env.close()


def test_checks_off_the_main_thread_use_a_worker_with_a_time_limit():
    env = gym.make("synthagent/Math-v0", answer_timeout=1).unwrapped
    results = {}

    def play(label, answer, task_id):
        env.reset(options={"task_id": task_id})
        results[label] = env.step(f"<answer>{answer}</answer>")[1]

    for label, answer, task_id in [("right", r"3\sqrt{2}", "math-radicals"), ("wrong", "4", "math-power-mod-13"),
                                   ("huge", "10^{10^{10}}", "math-lcm")]:
        worker = threading.Thread(target=play, args=(label, answer, task_id))
        started = time.monotonic()
        worker.start()
        worker.join(60)
        assert not worker.is_alive() and time.monotonic() - started < 30
    assert results == {"right": 1.0, "wrong": 0.0, "huge": 0.0}
    assert env.checker._worker is not None
    env.close()
    assert env.checker._worker is None


def test_math_tasks_from_dataset_rows(tmp_path):
    path = tmp_path / "rows.jsonl"
    path.write_text(json.dumps({"problem": "What is 6 times 7?", "answer": 42, "source": "mine"}) + "\n")
    [task] = load_math_tasks(path)
    assert task.kind == "math" and task.answer == "42" and task.metadata == {"source": "mine"}
    assert task.id == math_task("What is 6 times 7?", 42).id
    with pytest.raises(ValueError, match="no answer"):
        load_math_tasks([{"id": "t", "domain": "d", "persona": "p", "instruction": "i"}])
    env = gym.make("synthagent/Math-v0", tasks=path)
    env.reset()
    assert env.step("<answer>42</answer>")[1] == 1.0
    env.close()


def test_importing_the_package_does_not_import_math_verify():
    code = "import sys, synthagent_env; print(any(m.startswith(('math_verify', 'sympy')) for m in sys.modules))"
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True).stdout.strip() == "False"


# ---- the sandbox ----

def test_python_tool_runs_code_and_reports_errors():
    assert run_python("import sympy\nprint(sympy.factorint(360))") == "{2: 3, 3: 2, 5: 1}"
    out = run_python("print('partial')\n1/0")
    assert out.startswith("partial\nTraceback") and "ZeroDivisionError" in out and "_run.py" not in out
    assert out.endswith("[exit code 1]")
    assert run_python("x = 1") == "[no output: print() what you want to see]"
    long = run_python("print('x' * 100_000)", max_chars=500)
    assert len(long) <= 500 and long.endswith("[output truncated]")


def test_python_tool_time_limit_kills_the_program():
    started = time.monotonic()
    out = run_python("import time\nprint('start', flush=True)\nwhile True: time.sleep(0.01)", timeout=1)
    assert time.monotonic() - started < 5
    assert out.startswith("start") and "ran longer than 1 s" in out


@pytest.mark.parametrize("code, needle", [
    ("import socket\nsocket.create_connection(('1.1.1.1', 80), timeout=2)", "is not allowed here"),
    ("import subprocess\nsubprocess.run(['echo', 'hi'])", "not allowed"),
    ("import os\nos.system('echo hi')", "not allowed"),
    ("import ctypes\nctypes.CDLL(None).system(b'echo hi')", "not allowed"),
    ("open('/tmp/synthagent-sandbox-escape', 'w').write('x')", "not allowed"),
    ("import os\nos.remove('/etc/hostname')", "not allowed"),
])
def test_python_tool_refuses_network_processes_and_outside_writes(code, needle):
    out = run_python(code)
    assert needle in out and out.endswith("[exit code 1]"), out


def test_python_tool_may_write_in_its_own_directory():
    assert run_python("open('notes.txt', 'w').write('ok')\nprint(open('notes.txt').read())") == "ok"


def test_audit_hook_refuses_the_network_even_without_a_network_namespace(monkeypatch):
    import synthagent_env.math_env.sandbox as math_env

    monkeypatch.setattr(math_env, "network_namespace_prefix", lambda: ())
    out = run_python("import socket\nsocket.create_connection(('127.0.0.1', 9), timeout=2)")
    assert "socket" in out and "is not allowed here" in out
