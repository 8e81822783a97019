"""``synthagent synth``: run (or resume) the synthesis pipeline against a teacher served over an OpenAI API.

Only argparse is imported here; the pipeline (httpx, gymnasium, ...) loads when the command runs.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..cli import command
from ..cli_help import DefaultsHelpFormatter


def _args(p: argparse.ArgumentParser) -> None:
    p.formatter_class = DefaultsHelpFormatter
    p.add_argument("--teacher-url", required=True, help="OpenAI-compatible base URL, e.g. http://127.0.0.1:8000/v1")
    p.add_argument("--model", default=None, help="teacher model name (default: the first the server lists)")
    p.add_argument("--personas", type=int, default=100, help="how many personas (= candidate tasks) to use")
    p.add_argument("--persona-file", default=None, help="JSONL of personas ({'persona': ...} or strings) "
                                                        "instead of the bundled generator")
    p.add_argument("--seed", type=int, default=0, help="which bundled personas (a seeded, prefix-stable order)")
    p.add_argument("--out", required=True, help="the task pack to write (JSONL)")
    p.add_argument("--workdir", default=None, help="stage logs for resuming (default: <out>.work)")
    p.add_argument("--concurrency", type=int, default=8, help="items in flight per stage")
    p.add_argument("--demos", type=int, default=3, help="teacher demonstrations per task (2-4 in the paper)")
    p.add_argument("--agent-tool-mode", choices=("tools", "text"), default="tools",
                   help="how the teacher calls tools in demonstrations: OpenAI tools= (needs a tool-call parser "
                        "on the server) or Hermes <tool_call> text")
    p.add_argument("--simulator", default="teacher", help="mock world in demonstrations: 'teacher' (LLM user and "
                                                          "tools on the teacher endpoint), 'offline', or a URL")
    p.add_argument("--simulator-model", default=None, help="model name at the --simulator URL")
    p.add_argument("--temperature", type=float, default=0.7, help="teacher sampling temperature")
    p.add_argument("--max-tokens", type=int, default=4096, help="per teacher reply (raise it for thinking models)")
    p.add_argument("--max-attempts", type=int, default=3, help="replies per request before an item is discarded")
    p.add_argument("--max-turns", type=int, default=16, help="turn limit of a demonstration")
    p.add_argument("--no-offline-gate", dest="offline_gate", action="store_false",
                   help="keep tasks whose reference fails OracleAgent with the offline simulator")
    p.add_argument("--api-key-env", default="OPENAI_API_KEY", help="environment variable holding the API key")
    p.add_argument("--timeout", type=float, default=300.0, help="seconds per request")
    p.add_argument("--no-progress", dest="progress", action="store_false", help="no progress bars")


@command("synth", "synthesize a task pack with a teacher model (personas -> tools -> fuzzy task -> demos -> rubric)",
         _args)
def synth(args: argparse.Namespace) -> int:
    from .config import SynthConfig
    from .pipeline import run_pipeline

    if args.persona_file is not None and not Path(args.persona_file).is_file():
        print(f"synthagent synth: error: no persona file at {Path(args.persona_file).resolve()}", file=sys.stderr)
        return 2
    config = SynthConfig(
        teacher_url=args.teacher_url, out=args.out, model=args.model, workdir=args.workdir, personas=args.personas,
        persona_file=args.persona_file, seed=args.seed, concurrency=args.concurrency, demos=args.demos,
        agent_tool_mode=args.agent_tool_mode, simulator=args.simulator, simulator_model=args.simulator_model,
        temperature=args.temperature, max_tokens=args.max_tokens, max_attempts=args.max_attempts,
        max_turns=args.max_turns, offline_gate=args.offline_gate, api_key_env=args.api_key_env or None,
        timeout=args.timeout, progress=args.progress)
    result = run_pipeline(config)
    print(result.summary())
    if result.errors:
        print(f"{len(result.errors)} item(s) failed with errors (not discarded); run the same command again to "
              f"retry them. First: {result.errors[0]['error'][:300]}", file=sys.stderr)
        return 2
    return 0
