"""The database schema, as forward migrations.

`PRAGMA user_version` holds how many migrations a database has had; opening it with
a newer factmark applies the rest, each in its own transaction. A database from a
newer factmark (higher version than `LATEST`) is refused rather than guessed at.
"""

from __future__ import annotations

# "FMRK": lets us tell a factmark database from any other SQLite file.
APPLICATION_ID = 0x464D524B

MIGRATIONS: list[str] = [
    # 1: articles, claims, annotators and the append-only verdict log.
    """
    CREATE TABLE articles (
        id INTEGER PRIMARY KEY,
        path TEXT NOT NULL,
        title TEXT NOT NULL,
        published TEXT,
        source TEXT,
        language TEXT NOT NULL DEFAULT 'und',
        text TEXT NOT NULL,
        sha256 TEXT NOT NULL UNIQUE,
        url TEXT,
        external_id TEXT,
        extra TEXT NOT NULL DEFAULT '{}',
        imported_at TEXT NOT NULL
    );
    CREATE INDEX articles_path ON articles(path);

    CREATE TABLE claims (
        id INTEGER PRIMARY KEY,
        article_id INTEGER NOT NULL REFERENCES articles(id),
        start INTEGER NOT NULL CHECK (start >= 0),
        "end" INTEGER NOT NULL CHECK ("end" > start),
        text TEXT NOT NULL,
        prefix TEXT NOT NULL DEFAULT '',
        suffix TEXT NOT NULL DEFAULT '',
        score REAL,
        origin TEXT NOT NULL CHECK (origin IN ('detector', 'reader')),
        dismissed INTEGER NOT NULL DEFAULT 0 CHECK (dismissed IN (0, 1)),
        cues TEXT NOT NULL DEFAULT '[]',
        attributed INTEGER,
        source TEXT,
        vague_source INTEGER,
        created_at TEXT NOT NULL,
        UNIQUE (article_id, start, "end")
    );

    CREATE TABLE annotators (
        name TEXT PRIMARY KEY,
        is_key INTEGER NOT NULL DEFAULT 0 CHECK (is_key IN (0, 1)),
        created_at TEXT NOT NULL
    );

    -- Append-only: rows are never updated or deleted. The newest event per
    -- (claim, annotator) is that annotator's current verdict; `action` and
    -- `reverts` record undo and redo so they can be replayed from the log.
    CREATE TABLE verdicts (
        id TEXT PRIMARY KEY,
        claim_id INTEGER NOT NULL REFERENCES claims(id),
        annotator TEXT NOT NULL REFERENCES annotators(name),
        verdict TEXT CHECK (verdict IN ('verified', 'disputed', 'unsourced')),
        note TEXT,
        evidence_url TEXT,
        created_at TEXT NOT NULL,
        action TEXT NOT NULL DEFAULT 'set' CHECK (action IN ('set', 'undo', 'redo')),
        reverts TEXT REFERENCES verdicts(id)
    );
    CREATE INDEX verdicts_claim_annotator ON verdicts(claim_id, annotator, created_at);
    CREATE INDEX verdicts_annotator ON verdicts(annotator, created_at);

    CREATE TRIGGER verdicts_no_update BEFORE UPDATE ON verdicts
    BEGIN SELECT RAISE(ABORT, 'verdicts are append-only'); END;
    CREATE TRIGGER verdicts_no_delete BEFORE DELETE ON verdicts
    BEGIN SELECT RAISE(ABORT, 'verdicts are append-only'); END;

    -- Each annotator's current verdict on each claim: handy in the sqlite3 shell
    -- or Datasette, and what the CSV export reads.
    CREATE VIEW current_verdicts AS
    SELECT v.* FROM verdicts v
    WHERE v.rowid = (
        SELECT w.rowid FROM verdicts w
        WHERE w.claim_id = v.claim_id AND w.annotator = v.annotator
        ORDER BY w.created_at DESC, w.rowid DESC LIMIT 1
    );
    """,
    # 2: what ingestion finds (regions: title, caption, boilerplate, other-language
    # paragraphs...), and claims that lost their place when their article was edited.
    """
    CREATE TABLE regions (
        id INTEGER PRIMARY KEY,
        article_id INTEGER NOT NULL REFERENCES articles(id),
        start INTEGER NOT NULL,
        "end" INTEGER NOT NULL,
        kind TEXT NOT NULL,
        language TEXT
    );
    CREATE INDEX regions_article ON regions(article_id, start);
    CREATE INDEX articles_external_id ON articles(external_id);
    ALTER TABLE claims ADD COLUMN orphaned INTEGER NOT NULL DEFAULT 0;
    """,
    # 3: the classroom: articles whose key and class verdicts the teacher has revealed.
    """
    CREATE TABLE reveals (
        article_id INTEGER PRIMARY KEY REFERENCES articles(id),
        revealed_by TEXT NOT NULL,
        revealed_at TEXT NOT NULL
    );
    """,
    # 4: the few dismissed or orphaned claims of an article, found without reading
    # the others (the reader reads every claim's place in one pass, and these apart).
    """
    CREATE INDEX claims_flagged ON claims(article_id) WHERE dismissed OR orphaned;
    """,
    # 5: a student's copy in a class folder (see store/class_folder.py). `settings`
    # holds what the copy is (`class_copy`: the folder it was made for); `class_votes`
    # is the class's published distribution of verdicts on a revealed article's
    # claims, since the copy holds no other student's verdicts.
    """
    CREATE TABLE settings (name TEXT PRIMARY KEY, value TEXT NOT NULL);
    CREATE TABLE class_votes (
        claim_id INTEGER NOT NULL REFERENCES claims(id),
        verdict TEXT NOT NULL CHECK (verdict IN ('verified', 'disputed', 'unsourced')),
        students INTEGER NOT NULL CHECK (students > 0),
        PRIMARY KEY (claim_id, verdict)
    );
    """,
    # 6: who wrote the article, from its byline ("By Jane Roe", "Par Jean Dupont").
    """
    ALTER TABLE articles ADD COLUMN author TEXT;
    """,
]

LATEST = len(MIGRATIONS)
