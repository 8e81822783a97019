"""The TRL wiring: env tokens get zero loss weight, rewards are the env's, and an update moves the right way."""

from __future__ import annotations

import itertools
import json

import pytest

pytest.importorskip("trl")

from synthagent_env import save_tasks  # noqa: E402
from synthagent_env.testing import build_tiny_model, tool_choice_tasks  # noqa: E402
from tests.helpers import ScriptedGenerator  # noqa: E402
from synthagent_training import TrainOptions, build_trainer  # noqa: E402

TASKS = tool_choice_tasks(2)  # get_weather, get_time
RIGHT = {t.instruction: t.rubric.sub_goals[0].check.tool for t in TASKS}


def call(name: str) -> str:
    return f'<tool_call>\n{json.dumps({"name": name, "arguments": {}})}\n</tool_call>'


def alternating():
    """Episode rows alternate right tool / wrong tool (so each group of 2 has one of each), then answer."""
    row = itertools.count()

    def reply(context: str) -> str:
        if "<tool_response>" in context:
            return "<answer>done</answer>"
        right = next(tool for instr, tool in RIGHT.items() if instr in context)
        wrong = next(tool for tool in RIGHT.values() if tool != right)
        return call(right if next(row) % 2 == 0 else wrong)

    return reply


@pytest.fixture(scope="module")
def setup(tmp_path_factory):
    root = tmp_path_factory.mktemp("trl")
    return build_tiny_model(root / "tiny"), save_tasks(TASKS, root / "pack.jsonl"), root


def make_trainer(setup, name: str, **overrides):
    from transformers import AutoModelForCausalLM, AutoTokenizer

    model_dir, pack, root = setup
    settings = dict(group_size=2, tasks_per_step=2, max_steps=1, save_steps=0, max_turns=3,
                    max_completion_tokens=400, max_turn_tokens=64, learning_rate=1e-3)
    options = TrainOptions(model=str(model_dir), tasks=str(pack), output_dir=str(root / name),
                           **{**settings, **overrides})
    tok = AutoTokenizer.from_pretrained(model_dir)
    trainer = build_trainer(options, AutoModelForCausalLM.from_pretrained(model_dir), tok)
    scripted = ScriptedGenerator(tok, alternating())
    trainer.rollout_func.generator = lambda trainer, model: scripted
    return trainer


def capture_rollouts(trainer) -> list[dict]:
    seen: list[dict] = []
    play = trainer.rollout_func.__call__

    def wrapped(prompts, tr):
        out = play(prompts, tr)
        seen.append(out)
        return out

    trainer.rollout_func = wrapped
    return seen


def test_env_tokens_carry_zero_loss_weight(setup):
    import torch

    trainer = make_trainer(setup, "mask")
    rollouts = capture_rollouts(trainer)
    captured: dict = {}
    compute_loss = trainer.compute_loss

    def spy(model, inputs, *args, **kwargs):
        # TRL scores tokens with a fused LM head (no logits tensor), so watch the final hidden states: the one at
        # position j feeds only the prediction of token j + 1, nothing else.
        def watch(module, args, out):
            out.register_hook(lambda g: captured.setdefault("grad", g.detach().clone()))

        handle = model.model.norm.register_forward_hook(watch)
        try:
            loss = compute_loss(model, inputs, *args, **kwargs)
        finally:
            handle.remove()
        captured["inputs"] = inputs
        return loss

    trainer.compute_loss = spy
    trainer.train()
    out, inputs, grad = rollouts[0], captured["inputs"], captured["grad"]
    assert all(0 in m and 1 in m for m in out["env_mask"])  # every episode has env turns inside the completion
    loss_mask = inputs["completion_mask"] * inputs["tool_mask"]
    prompt_len = inputs["prompt_ids"].shape[1]
    per_token = grad[:, prompt_len - 1:-1].abs().sum(-1)  # gradient reaching the prediction of each completion token
    assert per_token.shape == loss_mask.shape
    assert len(out["completion_ids"]) == len(inputs["completion_ids"]) == 4
    for row, ids in enumerate(inputs["completion_ids"].tolist()):  # TRL shuffles rows: match them by content
        episode = next(i for i, c in enumerate(out["completion_ids"]) if ids[: len(c)] == c)
        mask = torch.tensor(out["env_mask"][episode])
        assert loss_mask[row, : len(mask)].tolist() == mask.tolist()
        assert per_token[row, : len(mask)][mask == 0].max() == 0  # environment tokens: no gradient at all
        assert per_token[row, : len(mask)][mask == 1].min() > 0  # model tokens: all of them learn
        assert per_token[row, len(mask):].sum() == 0  # padding


def test_rewards_are_the_env_rubric_rewards(setup):
    trainer = make_trainer(setup, "reward")
    rollouts = capture_rollouts(trainer)
    trainer.train()
    out = rollouts[0]
    assert out["env_reward"] == [1.0, 0.0, 1.0, 0.0]  # right tool then answer / wrong tool (forbidden)
    assert [e["task_id"] for e in out["episode"]][::2] == [e["task_id"] for e in out["episode"]][1::2]
    logged = next(h for h in trainer.state.log_history if "reward" in h)
    assert logged["rewards/env_reward/mean"] == pytest.approx(0.5)
    assert logged["rubric/sub_goal_pass"] == pytest.approx(0.5)
    assert logged["rubric/forbidden_violated"] == pytest.approx(0.5)


def completion_logprob(model, prompt_ids, completion_ids, mask) -> float:
    import torch

    ids = torch.tensor([prompt_ids + completion_ids])
    with torch.no_grad():
        logps = model(ids).logits[0, len(prompt_ids) - 1:-1].float().log_softmax(-1)
    token_logps = logps.gather(1, torch.tensor(completion_ids)[:, None])[:, 0]
    return float((token_logps * torch.tensor(mask, dtype=torch.float)).sum())


def test_one_update_favours_the_higher_advantage_completion(setup):
    trainer = make_trainer(setup, "direction", max_turns=1, tasks_per_step=1)
    rollouts = capture_rollouts(trainer)
    model = trainer.model
    before: list[float] = []
    on_begin = trainer.rollout_func

    def measure_then_train(prompts, tr):
        out = on_begin(prompts, tr)
        before.extend(completion_logprob(model, p, c, m)
                      for p, c, m in zip(out["prompt_ids"], out["completion_ids"], out["env_mask"]))
        return out

    trainer.rollout_func = measure_then_train
    trainer.train()
    out = rollouts[0]
    assert out["env_reward"] == [1.0, 0.0]
    after = [completion_logprob(model, p, c, m)
             for p, c, m in zip(out["prompt_ids"], out["completion_ids"], out["env_mask"])]
    gain_good, gain_bad = after[0] - before[0], after[1] - before[1]
    assert gain_good > 0 > gain_bad
    assert gain_good - gain_bad > 0.1
