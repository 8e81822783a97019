"""``synthagent/Math-v0``: the env contract, answer checking with math-verify, and the sandboxed python tool."""

import json
import pickle
import subprocess
import sys
import threading
import time

import gymnasium as gym
import pytest
from gymnasium.utils.env_checker import check_env
from helpers import call
from synthagent_agents import OracleAgent

import synthagent_env  # noqa: F401  (registers the envs)
from synthagent_env.episode import play_episode
from synthagent_env.math_env import (
    BUNDLED_MATH_TASKS,
    UNSAFE,
    AnswerChecker,
    Limits,
    SandboxUnavailable,
    load_math_tasks,
    make_sandbox,
    math_task,
    python_tool_spec,
    verify_answer,
)
from synthagent_env.math_env.python_tool import describe


def python(code):
    return call("python", code=code)


@pytest.fixture
def env():
    try:
        env = gym.make("synthagent/Math-v0")
    except SandboxUnavailable as err:
        pytest.skip(f"bubblewrap cannot run here: {err}")
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
    assert info["trajectory"][-1]["status"] == "ok" and info["stats"]["tool_calls"] == 1
    assert info["messages"][-1] == {"role": "tool", "tool_call_id": "call_1_0", "name": "python", "content": "3"}
    _, reward, terminated, _, _ = env.step("It is 3.\n<answer>3</answer>")
    assert reward == 1.0 and terminated


def test_bad_actions_get_error_observations(env):
    env.reset(options={"task_id": "math-lcm"})
    obs, *_ = env.step("Let me think about this.")
    assert obs.startswith("User: [environment] Error: there is no user here")
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
    env = gym.make("synthagent/Math-v0", answer_timeout=1, python_tool=False).unwrapped
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
    env = gym.make("synthagent/Math-v0", tasks=path, python_tool=False)
    env.reset()
    assert env.step("<answer>42</answer>")[1] == 1.0
    env.close()


def test_importing_the_package_does_not_import_math_verify():
    code = "import sys, synthagent_env; print(any(m.startswith(('math_verify', 'sympy')) for m in sys.modules))"
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True).stdout.strip() == "False"


# ---- the python tool (the sandbox's escapes: test_math_sandbox.py) ----

@pytest.fixture(scope="module", params=["bwrap", UNSAFE])
def sandbox(request):
    try:
        return make_sandbox(request.param, Limits(timeout=20))
    except SandboxUnavailable as err:
        pytest.skip(f"bubblewrap cannot run here: {err}")


def run_python(sandbox, code, max_chars=4096):
    return describe(sandbox.run(code), sandbox.limits.timeout, max_chars)


def test_python_tool_runs_code_and_reports_errors(sandbox):
    assert run_python(sandbox, "import sympy\nprint(sympy.factorint(360))") == "{2: 3, 3: 2, 5: 1}"
    out = run_python(sandbox, "print('partial')\n1/0")
    assert out.startswith("partial\nTraceback") and "ZeroDivisionError" in out and "<string>" not in out
    assert 'File "main.py", line 2' in out and out.endswith("[exit code 1]")
    assert run_python(sandbox, "x = 1") == "[no output: print() what you want to see]"
    long = run_python(sandbox, "print('x' * 100_000)", max_chars=500)
    assert len(long) <= 500 and long.endswith("[output truncated]")
    assert run_python(sandbox, "open('notes.txt', 'w').write('ok')\nprint(open('notes.txt').read())") == "ok"


def test_python_tool_time_limit_kills_the_program(sandbox):
    sandbox = make_sandbox(sandbox.kind, Limits(timeout=2), modules=())
    started = time.monotonic()
    out = run_python(sandbox, "import time\nprint('start', flush=True)\nwhile True: time.sleep(0.01)")
    assert time.monotonic() - started < 6
    assert out.startswith("start") and "ran longer than 2 s" in out


def test_tool_description_promises_only_what_imports_inside():
    assert "numpy and sympy" in python_tool_spec(("numpy", "sympy", "mpmath")).description
    assert "Only the standard library" in python_tool_spec(()).description
    sandbox = make_sandbox(UNSAFE, Limits(timeout=30), modules=("sympy", "no_such_package_here"))
    assert sandbox.modules() == ("sympy",)


def test_python_tool_description_follows_the_sandbox():
    env = gym.make("synthagent/Math-v0", sandbox=make_sandbox(UNSAFE, Limits(timeout=30), modules=("mpmath",)))
    _, info = env.reset(options={"task_id": "math-lcm"})
    description = info["tools"][0]["function"]["description"]
    assert "mpmath" in description and "sympy" not in description
    env.close()


def test_without_isolation_construction_fails_and_names_the_fix(monkeypatch):
    from synthagent_env.math_env import bwrap

    monkeypatch.setattr(bwrap.shutil, "which", lambda name: None)
    with pytest.raises(SandboxUnavailable, match="apt-get install bubblewrap.*unsafe-subprocess"):
        gym.make("synthagent/Math-v0")
    env = gym.make("synthagent/Math-v0", python_tool=False)  # no tool, no sandbox needed
    env.close()
    env = gym.make("synthagent/Math-v0", sandbox=UNSAFE)  # the explicit opt-out
    env.reset(options={"task_id": "math-lcm"})
    assert env.step(python("print(6 * 7)"))[0].endswith("42\n</tool_response>")
    env.close()


def test_refused_namespaces_fail_at_construction(tmp_path, monkeypatch):
    """A bwrap that cannot create namespaces (as in a default Docker container) is reported, with the fix."""
    from synthagent_env.math_env import bwrap, sandbox

    sandbox._importable.cache_clear()  # asked once per process and configuration: ask again
    fake = tmp_path / "bwrap"
    fake.write_text("#!/bin/sh\necho 'bwrap: No permissions to create new namespace' >&2\nexit 1\n")
    fake.chmod(0o755)
    monkeypatch.setattr(bwrap.shutil, "which", lambda name: str(fake))
    with pytest.raises(SandboxUnavailable, match="No permissions to create new namespace.*user namespaces"):
        gym.make("synthagent/Math-v0")


def test_unknown_sandbox_kind_is_a_clear_error():
    with pytest.raises(ValueError, match="unknown sandbox 'docker'"):
        gym.make("synthagent/Math-v0", sandbox="docker")


# ---- without math-verify (issue 15, item 7) ----

def test_without_math_verify_construction_names_the_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "math_verify", None)  # what an install without it looks like to import
    with pytest.raises(ModuleNotFoundError, match=r'pip install "synthagent\[math\]"'):
        gym.make("synthagent/Math-v0", python_tool=False)


def test_an_answer_check_without_math_verify_is_a_verdict_not_an_exception(monkeypatch):
    monkeypatch.setitem(sys.modules, "math_verify", None)
    correct, reason = AnswerChecker().check("840", "840")
    assert correct is False and 'synthagent[math]' in reason


# ---- pickling (issue 11, finding 12) ----

@pytest.mark.parametrize("moment", ["after_reset", "mid_episode"])
def test_envs_pickle_and_continue_identically(moment):
    env = gym.make("synthagent/Math-v0", sandbox=UNSAFE, python_timeout=30)
    env.reset(seed=3, options={"task_id": "math-power-mod-13"})
    if moment == "mid_episode":
        env.step(python("print(pow(2, 100, 13))"))
        env.step("hmm")
    copy = pickle.loads(pickle.dumps(env))
    steps = [python("print(2 ** 10)"), "It is 3.\n<answer>3</answer>"]
    for action in steps:
        a, b = env.step(action), copy.step(action)
        assert a == b
    assert a[1] == 1.0 and a[2] is True
    env.close()
    copy.close()


def test_a_bwrap_env_pickles_and_its_copy_runs_python():
    try:
        env = gym.make("synthagent/Math-v0", python_timeout=30)
    except SandboxUnavailable as err:
        pytest.skip(f"bubblewrap cannot run here: {err}")
    env.reset(options={"task_id": "math-power-mod-13"})
    env.step(python("print(1)"))
    copy = pickle.loads(pickle.dumps(env))
    assert copy.step(python("print(pow(2, 100, 13))")) == env.step(python("print(pow(2, 100, 13))"))
    assert copy.step("<answer>3</answer>")[1] == 1.0
    env.close()
    copy.close()


def test_an_unpickled_bwrap_sandbox_refuses_where_bwrap_cannot_run(monkeypatch):
    from synthagent_env.math_env import bwrap

    try:
        data = pickle.dumps(make_sandbox("bwrap", Limits(timeout=30), modules=()))
    except SandboxUnavailable as err:
        pytest.skip(f"bubblewrap cannot run here: {err}")
    monkeypatch.setattr(bwrap.shutil, "which", lambda name: None)  # the machine it is shipped to
    with pytest.raises(SandboxUnavailable, match="apt-get install bubblewrap"):
        pickle.loads(data)
