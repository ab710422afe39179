"""LibreOffice Calc, headless, opening a sheet and saving it again as a teacher's
spreadsheet would.

The spreadsheet tests need LibreOffice (`soffice`); `.ci/run` installs it when it is
missing.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

SOFFICE = shutil.which("soffice")

# LibreOffice's CSV filter options: separator, quote and character set, as numbers
# (76 is UTF-8, 1 Windows-1252); the options left out keep their defaults, which
# read `5/3` as a date, as Excel does.
UTF8_COMMA = "44,34,76"
CP1252_SEMICOLON = "59,34,1"
CSV_OUT = "csv:Text - txt - csv (StarCalc):"


class Calc:
    """soffice with a profile of its own in `profile` (a folder), made on first use."""

    def __init__(self, profile: Path) -> None:
        assert SOFFICE, (
            "the spreadsheet tests need LibreOffice "
            "(apt-get install libreoffice-calc-nogui; .ci/run does it)"
        )
        self.profile = profile

    def convert(self, source: Path, to: str, folder: Path, infilter: str | None = None) -> Path:
        """`source` opened (a CSV one read with the CSV filter options `infilter`) and
        saved in `folder` as `to` (`xlsx`, or CSV_OUT and its options); the new file."""
        folder.mkdir(parents=True, exist_ok=True)
        command = [
            str(SOFFICE),
            "--headless",
            f"-env:UserInstallation={self.profile.as_uri()}",
            *([f"--infilter=CSV:{infilter}"] if infilter else []),
            "--convert-to",
            to,
            "--outdir",
            str(folder),
            str(source),
        ]
        result = subprocess.run(command, capture_output=True, text=True, timeout=300)
        saved = folder / f"{source.stem}.{to.split(':')[0]}"
        assert result.returncode == 0 and saved.exists(), (
            f"soffice failed ({result.returncode}): {result.stdout} {result.stderr}"
        )
        return saved
