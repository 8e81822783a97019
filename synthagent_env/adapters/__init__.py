"""Our envs in the trainers people already use: an OpenEnv server (``openenv_server``, client in ``openenv_client``),
a SkyRL-gym env (``skyrl``) and a verifiers environment (``verifiers_env``). Each is a thin layer over
``gym.make(env_id, ...)`` built by ``shared_env.SharedEnvFactory``; none re-implements the episode loop.

Each adapter imports its trainer package (``openenv-core``, ``skyrl-gym``, ``verifiers``) only when it is itself
imported, so this package costs nothing to a user who needs none of them.
"""
