"""End to end on CPU: ``synthagent train`` on the bundled pack with a tiny local model, checkpoints and resume."""

from __future__ import annotations

import csv

import pytest

pytest.importorskip("trl")

from synthagent_env.testing import build_tiny_model  # noqa: E402


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    return build_tiny_model(tmp_path_factory.mktemp("run") / "tiny")


def rows(path) -> list[dict[str, str]]:
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def test_cli_trains_on_bundled_pack_then_resumes(tiny, tmp_path, capsys):
    from transformers import AutoModelForCausalLM

    from synthagent_env.cli import main

    out = tmp_path / "run"
    common = ["train", "--model", str(tiny), "--tasks", "tooluse-v0", "--output-dir", str(out), "--group-size", "2",
              "--max-turns", "2", "--max-completion-tokens", "96", "--max-turn-tokens", "24", "--lr", "1e-4",
              "--save-steps", "1", "--eval-steps", "2", "--eval-episodes", "2"]
    assert main([*common, "--max-steps", "2"]) == 0
    printed = capsys.readouterr().out
    assert "step 2/2" in printed and f"model:   {out / 'final'}" in printed and "training_curves.png" in printed
    assert (out / "checkpoint-2").is_dir() and (out / "training_curves.png").stat().st_size > 10_000
    AutoModelForCausalLM.from_pretrained(out / "final")
    logged = rows(out / "metrics.csv")
    train_rows = [r for r in logged if r.get("reward")]
    assert [r["step"] for r in train_rows] == ["1", "2"]
    assert all(0.0 <= float(r["reward"]) <= 1.0 and r["rubric/sub_goal_pass"] != "" for r in train_rows)
    assert [r["step"] for r in logged if r.get("eval/reward")] == ["0", "2"]

    assert main([*common, "--max-steps", "3", "--resume"]) == 0
    assert "step 3/3" in capsys.readouterr().out
    assert [r["step"] for r in rows(out / "metrics.csv") if r.get("reward")] == ["1", "2", "3"]


def test_lora_run_saves_a_loadable_adapter(tiny, tmp_path):
    from peft import PeftModel
    from transformers import AutoModelForCausalLM

    from synthagent_training import TrainOptions, train

    result = train(TrainOptions(model=str(tiny), output_dir=str(tmp_path / "lora"), group_size=2, max_steps=1,
                                max_turns=1, max_completion_tokens=32, max_turn_tokens=16, lora=True, lora_r=4,
                                save_steps=0, learning_rate=1e-3))
    assert (result.model_dir / "adapter_config.json").exists()
    model = PeftModel.from_pretrained(AutoModelForCausalLM.from_pretrained(tiny), result.model_dir)
    ranks = {p.shape[0] for n, p in model.named_parameters() if "lora_A" in n}
    assert ranks == {4}  # the adapter holds rank-4 LoRA weights for the base model's layers


def test_options_validate_group_shapes():
    from synthagent_training import TrainOptions

    with pytest.raises(ValueError):
        TrainOptions(model="m", group_size=1)
    with pytest.raises(ValueError):
        TrainOptions(model="m", group_size=3, gradient_accumulation_steps=2)
    config = TrainOptions(model="m", group_size=4, tasks_per_step=2, gradient_accumulation_steps=2).grpo_config()
    assert config.num_generations == 4 and config.per_device_train_batch_size == 4 and config.beta == 0.0
    assert not config.bf16  # no GPU here
