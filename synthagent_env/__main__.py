"""``python -m synthagent_env`` is the ``synthagent`` command."""

import sys

from synthagent_env.cli import main

sys.exit(main())
