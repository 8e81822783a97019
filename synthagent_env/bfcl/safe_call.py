"""Turn a parsed tool call into a BFCL call string that cannot run anything but the named API method.

BFCL's executor ``eval()``s call strings. We never hand it agent text: the string is built here from the
parsed JSON arguments (``name(k=repr(v), ...)``, what BFCL's OpenAI handler builds), and only when the name
is an allowed API method, every key is a plain identifier and every value is a JSON value of an exact
built-in type (a ``str`` subclass could fake its ``repr``). One deliberate difference: BFCL's executor
prefixes the instance name to every ``name(`` in the string, inside string arguments too, which corrupts
data such as ``echo(content="run ls(now)")``; we write ``(`` inside string literals as ``\x28`` (the same
string once evaluated) so the prefix lands only on the call itself. The result, and the string BFCL will
really evaluate after prefixing instance names, is then parsed with ``ast`` and must be exactly one call of
that method with literal keyword arguments.

A call we refuse is still part of the agent's decoded step, as in BFCL (whose executor turns it into an
``Error during execution`` result): :func:`refused_call` writes a stand-in that fails the same way and
touches nothing, so the checker sees the same steps BFCL's harness would record.
"""

from __future__ import annotations

import ast
import keyword
import math
from collections.abc import Mapping
from typing import Any

from bfcl_eval.eval_checker.multi_turn_eval.multi_turn_utils import (
    _process_method_calls,
)

MAX_DEPTH = 32
_SCALARS = (str, int, float, bool, type(None))


class UnsafeCall(ValueError):
    """The call was refused before anything ran; the message is safe to show the agent."""


def _check_value(value: Any, path: str, depth: int = 0) -> None:
    if depth > MAX_DEPTH:
        raise UnsafeCall(f"argument {path} is nested more than {MAX_DEPTH} levels deep")
    kind = type(value)
    if kind is float and not math.isfinite(value):
        raise UnsafeCall(f"argument {path} must be a finite number")
    if kind in _SCALARS:
        return
    if kind is list:
        for i, item in enumerate(value):
            _check_value(item, f"{path}[{i}]", depth + 1)
        return
    if kind is dict:
        for key, item in value.items():
            if type(key) is not str:
                raise UnsafeCall(f"argument {path} has a non-string key")
            _check_value(item, f"{path}[{key!r}]", depth + 1)
        return
    raise UnsafeCall(f"argument {path} must be a JSON value, not {kind.__name__}")


def literal(value: Any) -> str:
    """``repr(value)`` for a checked JSON value, except that ``(`` inside strings is written ``\\x28``."""
    kind = type(value)
    if kind is str:
        return repr(value).replace("(", "\\x28")
    if kind is list:
        return "[" + ", ".join(literal(v) for v in value) + "]"
    if kind is dict:
        return "{" + ", ".join(f"{literal(k)}: {literal(v)}" for k, v in value.items()) + "}"
    return repr(value)


REFUSED = "synthagent_refused_call"  # no BFCL method or executor global has this name: evaluating it fails


def refused_call(name: Any, reason: str) -> str:
    """The stand-in recorded for a refused call: ``synthagent_refused_call(name='...', reason='...')``.

    BFCL's executor answers it with ``Error during execution: name 'synthagent_refused_call' is not defined``
    and changes nothing, as it would for the unknown or unparseable call the agent sent.
    """
    shown = str.__str__(name) if isinstance(name, str) else repr(type(name).__name__)
    return f"{REFUSED}(name={literal(shown[:200])}, reason={literal(reason[:200])})"


def _is_literal(node: ast.AST) -> bool:
    if isinstance(node, ast.Constant):
        return True
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        return isinstance(node.operand, ast.Constant) and type(node.operand.value) in (int, float)
    if isinstance(node, ast.List):
        return all(_is_literal(e) for e in node.elts)
    if isinstance(node, ast.Dict):
        return all(isinstance(k, ast.Constant) and _is_literal(v) for k, v in zip(node.keys, node.values))
    return False


def _check_call_source(source: str, name: str, instance: str | None) -> None:
    """``source`` must be exactly one call of ``name`` (``instance.name`` when given) with literal kwargs."""
    try:
        node = ast.parse(source, mode="eval").body
    except (SyntaxError, ValueError, RecursionError, MemoryError) as err:
        raise UnsafeCall(f"the call could not be built safely ({type(err).__name__})") from None
    func = node.func if isinstance(node, ast.Call) else None
    if instance is None:
        good_func = isinstance(func, ast.Name) and func.id == name
    else:
        good_func = (isinstance(func, ast.Attribute) and func.attr == name
                     and isinstance(func.value, ast.Name) and func.value.id == instance)
    if not (good_func and isinstance(node, ast.Call) and not node.args
            and all(kw.arg is not None and _is_literal(kw.value) for kw in node.keywords)):
        raise UnsafeCall("the call could not be built safely")


def build_call(name: Any, arguments: Any, allowed: Mapping[str, str]) -> str:
    """The BFCL call string for ``name(**arguments)``; raises :class:`UnsafeCall` instead of building a risky one.

    ``allowed``: method name -> the global BFCL's executor will call it on (see ``World.instance_names``),
    restricted to the names the agent may call.
    """
    if type(name) is not str or name not in allowed:
        raise UnsafeCall(f"unknown function {name!r}")
    if type(arguments) is not dict:
        raise UnsafeCall(f"arguments of {name} must be a JSON object")
    for key, value in arguments.items():
        if type(key) is not str or not key.isidentifier() or keyword.iskeyword(key) or not key.isascii():
            raise UnsafeCall(f"{key!r} is not a valid parameter name for {name}")
        _check_value(value, key)
    try:
        source = f"{name}({','.join(f'{k}={literal(v)}' for k, v in arguments.items())})"
    except (ValueError, RecursionError) as err:  # e.g. an int too long to print
        raise UnsafeCall(f"arguments of {name} cannot be used: {type(err).__name__}") from None
    _check_call_source(source, name, None)
    processed = _process_method_calls(source, dict(allowed))
    if processed != f"{allowed[name]}.{source}":  # the prefix landed somewhere else too
        raise UnsafeCall("the call could not be built safely")
    _check_call_source(processed, name, allowed[name])
    return source
