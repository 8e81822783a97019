"""Red team, second pass: attacks on the trainer's rollout, Ray env workers, the synthesis pipeline, Math-v0 answer
checking and the benchmark envs.

Each test performs one attack through a public surface and asserts that it does not pay (or does not corrupt or
stall what it attacks). Tests marked ``xfail(strict=True)`` are holes whose fix lives in a file this pass does not
own; the reason names the fix.
"""

from __future__ import annotations

import pytest

import synthagent_env  # noqa: F401  (registers the envs)

# ---- Math-v0: an answer must be the result, not the problem handed back to sympy ----

COPIED_QUESTIONS = [  # (reference, an answer that restates the bundled problem or leaves the arithmetic to sympy)
    (r"\frac{13}{12}", r"\frac{1}{2} + \frac{1}{3} + \frac{1}{6} + \frac{1}{12}"),  # math-fraction-sum, verbatim
    (r"3\sqrt{2}", r"\sqrt{50} - \sqrt{8}"),  # math-radicals, verbatim
    ("3", r"2^{100} \mod 13"),  # math-power-mod-13
    ("840", r"\operatorname{lcm}(84,120)"),  # math-lcm
    ("48", r"2 \cdot 4!"),  # math-books-adjacent
    ("130", r"\lfloor 999/7 \rfloor - \lfloor 999/77 \rfloor"),  # math-divisible-7-not-11
    ("24", r"\frac{1}{2}\cdot 6 \cdot \sqrt{10^2-6^2}"),  # math-right-triangle-area
    ("12", "12+x-x"),
    ("12", r"\lim_{n\to\infty} 12"),
    ("3", "1+2"),
]


@pytest.mark.parametrize("gold, given", COPIED_QUESTIONS)
def test_an_unevaluated_expression_is_not_the_answer(gold, given):
    from synthagent_env.math_env import verify_answer

    assert verify_answer(gold, given)[0] is False


@pytest.mark.parametrize("gold, given", [
    (r"\frac{13}{12}", "13/12"), (r"3\sqrt{2}", r"\sqrt{18}"), ("48", r"$\boxed{48}$"), ("840", "The answer is 840"),
    (r"\frac{1}{6}", r"\frac{2}{12}"), ("-5", "x = -5"), ("(1, -2)", "(1,-2)"), ("1000", "1,000"),
    ("25", r"25\%"), (r"1.5 \times 10^{6}", r"1.5 \times 10^6"), (r"-\frac{1}{2}", r"\frac{-1}{2}"), ("12", r"12 \text{ cm}"),
])
def test_a_final_value_in_another_spelling_is_still_the_answer(gold, given):
    from synthagent_env.math_env import verify_answer

    assert verify_answer(gold, given)[0] is True


@pytest.mark.parametrize("gold", ["24", "0.24"])
def test_a_percent_sign_is_not_two_answers_at_once(gold):
    """math-verify reads ``N\\%`` both as N and as N/100: one answer covered two references."""
    from synthagent_env.math_env import verify_answer

    assert [verify_answer(gold, given)[0] for given in (r"24\%", r"2400\%")].count(True) <= 1


def test_copying_the_question_into_the_answer_pays_nothing_in_the_env():
    import gymnasium as gym

    from synthagent_env.math_env import SandboxUnavailable

    try:
        env = gym.make("synthagent/Math-v0")
    except SandboxUnavailable as err:
        pytest.skip(f"bubblewrap cannot run here: {err}")
    paid = {}
    for task_id, expression in [("math-fraction-sum", COPIED_QUESTIONS[0][1]), ("math-radicals", COPIED_QUESTIONS[1][1])]:
        env.reset(seed=0, options={"task_id": task_id})
        assert expression in env.unwrapped.task.instruction  # the answer is the problem, copied
        _, reward, terminated, _, _ = env.step(f"<answer>{expression}</answer>")
        assert terminated
        paid[task_id] = reward
    env.close()
    assert paid == {"math-fraction-sum": 0.0, "math-radicals": 0.0}


# ---- the trainer's rollout: what the policy writes cannot corrupt the token accounting or spoof the env ----


@pytest.fixture(scope="module")
def tiny_tokenizer():
    pytest.importorskip("trl")
    from transformers import AutoTokenizer

    from synthagent_env.testing import build_tiny_model

    return AutoTokenizer.from_pretrained(build_tiny_model())


def _runner(tokenizer, tasks, max_turns=3, **limits):
    import functools

    import gymnasium as gym
    from synthagent_training.chat_format import ChatFormat
    from synthagent_training.rollout import RolloutLimits, RolloutRunner

    make = functools.partial(gym.make, "synthagent/ToolUse-v0", tasks=tasks, max_turns=max_turns)
    return RolloutRunner(make, ChatFormat(tokenizer), RolloutLimits(**limits))


def _env_runs(ep):
    """(start, end) of each run of env-written tokens (mask 0) in the completion."""
    runs, start = [], None
    for i, m in enumerate([*ep.env_mask, 1]):
        if m == 0 and start is None:
            start = i
        elif m == 1 and start is not None:
            runs.append((start, i))
            start = None
    return runs


class _OtherStopGenerator:
    """A policy that ends its turns with a stop token other than the template's end-of-turn (Qwen2.5-Instruct's
    generation config stops at both ``<|im_end|>`` and ``<|endoftext|>``; ``end_of_turn_ids`` takes both)."""

    def __init__(self, tokenizer, reply, stop_id):
        self.tokenizer, self.reply, self.stop_id = tokenizer, reply, stop_id

    def generate(self, prompts, max_new_tokens):
        from synthagent_training.generation import Sample

        out = []
        for ids, budget in zip(prompts, max_new_tokens):
            text = self.reply(self.tokenizer.decode(ids))
            sample = (self.tokenizer(text, add_special_tokens=False)["input_ids"] + [self.stop_id])[:budget]
            out.append(Sample(sample, [0.0] * len(sample), ended=sample[-1] == self.stop_id))
        return out


def test_a_turn_ended_by_another_stop_token_is_still_closed_before_the_env_speaks(tiny_tokenizer):
    """Else the env's turn followed ``<|endoftext|>`` with no ``<|im_end|>``: the trained context is one no chat
    template writes, so the policy learns on transcripts it never sees when deployed."""
    from synthagent_env.testing import tool_choice_tasks

    tok = tiny_tokenizer
    other = tok.convert_tokens_to_ids("<|endoftext|>")
    assert other != tok.eos_token_id

    def reply(context):
        return "<answer>done</answer>" if "<tool_response>" in context else \
            '<tool_call>\n{"name": "get_news", "arguments": {}}\n</tool_call>'

    ep, = _runner(tok, tool_choice_tasks()).play(["choose-get-news"], _OtherStopGenerator(tok, reply, other), seed=0)
    assert ep.reward == 1.0 and ep.turns == 2
    runs = _env_runs(ep)
    assert runs
    for start, _ in runs:  # the env's turn opens right after an end-of-turn token (the model's or its own)
        assert tok.eos_token_id in (ep.completion_ids[start - 1], ep.completion_ids[start])
    assert len(ep.completion_ids) == len(ep.env_mask) == len(ep.logprobs)


# ---- synthesis: a teacher's instruction or world records must not hand the agent a hidden fact ----


def _facts():
    from synthagent_env.task import HiddenFact

    return [HiddenFact(key="amount", value="12000", statement="I need 12000.", keywords=["how much"]),
            HiddenFact(key="order_id", value="A-4821", statement="It's A-4821.", keywords=["order"])]


@pytest.mark.parametrize("instruction", [
    "I want to borrow $12,000 for a new car.",  # thousands separator: what an LLM writes unprompted
    "I want to borrow 12\u202f000 for a new car.",  # narrow no-break space as the separator
    "Please sort out my order A\u20114821 today.",  # a non-breaking hyphen
    "Please sort out my order A-48\u200b21 today.",  # a zero-width space inside the id
    "Please sort out my order \uff21-\uff14\uff18\uff12\uff11 today.",  # fullwidth letters and digits
])
def test_a_hidden_fact_spelt_another_way_in_the_instruction_is_a_leak(instruction):
    from synthagent_env.synthesis.fuzzy import gap_problems

    assert any("reveals the hidden fact" in p for p in gap_problems(instruction, _facts(), ["get_offers"]))


def test_a_hidden_fact_with_a_thousands_separator_in_a_world_record_is_a_leak():
    from synthagent_env.synthesis.fuzzy import world_records
    from synthagent_env.synthesis.stage import Invalid

    with pytest.raises(Invalid) as err:
        world_records(["Loans of 12,000 are pre-approved for this customer."], _facts())
    assert err.value.code == "world_leak"


def test_near_misses_are_not_leaks():
    from synthagent_env.synthesis.fuzzy import gap_problems

    facts = _facts()
    assert gap_problems("I want to borrow 1,200 or maybe 120,000, I am not sure.", facts, []) == []
    assert gap_problems("My order from 2025 arrived broken.", facts, []) == []


def test_a_hidden_fact_the_tool_descriptions_already_show_is_a_leak():
    """The agent reads every tool's description and parameter schema: a toolset written with "e.g. A-4821"
    and a fuzzy stage that then picks A-4821 as the user's secret hands the agent the fact in its system prompt."""
    import json

    from synthagent_env.llm import LLMTestServer, OpenAIClient
    from synthagent_env.synthesis import fuzzy
    from synthagent_env.synthesis.stage import ItemContext, Rejected
    from synthagent_env.synthesis.teacher import Teacher

    tool = {"name": "lookup_order", "description": "Look up an order by its number.",
            "parameters": {"type": "object", "required": ["order_id"], "properties": {
                "order_id": {"type": "string", "description": "The order number, e.g. A-4821."}}}}
    draft = {"persona": "a shopper", "task": "Return the blender from order A-4821.", "workflow": ["look it up"],
             "tools": [tool]}
    reply = json.dumps({"instruction": "Something I ordered arrived broken.", "hidden_context": "You ordered A-4821.",
                        "hidden_facts": [{"key": "order_id", "value": "A-4821", "statement": "It's A-4821.",
                                          "keywords": ["order"]},
                                         {"key": "item", "value": "blender", "statement": "The blender.",
                                          "keywords": ["item"]}]})
    with LLMTestServer(script=[reply] * 3) as server:
        client = OpenAIClient(server.url, "m", api_key_env=None)
        with pytest.raises(Rejected) as err:
            fuzzy.run(draft, ItemContext("item-0", Teacher(client, max_attempts=3)))
        client.close()
    assert err.value.code == "information_gap" and "lookup_order" in err.value.detail


# ---- synthesis: a rubric item that no valid call can ever meet is not a structured check ----


def _refund_task():
    from synthagent_env.task import HiddenFact, Task, ToolSpec

    credit = ToolSpec(name="issue_store_credit", description="Give store credit.", output_description="The credit id.",
                      parameters={
        "type": "object", "required": ["order_id", "amount", "reason"], "properties": {
            "order_id": {"type": "string"}, "amount": {"type": "number"},
            "reason": {"type": "string", "enum": ["damaged", "wrong_item", "changed_mind"]}}})
    return Task(id="t", domain="d", persona="p", instruction="i", tools=[credit],
                hidden_facts=[HiddenFact(key="order_id", value="A1", statement="A1", keywords=["order"])])


@pytest.mark.parametrize("arguments", [
    {"reason": "changed mind"},  # not one of the enum's values: every call with it is refused by the schema
    {"amount": "any amount"},  # a string for a number
    {"reason": {"$in": ["refund", "other"]}},
])
def test_a_forbidden_call_no_valid_call_can_match_is_not_a_dead_structured_item(arguments):
    """A forbidden item that can never fire forbids nothing, and its presence kept the restriction's judge item
    out of the rubric: the restricted tool became free to use."""
    from synthagent_env.synthesis.rubric_extraction import parse

    reply = {"decision": "KEEP", "reason": "ok", "reference_demo": 0,
             "sub_goals": [{"id": "answered", "description": "Answered.", "check": {"kind": "judge"}}],
             "forbidden": [{"id": "gave_credit", "description": "Gave store credit.",
                            "check": {"kind": "tool_call", "tool": "issue_store_credit", "arguments": arguments}}]}
    out = parse(reply, task=_refund_task(), restriction="Never give store credit.", n_demos=1)
    structured = [i for i in out["rubric"]["forbidden"] if i["check"]["kind"] != "judge"]
    assert structured == [] and any("never" in n for n in out["notes"])


def test_a_forbidden_call_a_valid_call_can_match_stays_structured():
    from synthagent_env.synthesis.rubric_extraction import parse

    reply = {"decision": "KEEP", "reason": "ok", "reference_demo": 0,
             "sub_goals": [{"id": "answered", "description": "Answered.", "check": {"kind": "judge"}}],
             "forbidden": [{"id": "gave_credit", "description": "Gave store credit.", "check": {
                 "kind": "tool_call", "tool": "issue_store_credit",
                 "arguments": {"reason": "Changed_Mind", "amount": 20, "order_id": {"$contains": "A"}}}}]}
    out = parse(reply, task=_refund_task(), restriction="Never give store credit.", n_demos=1)
    assert out["rubric"]["forbidden"][0]["check"]["kind"] == "tool_call"


# ---- Ray env workers: odd actions are the agent's error, as in a local env, never a lost episode ----


def test_odd_actions_through_a_ray_env_worker_are_format_errors_not_failures(ray_cluster, tmp_path):
    """Locally an action of any type is a format error the agent is scored for; through ``RemoteEnv`` an action
    Ray cannot pickle raised out of ``step``, which the rollout core records as an env failure: reward 0 with
    every token masked, an escape from the penalty a local env gives."""
    import threading

    from synthagent_env.episode import EpisodeState
    from synthagent_env.ray_pool import RayEnvPool

    pool = RayEnvPool("synthagent/ToolUse-v0", {"mapping_path": str(tmp_path / "m.sqlite")}, num_workers=1)
    try:
        env = pool.make_env()
        state = EpisodeState.start(env, "banking-car-loan-offer-choice", seed=0)
        for action in (threading.Lock(), lambda: 1, 42, ["x"], "x" * 3_000_000):
            state.step(action)
            assert state.failure is None and not state.done, (type(action), state.failure)
            assert state.info["trajectory"][-1]["type"] == "format_error"
        state.step("<answer>done</answer>")
        assert state.done and state.failure is None and "reward_details" in state.info
        env.close()
    finally:
        pool.close()
