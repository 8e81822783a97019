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
