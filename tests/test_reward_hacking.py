"""Reward hacking on ToolUse-v0, through the public gym API with the default configuration.

Each strategy in ``benchmarks.reward_hacking`` tries to earn reward without calling a tool correctly; before
the fixes the keyword dump earned a mean of 0.416 (36/36 tasks above 0). The ceiling: none earns more than
0.05 on any bundled task. The offline user's rules are tested on their own too: the reward gate alone must not
be what stops a keyword dump.
"""

import gymnasium as gym
import pytest

import synthagent_env  # noqa: F401
from benchmarks.laundering import answer_values, echo_tools, echoed
from benchmarks.reward_hacking import STRATEGIES, env_kwargs_for, play_pack, visible_phrases
from synthagent_env import load_tasks
from synthagent_env.rubric import RewardConfig, score_episode
from synthagent_env.simulators.offline import MAX_FACTS_PER_REPLY, OfflineUserSimulator, asks_about

from helpers import TASK

PACK = load_tasks("tooluse-v0")
CEILING = 0.05


@pytest.mark.parametrize("name", sorted(STRATEGIES))
def test_no_hacking_strategy_earns_reward_on_any_bundled_task(name, tmp_path):
    played = play_pack(STRATEGIES[name], tmp_path / "mapping.sqlite", env_kwargs=env_kwargs_for(name))
    assert len(played) == len(PACK) == 36
    over = {tid: reward for tid, reward, _ in played if reward > CEILING}
    assert over == {}, f"{name} earned more than {CEILING}"
    for tid, _, info in played:  # it really played: no crash, a scored ending
        assert info["end_reason"] in {"answer", "max_turns", "context_limit"}, (tid, info["end_reason"])


@pytest.mark.parametrize("name", ["keyword_dump", "keyword_dump_9_lines"])
def test_a_keyword_dump_reveals_no_fact_whatever_the_formula(name, tmp_path):
    tasks = {t.id: t for t in PACK}
    for tid, _, info in play_pack(STRATEGIES[name], tmp_path / "mapping.sqlite"):
        dump = next(e for e in info["trajectory"] if e["type"] == "user")
        task = tasks[tid]
        words = " ".join(visible_phrases(info))
        assert any(k in words for f in task.hidden_facts for k in f.keywords)  # the dump does name keywords
        assert dump["asked_facts"] == []
        assert not any(f.value.lower() in dump["reply"].lower() for f in task.hidden_facts)
        paper = score_episode(task, info["trajectory"], RewardConfig(formula="paper"))
        assert paper.reward == 0.0 and paper.interaction_fraction == 0.0


@pytest.mark.parametrize("name", ["launder_via_tool_echo", "launder_via_user_echo"])
def test_a_laundering_strategy_launders_the_answer_without_doing_the_task(name, tmp_path):
    """The ceiling above means something only if the attack ran: on every task the memorised values came back
    in a tool response or a user reply and were answered, and no required call was made."""
    tasks = {t.id: t for t in PACK}
    laundered = set()
    for tid, _, info in play_pack(STRATEGIES[name], tmp_path / "mapping.sqlite", env_kwargs=env_kwargs_for(name)):
        if any(echoed(answer_values(tasks[tid]), e) for e in info["trajectory"]):
            laundered.add(tid)
        assert info["end_reason"] == "answer", tid
        calls = {sg.id for sg in tasks[tid].rubric.sub_goals if sg.check.kind == "tool_call"}
        passed = {i["id"] for i in info["reward_details"]["items"] if i["passed"]}
        assert calls and not calls & passed, tid
    # where it could: every task for the user echo; for the tool echo, each task with an echoing tool (35)
    launderable = {t.id for t in PACK if name == "launder_via_user_echo" or echo_tools(t)}
    assert laundered == launderable and len(launderable) >= 35


KEYWORDS = ["order number", "order id"]


@pytest.mark.parametrize("message", [
    "What is your order number?",
    "Could you share the order number so I can look it up.",
    "Sure, I can help. Please tell me the order id",
    "I need your order number and how you'd like the refund.",
    "Thanks for waiting.\nWhich order number is it?",
])
def test_a_real_question_about_the_fact_asks_about_it(message):
    assert asks_about(message, KEYWORDS)


@pytest.mark.parametrize("message", [
    "I will look up your order number now.",  # a statement, not a question
    "Order number.",  # a bare word
    "What? order number",  # the keyword outside the question sentence
    "What is your name, email, phone, address, order number, date, amount?",  # a comma list
    "What is the tool function name order number string parameters object properties id required enum?",  # word salad
    "Could you tell me " + " ".join(["something"] * 60) + " order number?",  # overlong
    "\n".join(["What is your name?", "What is your email?", "What is your phone?", "What is your address?",
               "What is the date?", "What is your order number?"]),  # a questionnaire
    "What is the reorder numbering scheme?",  # a keyword inside another word
])
def test_text_that_is_not_a_real_question_about_the_fact_asks_nothing(message):
    assert not asks_about(message, KEYWORDS)


def test_an_empty_keyword_matches_nothing():
    assert not asks_about("What is it?", ["", "  "])


def _reply(task, message):
    return OfflineUserSimulator().reply(task, [{"role": "assistant", "content": message}]).text


def test_the_user_reveals_at_most_two_facts_per_reply_and_nothing_to_a_dump():
    task = next(t for t in PACK if t.id == "hr-new-starter-record-and-orientation")
    assert len(task.hidden_facts) >= 3
    three = "What is her full name, her start date, and is the contract permanent or fixed-term?"
    assert all(asks_about(three, f.keywords) for f in task.hidden_facts)
    said = [f.key for f in task.hidden_facts if f.value.lower() in _reply(task, three).lower()]
    assert len(said) == MAX_FACTS_PER_REPLY
    many = ("Who is she and what is her name? What is her start date or first day, and when is she starting? "
            "What contract or employment type is it?")  # real questions, but seven keywords at once
    named = [k for f in task.hidden_facts for k in f.keywords if k in many.lower()]
    assert len(named) > 6 and all(asks_about(many, f.keywords) for f in task.hidden_facts)
    assert not any(f.value.lower() in _reply(task, many).lower() for f in task.hidden_facts)


def test_a_fact_the_agent_did_not_ask_for_earns_no_interaction_credit():
    task = next(t for t in PACK if t.id == TASK)
    fact = next(f for f in task.hidden_facts if f.key == "order_id")
    volunteered = {"type": "user", "turn": 1, "message": "Hello there, I am your assistant.",
                   "reply": fact.statement, "stop": False}
    for event in (volunteered, {**volunteered, "asked_facts": []}):  # recorded by the env, or not (fallback)
        item = next(i for i in score_episode(task, [event]).items if i.id == "asked_order_id")
        assert item.passed is False and "without being asked" in item.reason
    asked = {**volunteered, "message": "What is your order number?"}
    for event in (asked, {**asked, "asked_facts": ["order_id"]}):
        assert next(i for i in score_episode(task, [event]).items if i.id == "asked_order_id").passed is True
    # the env's record decides when it is there: a message the env says asked nothing earns nothing
    assert next(i for i in score_episode(task, [{**asked, "asked_facts": []}]).items
                if i.id == "asked_order_id").passed is False


def test_the_env_records_which_facts_a_message_asked_about(mapping_path):
    env = gym.make("synthagent/ToolUse-v0", mapping_path=mapping_path)
    env.reset(options={"task_id": TASK})
    *_, info = env.step("What is your order number?")
    env.close()
    assert info["trajectory"][-1]["asked_facts"] == ["order_id"]
