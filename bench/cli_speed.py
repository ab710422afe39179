"""`factmark --help` against Python starting bare and Python importing click.

    python bench/cli_speed.py [--rounds 20]

Each round starts three fresh processes, one after the other, rotating which goes
first, and times each from just before it starts to its exit (output to /dev/null):

* **pass**: `python -c pass`, the interpreter's start (with the editable install's
  import hook, as every process of this environment pays it);
* **click**: `python -c "import click"`, the floor for a command line on click;
* **help**: `factmark --help`, the installed script: the command line loaded, its
  help written. Its goal (issue 18): under 1.3x **pass** plus the time importing
  click takes (**click** - **pass**), printed as the last ratio.

Python's compiled bytecode is kept, in a temporary folder (PYTHONPYCACHEPREFIX, even
where PYTHONDONTWRITEBYTECODE is set), and an untimed round fills it first: a user's
factmark, like click, has its bytecode compiled when pip installs it.

Prints the machine and its load, min/median/max of each, and the median of the
per-round ratios help/click and help/pass (with their min and max).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

from machine import describe, spread

FACTMARK = str(Path(sys.executable).with_name("factmark"))
COMMANDS = {
    "pass": [sys.executable, "-c", "pass"],
    "click": [sys.executable, "-c", "import click"],
    "help": [FACTMARK, "--help"],
}


def timed(command: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, env=env)
    return time.perf_counter() - start


def ratios(over: list[float], under: list[float]) -> str:
    each = [a / b for a, b in zip(over, under, strict=True)]
    return f"median {statistics.median(each):.2f}x (min {min(each):.2f}, max {max(each):.2f})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    print(f"{datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC; {describe()}")
    print(f"before: load {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    names = list(COMMANDS)
    times: dict[str, list[float]] = {name: [] for name in names}
    with tempfile.TemporaryDirectory() as cache:
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        env["PYTHONPYCACHEPREFIX"] = cache
        for command in COMMANDS.values():  # the bytecode, compiled once
            timed(command, env)
        for round_ in range(args.rounds):
            turn = round_ % len(names)
            for name in names[turn:] + names[:turn]:
                times[name].append(timed(COMMANDS[name], env))
    print(f"{args.rounds} rounds, fresh processes, from start to exit")
    for name, values in times.items():
        print(f"  {name:6} {spread(values)}")
    print(f"  help / click: {ratios(times['help'], times['click'])}")
    print(f"  help / pass:  {ratios(times['help'], times['pass'])}")
    # Issue 18's goal: under 1.3x `python -c pass` plus the time importing click takes.
    budget = [1.3 * p + (c - p) for p, c in zip(times["pass"], times["click"], strict=True)]
    print(f"  help / (1.3 x pass + click - pass): {ratios(times['help'], budget)}")
    print(f"after: load {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
