"""Is an answer a final value, or a computation left for the checker to finish?

math-verify evaluates what it parses, so ``\\frac{1}{2} + \\frac{1}{3}`` "equals" ``\\frac{5}{6}`` and an agent could
copy the problem's own expression (or ``\\operatorname{lcm}(84, 120)``, ``2^{100} \\mod 13``) into its answer and be
paid for sympy's arithmetic. A final answer may use only the kinds of operation its reference uses: ``13/12`` for
``\\frac{13}{12}`` (both divide), ``\\sqrt{18}`` for ``3\\sqrt{2}``, but not ``1+2`` for ``3``. Signs, decimal points,
thousands separators, degrees and text (units) are not operations.

A percent sign is read as a unit and dropped, the way MATH-style references write percentages: math-verify
otherwise reads ``N\\%`` both as N and as N/100, one answer covering two references.
"""

from __future__ import annotations

import re

_TEXT = re.compile(r"\\(?:text|textbf|textit|mathrm|mbox)\s*\{[^{}]*\}")
PERCENT = re.compile(r"\s*(?:\\%|%|\\text\s*\{\s*percent\s*\}|\bpercent\b)")
_OPERATIONS = {
    "addition": re.compile(r"\+"),
    "multiplication": re.compile(r"\\cdot|\\times|\\ast(?![A-Za-z])|\*"),
    "division": re.compile(r"/|\\div(?![A-Za-z])|\\[dt]?frac(?![A-Za-z])"),
    "a power": re.compile(r"\^(?!\s*\{?\s*\\circ)"),
    "a factorial": re.compile(r"!"),
    "a root": re.compile(r"\\sqrt(?![A-Za-z])"),
    "a modulo": re.compile(r"\\[bp]?mod(?![A-Za-z])|\\operatorname\s*\{\s*mod"),
    "a floor or ceiling": re.compile(r"\\l(?:floor|ceil)(?![A-Za-z])"),
    "a sum, product, integral or limit": re.compile(r"\\(?:sum|prod|int|iint|oint|lim)(?![A-Za-z])"),
    "a function": re.compile(r"\\(?:operatorname|gcd|lcm|log|ln|lg|exp|sin|cos|tan|cot|sec|csc|arcsin|arccos|arctan|"
                             r"sinh|cosh|tanh|binom|dbinom|tbinom|choose|max|min|det)(?![A-Za-z])"),
    "plus-or-minus": re.compile(r"\\pm(?![A-Za-z])|\\mp(?![A-Za-z])"),
}
# after these a minus sign is a sign, not a subtraction
_BEFORE_SIGN = re.compile(r"(?:^|[(\[{,;:=<>^_|]|\\(?:le|leq|ge|geq|lt|gt|ne|neq|to|in|approx|equiv|sim|cdot|times|div|"
                          r"pm|mp|left|quad|qquad)|\\[,;:! ])\s*$")


def operations(latex: str) -> set[str]:
    """The kinds of operation written in ``latex`` (text blocks ignored)."""
    text = _TEXT.sub(" ", latex).replace("\\!", " ")  # a negative thin space is not a factorial
    found = {name for name, pattern in _OPERATIONS.items() if pattern.search(text)}
    if any(not _BEFORE_SIGN.search(text[: m.start()]) for m in re.finditer("-", text)):
        found.add("subtraction")
    return found


def unfinished(reference: str, answer: str) -> set[str]:
    """Operations the answer leaves to the checker: those it writes and the reference does not."""
    return operations(answer) - operations(reference)
