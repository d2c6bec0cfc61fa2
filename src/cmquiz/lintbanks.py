"""Item-writing flaws seen only across many questions (``cmquiz lint`` rules L104-L107).

- L104 the key is the longest option more often than chance: per bank, the 单选 questions
  whose key is the one longest option, against what chance gives (1/k for a question of k
  options); advised when the count is above chance with p < 0.05 (the exact Poisson-binomial
  upper tail).
- L105 key letters unbalanced: per bank, how often each letter is the 单选 key against what
  chance gives (a question of k options puts 1/k on each of its letters), by a chi-square test,
  and how often a 判断 is 对 against one half, by an exact binomial test; advised when p < 0.05.
- L106 near-duplicate stems, L107 near-duplicate option sets, in any two questions of any banks
  linted together: rapidfuzz's normalized Indel similarity (``fuzz.ratio``) of the texts with
  spaces, punctuation and the answer blank removed, at least ``SIMILAR`` percent. A pair whose
  stems are near-duplicates is not reported again for its options.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterator, Sequence
from pathlib import Path

from .lint import Rule
from .model import Bank, Question
from .qtypes import QuestionType

ALPHA = 0.05
MIN_QUESTIONS = 8  # fewer questions of a type in a bank: no statistical advice
SIMILAR = 90.0
MIN_OPTIONS_TEXT = 16  # shorter option sets (1年/3年/5年/7年) are alike without being copies

LibraryFinding = tuple[Bank, Question | None, str]


def _singles(bank: Bank) -> list[Question]:
    return [q for q in bank.questions if q.type is QuestionType.SINGLE and len(q.options) >= 2]


def poisson_binomial_tail(probabilities: Sequence[float], at_least: int) -> float:
    """P(at least ``at_least`` successes) of independent trials with these probabilities."""
    dist = [1.0]
    for p in probabilities:
        nxt = [0.0] * (len(dist) + 1)
        for k, mass in enumerate(dist):
            nxt[k] += mass * (1 - p)
            nxt[k + 1] += mass * p
        dist = nxt
    return min(1.0, math.fsum(dist[at_least:]))


def longest_option_is_key(banks: Sequence[Bank]) -> Iterator[LibraryFinding]:
    for bank in banks:
        singles = [q for q in _singles(bank) if len(q.options) >= 3]
        if len(singles) < MIN_QUESTIONS:
            continue
        hits = [q for q in singles if _key_is_longest(q)]
        chances = [1 / len(q.options) for q in singles]
        expected = sum(chances)
        if len(hits) <= expected:
            continue
        p = poisson_binomial_tail(chances, len(hits))
        if p < ALPHA:
            yield (
                bank,
                None,
                f"题库“{bank.title}”中 {len(hits)}/{len(singles)} 道单选题的正确答案是最长的"
                f"选项(随机约 {expected:.1f} 道,p={p:.3f}):应试技巧会挑最长的那个",
            )


def _key_is_longest(q: Question) -> bool:
    lengths = {letter: len(_plain(text)) for letter, text in q.options}
    longest = max(lengths.values())
    winners = [letter for letter, n in lengths.items() if n == longest]
    return len(winners) == 1 and winners[0] in q.answer


def chi_square_sf(statistic: float, df: int) -> float:
    """P(X >= statistic) for a chi-square variable with ``df`` degrees of freedom."""
    return regularized_gamma_q(df / 2, statistic / 2)


def regularized_gamma_q(a: float, x: float) -> float:
    """Q(a, x) = Γ(a, x) / Γ(a): a series below a + 1, a continued fraction above."""
    if x <= 0:
        return 1.0
    log_front = -x + a * math.log(x) - math.lgamma(a)
    if x < a + 1:
        term = total = 1 / a
        n = a
        for _ in range(500):
            n += 1
            term *= x / n
            total += term
            if abs(term) < abs(total) * 1e-15:
                break
        return max(0.0, 1 - total * math.exp(log_front))
    tiny = 1e-300
    b = x + 1 - a
    c = 1 / tiny
    d = 1 / b
    h = d
    for i in range(1, 500):
        an = -i * (i - a)
        b += 2
        d = an * d + b
        d = tiny if abs(d) < tiny else d
        c = b + an / c
        c = tiny if abs(c) < tiny else c
        d = 1 / d
        step = d * c
        h *= step
        if abs(step - 1) < 1e-15:
            break
    return min(1.0, math.exp(log_front) * h)


def binomial_two_sided(k: int, n: int) -> float:
    """The exact two-sided p-value of ``k`` successes in ``n`` fair trials."""
    probabilities = [math.comb(n, i) / 2**n for i in range(n + 1)]
    observed = probabilities[k]
    return min(1.0, math.fsum(p for p in probabilities if p <= observed * (1 + 1e-9)))


def unbalanced_keys(banks: Sequence[Bank]) -> Iterator[LibraryFinding]:
    for bank in banks:
        singles = _singles(bank)
        if len(singles) >= MIN_QUESTIONS:
            observed: Counter[str] = Counter(next(iter(q.answer)) for q in singles)
            expected: dict[str, float] = {}
            for q in singles:
                for letter, _ in q.options:
                    expected[letter] = expected.get(letter, 0.0) + 1 / len(q.options)
            letters = sorted(expected)
            statistic = sum((observed[k] - expected[k]) ** 2 / expected[k] for k in letters)
            p = chi_square_sf(statistic, len(letters) - 1)
            if p < ALPHA:
                shown = "、".join(f"{k} {observed[k]}" for k in letters)
                fair = "、".join(f"{k} {expected[k]:.1f}" for k in letters)
                yield (
                    bank,
                    None,
                    f"题库“{bank.title}”单选题答案的字母分布不均:{shown}(随机约 {fair},"
                    f"p={p:.3f}):请调整选项顺序",
                )
        judges = [q for q in bank.questions if q.type is QuestionType.JUDGE]
        if len(judges) >= MIN_QUESTIONS:
            trues = sum(1 for q in judges if "T" in q.answer)
            p = binomial_two_sided(trues, len(judges))
            if p < ALPHA:
                yield (
                    bank,
                    None,
                    f"题库“{bank.title}”的判断题 {trues} 道为对、{len(judges) - trues} 道为错"
                    f"(p={p:.3f}):对错应大致各半",
                )


_NOISE = re.compile(r"[\s\W_]+|[((][\s_]*[))]", re.UNICODE)


def _plain(text: str) -> str:
    return _NOISE.sub("", text)


def _pairs(texts: Sequence[str]) -> Iterator[tuple[int, int, float]]:
    """(i, j, similarity) for i < j with a similarity of at least ``SIMILAR``."""
    from rapidfuzz import fuzz, process

    for i in range(len(texts) - 1):
        if not texts[i]:
            continue
        found = process.extract(
            texts[i], texts[i + 1 :], scorer=fuzz.ratio, score_cutoff=SIMILAR, limit=None
        )
        for _, score, j in found:
            if texts[i + 1 + j]:
                yield i, i + 1 + j, score


def _everything(banks: Sequence[Bank]) -> list[tuple[Bank, Question]]:
    return [(bank, q) for bank in banks for q in bank.questions]


def _where(bank: Bank, q: Question) -> str:
    return f"{Path(bank.path).name if bank.path else bank.title}:{q.line or 1}"


def near_duplicate_stems(banks: Sequence[Bank]) -> Iterator[LibraryFinding]:
    items = _everything(banks)
    for i, j, score in _pairs([_plain(q.stem) for _, q in items]):
        (bank_a, a), (bank_b, b) = items[i], items[j]
        yield (
            bank_b,
            b,
            f"题干与 {a.id}({_where(bank_a, a)})几乎相同(相似度 {score:.0f}%):确认不是重复的题",
        )


def near_duplicate_options(banks: Sequence[Bank]) -> Iterator[LibraryFinding]:
    from rapidfuzz import fuzz

    items = [
        (bank, q)
        for bank, q in _everything(banks)
        if len(q.options) >= 3 and sum(len(_plain(t)) for _, t in q.options) >= MIN_OPTIONS_TEXT
    ]
    stems = [_plain(q.stem) for _, q in items]
    option_sets = ["|".join(sorted(_plain(text) for _, text in q.options)) for _, q in items]
    for i, j, score in _pairs(option_sets):
        if fuzz.ratio(stems[i], stems[j]) >= SIMILAR:
            continue  # already a near-duplicate stem
        (bank_a, a), (bank_b, b) = items[i], items[j]
        yield (
            bank_b,
            b,
            f"选项与 {a.id}({_where(bank_a, a)})几乎相同(相似度 {score:.0f}%),"
            "可能是同一道题换了说法",
        )


LIBRARY_RULES = (
    Rule("L104", "正确答案总是最长的选项", library=longest_option_is_key),
    Rule("L105", "答案的字母或对错分布不均", library=unbalanced_keys),
    Rule("L106", "题干几乎相同", library=near_duplicate_stems),
    Rule("L107", "选项几乎相同", library=near_duplicate_options),
)
