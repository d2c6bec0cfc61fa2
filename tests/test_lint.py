"""``cmquiz lint``: every rule on a bank that has the flaw and on one that does not."""

from __future__ import annotations

import itertools
import json
import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from cmquiz.errors import UsageError
from cmquiz.lint import Finding, choose, lint, rules
from cmquiz.lintbanks import (
    binomial_two_sided,
    chi_square_sf,
    poisson_binomial_tail,
)
from cmquiz.loader import load_library

Invoke = Callable[..., Any]
WriteBank = Callable[..., Path]


def single(qid: str, stem: str, options: list[str], answer: str = "A", **more: Any) -> dict:
    return {
        "id": qid,
        "type": "single",
        "topic": "测试",
        "stem": stem,
        "options": dict(zip("ABCDEFGH", options, strict=False)),
        "answer": answer,
        **more,
    }


def bank_text(questions: list[dict[str, Any]], title: str = "测试题库") -> str:
    return yaml.safe_dump({"bank": title, "questions": questions}, allow_unicode=True)


def findings(write_bank: WriteBank, code: str, *banks: list[dict[str, Any]]) -> list[Finding]:
    paths = [write_bank(bank_text(qs, f"题库{n}"), f"b{n}.yaml") for n, qs in enumerate(banks)]
    return lint(load_library(paths), choose(rules(), [code]))


PLAIN = ["甲方案", "乙方案", "丙方案", "丁方案"]


def test_l101_all_or_none_of_the_above(write_bank: WriteBank) -> None:
    bad = single(
        "q1", "下列做法恰当的是()。", ["主动问候", "耐心倾听", "及时回复", "以上都对"], "D"
    )
    (found,) = findings(write_bank, "L101", [bad])
    assert found.code == "L101"
    assert found.qid == "q1"
    assert "选项 D" in found.reason
    assert found.line == 3  # where the question starts in the file
    assert found.file.endswith("b0.yaml")
    good = single("q1", "下列做法恰当的是()。", ["主动问候", "冷淡应付", "拖延回复", "推诿责任"])
    assert findings(write_bank, "L101", [good]) == []


@pytest.mark.parametrize(
    "stem",
    [
        "下列不属于抵押设立环节风险的是()。",
        "以下说法中,错误的是()。",
        "除保证外,下列都是担保方式的是()。",
    ],
)
def test_l102_a_negative_stem_must_be_marked(write_bank: WriteBank, stem: str) -> None:
    (found,) = findings(write_bank, "L102", [single("q1", stem, PLAIN)])
    assert "没有标出" in found.reason


@pytest.mark.parametrize(
    "stem",
    [
        "下列【不属于】抵押设立环节风险的是()。",
        "以下说法中,【错误】的是()。",
        "影响沟通效果的因素,除了内容以外,还有()。",  # 除…外…还: besides, not a negative
        "客户要求办理不符合规定的业务,客户经理说明不能办理。这运用的是()。",  # not the question
        "客户经理容易犯的错误“传声筒”,具体表现为()。",  # 错误 the noun
    ],
)
def test_l102_marked_or_not_negative(write_bank: WriteBank, stem: str) -> None:
    assert findings(write_bank, "L102", [single("q1", stem, PLAIN)]) == []


def test_l102_judge_statements_are_not_questions(write_bank: WriteBank) -> None:
    judge = {
        "id": "j1",
        "type": "judge",
        "topic": "t",
        "stem": "客户经理不能收受礼品。",
        "answer": True,
    }
    assert findings(write_bank, "L102", [judge]) == []


def test_l103_absolute_words(write_bank: WriteBank) -> None:
    bad = single(
        "q1", "接待客户时应()。", ["一定要先问清需求", "从不拒绝客户", "看情况", "按规定办理"]
    )
    found = findings(write_bank, "L103", [bad])
    assert [f.reason.split("(")[0] for f in found] == ["选项 A", "选项 B"]
    assert "正确答案" in found[0].reason
    assert "干扰项" in found[1].reason
    good = single("q1", "助理个人客户经理应()。", ["具备一定的营销经验", "乙", "丙", "丁"])
    assert findings(write_bank, "L103", [good]) == []  # 一定的: "a certain", not absolute


def longest_bank(key_longest: int, total: int = 10) -> list[dict[str, Any]]:
    qs = []
    for n in range(total):
        options = ["短", "较短", "稍长一点", "中等长度"]
        if n < key_longest:
            options[0] = "这是四个选项中最长的一个"
        qs.append(single(f"q{n}", f"第{n}题()。", options, "A"))
    return qs


def test_l104_the_key_is_the_longest_option_too_often(write_bank: WriteBank) -> None:
    (found,) = findings(write_bank, "L104", longest_bank(8))
    assert found.qid is None
    assert found.line == 1
    assert "8/10" in found.reason
    assert "随机约 2.5 道" in found.reason
    assert findings(write_bank, "L104", longest_bank(3)) == []  # 3 of 10: chance gives 2.5


def test_l105_key_letters_and_judges_unbalanced(write_bank: WriteBank) -> None:
    all_a = [single(f"q{n}", f"第{n}题()。", PLAIN, "A") for n in range(12)]
    (found,) = findings(write_bank, "L105", all_a)
    assert "A 12、B 0、C 0、D 0" in found.reason
    spread = [single(f"q{n}", f"第{n}题()。", PLAIN, "ABCD"[n % 4]) for n in range(12)]
    assert findings(write_bank, "L105", spread) == []
    trues = [
        {"id": f"j{n}", "type": "judge", "topic": "t", "stem": f"判断{n}。", "answer": True}
        for n in range(10)
    ]
    (judged,) = findings(write_bank, "L105", trues)
    assert "10 道为对、0 道为错" in judged.reason
    halves = [{**q, "answer": n % 2 == 0} for n, q in enumerate(trues)]
    assert findings(write_bank, "L105", halves) == []


def test_l106_near_duplicate_stems_across_banks(write_bank: WriteBank) -> None:
    a = single("a1", "专业担保机构为保证人的,原则上应当实行()。", PLAIN)
    b = single("b1", "专业担保机构为保证人时,原则上应当实行()。", ["一", "二", "三", "四"])
    (found,) = findings(write_bank, "L106", [a], [b])
    assert found.qid == "b1"
    assert "a1(b0.yaml:3)" in found.reason
    other = single("b1", "贷款行处分抵押物所得价款的清偿次序是()。", PLAIN)
    assert findings(write_bank, "L106", [a], [other]) == []


def test_l107_near_duplicate_option_sets(write_bank: WriteBank) -> None:
    options = ["专项储存,分户管理", "专项储存,专户管理", "分项储存,分户管理", "分项储存,专户管理"]
    a = single("a1", "担保基金应当如何管理?", options)
    b = single("b1", "保证人存入的基金实行()。", [*options[1:], options[0]])
    (found,) = findings(write_bank, "L107", [a, b])
    assert found.qid == "b1"
    assert "同一道题" in found.reason
    c = single("b1", "保证人存入的基金实行()。", ["一次付清", "分期付清", "按月付清", "按年付清"])
    assert findings(write_bank, "L107", [a, c]) == []


def test_l108_stem_words_repeated_only_in_the_key(write_bank: WriteBank) -> None:
    bad = single(
        "q1",
        "客户经理开展市场调研和产品营销,他是()。",
        ["市场营销人员", "风险管理人员", "综合管理人员", "业务操作人员"],
    )
    (found,) = findings(write_bank, "L108", [bad])
    assert "市场" in found.reason
    fair = single(
        "q1",
        "客户经理开展市场调研和产品营销,他是()。",
        ["市场营销人员", "产品营销人员", "市场管理人员", "业务操作人员"],
    )
    assert findings(write_bank, "L108", [fair]) == []


def test_l109_multiple_choice_with_every_or_all_but_one_option_right(write_bank: WriteBank) -> None:
    every = {**single("m1", "下列正确的有()。", PLAIN), "type": "multiple", "answer": "ABCD"}
    one = {**every, "id": "m2", "answer": "ABC"}
    two = {**every, "id": "m3", "answer": "AB"}
    found = findings(write_bank, "L109", [every, one, two])
    assert [(f.qid, "全是正确答案" in f.reason) for f in found] == [("m1", True), ("m2", False)]
    assert "只有 1 个错误选项(D)" in found[1].reason


def test_l110_explanations_name_options_by_letter(write_bank: WriteBank) -> None:
    for text in ("所以选A。", "B项说法错误。", "答案为ACD。", "C正确,其余不对。"):
        (found,) = findings(write_bank, "L110", [single("q1", "题()。", PLAIN, explanation=text)])
        assert "字母" in found.reason, text
    for text in ("“甲方案”正确。", "ATM 机可以查询。", "选项原文才不会随乱序变。"):
        assert findings(write_bank, "L110", [single("q1", "题()。", PLAIN, explanation=text)]) == []


def test_l111_stems_about_the_document(write_bank: WriteBank) -> None:
    for stem in ("教材第三章讲的是()。", "课程大纲中排在第二位的是()。", "本节的主题是()。"):
        (found,) = findings(write_bank, "L111", [single("q1", stem, PLAIN)])
        assert "材料本身" in found.reason
    job = single("q1", "客户来电时,客户经理应当()。", PLAIN)
    assert findings(write_bank, "L111", [job]) == []


def test_every_rule_is_tested() -> None:
    tested = {name[5:9].upper() for name in globals() if name.startswith("test_l1")}
    assert tested == {rule.code for rule in rules()}


# --- statistics -----------------------------------------------------------------------------------


def test_poisson_binomial_tail_against_counting() -> None:
    probabilities = [0.25, 0.5, 0.2, 1 / 3]
    for k in range(6):
        brute = 0.0
        for outcome in itertools.product((0, 1), repeat=4):
            if sum(outcome) >= k:
                brute += math.prod(
                    p if o else 1 - p for p, o in zip(probabilities, outcome, strict=True)
                )
        assert poisson_binomial_tail(probabilities, k) == pytest.approx(brute)


def test_chi_square_and_binomial_p_values() -> None:
    assert chi_square_sf(3.841459, 1) == pytest.approx(0.05, abs=1e-6)
    assert chi_square_sf(7.814728, 3) == pytest.approx(0.05, abs=1e-6)
    assert chi_square_sf(30.0, 3) == pytest.approx(1.380e-6, rel=1e-3)
    assert chi_square_sf(0.0, 3) == 1.0
    assert binomial_two_sided(0, 8) == pytest.approx(2 / 256)
    assert binomial_two_sided(4, 8) == pytest.approx(1.0)


# --- the command --------------------------------------------------------------------------------


def flawed(write_bank: WriteBank) -> Path:
    return write_bank(
        bank_text(
            [
                single(
                    "q1", "下列不属于担保方式的是()。", ["保证", "抵押", "质押", "以上都不是"], "D"
                ),
                single("q2", "客户来电时应()。", ["一定要马上接听", "乙", "丙", "丁"]),
            ]
        )
    )


def test_lint_command(invoke: Invoke, write_bank: WriteBank) -> None:
    path = flawed(write_bank)
    result = invoke("lint", str(path))
    assert result.exit_code == 0, result.output  # advice, not an error
    lines = result.stdout.splitlines()
    assert lines[0].endswith(
        "bank.yaml:3: L101 [q1] 选项 D“以上都不是”是“以上都对/以上都不对”一类的选项"
    )
    assert any(":3: L102 [q1]" in line for line in lines)
    assert any("bank.yaml:13: L103 [q2]" in line for line in lines)
    assert "共 3 条建议" in result.stdout
    assert invoke("lint", "--strict", str(path)).exit_code == 1
    only = invoke("lint", "--select", "L102,L103", str(path))
    assert "L101" not in only.stdout
    assert "共 2 条建议" in only.stdout
    assert "L103" not in invoke("lint", "--ignore", "L103", str(path)).stdout
    assert invoke("lint", "--strict", "--select", "L11", str(path)).exit_code == 0
    unknown = invoke("lint", "--select", "L999", str(path))
    assert unknown.exit_code == 2
    assert "没有规则 L999" in unknown.output
    data = json.loads(invoke("lint", "--json", str(path)).stdout)
    assert {f["code"] for f in data["findings"]} == {"L101", "L102", "L103"}
    assert data["findings"][0]["line"] == 3
    assert {"code", "file", "line", "qid", "reason"} == set(data["findings"][0])
    listing = invoke("lint", "--rules")
    assert "L111" in listing.stdout


def test_lint_refuses_a_broken_bank_as_check_does(invoke: Invoke, write_bank: WriteBank) -> None:
    path = write_bank("bank: 坏\nquestions:\n  - id: x\n    type: single\n")
    result = invoke("lint", str(path))
    assert result.exit_code == 1
    assert "错误" in result.output


def test_lint_on_the_bundled_banks_runs_clean_of_errors(invoke: Invoke) -> None:
    result = invoke("lint")
    assert result.exit_code == 0, result.output
    assert "条建议" in result.stdout


def test_choose() -> None:
    codes = [r.code for r in choose(rules(), ["l10"], ["L105"])]
    assert codes == ["L101", "L102", "L103", "L104", "L106", "L107", "L108", "L109"]
    with pytest.raises(UsageError):
        choose(rules(), [], ["X1"])
