"""Everything a synthesis run is configured by (the CLI's flags map onto these fields one to one)."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

TOOL_MODES = ("tools", "text")


@dataclass
class SynthConfig:
    teacher_url: str
    out: Path
    model: str | None = None  # None: the first model the server lists
    workdir: Path | None = None  # None: "<out>.work" beside the pack
    personas: int = 100
    persona_file: Path | None = None  # None: the bundled generator
    seed: int = 0
    concurrency: int = 8  # items in flight per stage
    demos: int = 3  # teacher demonstrations per task (the paper: 2-4 give similar rubrics)
    agent_tool_mode: str = "tools"  # "tools": OpenAI tools=; "text": Hermes <tool_call> in plain chat
    simulator: str = "teacher"  # "teacher" (LLM mock world on the teacher endpoint), "offline", or a URL
    simulator_model: str | None = None
    temperature: float = 0.7
    max_tokens: int = 4096
    max_attempts: int = 3  # replies per request before an item is discarded as malformed
    max_turns: int = 16
    offline_gate: bool = True  # keep only tasks whose reference passes OracleAgent with the offline simulator
    api_key_env: str | None = "OPENAI_API_KEY"
    timeout: float = 300.0
    progress: bool = True

    def __post_init__(self) -> None:
        self.out = Path(self.out)
        self.workdir = Path(self.workdir) if self.workdir is not None else self.out.with_name(self.out.name + ".work")
        self.persona_file = Path(self.persona_file) if self.persona_file is not None else None
        if self.agent_tool_mode not in TOOL_MODES:
            raise ValueError(f"agent_tool_mode must be one of {TOOL_MODES}, not {self.agent_tool_mode!r}")
        if not 1 <= self.demos <= 8:
            raise ValueError("demos must be between 1 and 8 (the paper uses 2-4)")
        if self.personas < 1 or self.concurrency < 1 or self.max_attempts < 1:
            raise ValueError("personas, concurrency and max_attempts must be at least 1")

    @property
    def sampling(self) -> dict[str, Any]:
        return {"temperature": self.temperature, "max_tokens": self.max_tokens}

    def as_json(self) -> dict[str, Any]:
        return {k: str(v) if isinstance(v, Path) else v for k, v in asdict(self).items()}
