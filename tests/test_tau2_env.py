"""synthagent/Tau2-v0: τ²'s tools, user simulator and evaluator behind our env contract (loopback user, no network)."""

from __future__ import annotations

import json
import pickle
import subprocess
import sys
import time

import pytest

pytest.importorskip("tau2", reason='needs pip install "synthagent[tau2]"')

from gymnasium.utils.env_checker import check_env
from tau2.agent.llm_agent import AGENT_INSTRUCTION, SYSTEM_PROMPT

from synthagent_env.llm import LLMTestServer
from synthagent_env.tau2 import GoldReplayAgent, GoldUser, Tau2Env, load_tasks
from synthagent_env.tau2.backend import registry
from synthagent_env.tau2.env import REFUSED_POWER, domain_face
from synthagent_env.tau2.gold import CLOSING, gold_plan, step_message
from synthagent_env.tau2.reward import NO_JUDGE

REFUEL_TASK = "[mobile_data_issue]data_usage_exceeded|user_abroad_roaming_enabled_off[PERSONA:Easy]"


@pytest.fixture(scope="module")
def server():
    with LLMTestServer(reply=GoldUser()) as s:
        yield s


@pytest.fixture(scope="module")
def telecom(server):
    env = Tau2Env(domain="telecom", user=server.url)
    yield env
    env.close()


def play(env, agent, task_id):
    obs, info = env.reset(options={"task_id": task_id})
    agent.reset(info)
    reward, done = 0.0, False
    while not done:
        obs, reward, terminated, truncated, info = env.step(agent.act(obs, info))
        done = terminated or truncated
    return reward, info


def call(name, **arguments):
    return {"content": None, "tool_calls": [{"id": "c1", "type": "function",
                                             "function": {"name": name, "arguments": json.dumps(arguments)}}]}


def test_gold_replay_scores_one_and_every_check_passes(telecom):
    for task in load_tasks("telecom", "base")[:3]:
        reward, info = play(telecom, GoldReplayAgent(), task.id)
        assert reward == 1.0, info["reward_details"]
        assert info["end_reason"] == "user_stop"
        items = info["reward_details"]["items"]
        assert items and all(i["passed"] for i in items if i["counted"])
        assert {i["section"] for i in items} >= {"env_assertion", "action"}


def test_the_agent_sees_what_tau2_shows_an_agent(telecom):
    obs, info = telecom.reset(options={"task_id": REFUEL_TASK})
    environment = registry.get_env_constructor("telecom")()
    system = SYSTEM_PROMPT.format(domain_policy=environment.get_policy(), agent_instruction=AGENT_INSTRUCTION)
    assert info["messages"][0] == {"role": "system", "content": system}
    assert info["messages"][1] == {"role": "assistant", "content": "Hi! How can I help you today?"}
    assert info["messages"][2]["role"] == "user" and info["messages"][2]["content"] in obs
    assert info["tools"] == [t.openai_schema for t in environment.get_tools()]  # τ²'s schemas, τ²'s order


def test_user_tool_calls_run_on_tau2_and_stay_hidden_from_the_agent(telecom):
    plan = gold_plan(load_tasks("telecom", "base", [REFUEL_TASK])[0])
    obs, info = telecom.reset(options={"task_id": REFUEL_TASK})
    asks = [s for s in plan if s.kind == "say" and s.text != CLOSING and "Please do" in s.text]
    assert asks, "this task has user actions"
    obs, _, _, _, info = telecom.step(step_message(asks[0], 0))
    events = [e for e in info["trajectory"] if e["type"] == "user_tool_calls"]
    assert events and all(not c["error"] for e in events for c in e["calls"])
    assert "Done, I did that." in obs
    assert [m["role"] for m in info["messages"][-2:]] == ["assistant", "user"]  # no user calls, no responses
    assert info["messages"][-1]["content"] == "Done, I did that."


def test_each_episode_gets_a_fresh_database_and_instances_share_nothing(server, telecom):
    task = load_tasks("telecom", "base", [REFUEL_TASK])[0]
    [refuel] = [a for a in task.evaluation_criteria.actions if a.name == "refuel_data"]
    telecom.reset(options={"task_id": REFUEL_TASK})
    fresh = telecom._environment.get_db_hash()
    other = Tau2Env(domain="telecom", user=server.url)
    try:
        other.reset(options={"task_id": REFUEL_TASK})
        _, _, _, _, info = telecom.step(call("refuel_data", **refuel.arguments))
        assert info["trajectory"][-1]["source"] == "tau2"
        assert telecom._environment.get_db_hash() != fresh  # the write happened
        assert other._environment.get_db_hash() == fresh  # ... in that instance only
        telecom.reset(options={"task_id": REFUEL_TASK})
        assert telecom._environment.get_db_hash() == fresh  # and not in the next episode
    finally:
        other.close()


def test_tool_errors_are_tau2s_own_and_too_many_end_the_episode_with_zero(telecom):
    telecom.reset(options={"task_id": REFUEL_TASK})
    obs, _, _, _, info = telecom.step(call("no_such_tool"))
    assert "Error: Tool 'no_such_tool' not found." in obs
    obs, _, _, _, info = telecom.step(call("get_customer_by_phone"))  # missing argument: τ²'s TypeError
    assert "Error:" in obs and "phone_number" in obs
    assert info["tau2_errors"] == 2 and info["trajectory"][-1]["source"] == "tau2_error"
    done = False
    for _ in range(20):
        _, reward, terminated, truncated, info = telecom.step(call("no_such_tool"))
        if terminated or truncated:
            done = True
            break
    assert done and info["end_reason"] == "too_many_errors" and info["tau2_errors"] == 10  # τ²'s max_errors
    assert reward == 0.0 and info["reward_details"]["items"][0]["id"] == "termination"


def test_calculate_cannot_hang_the_env_and_the_refused_call_is_not_replayed(server):
    env = Tau2Env(domain="retail", user=server.url, task_ids=[load_tasks("retail")[0].id])
    try:
        env.reset()
        start = time.perf_counter()
        obs, *_ = env.step(call("calculate", expression="9**9**9**9"))
        assert time.perf_counter() - start < 5 and REFUSED_POWER in obs
        obs, *_ = env.step(call("calculate", expression="2 + 3"))
        assert "5.0" in obs
        calls = [c.name for m in env.tau2_messages() if getattr(m, "tool_calls", None) for c in m.tool_calls]
        assert calls == ["calculate"]  # only the call τ² ran
    finally:
        env.close()


def test_max_steps_ends_the_episode_as_tau2_does(server):
    env = Tau2Env(domain="telecom", user=server.url, max_steps=6)
    try:
        env.reset(options={"task_id": REFUEL_TASK})  # the user's first message: step 1
        ends = []
        for _ in range(5):
            _, reward, terminated, truncated, info = env.step({"content": "How can I help?"})  # +2 steps each
            ends.append((terminated, truncated))
            if terminated or truncated:
                break
        assert info["end_reason"] == "max_steps" and truncated and reward == 0.0
        assert info["tau2_steps"] == 6 and len(ends) == 3  # 1 + 2 + 2, then the agent's message is the 6th
    finally:
        env.close()


@pytest.mark.parametrize("signal", ["###STOP###", "###TRANSFER###", "###OUT-OF-SCOPE###"])
def test_user_stop_signals_end_the_episode(signal):
    with LLMTestServer(script=["Hi, help me.", f"Thanks. {signal}"]) as s:
        env = Tau2Env(domain="telecom", user=s.url)
        try:
            env.reset(options={"task_id": REFUEL_TASK})
            _, _, terminated, truncated, info = env.step({"content": "Sure."})
            assert terminated and not truncated and info["end_reason"] == "user_stop"
            assert info["reward_details"]["termination_reason"] == "user_stop"
        finally:
            env.close()


def test_a_failing_user_model_ends_the_episode_without_raising():
    with LLMTestServer(script=["Hi, help me."], faults=None) as s:
        env = Tau2Env(domain="telecom", user={"base_url": s.url, "max_retries": 0})
        try:
            env.reset(options={"task_id": REFUEL_TASK})
            s.plan("http_503")
            _, reward, _, truncated, info = env.step({"content": "Hello?"})
            assert truncated and info["end_reason"] == "simulator_failure" and reward == 0.0
            assert "user simulator failed" in info["failure"]
        finally:
            env.close()
    with LLMTestServer(fault_plan=["http_503"]) as s:  # dead at the user's first message: ends at the first step
        env = Tau2Env(domain="telecom", user={"base_url": s.url, "max_retries": 0})
        try:
            env.reset(options={"task_id": REFUEL_TASK})
            _, _, _, truncated, info = env.step({"content": "Hello?"})
            assert truncated and info["end_reason"] == "simulator_failure"
        finally:
            env.close()


def test_claims_do_not_pay(server):
    """Saying the task is done, with every communicate item, without doing it: τ²'s DB check gives 0."""
    task = next(t for t in load_tasks("retail") if t.evaluation_criteria.communicate_info)
    env = Tau2Env(domain="retail", user=server.url, task_ids=[task.id])
    try:
        env.reset()
        claim = "\n".join([*task.evaluation_criteria.communicate_info, "All done, the database is updated.",
                           CLOSING])
        _, reward, terminated, _, info = env.step({"content": claim})
        assert terminated and reward == 0.0
        db = next(i for i in info["reward_details"]["items"] if i["id"] == "db")
        assert db["passed"] is False and db["counted"]
    finally:
        env.close()


def test_nl_assertions_undecided_without_a_judge_and_judged_with_one(server):
    task = load_tasks("airline")[0]
    assert task.evaluation_criteria.nl_assertions
    verdict = {"results": [{"expectedOutcome": a, "reasoning": "seen", "metExpectation": True}
                           for a in task.evaluation_criteria.nl_assertions]}
    with LLMTestServer(reply=lambda body: json.dumps(verdict)) as judge:
        for spec in (None, judge.url):
            env = Tau2Env(domain="airline", user=server.url, task_ids=[task.id], judge=spec)
            try:
                reward, info = play(env, GoldReplayAgent(), task.id)
            finally:
                env.close()
            nl = [i for i in info["reward_details"]["items"] if i["section"] == "nl_assertion"]
            assert reward == 1.0 and nl and not any(i["counted"] for i in nl)  # not in this task's basis
            if spec is None:
                assert all(i["passed"] is None and i["reason"] == NO_JUDGE for i in nl)
            else:
                assert all(i["passed"] is True and i["decided_by"] == "judge" for i in nl)


@pytest.mark.parametrize("domain", ["airline", "retail", "telecom"])
def test_check_env_passes(server, domain):
    env = Tau2Env(domain=domain, user=server.url, task_ids=[load_tasks(domain)[0].id])
    try:
        check_env(env, skip_render_check=True)
    finally:
        env.close()


def test_env_pickles_and_plays_after(server, telecom):
    clone = pickle.loads(pickle.dumps(telecom))
    try:
        reward, _ = play(clone, GoldReplayAgent(), REFUEL_TASK)
        assert reward == 1.0
    finally:
        clone.close()


def test_bad_options_are_clear_errors(server):
    with pytest.raises(ValueError, match="user="):
        Tau2Env(domain="telecom")
    with pytest.raises(ValueError, match="known: airline, retail, telecom"):
        Tau2Env(domain="bank", user=server.url)
    with pytest.raises(ValueError, match="unknown split"):
        Tau2Env(domain="airline", task_split="nope", user=server.url)
    with pytest.raises(KeyError, match="no τ² tasks"):
        Tau2Env(domain="airline", task_ids=["nope"], user=server.url)


def test_missing_tau2_names_the_install_line():
    code = ("import sys; sys.modules['tau2'] = None\n"
            "try:\n    import synthagent_env.tau2\nexcept ImportError as e:\n    print(e)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False)
    assert 'pip install "synthagent[tau2]"' in out.stdout, out.stderr


def test_domain_face_is_cached_per_domain():
    assert domain_face("telecom") is domain_face("telecom")


def test_eval_loop_reports_pass_hat_k(server, tmp_path):
    import gymnasium as gym

    from synthagent_env.evaluation.loop import EvalConfig, evaluate

    if "synthagent/Tau2-v0" not in gym.registry:  # the package registers it; a checkout mid-change may not yet
        gym.register("synthagent/Tau2-v0", entry_point="synthagent_env.tau2.env:Tau2Env")
    ids = [t.id for t in load_tasks("telecom")[:2]]
    config = EvalConfig(env_id="synthagent/Tau2-v0", samples=2, concurrency=2, progress=False,
                        env_kwargs={"domain": "telecom", "user": server.url, "task_ids": ids})
    result = evaluate(GoldReplayAgent, tmp_path / "eval", config, plot=False)
    assert result.ran == 4
    assert result.summary["pass_hat_k"]["2"] == 1.0


def test_a_user_who_stops_at_once_ends_the_episode_at_the_first_step():
    with LLMTestServer(script=["Never mind. ###STOP###"]) as s:
        env = Tau2Env(domain="telecom", user=s.url)
        try:
            obs, info = env.reset(options={"task_id": REFUEL_TASK})
            assert "###STOP###" in obs
            _, reward, _, _, info = env.step({"content": "Hello?"})
            assert info["end_reason"] == "user_stop" and reward == 0.0  # τ² scores it: nothing was fixed
            assert info["reward_details"]["termination_reason"] == "user_stop"
        finally:
            env.close()
