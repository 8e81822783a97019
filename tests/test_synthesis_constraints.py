"""The paper's three synthesis constraints, enforced: every tool has an output schema; the workflow follows the
restriction; after the tool check the task is still completable with the remaining tools (and no workflow step
uses a tool the check removed). Each violating draft is discarded with its reason; a compliant one passes.

The teacher is a real OpenAI-compatible loopback server answering with scripted replies (``LLMTestServer``)."""

import json

import pytest

from synthagent_env.llm import LLMTestServer, OpenAIClient
from synthagent_env.synthesis import tool_check, toolset
from synthagent_env.synthesis.stage import ItemContext, Rejected
from synthagent_env.synthesis.teacher import Teacher


def _tool(name, out=True):
    tool = {"name": name, "description": f"{name} in the shop's system.", "output_description": "A record.",
            "parameters": {"type": "object", "properties": {"order_id": {"type": "string"}}, "required": ["order_id"]}}
    if out:
        tool["output_schema"] = {"type": "object", "properties": {"status": {"type": "string"}}}
    return tool


TOOLS = ["find_order", "create_return", "issue_refund", "write_apology"]
TOOLSET = {"domain": "retail", "task": "Return the broken blender from order A-1 and refund me.",
           "tools": [_tool(n) for n in TOOLS[:3]],
           "workflow": ["Ask for the order.", "Look it up with find_order.", "Open a return.", "Refund it.",
                        "Tell the customer."],
           "restriction": {"tool": "issue_refund", "rule": "issue_refund must NOT be used before a return exists",
                           "reason": "refunds need a return"}}
DRAFT = {"persona": "A shopper.", **{k: v for k, v in TOOLSET.items() if k != "domain"}, "domain": "retail",
         "tools": [_tool(n) for n in TOOLS]}


def review(*, completable=True, follows=True, llm_does=("write_apology",), distractor_out=True):
    return json.dumps({
        "verdicts": [{"name": n, "llm_can_do_it": n in llm_does, "text_output": True, "reason": "r"} for n in TOOLS],
        "completable": completable, "workflow_follows_restriction": follows, "task_reason": "because",
        "distractors": [_tool("track_parcel", out=distractor_out)]})


@pytest.fixture
def ask():
    """``ask(stage, draft, replies)``: run one stage against a server that gives ``replies`` in order."""
    servers = []

    def run(stage, draft, replies):
        server = LLMTestServer(script=list(replies)).start()
        servers.append(server)
        client = OpenAIClient(server.url, "teacher", api_key_env=None, backoff=0.01)
        try:
            return stage.run(draft, ItemContext("item-1", Teacher(client, max_attempts=2))), server
        finally:
            client.close()

    yield run
    for s in servers:
        s.stop()


def test_a_compliant_draft_passes_every_check(ask):
    out, _ = ask(toolset, {"persona": "A shopper."}, [json.dumps(TOOLSET)])
    assert all("output_schema" in t for t in out["tools"])
    checked, server = ask(tool_check, DRAFT, [review()])
    assert [t["name"] for t in checked["tools"]] == [*TOOLS[:3], "track_parcel"]
    prompt = server.requests[0].body["messages"][1]["content"]
    assert "must NOT be used before a return exists" in prompt and "2. Look it up with find_order." in prompt


def test_a_toolset_without_output_schemas_is_asked_again_then_discarded(ask):
    bad = {**TOOLSET, "tools": [_tool("find_order"), _tool("create_return", out=False), _tool("issue_refund")]}
    with pytest.raises(Rejected) as rejected:
        ask(toolset, {"persona": "A shopper."}, [json.dumps(bad)] * 2)
    assert rejected.value.code == "no_output_schema" and "create_return" in rejected.value.detail
    fixed, server = ask(toolset, {"persona": "A shopper."}, [json.dumps(bad), json.dumps(TOOLSET)])
    assert len(server.requests) == 2 and "output_schema" in server.requests[1].body["messages"][-1]["content"]
    assert len(fixed["tools"]) == 3


def test_a_distractor_without_output_schema_is_refused(ask):
    with pytest.raises(Rejected, match="output_schema"):
        ask(tool_check, DRAFT, [review(distractor_out=False)] * 2)


def test_a_workflow_that_breaks_the_restriction_is_discarded(ask):
    with pytest.raises(Rejected) as rejected:
        ask(tool_check, DRAFT, [review(follows=False)])
    assert rejected.value.code == "workflow_breaks_restriction" and "before a return exists" in rejected.value.detail


def test_a_task_the_kept_tools_cannot_complete_is_discarded(ask):
    with pytest.raises(Rejected) as rejected:
        ask(tool_check, DRAFT, [review(completable=False)])
    assert rejected.value.code == "not_completable_after_tool_check"


def test_a_workflow_step_using_a_removed_tool_is_discarded_even_when_the_reviewer_says_completable(ask):
    draft = {**DRAFT, "workflow": [*DRAFT["workflow"][:4], "Send an apology with write_apology."]}
    with pytest.raises(Rejected) as rejected:
        ask(tool_check, draft, [review()])
    assert rejected.value.code == "workflow_uses_dropped_tool"
    assert rejected.value.detail == "workflow step 5 uses write_apology, which the tool check dropped"
    invalid = {**DRAFT, "tools": [*DRAFT["tools"][:3], _tool("write_apology", out=False)]}  # dropped before review
    with pytest.raises(Rejected, match="workflow step 5 uses write_apology"):
        ask(tool_check, {**invalid, "workflow": draft["workflow"]}, [review(llm_does=())])


def test_a_review_without_the_task_verdicts_is_asked_again(ask):
    missing = json.loads(review())
    del missing["completable"]
    out, server = ask(tool_check, DRAFT, [json.dumps(missing), review()])
    assert len(server.requests) == 2 and "completable must be true or false" in \
        server.requests[1].body["messages"][-1]["content"]
    assert out["dropped_tools"][0]["name"] == "write_apology"
