"""Ways into the command line: `python -m factmark`."""

from __future__ import annotations

import subprocess
import sys

from tests.helpers import factmark


def test_python_m_factmark_is_the_factmark_command() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "factmark", "--help"], capture_output=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(b"Usage: factmark [OPTIONS] [PATHS]...\n")
    assert result.stdout == factmark("--help").stdout
    mistyped = subprocess.run(
        [sys.executable, "-m", "factmark", "exprot"], capture_output=True, timeout=60
    )
    assert mistyped.returncode == 2 and b"did you mean 'factmark export'?" in mistyped.stderr
