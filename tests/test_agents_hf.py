"""The local Hugging Face agent on a tiny model built on the spot: prompts, parsing, errors, the eval loop.

The random tiny model writes nonsense, so most checks are plumbing: the prompt is the chat template with the
task's tools, planted completions become env tool calls, and a few seconds of teaching make the real model
emit a call that the env executes.
"""

import json

import gymnasium as gym
import pytest
from synthagent_agents import HFAgent, HFChatModel, agent_factory
from synthagent_agents.hf_agent import OUT_OF_CONTEXT_ANSWER

import synthagent_env  # noqa: F401
from synthagent_env.chat_messages import to_template_messages
from synthagent_env.episode import play_episode
from synthagent_env.evaluation.loop import EvalConfig, evaluate
from tests.helpers import TASK, call

pytest.importorskip("transformers")


@pytest.fixture(scope="module")
def tiny_path():
    from synthagent_env.testing.tiny_model import build_tiny_model

    return build_tiny_model()


@pytest.fixture(scope="module")
def tiny(tiny_path):
    return HFChatModel.load(tiny_path, max_new_tokens=8)


@pytest.fixture
def env(mapping_path):
    e = gym.make("synthagent/ToolUse-v0", mapping_path=mapping_path, max_turns=4)
    yield e
    e.close()


class Planted(HFChatModel):
    """The real tokenizer and template, with completions planted instead of generated."""

    def __init__(self, base, outputs):
        super().__init__(base.model, base.tokenizer, max_new_tokens=8)
        self.outputs = list(outputs)

    def generate(self, prompt, seed=0):
        return self.outputs.pop(0)


def test_prompt_is_the_chat_template_with_tools(tiny, env):
    obs, info = env.reset(options={"task_id": TASK})
    agent = HFAgent(tiny)
    agent.reset(info)
    agent.act(obs, info)
    prompt = agent.last_prompt
    assert prompt.startswith("<|im_start|>system\n") and prompt.endswith("<|im_start|>assistant\n")
    assert "<tools>" in prompt and '"name": "create_return"' in prompt and info["messages"][1]["content"] in prompt
    _, _, _, _, info = env.step(call("get_order", order_id="A-48213"))
    prompt = tiny.prompt(info["messages"], info["tools"])
    history = prompt.rsplit("</tools>", 1)[1]
    assert history.count('"name": "get_order"') == 1 and "<tool_response>" in history


def test_planted_completions_become_env_actions(tiny, env):
    outputs = [
        "<think>first the order</think>" + call("get_order", order_id="A-48213"),
        '{"name": "check_return_eligibility", "arguments": {"order_id": "A-48213", "sku": "BLD-220"}}',
        '<tool_call>{"name": "create_return", "arguments": {oops}</tool_call>',
        "<answer>Return RMA-7781 is open.</answer>",
    ]
    result = play_episode(env, HFAgent(Planted(tiny, outputs)), task_id=TASK)
    events = [e for e in result.info["trajectory"] if e["type"] in ("tool_call", "answer")]
    assert [(e["type"], e.get("name"), e.get("status")) for e in events] == [
        ("tool_call", "get_order", "ok"), ("tool_call", "check_return_eligibility", "ok"),
        ("tool_call", None, "error"), ("answer", None, None)]
    assert events[2]["error_kind"] == "malformed" and result.info["end_reason"] == "answer"


def test_a_prompt_over_the_context_limit_ends_the_episode(tiny, env):
    small = HFChatModel(tiny.model, tiny.tokenizer, max_new_tokens=8, max_prompt_tokens=16)
    obs, info = env.reset(options={"task_id": TASK})
    assert HFAgent(small).act(obs, info) == OUT_OF_CONTEXT_ANSWER


def test_the_eval_loop_runs_the_real_tiny_model(tiny_path, tmp_path):
    """Concurrent episodes on one shared model: every episode runs to the turn limit with what the untrained model
    wrote (it cannot earn credit), and a second run replays every message exactly (per-episode seeds)."""
    runs = []
    for name in ("a", "b"):
        config = EvalConfig(env_kwargs={"max_turns": 2, "mapping_path": str(tmp_path / f"{name}.sqlite")}, limit=2,
                            samples=1, concurrency=2, progress=False, label="tiny")
        s = evaluate(agent_factory("hf", model_path=tiny_path, max_new_tokens=6), tmp_path / name, config,
                     plot=False).summary
        assert s["episodes"] == 2 and s["agent_errors"] == 0 and s["mean_reward"] == 0.0
        records = [json.loads(line) for line in (tmp_path / name / "episodes.jsonl").read_text().splitlines()]
        assert all(r["status"] == "ok" and r["end_reason"] == "max_turns" and r["turns"] == 2 for r in records)
        runs.append({r["task_id"]: [m["content"] for m in r["messages"] if m["role"] == "assistant"]
                     for r in records})
    assert runs[0] == runs[1] and all(len(said) == 2 for said in runs[0].values())


def test_a_taught_model_calls_a_tool_through_the_env(tiny_path, env):
    from synthagent_env.testing.tiny_model import teach_tool_calls

    obs, info = env.reset(options={"task_id": TASK})
    target = {"role": "assistant", "content": "", "tool_calls": [
        {"type": "function", "function": {"name": "get_order", "arguments": {"order_id": "A-48213"}}}]}
    taught = teach_tool_calls(tiny_path, [to_template_messages(info["messages"]) + [target]], [info["tools"]],
                              steps=80)
    agent = HFAgent(HFChatModel.load(taught, max_new_tokens=40))
    agent.reset(info)
    action = agent.act(obs, info)
    assert "<tool_call>" in agent.last_output and isinstance(action, dict)
    _, _, _, _, info = env.step(action)
    (event,) = [e for e in info["trajectory"] if e["type"] == "tool_call"]
    assert event["name"] == "get_order" and event["status"] == "ok" and event["arguments"] == {"order_id": "A-48213"}
