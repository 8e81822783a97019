"""The stage contract: a stage turns one item's draft (a JSON dict) into a bigger draft, or rejects it.

A rejection (``Rejected``) is a verdict about the item and is recorded, so a resumed run does not redo it. Any
other exception (a dead server, a bug) is an error: not recorded, so the item is retried on resume.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..llm import UsageMeter
    from ..simulators import Simulator
    from .teacher import Teacher


class Rejected(Exception):
    """Discard this item; ``code`` groups the reasons in the report, ``detail`` says what exactly."""

    def __init__(self, code: str, detail: str):
        super().__init__(f"{code}: {detail}")
        self.code, self.detail = code, detail


class Invalid(ValueError):
    """A teacher reply that cannot be used; the message is shown to the teacher when it is asked again."""

    def __init__(self, message: str, code: str = "malformed_reply"):
        super().__init__(message)
        self.code = code


@dataclass
class ItemContext:
    """What a stage gets besides the draft: the item id, its metered teacher, and a simulator factory.

    ``make_simulator(ctx)`` builds the mock world for this item; if it is played by a model, the factory sets
    ``simulator_usage`` to that model's meter, and the runner records it apart from the teacher's tokens.
    """

    item_id: str
    teacher: Teacher
    make_simulator: Callable[[ItemContext], Simulator] | None = None
    simulator_usage: UsageMeter | None = None


Work = Callable[[dict[str, Any], ItemContext], dict[str, Any]]


@dataclass(frozen=True)
class Stage:
    name: str
    work: Work
