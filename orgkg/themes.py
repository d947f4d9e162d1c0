"""Link tasks on the same theme across an organization's successive plans (``okg:continues``).

Work plans are rewritten every year; a task of 2022 on information technology has no identifier in common
with its 2020 predecessor, only its words. Tasks are compared by TF-IDF-weighted character bigrams of title
and text (no model weights: the machine is offline, and bigrams are the standard baseline for Chinese text
similarity); a later task continues an earlier one when each is the other's best match and the cosine
similarity reaches ``THRESHOLD``. The principal units of a task count as extra terms: the same unit leading
both tasks is evidence of the same portfolio. Deterministic: same tasks, same links.
"""

from __future__ import annotations

import itertools
import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from orgkg.lexicon import LEXICON

THRESHOLD = 0.1
_HAN = re.compile(r"[\u4e00-\u9fff]+")
_STOP = LEXICON.theme_stop_words  # the words every task uses (a plan's own organization is no stop word)


@dataclass(frozen=True)
class ThemeItem:
    """A task to compare: an identifier, its year, its title (weighted double), text and principal units."""

    ident: str
    year: int
    title: str
    text: str
    units: tuple[str, ...] = ()  # identifiers of the lead (else responsible) units: the portfolio it sits in


def _bigrams(text: str) -> Counter[str]:
    grams: Counter[str] = Counter()
    for run in _HAN.findall(text):
        for i in range(len(run) - 1):
            g = run[i : i + 2]
            if g not in _STOP:
                grams[g] += 1
    return grams


def _vectors(items: Sequence[ThemeItem]) -> list[dict[str, float]]:
    raw = [
        _bigrams(it.title) + _bigrams(it.title) + _bigrams(it.text) + Counter({"@" + u: 3 for u in it.units})
        for it in items
    ]
    df: Counter[str] = Counter(g for r in raw for g in r)
    n = len(items)
    vectors = []
    for r in raw:
        v = {g: (1 + math.log(c)) * math.log((1 + n) / (1 + df[g])) for g, c in r.items()}
        norm = math.sqrt(sum(x * x for x in v.values())) or 1.0
        vectors.append({g: x / norm for g, x in v.items()})
    return vectors


def _cosine(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(x * b.get(g, 0.0) for g, x in a.items())


def _argmax(values: Sequence[float]) -> int:
    """Index of the largest value; the first one on ties (deterministic)."""
    return max(range(len(values)), key=lambda k: (values[k], -k))


def continuations(earlier: Sequence[ThemeItem], later: Sequence[ThemeItem]) -> list[tuple[str, str, float]]:
    """(later ident, earlier ident, similarity) for mutual best matches at or above the threshold.

    >>> a = [ThemeItem("a1", 2020, "加快提升信息化应用水平", "信息化 智慧校园 网络"),
    ...      ThemeItem("a2", 2020, "推进汉语国际教育", "汉语 国际 中文")]
    >>> b = [ThemeItem("b1", 2022, "构建智慧国开", "信息化 智慧校园 数字化"),
    ...      ThemeItem("b2", 2022, "打造国际中文教育品牌", "国际 中文 汉语")]
    >>> [(l, e) for l, e, _ in continuations(a, b)]
    [('b1', 'a1'), ('b2', 'a2')]
    """
    if not earlier or not later:
        return []
    vectors = _vectors([*earlier, *later])
    ev, lv = vectors[: len(earlier)], vectors[len(earlier) :]
    sims = [[_cosine(l_vec, e_vec) for e_vec in ev] for l_vec in lv]
    best_for_earlier = [_argmax([sims[i][j] for i in range(len(lv))]) for j in range(len(ev))]
    links = []
    for i, row in enumerate(sims):
        j = _argmax(row)
        if row[j] >= THRESHOLD and best_for_earlier[j] == i:
            links.append((later[i].ident, earlier[j].ident, round(row[j], 4)))
    return links


def link_plans(plans: Iterable[tuple[str, int, Sequence[ThemeItem]]]) -> list[tuple[str, str, float]]:
    """Links between each organization's consecutive plans: ``plans`` is (organization, year, tasks)."""
    by_org: dict[str, list[tuple[int, Sequence[ThemeItem]]]] = {}
    for org, year, items in plans:
        by_org.setdefault(org, []).append((year, items))
    links: list[tuple[str, str, float]] = []
    for org in sorted(by_org):
        ordered = sorted(by_org[org], key=lambda p: p[0])
        for (y1, a), (y2, b) in itertools.pairwise(ordered):
            if y1 != y2:
                links.extend(continuations(a, b))
    return links
