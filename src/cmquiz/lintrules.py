"""Item-writing flaws in one question (``cmquiz lint`` rules L101-L103, L108-L111).

- L101 以上都对 / 以上都不对 / 以上皆是 options: they reward partial knowledge and stop making
  sense when options are shuffled.
- L102 a negative stem (不正确的是, 错误的是, 不属于, 除…外…) whose negative is not marked. The
  convention: the negative word is put in 【】, e.g. ``下列【不属于】抵押设立环节风险的是()``;
  only the question the stem asks (its last sentence) is looked at, and 除…外 followed by 还/也
  (“besides … also”) is not a negative.
- L103 absolute words in an option (一定, 必须, 绝对, 总是, 从不, 永远, 绝不, 始终, 一律,
  任何): test-wise candidates strike them out. ``一定的`` (“a certain”) is not absolute.
- L108 words of the stem repeated only in the key: a word (two or more characters) the stem and
  the key share and no distractor has, so the key can be picked by matching words (for 多选:
  a word every key shares with the stem and no distractor has).
- L109 多选 whose every option is right, or with only one wrong option.
- L110 an explanation that names options only by letter (选 B, A 项, 答案为 ACD): the letters
  change when options are shown shuffled; name the option's text.
- L111 a stem about the source document (chapter, section, table of contents, course outline,
  textbook, lecture) rather than about the job.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence

from .lint import Rule
from .model import Bank, Question
from .qtypes import QuestionType

_ALL_OR_NONE = re.compile(
    r"^(?:以上|上述)(?:各项|选项|说法|答案|所述|几项)?(?:都|均|皆|全|全部)"
    r"|^(?:都|全)(?:对|不对|正确|不正确|错|错误)$|^(?:全部正确|全部错误|皆非|皆是)$"
)


def all_or_none_options(q: Question) -> Iterator[str]:
    for letter, text in q.options:
        if _ALL_OR_NONE.search(_plain(text)):
            yield f"选项 {letter}“{_short(text)}”是“以上都对/以上都不对”一类的选项"


NEGATIVES = re.compile(
    r"不正确|不准确|不恰当|不妥|(?<!犯的)(?<!犯)错误的(?:是|有|一项|选项|说法)|不属于|不包括|不包含|不符合|不应当|不应该|不应|不宜|"
    r"不需要|不需|不必|不得|不能|不可以|不可|不是|没有|无关|除[^,,。;;]{1,40}?(?:以|之)?外"
)
_MARKED = re.compile(r"【[^】]*】")
_ADDITIVE = re.compile(r"^[,,、\s]*(?:[^,,。;;]{0,6})?(?:还|也|尚)")


def negative_stem(q: Question) -> Iterator[str]:
    if q.type is QuestionType.JUDGE:
        return
    clause = _question_clause(q.stem)
    marked = [m.span() for m in _MARKED.finditer(clause)]
    for match in NEGATIVES.finditer(clause):
        word = match.group()
        if word.startswith("除") and _ADDITIVE.match(clause[match.end() :]):
            continue
        start = match.start()
        if any(a < start < b for a, b in marked):
            continue
        shown = "除…外" if word.startswith("除") else word
        yield f"否定式题干“{shown}”没有标出;请写成【{shown}】,提醒考生选的是不符合的一项"
        return


def _question_clause(stem: str) -> str:
    """The sentence the stem asks: the last one (a trailing blank and full stop ignored)."""
    text = re.sub(r"[。.!!??::\s]+$", "", stem)
    parts = re.split(r"[。!?;;!?]", text)
    return parts[-1] if parts else text


ABSOLUTES = re.compile(
    r"一定(?!的|数|程度|范围|比例|期限|时间|金额|额度|限度|条件|规模)"
    r"|必须|绝对|总是|从不|从来不|从未|永远|绝不|决不|始终|一律|任何"
)


def absolute_words(q: Question) -> Iterator[str]:
    for letter, text in q.options:
        found = sorted(set(ABSOLUTES.findall(text)), key=text.index)
        if found:
            role = "正确答案" if letter in q.answer else "干扰项"
            words = "、".join(found)
            yield f"选项 {letter}({role})含绝对化的词“{words}”,应试技巧会把它排除或选中"


_CJK_RUN = re.compile(r"[\u4e00-\u9fff]+|[A-Za-z0-9]+")
# Characters that glue words together: a two-character piece holding one is not a word.
_GLUE = frozenset("的了和与及或是在为对等之其而并都把被也就从向于以")
COMMON_SHARE = 0.15  # a piece found in this share of the questions is no clue
COMMON_MIN_QUESTIONS = 20  # ... judged only in libraries at least this big


def _pieces(text: str) -> set[str]:
    """The two-character pieces of a text's Chinese runs (and its Latin words)."""
    grams: set[str] = set()
    for run in _CJK_RUN.findall(text):
        if run.isascii():
            if len(run) >= 2:
                grams.add(run.lower())
            continue
        grams.update(run[i : i + 2] for i in range(len(run) - 1) if not _GLUE & set(run[i : i + 2]))
    return grams


def common_pieces(questions: Iterable[Question]) -> frozenset[str]:
    """Pieces in at least ``COMMON_SHARE`` of the questions (客户, 经理 in a customer-manager
    bank): they give nothing away."""
    qs = list(questions)
    if len(qs) < COMMON_MIN_QUESTIONS:
        return frozenset()
    counts: Counter[str] = Counter()
    for q in qs:
        counts.update(_pieces(q.stem + "".join(text for _, text in q.options)))
    return frozenset(p for p, n in counts.items() if n >= COMMON_SHARE * len(qs))


def stem_words_only_in_key(q: Question, common: frozenset[str] = frozenset()) -> Iterator[str]:
    if q.type is QuestionType.JUDGE or len(q.options) < 3:
        return
    stem = _pieces(q.stem) - common
    keys = [_pieces(text) & stem for letter, text in q.options if letter in q.answer]
    if not keys:
        return
    shared = set.intersection(*keys)
    for letter, text in q.options:
        if letter not in q.answer:
            shared -= _pieces(text)
    if shared:
        words = "、".join(sorted(_merge(shared, q.stem))[:3])
        who = "正确答案" if q.type is QuestionType.SINGLE else "每个正确选项"
        yield f"题干中的“{words}”只在{who}里重复出现,考生可以照着字面挑出答案"


def stem_words_rule(banks: Sequence[Bank]) -> Iterator[tuple[Bank, Question | None, str]]:
    common = common_pieces(q for bank in banks for q in bank.questions)
    for bank in banks:
        for q in bank.questions:
            for reason in stem_words_only_in_key(q, common):
                yield bank, q, reason


def _merge(grams: set[str], stem: str) -> set[str]:
    """Overlapping two-character pieces of the stem joined into the longer words they form."""
    words: set[str] = set()
    for gram in grams:
        word = gram
        grown = True
        while grown:
            grown = False
            for other in grams:
                if other != word and word.endswith(other[0]) and word + other[1:] in stem:
                    word += other[1:]
                    grown = True
        if not any(word in w for w in words):
            words = {w for w in words if w not in word} | {word}
    return words


def multiple_choice_keys(q: Question) -> Iterator[str]:
    if q.type is not QuestionType.MULTIPLE:
        return
    wrong = len(q.options) - len(q.answer)
    if wrong == 0:
        yield f"多选题的 {len(q.options)} 个选项全是正确答案,全选就能得分"
    elif wrong == 1:
        yield f"多选题只有 1 个错误选项({_only_wrong(q)}),排除一项就能答对"


def _only_wrong(q: Question) -> str:
    return next(letter for letter, _ in q.options if letter not in q.answer)


LETTER_ONLY = re.compile(
    r"(?<![A-Za-z])(?:"
    r"选项?\s*[A-H]{1,8}(?![A-Za-z])"
    r"|[A-H]{1,8}\s*(?:项|选项|正确|错误|不对|不正确|对|错)"
    r"|答案(?:是|为)?\s*[A-H]{1,8}(?![A-Za-z])"
    r")"
)


def letters_in_explanation(q: Question) -> Iterator[str]:
    if q.type is QuestionType.JUDGE or not q.explanation:
        return
    match = LETTER_ONLY.search(q.explanation)
    if match:
        yield f"解析用字母“{match.group().strip()}”指称选项;选项乱序显示时字母会变,请写出选项原文"


DOCUMENT_WORDS = re.compile(
    r"第[一二三四五六七八九十百0-9]+[章节讲课篇单元部分模块]|本章|本节|本书|本教材|本课程|"
    r"教材|讲义|课件|课程|大纲|模块|目录|章节|列于|排在第?|位于第|属于第|学习资料|培训材料"
    r"|根据《|按照《|《[^》]*》(?:规定|指出|提到|所列)"
)
"""Words of a stem that asks about the source documents (their chapters, modules, outlines,
courses, tables of contents) rather than the job; ``tests/test_banks.py`` holds the bundled banks
to it."""


def about_the_document(q: Question) -> Iterator[str]:
    match = DOCUMENT_WORDS.search(q.stem)
    if match:
        yield f"题干问的是材料本身(“{match.group()}”),应考岗位上要知道、要会做的事"


def _plain(text: str) -> str:
    return re.sub(r"[\s。.,,、!!]+", "", text)


def _short(text: str, limit: int = 12) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


QUESTION_RULES = (
    Rule("L101", "“以上都对/以上都不对”类选项", question=all_or_none_options),
    Rule("L102", "否定式题干没有标出", question=negative_stem),
    Rule("L103", "选项含绝对化的词", question=absolute_words),
    Rule("L108", "题干的词只在正确答案里重复", library=stem_words_rule),
    Rule("L109", "多选题全是正确选项或只有一个错误选项", question=multiple_choice_keys),
    Rule("L110", "解析只用字母指称选项", question=letters_in_explanation),
    Rule("L111", "题干问的是材料本身", question=about_the_document),
)
