"""bfcl-eval stays optional: the core never imports it, and the BFCL package says how to install it."""

import subprocess
import sys


def test_core_import_does_not_load_bfcl_eval():
    code = "import synthagent_env, sys; print('bfcl_eval' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


def test_missing_bfcl_eval_raises_an_import_error_with_the_install_line():
    code = (
        "import sys; sys.modules['bfcl_eval'] = None\n"
        "try:\n    import synthagent_env.bfcl\nexcept ImportError as e:\n    print(e)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert "pip install --no-deps" in out and "bfcl-eval" in out
