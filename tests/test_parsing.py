"""The action parser: Hermes blocks, OpenAI dicts, bare JSON, answers, reasoning, and garbage."""

from synthagent_env.parsing import parse_action


def test_several_hermes_calls_and_thoughts():
    text = ('<think>need both</think>Checking.<tool_call>{"name": "a", "arguments": {"x": 1}}</tool_call>\n'
            '<tool_call>{"name": "b", "arguments": "{\\"y\\": \\"z\\"}"}</tool_call>')
    p = parse_action(text)
    assert [(c.name, c.arguments, c.error) for c in p.tool_calls] == [("a", {"x": 1}, None), ("b", {"y": "z"}, None)]
    assert p.text == "Checking." and p.answer is None


def test_answer_and_plain_text():
    assert parse_action("<answer> done </answer>").answer == "done"
    p = parse_action("What is your order number?")
    assert p.text == "What is your order number?" and not p.tool_calls and p.answer is None


def test_unclosed_blocks_still_parse():
    p = parse_action('<tool_call>{"name": "a", "arguments": {}}')
    assert p.tool_calls[0].name == "a" and p.tool_calls[0].error is None
    assert parse_action("<answer>partial").answer == "partial"


def test_malformed_calls_carry_errors():
    bad = parse_action('<tool_call>{"name": "a", "arguments": {</tool_call>').tool_calls[0]
    assert bad.error.startswith("malformed tool call JSON")
    assert "no 'name'" in parse_action('<tool_call>{"arguments": {}}</tool_call>').tool_calls[0].error
    assert "must be a JSON object" in parse_action('<tool_call>{"name": "a", "arguments": [1]}</tool_call>').tool_calls[0].error
    assert "must be a JSON object" in parse_action("<tool_call>[1, 2]</tool_call>").tool_calls[0].error


def test_openai_message_dict():
    msg = {"role": "assistant", "content": None, "tool_calls": [
        {"id": "c9", "type": "function", "function": {"name": "a", "arguments": '{"x": "é"}'}},
        {"id": "c10", "type": "function", "function": {"name": "b", "arguments": "{oops"}},
    ]}
    p = parse_action(msg)
    assert (p.tool_calls[0].id, p.tool_calls[0].arguments) == ("c9", {"x": "é"})
    assert "not valid JSON" in p.tool_calls[1].error


def test_bare_json_call_and_fenced_json():
    assert parse_action('{"name": "a", "arguments": {"k": 2}}').tool_calls[0].arguments == {"k": 2}
    assert parse_action('```json\n{"name": "a", "arguments": {}}\n```').tool_calls[0].name == "a"
    assert not parse_action('{"just": "data"}').tool_calls


def test_unusable_actions_never_raise():
    assert parse_action(None).error
    assert parse_action(42).error
    assert parse_action({"content": 5}).error
    assert parse_action({"content": "", "tool_calls": "nope"}).error


def test_pathological_json_is_an_error_not_a_crash():
    huge = "<tool_call>{\"name\": \"a\", \"arguments\": {\"n\": " + "9" * 5000 + "}}</tool_call>"
    assert "malformed tool call JSON" in parse_action(huge).tool_calls[0].error
    deep = "<tool_call>" + "[" * 100_000 + "</tool_call>"
    assert "malformed tool call JSON" in parse_action(deep).tool_calls[0].error
    msg = {"content": None, "tool_calls": [{"function": {"name": "a", "arguments": "{\"n\": " + "9" * 5000 + "}"}}]}
    assert "not valid JSON" in parse_action(msg).tool_calls[0].error
