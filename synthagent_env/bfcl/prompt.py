"""What the agent reads: BFCL's own instructions plus how to write tool calls in our action format.

BFCL's function-calling runs send no system prompt; a text agent still needs one to know the call format, so
we compose BFCL's "classic" persona, task and multi-turn paragraphs with our Hermes rules. Pass
``system_prompt=None`` to the env to leave it out.
"""

from __future__ import annotations

from bfcl_eval.constants.default_prompts import PROMPT_STYLE_TEMPLATES

_CLASSIC = PROMPT_STYLE_TEMPLATES["classic"]

CALL_FORMAT = (
    'Write each function call as <tool_call>{"name": "<function name>", "arguments": {<JSON object>}}</tool_call>; '
    "several calls in one message run in order. A message with no function call ends your turn, and so does a "
    "message with a call that cannot be decoded (none of its calls run)."
)

DEFAULT_SYSTEM_PROMPT = f"{_CLASSIC['persona']} {_CLASSIC['task']}\n\n{CALL_FORMAT}\n\n{_CLASSIC['multiturn_behavior']}"
