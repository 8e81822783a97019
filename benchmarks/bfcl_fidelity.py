"""Does ``synthagent/BFCL-v0`` score a trajectory as BFCL's own harness does? Same scripted model, both ways.

A *strategy* answers "what does the model send at step ``k`` of user turn ``t``" with an OpenAI assistant
message. The same messages go (a) through the env as actions and (b) through bfcl_eval's own multi-turn
function-calling loop (``BaseHandler.inference_multi_turn_FC`` on the ``OpenAICompletionsHandler``, with only
``_query_FC`` replaced by the script, returning real ``openai`` ``ChatCompletion`` objects), then through the
eval runner's decode step (``_evaluate_single_multi_turn_entry``; its module pulls in every vendor SDK, so its
~15 lines are reproduced in :func:`bfcl_verdict`) and BFCL's ``multi_turn_checker``. Agreement = same
pass/fail, same error type, same number of recorded steps per turn.

Needs bfcl-eval's handler dependencies: ``pip install tree_sitter==0.21.3 tree-sitter-java==0.21.0
tree-sitter-javascript==0.21.4 tenacity overrides python-dotenv``.
Usage: ``python -m benchmarks.bfcl_fidelity [--categories base] [--limit 20] [--strategies gold do_nothing]``;
exits non-zero on any disagreement.
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import sys
import time
import uuid
from collections import Counter, defaultdict
from collections.abc import Callable
from contextlib import redirect_stdout
from io import StringIO
from typing import Any

os.environ.setdefault("OMP_NUM_THREADS", "1")

from bfcl_eval.eval_checker.multi_turn_eval.multi_turn_checker import multi_turn_checker  # noqa: E402
from bfcl_eval.eval_checker.multi_turn_eval.multi_turn_utils import (
    is_empty_execute_response,  # noqa: E402
)
from bfcl_eval.model_handler.api_inference.openai_completion import (
    OpenAICompletionsHandler,  # noqa: E402
)
from openai.types.chat import ChatCompletion  # noqa: E402

from synthagent_env.bfcl import CATEGORIES, BFCLEnv  # noqa: E402
from synthagent_env.bfcl.data import BFCLEntry, load_category  # noqa: E402
from synthagent_env.bfcl.gold import gold_call  # noqa: E402
from synthagent_env.bfcl.world import release  # noqa: E402

Message = dict[str, Any]
Strategy = Callable[[BFCLEntry, int, int], Message]
END = "Done."
UNKNOWN = "no_such_function"


def message(calls: list[tuple[str, Any]] | None = None, content: str | None = None) -> Message:
    """An assistant message; each call's arguments are sent as given if a string, else as JSON."""
    tool_calls = [{"id": f"call_{i}", "type": "function",
                   "function": {"name": n, "arguments": a if isinstance(a, str) else json.dumps(a)}}
                  for i, (n, a) in enumerate(calls or [])]
    return {"content": content, "tool_calls": tool_calls or None}


def gold_calls(entry: BFCLEntry, turn: int) -> list[tuple[str, Any]]:
    return [gold_call(c, entry.involved_classes) for c in entry.ground_truth[turn]] if turn < len(entry.ground_truth) else []


def _script(*steps: Callable[[BFCLEntry, int], list[tuple[str, Any]]]) -> Strategy:
    """Send ``steps[k](entry, turn)`` at step k (skipping steps with no calls), then end the turn."""
    def strategy(entry: BFCLEntry, turn: int, step: int) -> Message:
        planned = [calls for s in steps if (calls := s(entry, turn))]
        return message(planned[step]) if step < len(planned) else message(content=END)
    return strategy


def _early_then_unknown(entry: BFCLEntry, turn: int) -> list[tuple[str, Any]]:
    """Even turns: this turn's and the next turn's gold calls at once; odd turns: only an unknown call."""
    return gold_calls(entry, turn) + gold_calls(entry, turn + 1) if turn % 2 == 0 else [(UNKNOWN, {})]


STRATEGIES: dict[str, Strategy] = {
    "gold": _script(gold_calls),
    "gold_after_malformed": _script(lambda e, t: [("ls", "{not json")], gold_calls),
    "refused_then_gold": _script(lambda e, t: [(UNKNOWN, {"x": 1})], gold_calls),
    "gold_then_bad_key": _script(gold_calls, lambda e, t: [("ls", {"not a name": 1})]),
    "early_then_unknown": _script(_early_then_unknown),
    "do_nothing": _script(),
}


# ---- BFCL's own harness ----

class ScriptedOpenAIHandler(OpenAICompletionsHandler):
    """BFCL's OpenAI FC handler with the model replaced by a strategy; everything else is BFCL's."""

    def __init__(self, strategy: Strategy, entry: BFCLEntry):
        super().__init__(model_name=f"synthagent_fidelity_{uuid.uuid4().hex}", temperature=0.0,
                         registry_name="synthagent-fidelity-FC", is_fc_model=True)
        self.strategy, self.entry, self.turn, self.step = strategy, entry, -1, 0

    def _build_client_kwargs(self) -> dict[str, Any]:  # never used: _query_FC below sends nothing
        return {"api_key": "unused", "base_url": "http://127.0.0.1:9/v1"}

    def add_first_turn_message_FC(self, inference_data: dict, first_turn_message: list[dict]) -> dict:
        self.turn, self.step = 0, 0
        return super().add_first_turn_message_FC(inference_data, first_turn_message)

    def _add_next_turn_user_message_FC(self, inference_data: dict, user_message: list[dict]) -> dict:
        self.turn, self.step = self.turn + 1, 0
        return super()._add_next_turn_user_message_FC(inference_data, user_message)

    def _query_FC(self, inference_data: dict) -> tuple[ChatCompletion, float]:
        msg = self.strategy(self.entry, self.turn, self.step)
        self.step += 1
        return ChatCompletion.model_validate({
            "id": "scripted", "object": "chat.completion", "created": 0, "model": "scripted",
            "choices": [{"index": 0, "finish_reason": "stop", "message": {"role": "assistant", **msg}}],
            "usage": {"prompt_tokens": 0, "completion_tokens": 0, "total_tokens": 0},
        }), 0.0


def bfcl_test_entry(entry: BFCLEntry) -> dict[str, Any]:
    """The entry as BFCL's loader hands it to the handler (function docs of the first turn, held-out ones apart)."""
    return {"id": entry.id, "question": copy.deepcopy(entry.turns), "initial_config": copy.deepcopy(entry.initial_config),
            "involved_classes": list(entry.involved_classes), "function": copy.deepcopy(entry.functions),
            "missed_function": {str(t): copy.deepcopy(d) for t, d in entry.holdouts.items()}}


def bfcl_verdict(entry: BFCLEntry, strategy: Strategy) -> dict[str, Any]:
    """Run BFCL's inference loop and its eval runner's multi-turn scoring on one entry."""
    handler = ScriptedOpenAIHandler(strategy, entry)
    try:
        with redirect_stdout(StringIO()):  # BFCL prints every step
            responses, _ = handler.inference_multi_turn_FC(bfcl_test_entry(entry), False, True)
        # eval_runner._evaluate_single_multi_turn_entry, bfcl-eval 2026.3.23:
        if len(responses) != len(entry.ground_truth):
            return {"valid": False, "error_type": "multi_turn:force_terminated", "steps": None}
        decoded: list[list[list[str]]] = []
        for turn in responses:
            steps = []
            for item in turn:
                try:
                    calls = handler.decode_execute(item, has_tool_call_tag=False)
                except Exception:  # noqa: BLE001 - as BFCL: a step that does not decode is skipped
                    continue
                if not is_empty_execute_response(calls):
                    steps.append(calls)
            decoded.append(steps)
        checker_name = f"{handler.model_name_underline_replaced}_check"
        prompt = {"id": entry.id, "initial_config": entry.initial_config, "involved_classes": entry.involved_classes}
        try:
            result = multi_turn_checker(decoded, entry.ground_truth, prompt, f"multi_turn_{entry.category}",
                                        checker_name)
        finally:
            release(checker_name)
        return {"valid": bool(result["valid"]), "error_type": result.get("error_type"),
                "steps": [len(turn) for turn in decoded]}
    finally:
        release(handler.model_name_underline_replaced)


# ---- the env ----

def env_verdict(env: BFCLEnv, entry: BFCLEntry, strategy: Strategy) -> dict[str, Any]:
    _, info = env.reset(options={"task_id": entry.id})
    turn, step, done, reward = 0, 0, False, 0.0
    while not done:
        action = strategy(entry, turn, step)
        _, reward, terminated, truncated, info = env.step(action)
        done = terminated or truncated
        turn, step = (info["user_turn"], 0) if info["user_turn"] != turn else (turn, step + 1)
    details = info["reward_details"]
    steps = None if details["error_type"] == "multi_turn:force_terminated" else [len(t) for t in details["calls"]]
    return {"valid": reward == 1.0, "error_type": details["error_type"], "steps": steps}


def compare(categories: list[str], strategies: list[str], limit: int | None) -> list[dict[str, Any]]:
    rows = []
    for category in categories:
        env = BFCLEnv(category)
        for entry in load_category(category)[:limit]:
            for name in strategies:
                ours, theirs = env_verdict(env, entry, STRATEGIES[name]), bfcl_verdict(entry, STRATEGIES[name])
                rows.append({"task_id": entry.id, "category": category, "strategy": name, "env": ours, "bfcl": theirs,
                             "agree": ours == theirs})
        env.close()
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--categories", nargs="+", default=list(CATEGORIES), choices=CATEGORIES)
    parser.add_argument("--strategies", nargs="+", default=list(STRATEGIES), choices=list(STRATEGIES))
    parser.add_argument("--limit", type=int, default=None, help="only the first N entries of each category")
    parser.add_argument("--json", default=None, help="write every row to this file")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    rows = compare(args.categories, args.strategies, args.limit)
    table: dict[tuple[str, str], Counter] = defaultdict(Counter)
    for r in rows:
        for key in ((r["category"], r["strategy"]), ("all", r["strategy"])):
            table[key].update(n=1, agree=r["agree"], env_pass=r["env"]["valid"], bfcl_pass=r["bfcl"]["valid"])
    print(f"synthagent/BFCL-v0 vs bfcl_eval's own FC harness ({len(rows)} runs, {time.perf_counter() - start:.0f}s)")
    print(f"{'category':<13} {'strategy':<22} {'agree':>9} {'env pass':>9} {'bfcl pass':>9}")
    order = {c: i for i, c in enumerate([*CATEGORIES, "all"])}
    for (category, strategy), c in sorted(table.items(), key=lambda kv: (order[kv[0][0]], list(STRATEGIES).index(kv[0][1]))):
        print(f"{category:<13} {strategy:<22} {c['agree']:>4}/{c['n']:<4} {c['env_pass']:>9} {c['bfcl_pass']:>9}")
    disagree = [r for r in rows if not r["agree"]]
    print(f"disagreements: {len(disagree)}")
    for r in disagree[:20]:
        print(f"  {r['task_id']} {r['strategy']}: env {r['env']} bfcl {r['bfcl']}")
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump(rows, f, indent=1)
    return 1 if disagree else 0


if __name__ == "__main__":
    sys.exit(main())
