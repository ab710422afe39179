"""Regenerate the README's screenshots: python docs/screenshots.py (from the repository)."""

from __future__ import annotations

import asyncio
import os
import tempfile
from pathlib import Path

from factmark.store import claims, verdicts
from factmark.store.database import Store
from factmark.store.ingest import import_paths
from factmark.tui.app import FactmarkApp

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"


async def shoot() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        os.chdir(tmp)
        db = Path("class.db")
        with Store.open(db) as store:
            import_paths(store, [str(ROOT / "sample_corpus")])
            first = claims.for_article(store, 1)
            for claim, verdict in zip(first, ("verified", "disputed", "unsourced"), strict=False):
                verdicts.record(store, claim["id"], "amira", verdict)
        app = FactmarkApp(db, "amira", ROOT / "sample_corpus", stay=True)
        async with app.run_test(size=(100, 30)) as pilot:
            app.save_screenshot("library.svg", str(OUT))
            await pilot.press("enter", "w")
            await pilot.pause()
            app.save_screenshot("reader.svg", str(OUT))


if __name__ == "__main__":
    asyncio.run(shoot())
