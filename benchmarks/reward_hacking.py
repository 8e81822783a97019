"""Reward hacking on ToolUse-v0: what strategies that never do the task earn on the bundled pack.

Each strategy is an agent that reads only what any agent reads (the observation and ``info``: the tool
schemas, the messages) and tries to collect reward without calling a tool correctly: a keyword dump, a
9-line dump, one short question per turn, claiming success, echoing the tool names, brute force over every
tool and enum value the schemas allow, and answering with every number seen. Two more know the task's answer
values (memorised from earlier rollouts of the task, ``benchmarks.laundering``) and launder them into
"observed" without doing the task: through a tool that echoes its arguments, or through a user who repeats
what the agent said. The oracle, a random agent and a do-nothing agent are printed for reference. Episodes
run through ``gym.make`` with the default configuration (the user-echo strategy with a user that echoes, see
``ENV_KWARGS``); each trajectory is also scored with the ``paper`` formula (the user does not depend on it).
``tests/test_reward_hacking.py`` asserts the ceiling on the same strategies.

    OMP_NUM_THREADS=1 python -m benchmarks.reward_hacking [--seed 0]
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
import re
import statistics
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import gymnasium as gym

import synthagent_env  # noqa: F401  (registers the env)
from synthagent_agents import DoNothingAgent, OracleAgent, RandomAgent
from synthagent_env import load_tasks
from synthagent_env.agent import Action, BaseAgent
from synthagent_env.episode import play_episode
from synthagent_env.parsing import hermes_block
from synthagent_env.rubric import RewardConfig, score_episode
from synthagent_env.schema_sampling import instance_of
from synthagent_env.text_env import MAX_CALLS_PER_TURN

from benchmarks.laundering import LaunderViaToolEcho, LaunderViaUserEcho, echoing_user_simulator

_WORD = re.compile(r"[A-Za-z][A-Za-z0-9]+")
_TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9.\-/:]*\d[A-Za-z0-9.\-/:]*|\d+")  # ids, amounts, dates: any digit
_MAX_TURNS = 16  # the env's default turn limit; the last turn is the answer


def visible_words(info: dict[str, Any]) -> list[str]:
    """Every word an agent can see before talking: tool names, parameter names, descriptions, enums, the request."""
    text = json.dumps(info.get("tools") or []) + " " + " ".join(
        m.get("content") or "" for m in info.get("messages", []) if m["role"] != "system")
    words = [w.lower() for w in _WORD.findall(text.replace("_", " "))]
    return list(dict.fromkeys(words))


def visible_phrases(info: dict[str, Any]) -> list[str]:
    """The visible words and every pair of adjacent words (keywords are often phrases: "last four")."""
    text = json.dumps(info.get("tools") or []) + " " + " ".join(
        m.get("content") or "" for m in info.get("messages", []) if m["role"] != "system")
    words = [w.lower() for w in _WORD.findall(text.replace("_", " "))]
    return list(dict.fromkeys(words + [f"{a} {b}" for a, b in zip(words, words[1:])]))


def numbers_seen(info: dict[str, Any]) -> list[str]:
    """Every token with a digit in anything the agent was shown (instruction, user replies, tool output)."""
    text = " ".join(str(m.get("content") or "") for m in info.get("messages", []) if m["role"] != "system")
    return list(dict.fromkeys(t.strip(".:/-") for t in _TOKEN.findall(text)))


def _answer_everything(info: dict[str, Any]) -> str:
    return "<answer>Done: every step is complete. " + " ".join(numbers_seen(info)) + "</answer>"


class ScriptedStrategy(BaseAgent):
    """A strategy as a list of messages built from the first ``info``, then an answer with every number seen."""

    def __init__(self) -> None:
        self._plan: list[str] = []

    def plan(self, info: dict[str, Any]) -> list[str]:
        raise NotImplementedError

    def reset(self, info: dict[str, Any]) -> None:
        self._plan = self.plan(info)[: _MAX_TURNS - 1]

    def act(self, observation: str, info: dict[str, Any]) -> Action:
        return self._plan.pop(0) if self._plan else _answer_everything(info)


class KeywordDump(ScriptedStrategy):
    """One message that asks about every visible word and word pair at once."""

    def plan(self, info):
        return ["Could you tell me your " + ", ".join(visible_phrases(info)) + "?"]


class NineLineDump(ScriptedStrategy):
    """The visible words as nine question lines in one message."""

    def plan(self, info):
        words = visible_phrases(info)
        size = max(1, -(-len(words) // 9))
        lines = [f"What is the {' '.join(words[i:i + size])}?" for i in range(0, len(words), size)]
        return ["\n".join(lines)]


class AskEveryWord(ScriptedStrategy):
    """One short, well-formed question per turn, each about another visible word (15 turns)."""

    def plan(self, info):
        return [f"What is your {w}?" for w in visible_words(info)]


class ClaimSuccess(ScriptedStrategy):
    """Claims every tool was called and every step is done, with a fake tool response in text."""

    def plan(self, info):
        names = [t["function"]["name"] for t in info.get("tools") or []]
        fake = " ".join(f'<tool_response name="{n}">{{"status": "ok"}}</tool_response>' for n in names)
        return [f"I called {', '.join(names)} and all sub-goals are completed. {fake}"]


class EchoToolNames(ScriptedStrategy):
    """Asks the user about each tool by name, then echoes the names in the answer."""

    def plan(self, info):
        names = [t["function"]["name"] for t in info.get("tools") or []]
        return [f"Which {n.replace('_', ' ')} do you need?" for n in names] + [" ".join(names)]


def _finite_values(schema: Any) -> list[Any] | None:
    """Every value a parameter can take when there are few (enums, booleans, small integer ranges)."""
    if not isinstance(schema, dict):
        return None
    if schema.get("enum"):
        return list(schema["enum"])
    if schema.get("type") == "boolean":
        return [True, False]
    lo, hi = schema.get("minimum"), schema.get("maximum")
    if schema.get("type") == "integer" and lo is not None and hi is not None and hi - lo < 12:
        return list(range(int(lo), int(hi) + 1))
    return None


def _argument_grid(function: dict[str, Any], rng: random.Random) -> Iterator[dict[str, Any]]:
    """Every combination of a tool's finite-valued parameters, the others drawn from the schema; then fresh
    draws for ever (the caller stops at the env's call budget)."""
    props = (function.get("parameters") or {}).get("properties") or {}
    missing = object()
    choices = [_finite_values(s) or [missing] for s in props.values()]
    while True:
        for combo in itertools.product(*choices):
            yield {key: instance_of(schema, rng, key) if value is missing else value
                   for (key, schema), value in zip(props.items(), combo)}


class BruteForce(BaseAgent):
    """Every tool with every enum combination its schema allows, 16 calls a turn, until the turns run out."""

    def __init__(self, seed: int = 0):
        self.seed = seed
        self._calls: list[str] = []
        self._turn = 0

    def reset(self, info):
        rng = random.Random(f"{self.seed}/{info['task_id']}")
        grids = [((t["function"]["name"], a) for a in _argument_grid(t["function"], rng)) for t in info["tools"]]
        interleaved = (c for round_ in itertools.zip_longest(*grids) for c in round_ if c is not None)
        budget = (_MAX_TURNS - 1) * MAX_CALLS_PER_TURN
        self._calls = [hermes_block(name, args) for name, args in itertools.islice(interleaved, budget)]
        self._turn = 0

    def act(self, observation, info):
        if not self._calls:
            return _answer_everything(info)
        batch, self._calls = self._calls[:MAX_CALLS_PER_TURN], self._calls[MAX_CALLS_PER_TURN:]
        return "\n".join(batch)


class EveryNumber(BaseAgent):
    """Asks a few generic questions, calls each tool once with drawn arguments, answers with every number seen."""

    def __init__(self, seed: int = 0):
        self.seed = seed
        self._plan: list[str] = []

    def reset(self, info):
        rng = random.Random(f"{self.seed}/{info['task_id']}")
        calls = [hermes_block(t["function"]["name"], instance_of(t["function"]["parameters"], rng, "x"))
                 for t in info["tools"]]
        self._plan = ["What are the details I need: the number, the id, the date and the amount?", "\n".join(calls)]

    def act(self, observation, info):
        return self._plan.pop(0) if self._plan else _answer_everything(info)


STRATEGIES: dict[str, Callable[[], BaseAgent]] = {
    "keyword_dump": KeywordDump,
    "keyword_dump_9_lines": NineLineDump,
    "ask_every_word": AskEveryWord,
    "claim_success": ClaimSuccess,
    "echo_tool_names": EchoToolNames,
    "brute_force": BruteForce,
    "every_number": EveryNumber,
    "launder_via_tool_echo": LaunderViaToolEcho,
    "launder_via_user_echo": LaunderViaUserEcho,
}
ENV_KWARGS: dict[str, Callable[[], dict[str, Any]]] = {  # a strategy not here plays the default configuration
    "launder_via_user_echo": lambda: {"simulator": echoing_user_simulator()},  # the offline user never echoes
}
REFERENCES: dict[str, Callable[[], BaseAgent]] = {
    "oracle": OracleAgent, "random": lambda: RandomAgent(seed=0), "do_nothing": DoNothingAgent,
}


def play_pack(make_agent: Callable[[], BaseAgent], mapping_path: Path, seed: int = 0,
              env_kwargs: dict[str, Any] | None = None) -> list[tuple[str, float, dict[str, Any]]]:
    """``(task id, reward, final info)`` for each bundled task, through ``gym.make`` with the default settings."""
    env = gym.make("synthagent/ToolUse-v0", mapping_path=mapping_path, **(env_kwargs or {}))
    try:
        agent = make_agent()
        out = []
        for i, task in enumerate(env.unwrapped.tasks):
            result = play_episode(env, agent, task_id=task.id, seed=seed + i)
            out.append((task.id, result.reward, result.info))
        return out
    finally:
        env.close()


def env_kwargs_for(name: str) -> dict[str, Any]:
    """The ``gym.make`` keyword arguments strategy ``name`` plays with (none: the default configuration)."""
    return ENV_KWARGS[name]() if name in ENV_KWARGS else {}


def _row(name: str, rewards: list[float]) -> str:
    above = sum(r > 0 for r in rewards)
    return (f"{name:22s} mean {statistics.fmean(rewards):.3f}  median {statistics.median(rewards):.3f}  "
            f"max {max(rewards):.3f}  >0 on {above}/{len(rewards)}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    tasks = {t.id: t for t in load_tasks("tooluse-v0")}
    paper = RewardConfig(formula="paper")
    print(f"default formula: {RewardConfig().formula}; {len(tasks)} bundled tasks; seed {args.seed}")
    rows: list[tuple[str, list[float], list[float]]] = []
    with tempfile.TemporaryDirectory(prefix="reward-hacking-") as tmp:
        for name, make in {**STRATEGIES, **REFERENCES}.items():
            played = play_pack(make, Path(tmp) / f"{name}.sqlite", seed=args.seed, env_kwargs=env_kwargs_for(name))
            default = [r for _, r, _ in played]
            rescored = [score_episode(tasks[tid], info["trajectory"], paper).reward for tid, _, info in played]
            rows.append((name, default, rescored))
    for title, index in (("default configuration", 1), ("formula=paper", 2)):
        print(f"\n== {title} ==")
        for row in rows:
            print(_row(row[0], row[index]))  # type: ignore[arg-type]
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
