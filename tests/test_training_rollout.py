"""Rollouts: episodes played in the real env, batched one generate call per turn, env tokens masked."""

from __future__ import annotations

import functools
import json

import pytest

pytest.importorskip("trl")

import gymnasium as gym  # noqa: E402

import synthagent_env  # noqa: E402,F401
from synthagent_env.testing import build_tiny_model, tool_choice_tasks  # noqa: E402
from tests.helpers import ScriptedGenerator  # noqa: E402
from synthagent_training.chat_format import ChatFormat  # noqa: E402
from synthagent_training.generation import HFGenerator, VLLMServerGenerator  # noqa: E402
from synthagent_training.rollout import RolloutLimits, RolloutRunner  # noqa: E402

TASKS = tool_choice_tasks()


def call(name: str) -> str:
    return f'<tool_call>\n{json.dumps({"name": name, "arguments": {}})}\n</tool_call>'


def by_instruction(context: str) -> str:
    """Right tool on turn 1, then answer; except for the joke task, which calls the wrong tool."""
    if "<tool_response>" in context:
        return "<answer>done</answer>"
    for task in TASKS:
        if task.instruction in context:
            return call("get_weather" if task.id == "choose-get-joke" else task.rubric.sub_goals[0].check.tool)
    raise AssertionError("unknown task")


@pytest.fixture(scope="module")
def tiny():
    from transformers import AutoModelForCausalLM, AutoTokenizer

    path = build_tiny_model()
    return AutoModelForCausalLM.from_pretrained(path), AutoTokenizer.from_pretrained(path)


def runner(tokenizer, max_turns=3, **limits) -> RolloutRunner:
    make = functools.partial(gym.make, "synthagent/ToolUse-v0", tasks=TASKS, max_turns=max_turns)
    return RolloutRunner(make, ChatFormat(tokenizer), RolloutLimits(**limits))


def segments(ep):
    """Runs of (mask value, token ids) along the completion."""
    runs: list[tuple[int, list[int]]] = []
    for token, m in zip(ep.completion_ids, ep.env_mask):
        if runs and runs[-1][0] == m:
            runs[-1][1].append(token)
        else:
            runs.append((m, [token]))
    return runs


def test_episode_is_one_completion_with_env_tokens_masked(tiny):
    _, tok = tiny
    gen = ScriptedGenerator(tok, by_instruction)
    ep, = runner(tok).play(["choose-get-news"], gen, seed=0)
    assert ep.reward == 1.0 and ep.end_reason == "answer" and ep.turns == 2
    runs = segments(ep)
    assert [m for m, _ in runs] == [1, 0, 1]  # model turn, env turn, model turn
    assert tok.decode(runs[0][1]) == call("get_news") + "<|im_end|>"
    env_text = tok.decode(runs[1][1])
    response = next(e for e in ep.info["trajectory"] if e["type"] == "tool_call")["response"]
    assert env_text == ("\n<|im_start|>user\n<tool_response>\n" + response
                        + "\n</tool_response><|im_end|>\n<|im_start|>assistant\n")
    assert tok.decode(runs[2][1]) == "<answer>done</answer><|im_end|>"
    # the whole episode reads exactly like the chat template's rendering of the conversation
    messages = [*ep.info["messages"][:2],
                {"role": "assistant", "content": "",
                 "tool_calls": [{"type": "function", "function": {"name": "get_news", "arguments": {}}}]},
                {"role": "tool", "name": "get_news", "content": response},
                {"role": "assistant", "content": "<answer>done</answer>"}]
    rendered = tok.apply_chat_template(messages, tools=ep.info["tools"], tokenize=False)
    assert tok.decode(ep.prompt_ids + ep.completion_ids) + "\n" == rendered
    assert len(ep.logprobs) == len(ep.completion_ids)


def test_rewards_are_the_envs_rubric_rewards(tiny):
    _, tok = tiny
    ids = [t.id for t in TASKS]
    episodes = runner(tok).play(ids, ScriptedGenerator(tok, by_instruction), seed=0)
    assert {e.task_id: e.reward for e in episodes} == {i: (0.0 if i == "choose-get-joke" else 1.0) for i in ids}
    wrong = next(e for e in episodes if e.task_id == "choose-get-joke")
    verdicts = {i["id"]: i["passed"] for i in wrong.info["reward_details"]["items"]}
    assert verdicts["no_get_weather"] is True and verdicts["call_get_joke"] is False
    assert wrong.summary()["items"] and wrong.summary()["reward"] == 0.0


def test_one_generate_call_per_turn_for_all_live_episodes(tiny):
    _, tok = tiny
    gen = ScriptedGenerator(tok, by_instruction)
    runner(tok).play([t.id for t in TASKS for _ in range(4)], gen, seed=0)
    assert gen.batch_sizes == [16, 16]  # 16 episodes, 2 turns each: 2 calls, not 32
    gen = ScriptedGenerator(tok, by_instruction)
    runner(tok).play([TASKS[0].id] * 3, gen, seed=0, batched=False)
    assert gen.batch_sizes == [1] * 6


def test_unfinished_turn_is_closed_by_an_env_token_and_budget_ends_episode(tiny):
    _, tok = tiny
    gen = ScriptedGenerator(tok, lambda context: "Hello, which city are you in?", close_turn=False)
    ep, = runner(tok, max_completion_tokens=100, max_turn_tokens=40).play(["choose-get-time"], gen, seed=0)
    runs = segments(ep)
    assert runs[1][0] == 0 and runs[1][1][0] == tok.eos_token_id  # EOS written by the env, so masked
    # the env itself ended and scored the episode (``end_episode``): nothing re-scores it from outside
    assert ep.end_reason == "token_budget" and ep.info["end_reason"] == "token_budget"
    assert ep.info["reward_details"]["reward"] == ep.reward and ep.state.truncated and ep.state.failure is None
    assert len(ep.completion_ids) <= 100 and [m for m, _ in runs] == [1, 0, 1]


def test_a_failing_simulator_is_a_failed_episode_worth_zero(tiny, tmp_path):
    from synthagent_env.simulators.base import Simulator

    class DeadTools:
        def respond(self, task, tool, arguments, mapping):
            raise ConnectionError("tool simulator is down")

    class DeadUser:
        def reply(self, task, conversation):
            raise ConnectionError("user simulator is down")

    _, tok = tiny
    make = functools.partial(gym.make, "synthagent/ToolUse-v0", tasks=TASKS, max_turns=3,
                             mapping_path=str(tmp_path / "fresh.sqlite"), simulator=Simulator(tool=DeadTools(), user=DeadUser()))
    ep, = RolloutRunner(make, ChatFormat(tok)).play(["choose-get-news"], ScriptedGenerator(tok, by_instruction), seed=0)
    assert ep.state.failure.kind == "simulator" and "tool simulator is down" in ep.state.failure.reason
    assert ep.reward == 0.0 and ep.summary()["failed"] == "simulator" and ep.summary()["items"] == []
    assert len(ep.completion_ids) == len(ep.env_mask) == len(ep.logprobs)
    assert ep.completion_ids and set(ep.env_mask) == {0}  # the model's tokens are not trained on either


def test_hf_generator_batches_and_reports_sampled_logprobs(tiny):
    import torch

    model, tok = tiny
    gen = HFGenerator(model, tok, temperature=1.0)
    prompts = [tok("<|im_start|>user\nhi<|im_end|>\n<|im_start|>assistant\n")["input_ids"],
               tok("<|im_start|>user\na longer question here<|im_end|>\n<|im_start|>assistant\n")["input_ids"]]
    torch.manual_seed(0)
    samples = gen.generate(prompts, [12, 7])
    assert len(samples[0].ids) <= 12 and len(samples[1].ids) <= 7
    for prompt, sample in zip(prompts, samples):  # logprobs are those of the sampled tokens under the model
        ids = torch.tensor([prompt + sample.ids])
        with torch.no_grad():
            logps = model(ids).logits[0, len(prompt) - 1:-1].log_softmax(-1)
        expected = logps.gather(1, torch.tensor(sample.ids)[:, None])[:, 0]
        assert torch.allclose(torch.tensor(sample.logprobs), expected, atol=1e-3)


def test_vllm_server_generator_uses_one_request_per_turn():
    class FakeClient:
        def __init__(self):
            self.calls = []

        def generate(self, prompts, **kwargs):
            self.calls.append((prompts, kwargs))
            return {"completion_ids": [[7, 8, 2], [9, 9, 9, 9]],
                    "logprobs": [[[-0.1], [-0.2], [-0.3]], [[-1.0], [-1.0], [-1.0], [-1.0]]]}

    client = FakeClient()
    samples = VLLMServerGenerator(client, stop_ids=[2]).generate([[1], [1, 1]], [5, 3])
    assert len(client.calls) == 1 and client.calls[0][1]["max_tokens"] == 5
    assert samples[0].ids == [7, 8, 2] and samples[0].ended and samples[0].logprobs == [-0.1, -0.2, -0.3]
    assert samples[1].ids == [9, 9, 9] and not samples[1].ended


def test_reusing_the_kv_cache_across_turns_changes_nothing(tiny):
    model, tok = tiny
    play = runner(tok, max_turns=3, max_completion_tokens=200, max_turn_tokens=12).play
    ids = ["choose-get-news", "choose-get-time", "choose-get-time"]
    cached = HFGenerator(model, tok, temperature=0)
    with_cache = play(ids, cached, seed=0)
    assert cached.cache.entries  # the last turn's caches were kept for reuse
    without = play(ids, HFGenerator(model, tok, temperature=0, reuse_cache=False), seed=0)
    for a, b in zip(with_cache, without):
        assert a.turns == 3 and a.completion_ids == b.completion_ids and a.env_mask == b.env_mask
        assert max(abs(x - y) for x, y in zip(a.logprobs, b.logprobs)) < 1e-3


@pytest.mark.parametrize("reward", [float("nan"), float("inf"), "high", None, True])
def test_an_env_reward_that_is_not_a_finite_number_fails_the_episode(reward):
    from synthagent_env.episode import EpisodeState, play_episode

    class BadReward(gym.Wrapper):
        def step(self, action):
            obs, _, terminated, truncated, info = self.env.step(action)
            return obs, reward, terminated, truncated, info

    env = BadReward(gym.make("synthagent/ToolUse-v0", tasks=TASKS, max_turns=3))

    class Answers:
        def reset(self, info):
            pass

        def act(self, observation, info):
            return "<answer>done</answer>"

    result = play_episode(env, Answers(), task_id=TASKS[0].id, raise_failures=False)
    assert result.failed and result.failure.kind == "env" and "not a finite number" in result.failure.reason
    assert result.reward == 0.0
    state = EpisodeState.start(env, TASKS[0].id)
    state.step("<answer>done</answer>")
    assert state.done and state.score == 0.0 and state.failure is not None
