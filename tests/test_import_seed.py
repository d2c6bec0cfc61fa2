"""The seed's exam-bank export: both layouts, the garbled label, the PDF-broken records."""

from __future__ import annotations

from pathlib import Path

from cmquiz.importers import ImportResult, SkipReason, import_file, import_text
from cmquiz.importers.seed import parse
from cmquiz.model import QuestionType

DATA = Path(__file__).parent / "data" / "import"
SEED = Path(__file__).parent / "data" / "seed" / "000_e7e4e28864bc092d.txt"  # the shared seed

CREDIT = [  # answer, topic code, topic, start of the stem
    ("B", "17", "贷款担保管理", "专业担保机构为保证人的"),
    ("D", "17", "贷款担保管理", "贷款行依法处分抵押物所得的价款"),
    ("B", "17", "贷款担保管理", "处分抵押物所得价款不足以清偿"),
    ("B", "18", "个人贷款还款方式", "采用等本金还款法的总还款额"),
    ("D", "19", "个人贷款利息及结息规定", "目前,商业性个人住房贷款以外"),
    ("C", "25", "个人贷款风险管理", "不属于抵押设立环节的风险有"),
]


def answer(keys: frozenset[str]) -> str:
    return "".join(sorted(keys))


def check_credit(result: ImportResult) -> None:
    credit = [q for q in result.bank.questions if q.topic.code is not None]
    assert [(answer(q.answer), q.topic.code, q.topic.name) for q in credit] == [
        (a, code, name) for a, code, name, _ in CREDIT
    ]
    for question, (_, _, _, stem) in zip(credit, CREDIT, strict=True):
        assert question.stem.startswith(stem)
        assert question.type is QuestionType.SINGLE
        assert len(question.options) == 4
        assert question.difficulty is None  # the run-together layout leaves 题目难度 empty
    assert credit[4].options == (("A", "0.6"), ("B", "0.7"), ("C", "0.85"), ("D", "0.9"))


def check_private_banking(result: ImportResult) -> None:
    pb = [q for q in result.bank.questions if q.topic.code is None]
    assert len(pb) == 3
    signing, products, rules = pb
    assert signing.stem == "成为工行签约私人银行客户需满足以下条件"
    assert (answer(signing.answer), signing.topic.name, signing.difficulty) == (
        "B",
        "工银私人银行服务体系",
        2,
    )
    assert signing.source == "《关于印发*年私人银行业务工作要点的通知》工银办发[*]338号"
    assert [k for k, _ in signing.options] == ["A", "B", "C", "D"]
    # option A does not swallow the knowledge point whose label the PDF lost after it
    assert signing.option_text("A").endswith("《中国**银行理财协议书》")
    assert signing.option_text("B").startswith("在行内个人金融资产达人民币800万(含)")
    assert products.stem.startswith("工行私人银行客户专享理资产品系列名称为")
    assert (answer(products.answer), products.topic.name, products.difficulty) == (
        "A",
        "工银私人银行产品服务体系",
        2,
    )
    assert products.source == "张琪总经理在*年私人银行部工作视频会上的讲话"
    assert rules.type is QuestionType.MULTIPLE
    assert (answer(rules.answer), rules.topic.name) == ("ABCD", "私人银行服务定义")
    assert rules.options == (("A", "保密"), ("B", "诚信"), ("C", "审慎"), ("D", "专业"))


def test_run_together_layout() -> None:
    result = import_file(DATA / "seed_run_together.txt")
    assert result.format == "seed"
    check_credit(result)
    assert len(result.bank.questions) == 6
    assert [(s.line, s.reason) for s in result.skips] == [
        (6, SkipReason.NO_STEM),  # 题目类型:单选正确答案:A — only a type and an answer
        (9, SkipReason.NO_OPTIONS),  # cut off after the stem
    ]
    assert "答案 A" in result.skips[0].detail
    assert "个人信贷业务经办支行" in result.skips[1].detail
    assert result.ignored_lines == (1, 2)


def test_multiline_template_with_the_interleaved_record() -> None:
    result = import_file(DATA / "seed_template.txt")
    check_private_banking(result)
    (repair,) = result.repairs
    assert repair.line == 9
    assert "选项 B–D 和答案在第 33–37 行" in repair.message
    (stray,) = result.skips
    assert (stray.line, stray.reason) == (2, SkipReason.FRAGMENT)
    assert "孤立的答案 A" in str(stray)


def test_the_seed_file_itself() -> None:
    result = import_file(SEED)
    check_credit(result)
    check_private_banking(result)
    assert result.type_counts() == {
        QuestionType.SINGLE: 8,
        QuestionType.MULTIPLE: 1,
        QuestionType.JUDGE: 0,
    }
    assert [(s.line, s.reason) for s in result.skips] == [
        (6, SkipReason.NO_STEM),
        (9, SkipReason.NO_OPTIONS),
        (17, SkipReason.FRAGMENT),
    ]
    assert result.skip_counts() == {
        SkipReason.NO_STEM: 1,
        SkipReason.NO_OPTIONS: 1,
        SkipReason.FRAGMENT: 1,
    }
    (repair,) = result.repairs
    assert "第 48–52 行" in repair.message
    assert [q.id for q in result.bank.questions][:6] == [
        "000-e7e4e28864bc092d-17-001",
        "000-e7e4e28864bc092d-17-002",
        "000-e7e4e28864bc092d-17-003",
        "000-e7e4e28864bc092d-18-001",
        "000-e7e4e28864bc092d-19-001",
        "000-e7e4e28864bc092d-25-001",
    ]


def test_garbled_knowledge_point_label() -> None:
    text = (
        "题目类型:单选题干:采用等本金还款法的原因是:()。\n"
        "备选项:A、甲B、乙正确答案:B题目涉及知识18个人贷款还款方式点题目难度出题人\n"
    )
    (draft,) = parse(text).drafts
    assert (draft.topic_code, draft.topic) == ("18", "个人贷款还款方式")


def test_a_fragment_that_does_not_continue_the_cut_record_is_not_forced_in() -> None:
    text = "\n".join(
        [
            "题目类型:",
            "单选",
            "题干:",
            "被截断的题目",
            "备选项:",
            "A、甲",
            "题目类型:",
            "单选",
            "题干:",
            "完整的题目",
            "备选项:",
            "A、一",
            "B、二",
            "准确答案:",
            "A",
            "C、丙",
            "D、丁",
            "准确答案:",
            "C",  # starts at C: the cut record stopped after A
        ]
    )
    result = import_text(text, "x.txt", fmt="seed")
    assert [q.stem for q in result.bank.questions] == ["完整的题目"]
    assert not result.repairs
    assert sorted((s.line, s.reason) for s in result.skips) == [
        (1, SkipReason.NO_ANSWER),
        (16, SkipReason.FRAGMENT),
    ]
    assert "孤立的选项 C–D 和答案 C" in str(result.skips[1])


def test_template_with_the_knowledge_point_after_each_record() -> None:
    """A clean template that puts 题目涉及知识点 after the answer: it trails, not leads."""
    record = [
        "题目类型:",
        "单选",
        "题干:",
        "{stem}",
        "备选项:",
        "A、甲",
        "B、乙",
        "准确答案:",
        "{key}",
        "题目涉及知识点",
        "{topic}",
        "题目难度",
        "{level}",
    ]
    values = [("第一题", "A", "知识点一", "1"), ("第二题", "B", "知识点二", "4")]
    text = "\n".join(
        line.format(stem=stem, key=key, topic=topic, level=level)
        for stem, key, topic, level in values
        for line in record
    )
    result = import_text(text, "x.txt")
    assert [(q.stem, q.topic.name, q.difficulty) for q in result.bank.questions] == [
        ("第一题", "知识点一", 1),
        ("第二题", "知识点二", 4),
    ]


def test_template_with_the_same_knowledge_point_twice_in_a_row() -> None:
    record = [
        "题目涉及知识点",
        "同一个知识点",
        "题目类型:",
        "判断题",
        "题干:",
        "{stem}",
        "准确答案:",
        "{key}",
    ]
    text = "\n".join(
        line.format(stem=s, key=k) for s, k in [("甲对", "对"), ("乙错", "错")] for line in record
    )
    result = import_text(text, "x.txt")
    assert [(q.topic.name, answer(q.answer)) for q in result.bank.questions] == [
        ("同一个知识点", "T"),
        ("同一个知识点", "F"),
    ]


def test_an_answer_whose_label_was_lost_is_not_taken() -> None:
    text = "\n".join(
        [
            "题目类型:",
            "单选",
            "题干:",
            "甲",
            "备选项:",
            "A、一",
            "B、二",
            "B",
            "题目类型:",
            "判断",
            "题干:",
            "乙",
            "准确答案:",
            "对",
        ]
    )
    result = import_text(text, "x.txt", fmt="seed")
    assert [q.stem for q in result.bank.questions] == ["乙"]
    assert [(s.line, s.reason) for s in result.skips] == [
        (1, SkipReason.NO_ANSWER),
        (8, SkipReason.FRAGMENT),
    ]


def test_crlf_and_gb18030_read_the_same(tmp_path: Path) -> None:
    text = (DATA / "seed_template.txt").read_text(encoding="utf-8")
    path = tmp_path / "seed_template.txt"
    path.write_bytes(text.replace("\n", "\r\n").encode("gb18030"))
    again = import_file(path)
    original = import_file(DATA / "seed_template.txt")
    assert again.bank.questions == original.bank.questions
    assert [str(s) for s in again.skips] == [str(s) for s in original.skips]
