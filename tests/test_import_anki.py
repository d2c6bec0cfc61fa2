"""Anki: ``cmquiz export --format anki`` checked with the real Anki backend, and Anki's text files
read back by ``cmquiz import``."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from cmquiz.importers import export_questions, import_text
from cmquiz.importers.anki import tag_for
from cmquiz.importers.csv_table import anki_back, anki_front
from cmquiz.loader import load_library
from cmquiz.model import Question, QuestionType
from cmquiz.topics import Topic

DATA = Path(__file__).parent / "data"
Invoke = Callable[..., Any]


def tricky() -> list[Question]:
    """Questions whose text could lose a row or a field in Anki: a leading ``#``, quotes, a
    separator, HTML, a line break, a knowledge point with spaces."""
    return [
        Question(
            id="a-1",
            type=QuestionType.SINGLE,
            topic=Topic("贷款 担保 管理", "17"),
            stem="#1 开头是井号的题干,含\t制表符",
            options=(("A", '"引号"'), ("B", "<b>不是粗体</b> & 符号")),
            answer=frozenset("B"),
            explanation="第一行\n#第二行也以井号开头",
        ),
        Question(
            id="a-2",
            type=QuestionType.JUDGE,
            topic=Topic("礼仪"),
            stem="判断:着装应当整洁。",
            answer=frozenset("T"),
        ),
    ]


def test_the_file_anki_reads() -> None:
    text = export_questions(tricky(), "anki").text
    lines = text.split("\n")
    assert lines[:3] == ["#separator:tab", "#html:true", "#tags column:3"]
    assert lines[3].startswith('"#1 开头是井号的题干')  # quoted, so Anki does not skip it
    assert "#notetype" not in text
    assert "#deck" not in text
    assert tag_for(tricky()[0]) == "17_贷款_担保_管理"


@pytest.mark.parametrize("language", ["en", "zh_CN"])
def test_real_anki_imports_every_note_with_its_fields_and_tags(
    tmp_path: Path, language: str
) -> None:
    anki_lang = pytest.importorskip("anki.lang", reason="the anki package (test extra) is missing")
    from anki.collection import Collection, ImportCsvRequest

    questions = [*load_library([DATA / "mini.yaml"]).questions, *tricky()]
    path = tmp_path / "cards.txt"
    path.write_text(export_questions(questions, "anki").text, encoding="utf-8")
    anki_lang.set_lang(language)
    collection = Collection(str(tmp_path / "collection.anki2"))
    try:
        metadata = collection.get_csv_metadata(str(path), None)  # Anki's defaults
        collection.import_csv(ImportCsvRequest(path=str(path), metadata=metadata))
        notes = [collection.get_note(nid) for nid in sorted(collection.find_notes(""))]
        got = [(list(note.fields), list(note.tags)) for note in notes]
    finally:
        collection.close()
        anki_lang.set_lang("en")
    expected = [([anki_front(q), anki_back(q)], [tag_for(q)]) for q in questions]
    assert sorted(got) == sorted(expected)


def test_cmquiz_reads_its_anki_export_back() -> None:
    questions = [*load_library([DATA / "mini.yaml"]).questions, *tricky()]
    text = export_questions(questions, "anki").text
    result = import_text(text, "cards.txt")
    assert result.format == "anki"
    back = result.bank.questions
    assert [(q.type, q.stem, q.options, q.answer, q.explanation) for q in back] == [
        (q.type, q.stem.replace("\t", " "), q.options, q.answer, q.explanation) for q in questions
    ]
    assert back[-2].topic == Topic("贷款 担保 管理", "17")


def test_anki_headers_with_columns_are_read_as_a_table() -> None:
    text = (
        "#separator:Semicolon\n#html:false\n#columns:题干;A;B;答案;知识点\n"
        "# a comment line Anki skips\n"
        "担保基金实行( );专户;分户;A;担保\n"
    )
    result = import_text(text, "notes.txt")
    (question,) = result.bank.questions
    assert (question.stem, "".join(question.answer), question.topic.name) == (
        "担保基金实行( )",
        "A",
        "担保",
    )


def test_export_anki_on_the_command_line(invoke: Invoke, tmp_path: Path) -> None:
    out = tmp_path / "cards.txt"
    result = invoke("--bank", str(DATA / "mini.yaml"), "export", "--format", "anki", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert "格式 anki" in result.stderr
    assert out.read_text(encoding="utf-8").startswith("#separator:tab\n")
