"""Publishing a class's view and following it in a student's copy, through the store
API (the same as real users do in tests/test_class_users.py, without the users)."""

from __future__ import annotations

from pathlib import Path

from factmark.store import class_sync, classroom, verdicts
from factmark.store.class_folder import ClassFolder
from factmark.store.database import Store
from tests.helpers import SAMPLE, factmark


def test_a_copy_sees_the_key_and_the_votes_of_revealed_articles_only(tmp_path: Path) -> None:
    folder = ClassFolder(tmp_path, "teacher", "class")
    factmark("import", str(SAMPLE), "--db", str(folder.teacher_db))
    with Store.open(folder.teacher_db) as teacher:
        classroom.set_key(teacher, "teacher")
        shown, hidden = 1, 2
        first = {a: teacher.conn.execute(
            "SELECT min(id) FROM claims WHERE article_id = ?", [a]).fetchone()[0]
            for a in (shown, hidden)}  # fmt: skip
        for claim in first.values():
            verdicts.record(teacher, claim, "teacher", "disputed", note="see the source")
            verdicts.record(teacher, claim, "ann", "verified")
            verdicts.record(teacher, claim, "bob", "verified")
        classroom.reveal(teacher, shown, "teacher")
        class_sync.publish(teacher, folder)

    with Store.open(tmp_path / "copy.db") as copy:
        class_sync.sync(copy, folder)
        assert classroom.class_copy(copy) == str(tmp_path)
        revealed = classroom.others_on(copy, first[shown])
        assert [k.verdict for k in revealed.keys] == ["disputed"]
        assert revealed.keys[0].note == "see the source"
        assert revealed.votes == {"verified": 2}
        # The other article: no key, no votes, not even in the file.
        assert classroom.others_on(copy, first[hidden]).keys == []
        assert not copy.conn.execute(
            "SELECT 1 FROM verdicts WHERE claim_id = ?", [first[hidden]]
        ).fetchone()
        # Finishing an article does not reveal it in a class: the teacher does.
        assert not classroom.is_revealed(copy, hidden, "ann")

    with Store.open(folder.teacher_db) as teacher:
        classroom.unreveal(teacher, shown)
        class_sync.publish(teacher, folder)
    with Store.open(tmp_path / "copy.db") as copy:
        class_sync.sync(copy, folder)
        assert not classroom.opened_to(copy, shown, "ann")
