"""`factmark import` of JSON documents and of doccano, Label Studio and Prodigy exports:
articles read like JSON Lines, labelled spans brought in as claims a reader added."""

from __future__ import annotations

import csv
import io
import itertools
import json
import shutil
from pathlib import Path

from factmark.store import articles, claims
from factmark.store.database import Store
from tests.helpers import factmark

DATA = Path(__file__).resolve().parent.parent / "data" / "annotations"


def imported(db_path: Path, *paths: Path) -> str:
    """Import `paths`; the command's standard error."""
    result = factmark("--db", str(db_path), "import", *map(str, paths))
    assert result.returncode == 0, result.stderr
    return result.stderr.decode()


def stored(db_path: Path) -> list[dict]:
    """Every article with its claims (`claims`: text, origin and cues of each)."""
    with Store.open(db_path, readonly=True) as store:
        found = []
        for article_id in articles.ids(store):
            article = dict(articles.get(store, article_id))
            article["claims"] = [
                (c["text"], c["origin"], list(c["cues"]))
                for c in claims.for_article(store, article_id)
                if article["text"][c["start"] : c["end"]] == c["text"]
            ]
            found.append(article)
        return found


def labelled(article: dict) -> list[tuple[str, list[str]]]:
    """The article's claims that another tool labelled: (text, cues)."""
    return [(text, cues) for text, origin, cues in article["claims"] if origin == "reader"]


def test_a_json_array_is_read_as_articles(db_path: Path, tmp_path: Path) -> None:
    path = tmp_path / "claims.json"  # as the case was found: jq -s and most exporters
    path.write_text(
        '[{"text": "Le maire a dépensé 4 millions d\'euros en 2022 pour la piscine.", '
        '"title": "Piscine"}, {"text": "Le chômage a baissé de 3 % en 2023, selon le '
        'ministère.", "title": "Chômage"}]'
    )
    err = imported(db_path, path)
    assert err.splitlines()[-1] == "2 imported, 0 unchanged, 0 updated, 0 refused"
    rows = stored(db_path)
    assert [r["title"] for r in rows] == ["Piscine", "Chômage"]
    assert rows[0]["text"] == "Le maire a dépensé 4 millions d'euros en 2022 pour la piscine."
    assert all(r["claims"] for r in rows)


def test_a_pretty_printed_json_that_is_no_article_is_one_line(
    db_path: Path, tmp_path: Path
) -> None:
    path = tmp_path / "api_response.json"  # Google Fact Check Tools' answer
    path.write_text(
        json.dumps(
            {
                "claims": [
                    {"text": "Le chômage a baissé.", "claimReview": [{"textualRating": "Faux"}]}
                ]
            },
            indent=2,
        )
    )
    result = factmark("--db", str(db_path), "import", str(path))
    assert result.returncode == 1
    lines = result.stderr.decode().splitlines()
    assert lines == [
        f'factmark: {path}: a JSON object with "claims"; expected an article object with a '
        '"text" field, or an array of them (doccano, Label Studio and Prodigy exports are '
        "read too)",
        "0 imported, 0 unchanged, 0 updated, 1 refused",
    ]


def test_a_pretty_printed_article_object_is_one_article(db_path: Path, tmp_path: Path) -> None:
    article = {
        "id": "a-7",
        "title": "Budget",
        "url": "https://example.org/budget",
        "published": "2024-02-01",
        "text": "The council approved a budget of $12 million on Tuesday.",
    }
    for name in ("article.json", "article.jsonl"):  # also when named as JSON Lines
        (tmp_path / name).write_text(json.dumps(article, indent=2))
    err = imported(db_path, tmp_path / "article.json")
    assert err.splitlines() == ["1 imported, 0 unchanged, 0 updated, 0 refused"]
    err = imported(db_path, tmp_path / "article.jsonl")  # the same bytes: the same article
    assert err.splitlines() == ["0 imported, 1 unchanged, 0 updated, 0 refused"]
    (first,) = stored(db_path)
    assert first["text"] == article["text"]
    assert (first["external_id"], first["url"], first["published"]) == (
        "a-7",
        "https://example.org/budget",
        "2024-02-01",
    )


def test_a_bad_array_element_costs_only_itself(db_path: Path, tmp_path: Path) -> None:
    path = tmp_path / "feed.json"
    path.write_text(
        json.dumps(
            [
                {"id": 1, "text": "Le préfet a fermé 12 écoles lundi."},
                {"title": "no text"},
                "a string",
                {"id": 1, "text": "Same id as the first element."},
                {"text": "Le budget a augmenté de 5 % en 2023.", "title": ["not", "a string"]},
                {"id": 2, "text": "La ville compte 30 000 habitants de plus qu'en 2010."},
            ]
        )
    )
    result = factmark("--db", str(db_path), "import", str(path))
    assert result.returncode == 1
    assert result.stderr.decode().splitlines() == [
        f'factmark: {path}[1]: no "text" field, or it is empty',
        f'factmark: {path}[2]: expected a JSON object with a "text" field',
        f"factmark: {path}[3]: id '1' is already used on element 0; not imported",
        f'factmark: {path}[4]: "title" should be a string',
        "2 imported, 0 unchanged, 0 updated, 4 refused",
    ]
    assert [r["external_id"] for r in stored(db_path)] == ["1", "2"]


def test_doccano_spans_become_claims_at_their_offsets(db_path: Path) -> None:
    err = imported(db_path, DATA / "doccano.jsonl")
    assert err.splitlines() == ["2 imported, 0 unchanged, 0 updated, 0 refused"]
    council, unemployment = stored(db_path)
    assert council["external_id"] == "1"
    assert labelled(council) == [
        (
            "Le conseil municipal a voté mardi un budget de 12 millions d'euros pour la "
            "rénovation de la piscine.",
            ["imported:doccano", "label:CLAIM"],
        ),
        ("la fréquentation a doublé depuis 2019.", ["imported:doccano", "label:STATISTIC"]),
    ]
    assert labelled(unemployment) == [
        ("Unemployment fell to 4.1% in March", ["imported:doccano", "label:STATISTIC"])
    ]
    # The detector's claims yield to the labelled ones: claims never overlap.
    with Store.open(db_path, readonly=True) as store:
        spans = [(c["start"], c["end"]) for c in claims.for_article(store, 2)]
    assert all(a[1] <= b[0] for a, b in itertools.pairwise(spans))


def test_label_studio_tasks_bring_text_url_id_and_labels(db_path: Path) -> None:
    err = imported(db_path, DATA / "label_studio.json")
    assert err.splitlines() == ["2 imported, 0 unchanged, 0 updated, 0 refused"]
    chomage, lights = stored(db_path)
    assert (chomage["external_id"], chomage["url"], chomage["title"]) == (
        "41",
        "https://example.org/chomage",
        "Chômage",
    )
    # Offsets counted in UTF-16 units (the emoji is two), cancelled work and model
    # predictions left out.
    assert labelled(chomage) == [
        ("Le chômage a baissé de 3 % en 2023", ["imported:label-studio", "label:Claim"])
    ]
    assert lights["url"] == "https://example.org/lights"
    assert labelled(lights) == [
        (
            "The city spent $2.3 million on new street lights last year",
            ["imported:label-studio", "label:Claim", "label:Statistic"],
        )
    ]


def test_prodigy_examples_bring_meta_and_accepted_spans(db_path: Path) -> None:
    err = imported(db_path, DATA / "prodigy.jsonl")
    assert err.splitlines() == [
        f"factmark: {DATA / 'prodigy.jsonl'}:2: 1 labelled span not brought as claims: "
        "1 in a rejected example",
        "2 imported, 0 unchanged, 0 updated, 0 refused",
    ]
    kitas, logements = stored(db_path)
    assert (kitas["external_id"], kitas["source"], kitas["url"]) == (
        "kitas-1",
        "Stadtanzeiger",
        "https://example.de/kitas",
    )
    assert labelled(kitas) == [
        ("die Stadt habe 2023 rund 40 neue Kitas eröffnet", ["imported:prodigy", "label:CLAIM"])
    ]
    assert logements["source"] == "Wire" and labelled(logements) == []


def test_overlapping_and_paragraph_crossing_spans_are_counted_not_brought(
    db_path: Path,
) -> None:
    path = DATA / "overlapping.jsonl"
    err = imported(db_path, path)
    assert err.splitlines() == [
        f"factmark: {path}:1: 2 labelled spans not brought as claims: 1 crossing a paragraph, "
        "1 overlapping another span (claims never overlap or cross a paragraph)",
        "1 imported, 0 unchanged, 0 updated, 0 refused",
    ]
    (article,) = stored(db_path)
    assert labelled(article) == [
        ("La dette publique atteint 110 % du PIB", ["imported:doccano", "label:CLAIM"]),
        (  # the same span twice (once with a space before it): one claim, both labels
            "le déficit baisserait de moitié en 2025",
            ["imported:doccano", "label:CLAIM", "label:STATISTIC"],
        ),
    ]


def test_labelled_claims_are_exported_and_survive_a_new_export_of_the_file(
    db_path: Path, tmp_path: Path
) -> None:
    path = tmp_path / "doccano.jsonl"
    shutil.copy(DATA / "doccano.jsonl", path)
    imported(db_path, path)
    result = factmark("--db", str(db_path), "export", "--template")
    assert result.returncode == 0, result.stderr
    texts = [row["text"] for row in csv.DictReader(io.StringIO(result.stdout.decode()))]
    assert "la fréquentation a doublé depuis 2019." in texts

    # The tool's file, exported again after one more label: the article is updated,
    # the earlier labels kept once, the new one added.
    lines = path.read_text().splitlines()
    first = json.loads(lines[0])
    sentence = "Les travaux commenceront au printemps."
    start = first["text"].index(sentence)
    first["label"].append([start, start + len(sentence), "CLAIM"])
    path.write_text("\n".join([json.dumps(first, ensure_ascii=False), *lines[1:]]) + "\n")
    err = imported(db_path, path)
    assert err.splitlines() == ["0 imported, 1 unchanged, 1 updated, 0 refused"]
    council = stored(db_path)[0]
    assert [text for text, _ in labelled(council)] == [
        "Le conseil municipal a voté mardi un budget de 12 millions d'euros pour la "
        "rénovation de la piscine.",
        "la fréquentation a doublé depuis 2019.",
        sentence,
    ]


def test_spans_labelled_as_no_claim_are_not_claims_and_a_date_field_dates(
    db_path: Path, tmp_path: Path
) -> None:
    path = tmp_path / "team.jsonl"
    # The detector flags both sentences (a number, a date); the team labelled one as
    # an opinion, and its decision holds.
    text = "Tuition will rise by 4% this fall. Spending 5 million in 2021 was a scandal."
    record = {
        "text": text,
        "date": "2020-06-12",
        "label": [[0, 34, "CLAIM"], [35, len(text), "OPINION"]],
    }
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    err = imported(db_path, path)
    assert err.splitlines() == [
        f"factmark: {path}:1: 1 labelled span not brought as claims: 1 labelled OPINION",
        "1 imported, 0 unchanged, 0 updated, 0 refused",
    ]
    (article,) = stored(db_path)
    assert article["published"] == "2020-06-12"
    assert [text for text, _ in labelled(article)] == [text[:34]]
    assert [claim for claim, _, _ in article["claims"]] == [text[:34]]
