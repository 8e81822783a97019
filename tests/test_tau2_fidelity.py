"""Tau2-v0 scores what τ²'s own harness scores: a sample of tasks × trajectory variants, played through the env
and through τ²'s ``Orchestrator`` (scripted agent, τ²'s real user simulator via litellm), both users on one
loopback server. All tasks: ``python -m benchmarks.tau2_fidelity``."""

from __future__ import annotations

import pytest

pytest.importorskip("tau2", reason='needs pip install "synthagent[tau2]"')

from benchmarks.tau2_fidelity import VARIANTS, compare, variant_plan
from synthagent_env.llm import LLMTestServer
from synthagent_env.tau2 import GoldUser, Tau2Env, load_tasks
from synthagent_env.tau2.gold import gold_plan

REFUEL_TASK = "[mobile_data_issue]data_usage_exceeded|user_abroad_roaming_enabled_off[PERSONA:Easy]"
SAMPLE = [  # (domain, task index or id, variants)
    ("telecom", REFUEL_TASK, VARIANTS),
    ("telecom", 0, VARIANTS),
    ("retail", 0, VARIANTS),
    ("airline", 1, ("gold", "change_arg")),
]


@pytest.fixture(scope="module")
def server():
    with LLMTestServer(reply=GoldUser()) as s:
        yield s


@pytest.mark.parametrize("domain,which,variants", SAMPLE, ids=[f"{d}-{w}" for d, w, _ in SAMPLE])
def test_env_and_tau2_agree(server, domain, which, variants):
    tasks = load_tasks(domain)
    task = tasks[which] if isinstance(which, int) else next(t for t in tasks if t.id == which)
    env = Tau2Env(domain=domain, user=server.url, task_ids=[task.id])
    try:
        rows = {v: compare(domain, task, v, env, server) for v in variants}
    finally:
        env.close()
    for variant, row in rows.items():
        if row is None:
            continue
        assert row["agree"], (variant, row["problems"])
        assert row["user_requests"] > 0  # the user conversations were compared, not two empty lists
    assert rows["gold"]["env"] == 1.0
    if "do_nothing" in rows:
        assert rows["do_nothing"]["env"] == 0.0  # the comparison is not between two constant scores


def test_variants_change_the_plan():
    task = load_tasks("retail")[0]
    gold = gold_plan(task)
    assert variant_plan("retail", task, "gold") == gold
    dropped = variant_plan("retail", task, "drop_last_write")
    changed = variant_plan("retail", task, "change_arg")
    assert dropped is not None and len(dropped) == len(gold) - 1
    assert changed is not None and len(changed) == len(gold) and changed != gold
