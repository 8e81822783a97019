"""The ToolUse-v0 contract: registration, routing, error observations, limits, spaces, vector envs."""

import subprocess
import sys

import gymnasium as gym
import pytest
from gymnasium.utils.env_checker import check_env

import synthagent_env  # noqa: F401
from synthagent_env.simulators import Simulator, SimulatorError
from synthagent_env.simulators.offline import OfflineUserSimulator

from helpers import TASK, RandomTool, call


@pytest.fixture
def env(mapping_path):
    e = gym.make("synthagent/ToolUse-v0", mapping_path=mapping_path)
    yield e
    e.close()


def test_make_with_no_arguments_plays_an_episode():
    env = gym.make("synthagent/ToolUse-v0")
    obs, info = env.reset(seed=0)
    task = next(t for t in env.unwrapped.tasks if t.id == info["task_id"])
    assert obs.endswith(f"User: {task.instruction}") and task.hidden_facts[0].value not in obs
    assert "<tools>" in obs and info["messages"][0]["role"] == "system"
    assert [t["type"] for t in info["tools"]] == ["function"] * len(info["tools"])
    obs, reward, terminated, truncated, info = env.step("<answer>nothing to do</answer>")
    assert terminated and not truncated and reward == 0.0
    assert info["end_reason"] == "answer" and "reward_details" in info
    env.close()


def test_import_does_not_load_torch_or_transformers():
    code = "import synthagent_env, synthagent_agents, sys; print('torch' in sys.modules, 'transformers' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "False"]


def test_reset_picks_task_by_id_and_seed(env):
    _, info = env.reset(options={"task_id": TASK})
    assert info["task_id"] == TASK
    a = env.reset(seed=7)[1]["task_id"]
    assert env.reset(seed=7)[1]["task_id"] == a
    with pytest.raises(KeyError):
        env.reset(options={"task_id": "no-such-task"})


def test_tool_calls_answer_from_the_seed_mapping(env):
    env.reset(options={"task_id": TASK})
    obs, reward, term, trunc, info = env.step(call("get_order", order_id="A-48213"))
    assert "BLD-220" in obs and '<tool_response name="get_order">' in obs
    event = info["trajectory"][-1]
    assert (event["type"], event["status"], event["source"]) == ("tool_call", "ok", "mapping")
    assert event["arguments"] == {"order_id": "A-48213"}
    assert info["stats"]["mapping_hits"] == 1 and info["messages"][-1]["role"] == "tool"
    assert not (term or trunc) and reward == 0.0


@pytest.mark.parametrize("action, kind, needle", [
    (call("launch_rocket", target="moon"), "unknown_tool", "unknown tool 'launch_rocket'; available tools: check_return_eligibility, create_return, get_order"),
    ('<tool_call>{"name": "get_order", "arguments": {"order_id": </tool_call>', "malformed", "malformed tool call JSON"),
    (call("get_order"), "invalid_arguments", "'order_id' is a required property"),
    (call("get_order", order_id=5), "invalid_arguments", "order_id: 5 is not of type 'string'"),
    (call("create_return", order_id="A", sku="B", reason="bored", refund_method="store_credit"),
     "invalid_arguments", "reason: 'bored' is not one of"),
    (call("get_order", order_id="A", extra=True), "invalid_arguments", "Additional properties are not allowed"),
])
def test_bad_tool_calls_become_error_observations(env, action, kind, needle):
    env.reset(options={"task_id": TASK})
    obs, reward, term, trunc, info = env.step(action)
    assert needle in obs and obs.count("Error:") == 1
    assert info["trajectory"][-1]["error_kind"] == kind and info["stats"]["tool_errors"] == 1
    assert not (term or trunc)


def test_garbage_actions_never_raise(env):
    env.reset(options={"task_id": TASK})
    for action in [None, 3.5, {"content": 7}, "", "   ", {"tool_calls": "x"}]:
        obs, _, term, trunc, info = env.step(action)
        assert obs.startswith("User: [environment] Error:") and not (term or trunc)
    assert info["stats"]["format_errors"] == 6
    obs, *_ = env.step("\x00\ud800?")  # odd text goes to the user, who is not confused into revealing anything
    assert obs.startswith("User: ") and "A-48213" not in obs


@pytest.mark.parametrize("arguments", [{"order_id": {1, 2}}, {("a", "b"): 1}, {"order_id": "\ud800"},
                                       {"order_id": float("nan")}])
def test_arguments_that_are_not_plain_json_are_the_agents_error(env, arguments):
    env.reset(options={"task_id": TASK})
    action = {"content": None, "tool_calls": [{"id": "c1", "function": {"name": "get_order", "arguments": arguments}}]}
    obs, _, term, trunc, info = env.step(action)
    assert "are not plain JSON" in obs and not (term or trunc)
    assert info["trajectory"][-1]["error_kind"] == "malformed" and info["stats"]["simulator_failures"] == 0
    obs, *_ = env.step('<tool_call>{"name": "get_order", "arguments": {"order_id": "\\ud800"}}</tool_call>')
    assert "not valid Unicode" in obs


def test_several_calls_in_one_turn_and_answer_ends(env):
    env.reset(options={"task_id": TASK})
    obs, _, _, _, info = env.step(call("get_order", order_id="A-48213") + call("nope"))
    assert info["stats"]["tool_calls"] == 2 and info["stats"]["tool_errors"] == 1
    assert [m["role"] for m in info["messages"][-3:]] == ["assistant", "tool", "tool"]
    _, _, term, _, info = env.step("<answer>Done.</answer>")
    assert term and info["trajectory"][-1] == {"type": "answer", "turn": 2, "content": "Done."}


def test_openai_dict_action(env):
    env.reset(options={"task_id": TASK})
    action = {"role": "assistant", "content": None, "tool_calls": [
        {"id": "x1", "type": "function", "function": {"name": "get_order", "arguments": '{"order_id": "A-48213"}'}}]}
    _, _, _, _, info = env.step(action)
    assert info["messages"][-1] == {"role": "tool", "tool_call_id": "x1", "name": "get_order",
                                    "content": info["trajectory"][-1]["response"]}


def test_user_reveals_a_fact_only_when_asked(env):
    env.reset(options={"task_id": TASK})
    obs, _, _, _, info = env.step("Hello! I can help with that. Could you tell me a bit more?")
    assert "A-48213" not in obs and "store credit" not in obs.lower()
    obs, _, _, _, info = env.step("What is the order number?")
    assert obs == "User: The order number is A-48213."
    assert "get_order" not in obs and info["stats"]["user_turns"] == 2
    assert info["trajectory"][-1]["type"] == "user" and info["trajectory"][-1]["reply"] in obs


def test_keywords_only_count_as_whole_words_in_a_question(env):
    env.reset(options={"task_id": TASK})
    for text in ["Bordering on the absurd, isn't it?", "I will place an order for you.", "refunded?!ordered"]:
        obs, *_ = env.step(text)
        assert "A-48213" not in obs and "store credit" not in obs.lower(), text
    obs, *_ = env.step("Please share the order number.")
    assert obs == "User: The order number is A-48213."


def test_user_can_end_the_conversation(env):
    env.reset(options={"task_id": TASK})
    _, reward, term, trunc, info = env.step("Goodbye!")
    assert term and not trunc and info["end_reason"] == "user_stop" and reward == 0.0


def test_turn_limit_truncates(mapping_path):
    env = gym.make("synthagent/ToolUse-v0", mapping_path=mapping_path, max_turns=3)
    env.reset(options={"task_id": TASK})
    results = [env.step("hmm") for _ in range(3)]
    assert [r[3] for r in results] == [False, False, True]
    assert results[-1][4]["end_reason"] == "max_turns" and not results[-1][2]
    obs, reward, term, _, info = env.step("more?")
    assert term and reward == 0.0 and "call reset()" in obs
    env.close()


def test_context_limit_truncates(mapping_path):
    env = gym.make("synthagent/ToolUse-v0", mapping_path=mapping_path, max_context_chars=3000)
    env.reset(options={"task_id": TASK})
    _, _, _, trunc, info = env.step("x" * 3000)
    assert trunc and info["end_reason"] == "context_limit"
    env.close()


def test_long_tool_output_is_truncated(mapping_path):
    env = gym.make("synthagent/ToolUse-v0", mapping_path=mapping_path, max_tool_output_chars=50)
    env.reset(options={"task_id": TASK})
    obs, *_ , info = env.step(call("get_order", order_id="A-48213"))
    assert len(info["trajectory"][-1]["response"]) == 50 and info["trajectory"][-1]["response"].endswith("[truncated]")
    env.close()


class _BrokenTool:
    def respond(self, task, tool, arguments, mapping):
        raise SimulatorError("server said 503 three times")


class _BrokenUser:
    def reply(self, task, conversation):
        raise ConnectionError("connection refused")


def test_simulator_failures_truncate_with_a_reason(mapping_path):
    env = gym.make("synthagent/ToolUse-v0", mapping_path=mapping_path,
                   simulator=Simulator(tool=_BrokenTool(), user=_BrokenUser()))
    env.reset(options={"task_id": TASK})
    obs, _, term, trunc, info = env.step(call("get_order", order_id="NEW-1"))
    assert trunc and not term and "unavailable" in obs
    assert info["end_reason"] == "simulator_failure" and "503 three times" in info["failure"]
    assert "reward_details" in info
    env.reset(options={"task_id": TASK})
    _, _, _, trunc, info = env.step("What is the order number?")
    assert trunc and "connection refused" in info["failure"] and info["stats"]["simulator_failures"] == 1
    env.close()


def test_unicode_text_spaces(env):
    obs, _ = env.reset(options={"task_id": TASK})
    assert env.observation_space.contains(obs)
    action = "¿Cuál es el número de pedido? 注文番号は？ {\"x\": 1} <b>"
    assert env.action_space.contains(action)
    obs, *_ = env.step(action)
    assert env.observation_space.contains(obs) and not env.observation_space.contains(5)


def test_gymnasium_env_checker_passes(mapping_path):
    env = gym.make("synthagent/ToolUse-v0", mapping_path=mapping_path)
    check_env(env.unwrapped)
    env.close()


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_vector_envs_return_the_right_strings_and_share_the_mapping(mapping_path, mode):
    sim = Simulator(tool=RandomTool(), user=OfflineUserSimulator())
    vector_kwargs = {"shared_memory": False} if mode == "async" else {}
    envs = gym.make_vec("synthagent/ToolUse-v0", num_envs=3, vectorization_mode=mode, vector_kwargs=vector_kwargs,
                        mapping_path=str(mapping_path), simulator=sim)
    obs, infos = envs.reset(options={"task_id": TASK})
    assert all(o.startswith("You are an assistant") for o in obs)
    assert list(infos["task_id"]) == [TASK] * 3
    obs, rewards, term, trunc, infos = envs.step([call("get_order", order_id="ZZ-1")] * 2 + ["What is the order number?"])
    assert obs[0] == obs[1] and '"token"' in obs[0]
    assert obs[2] == "User: The order number is A-48213."
    envs.close()
    single = gym.make("synthagent/ToolUse-v0", mapping_path=mapping_path, simulator=sim)
    single.reset(options={"task_id": TASK})
    assert single.step(call("get_order", order_id="ZZ-1"))[0] == obs[0]
    single.close()


def test_async_workers_share_the_default_temporary_mapping():
    sim = Simulator(tool=RandomTool(), user=OfflineUserSimulator())
    envs = gym.make_vec("synthagent/ToolUse-v0", num_envs=2, vectorization_mode="async",
                        vector_kwargs={"shared_memory": False}, simulator=sim)
    envs.reset(options={"task_id": TASK})
    obs, *_ = envs.step([call("get_order", order_id="DEFAULT-STORE")] * 2)
    assert obs[0] == obs[1] and '"token"' in obs[0]
    envs.close()
