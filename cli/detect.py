"""`factmark detect`: the claims found in files, without any database.

With `--format jsonl` each claim is one JSON object (`record`): the contract other
tools rely on (README.md, "Detect").
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

import click

from .command import EXIT_BAD_INPUT, EXIT_OK, Call, command
from .output import stdout_text, warn
from .params import Score, articles_argument, glob_option

if TYPE_CHECKING:
    from factmark.corpus.article import Article, Claim
    from factmark.corpus.claims import Scored


@command(
    "detect",
    help="Print the claims the detector finds in files, one a line, without touching "
    "any database. With --format jsonl, one JSON object per claim: path, article, "
    "language, language_known, start, end, text, score, attributed, source, "
    "vague_source and cues.",
    examples=[
        "factmark detect story.txt",
        "factmark detect news/ --format jsonl > claims.jsonl",
        "factmark detect story.txt --all --threshold 0.3",
    ],
    exits="0 done, 1 a file refused (one line each; the others are read), 2 a usage error",
)
@articles_argument
@click.option(
    "--format",
    type=click.Choice(["text", "jsonl"]),
    default="text",
    show_default=True,
    help="text: path:start-end score [cues] claim; jsonl: one JSON object per claim.",
)
@click.option(
    "--threshold",
    type=Score(),
    metavar="SCORE",
    help="The score (0 to 1) from which a sentence is a claim (default: the detector's).",
)
@click.option("--all", "every", is_flag=True, help="Every sentence, with its score.")
@glob_option
def detect(
    call: Call,
    paths: tuple[str, ...],
    format: str,
    threshold: float | None,
    every: bool,
    glob: str | None,
) -> int:
    from factmark.corpus import claims
    from factmark.corpus.article import ArticleError
    from factmark.corpus.lexicon import detector_languages
    from factmark.corpus.safe_text import clean, file_name
    from factmark.store.files import discover, read_file

    cut = claims.THRESHOLD if threshold is None else threshold
    refused = 0
    with stdout_text(newline="\n") as out:
        for item in discover(list(paths), glob):
            for article in [item] if isinstance(item, ArticleError) else read_file(item):
                if isinstance(article, ArticleError):
                    warn(str(article))
                    refused += 1
                    continue
                for note in article.notes:
                    warn(note)
                known = article.language in detector_languages()
                if not known:
                    which = (
                        "could not tell the language (too little text)"
                        if article.language == "und"
                        else f"does not know the language {article.language!r}"
                    )
                    warn(
                        f"{file_name(article.path)}: the detector {which} (it knows "
                        f"{', '.join(detector_languages())}): its claims are a guess from "
                        "numbers, names and dates"
                    )
                found: Iterable[Claim | Scored]
                if every:
                    found = claims.sentences(article.text, article.language, article.regions)
                elif cut == claims.THRESHOLD:
                    found = article.claims  # found when the file was read
                else:
                    found = claims.detect(article.text, article.language, article.regions, cut)
                for claim in found:
                    if format == "jsonl":
                        out.write(clean(record(article, claim, known)) + "\n")
                    else:
                        line = " ".join(article.text[claim.start : claim.end].split())
                        out.write(
                            clean(
                                f"{article.path}:{claim.start}-{claim.end} {claim.score:.2f} "
                                f"[{', '.join(claim.cues)}] {line}"
                            )
                            + "\n"
                        )
    return EXIT_BAD_INPUT if refused else EXIT_OK


def record(article: Article, claim: Claim | Scored, known: bool) -> str:
    """One claim as a JSON object on one line: where it is (`start` and `end` index the
    text factmark stores), what it says, its score and the evidence for it."""
    import json

    return json.dumps(
        {
            "path": article.path,
            "article": article.external_id or article.path,
            "language": article.language,
            "language_known": known,
            "start": claim.start,
            "end": claim.end,
            "text": article.text[claim.start : claim.end],
            "score": claim.score,
            "attributed": claim.attributed,
            "source": claim.source,
            "vague_source": claim.vague_source,
            "cues": list(claim.cues),
        },
        ensure_ascii=False,
    )
