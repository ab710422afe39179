"""`python -m factmark`: the `factmark` command.

Installed as factmark/__main__.py, the one file of the `factmark` namespace itself
(pyproject.toml maps the package `factmark` to this folder, which has no
__init__.py, so the namespace stays a namespace).
"""

import sys

from factmark.cli import main

if __name__ == "__main__":
    sys.exit(main())
