"""End to end on CPU: ``synthagent train`` on the bundled pack with a tiny local model, checkpoints and resume."""

from __future__ import annotations

import csv
import json

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
    for step in (0, 2):  # the eval episodes, in the eval-run layout that `synthagent view` reads
        records = [json.loads(line) for line in (out / "eval" / f"step-{step}" / "episodes.jsonl").read_text().splitlines()]
        assert len(records) == 2 and all(r["reward_details"] is not None and r["trajectory"] for r in records)

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


def _docs_script() -> str:
    """The "your own GRPOTrainer" script from docs/training.md, as written there."""
    from pathlib import Path

    text = (Path(__file__).resolve().parents[1] / "docs" / "training.md").read_text(encoding="utf-8")
    section = text.split("### Your own GRPOTrainer, our envs", 1)[1]
    return section.split("```python\n", 1)[1].split("```", 1)[0]


def test_the_user_script_from_the_docs_runs(tiny, tmp_path, monkeypatch):
    script = _docs_script()
    assert 'MODEL = "tiny"' in script and "trainer.train()" in script
    (tmp_path / "tiny").symlink_to(tiny)
    monkeypatch.chdir(tmp_path)  # the script names its model folder and output relative to the working directory
    scope: dict = {}
    exec(compile(script, "docs/training.md", "exec"), scope)
    trainer = scope["trainer"]
    assert trainer.state.global_step == 1 and (tmp_path / "runs" / "my-grpo").is_dir()
    # one source for the temperature: the rollout samples at GRPOConfig.temperature, the budget is TRL's too
    generator = trainer.rollout_func.generator(trainer, trainer.model)
    assert generator.temperature == trainer.args.temperature == 0.9
    assert trainer.rollout_func.runner.limits.max_completion_tokens == 96
    logged = next(h for h in trainer.state.log_history if "reward" in h)
    assert "episode/turns" in logged and 0.0 <= logged["reward"] <= 1.0


def test_every_env_option_reaches_the_env(tmp_path):
    from synthagent_env import load_tasks
    from synthagent_env.cli import build_parser
    from synthagent_training.cli import options_from_args
    from synthagent_training.trainer import _env_factory

    args = build_parser().parse_args([
        "train", "--model", "m", "--max-turns", "3", "--max-context-chars", "5000", "--max-tool-output-chars", "100",
        "--reward-config", '{"formula": "paper_code"}', "--mapping", str(tmp_path / "m.sqlite"),
        "--env-kwargs", '{"max_action_chars": 777, "shuffle_tools": false}'])
    options = options_from_args(args)
    env = _env_factory(options, load_tasks("tooluse-v0")[:2])()
    try:
        base = env.unwrapped
        assert (base.max_turns, base.max_context_chars, base.max_tool_output_chars) == (3, 5000, 100)
        assert base.reward_config.formula == "paper_code" and base.max_action_chars == 777
        assert base.shuffle_tools is False and str(base.mapping_path) == str(tmp_path / "m.sqlite")
    finally:
        env.close()


def test_train_errors_are_one_line(tmp_path, capsys):
    from synthagent_env.cli import main

    assert main(["train", "--model", str(tmp_path / "no-such-model")]) == 2
    err = capsys.readouterr().err
    assert "no such model folder" in err and "synthagent tiny-model" in err and "Traceback" not in err
    assert main(["train", "--model", str(tmp_path), "--env-kwargs", "[1, 2]"]) == 2
    assert "--env-kwargs must be a JSON object" in capsys.readouterr().err
    from synthagent_training import TrainOptions

    with pytest.raises(ValueError, match="temperature"):
        TrainOptions(model="m", temperature=0.0)
