"""The synthetic benchmark corpus: deterministic, distinct documents at every scale, readable by the extractor."""

from __future__ import annotations

from collections import Counter

from bench.corpus import LAYOUTS, document, generate, organization_name, self_check

# 10^7 triples is about 3,400 documents: 850 organizations at four yearly plans each
ORGANIZATIONS_AT_1E7 = 850


def test_organization_names_are_distinct_up_to_the_largest_scale() -> None:
    names = Counter(organization_name(i) for i in range(3 * ORGANIZATIONS_AT_1E7))
    assert [n for n, k in names.items() if k > 1] == []


def test_a_city_named_like_a_province_keeps_its_own_university() -> None:
    names = {organization_name(i) for i in range(200)}
    assert {"吉林开放大学", "吉林市开放大学"} <= names


def test_every_document_is_one_plan_of_one_organization_and_year() -> None:
    docs = [document(0, i) for i in range(0, 4 * ORGANIZATIONS_AT_1E7, 37)]
    keys = Counter((d.organization, d.year) for d in docs)
    assert max(keys.values()) == 1


def test_same_seed_same_texts_other_seed_other_texts() -> None:
    a, b, c = generate(0, 6), generate(0, 6), generate(1, 6)
    assert [d.text for d in a] == [d.text for d in b]
    assert [d.text for d in a] != [d.text for d in c]


def test_every_layout_reads_back_as_written() -> None:
    assert len(LAYOUTS) >= 6
    assert self_check(0) == []
