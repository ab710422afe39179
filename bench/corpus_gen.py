"""Generated news-like articles for benchmarks: real sentences, shuffled and re-numbered.

Sentences come from the sample corpus and the labelled development sets, so the text
has the shape of news in French and English (quotes, numbers, attributions), and
every generated article is different.
"""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _sentences() -> dict[str, list[str]]:
    by_language: dict[str, list[str]] = {"fr": [], "en": []}
    for path in sorted((ROOT / "tests" / "data" / "claims").glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            if "paragraphs" in row and row["language"] in by_language:
                for paragraph in row["paragraphs"]:
                    by_language[row["language"]].extend(s["text"] for s in paragraph)
            elif row.get("kind") == "sentence":
                by_language["fr"].append(row["text"])
    return by_language


def articles(count: int, seed: int = 0) -> list[str]:
    """`count` articles of 3 to 6 KB, four in five French, with title and furniture."""
    rng = random.Random(seed)
    pool = _sentences()
    out = []
    for i in range(count):
        language = "fr" if i % 5 else "en"
        target = rng.randint(3000, 6000)
        title = rng.choice(pool[language]).rstrip(".")
        parts = [f"{title} ({i})", ""]
        size = 0
        while size < target:
            paragraph = " ".join(rng.choice(pool[language]) for _ in range(rng.randint(2, 5)))
            paragraph = re.sub(r"\d+", lambda m: str(rng.randint(2, 9999)), paragraph)
            parts += [paragraph, ""]
            size += len(paragraph.encode()) + 2
        parts.append("Partager cet article" if language == "fr" else "Share this article")
        out.append("\n".join(parts) + "\n")
    return out


def write(folder: Path, count: int) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i, text in enumerate(articles(count)):
        path = folder / f"{i:05}.txt"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths
