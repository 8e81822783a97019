"""Math tasks: a ``Task`` with ``kind="math"``, the problem as ``instruction`` and the reference ``answer``."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ..task import Task

MATH_PERSONA = "A student working through math problems."

def math_task(problem: str, answer: Any, *, id: str | None = None, source: str | None = None) -> Task:
    """A math task from a problem and its reference answer (e.g. a row of a math dataset)."""
    return Task(id=id or "math-" + hashlib.sha1(problem.encode()).hexdigest()[:10], kind="math", domain="math",
                persona=MATH_PERSONA, instruction=problem, answer=str(answer),
                reference_solution=[{"kind": "answer", "content": str(answer)}],  # so OracleAgent plays math too
                metadata={"source": source} if source else {})


BUNDLED_MATH_TASKS = [
    math_task("What is the sum of all positive divisors of 360?", "1170", id="math-divisor-sum-360"),
    math_task(r"Compute $\frac{1}{2} + \frac{1}{3} + \frac{1}{6} + \frac{1}{12}$.", r"\frac{13}{12}",
              id="math-fraction-sum"),
    math_task("How many positive integers less than 1000 are divisible by 7 but not by 11?", "130",
              id="math-divisible-7-not-11"),
    math_task("Find the remainder when $2^{100}$ is divided by 13.", "3", id="math-power-mod-13"),
    math_task("Solve for $x$: $3x - 7 = 2x + 5$.", "12", id="math-linear-equation"),
    math_task("A right triangle has hypotenuse 10 and one leg 6. What is its area?", "24",
              id="math-right-triangle-area"),
    math_task(r"Simplify $\sqrt{50} - \sqrt{8}$.", r"3\sqrt{2}", id="math-radicals"),
    math_task("In how many ways can 5 different books be arranged on a shelf if two particular books must be "
              "next to each other?", "48", id="math-books-adjacent"),
    math_task("What is the probability of rolling a sum of 7 with two fair six-sided dice? Express your answer as "
              "a common fraction.", r"\frac{1}{6}", id="math-dice-seven"),
    math_task("Find the least common multiple of 84 and 120.", "840", id="math-lcm"),
]


def load_math_tasks(source: str | Path | Iterable[Task | dict] | None = None) -> list[Task]:
    """Math tasks from a JSONL path or an iterable: ``Task`` dicts, or rows ``{"problem", "answer"[, "id"]}``."""
    if source is None:
        return list(BUNDLED_MATH_TASKS)
    if isinstance(source, (str, Path)):
        with open(source, encoding="utf-8") as fh:
            source = [json.loads(line) for line in fh if line.strip()]
    tasks = []
    for row in source:
        if isinstance(row, dict) and "problem" in row:
            task = math_task(row["problem"], row["answer"], id=row.get("id"), source=row.get("source"))
        else:
            task = row if isinstance(row, Task) else Task.model_validate(row)
        if task.answer is None:
            raise ValueError(f"math task {task.id!r} has no answer")
        tasks.append(task)
    return tasks
