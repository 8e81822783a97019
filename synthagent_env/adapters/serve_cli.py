"""``synthagent serve``: one of our env ids as an OpenEnv server (``adapters.openenv_server``)."""

from __future__ import annotations

import argparse
import sys

from synthagent_env.cli import command

# An episode's client waits on its own policy between steps, not for a quarter of an hour: a session idle that long
# is a dead or hostile client, and without a bound a few idle connections would hold every session forever.
DEFAULT_SESSION_TIMEOUT = 900.0


def _configure(p: argparse.ArgumentParser) -> None:
    p.add_argument("--env", default="synthagent/ToolUse-v0", help="gym id to serve (default: %(default)s)")
    p.add_argument("--env-kwargs", default=None, metavar="JSON",
                   help='keyword arguments for gym.make, e.g. \'{"simulator": "offline", '
                        '"mapping_path": "redis://127.0.0.1:6379/0"}\'')
    p.add_argument("--host", default="127.0.0.1", help="address to bind (default: %(default)s)")
    p.add_argument("--port", type=int, default=8000)
    p.add_argument("--max-sessions", type=int, default=64, help="concurrent sessions at most (default: %(default)s)")
    p.add_argument("--session-timeout", type=float, default=DEFAULT_SESSION_TIMEOUT, metavar="SECONDS",
                   help="free a session idle this long, 0 for never (default: %(default)s; a closed connection is "
                        "freed at once)")


@command("serve", "Serve an env id as an OpenEnv server (WebSocket sessions, one env each).", _configure)
def run(args: argparse.Namespace) -> int:
    from .openenv_server import serve
    from .shared_env import parse_env_kwargs

    try:
        kwargs = parse_env_kwargs(args.env_kwargs)
    except ValueError as err:
        print(f"synthagent serve: {err}", file=sys.stderr)
        return 2
    if args.max_sessions < 1:
        print("synthagent serve: --max-sessions must be at least 1", file=sys.stderr)
        return 2
    if args.session_timeout < 0:
        print("synthagent serve: --session-timeout must be 0 (never) or more", file=sys.stderr)
        return 2
    print(f"synthagent serve: {args.env} on http://{args.host}:{args.port} "
          f"(ws://{args.host}:{args.port}/ws, at most {args.max_sessions} sessions)", flush=True)
    try:
        serve(args.env, kwargs, host=args.host, port=args.port, max_sessions=args.max_sessions,
              session_timeout=args.session_timeout or None)
    except (KeyError, TypeError, ValueError) as err:
        print(f"synthagent serve: {err}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":  # ``python -m synthagent_env.adapters.serve_cli ...``: the same command, standalone
    parser = argparse.ArgumentParser(prog="synthagent serve")
    _configure(parser)
    sys.exit(run(parser.parse_args()))
