"""The synthetic benchmark corpus: deterministic, distinct documents at every scale, readable by the extractor."""

from __future__ import annotations

from collections import Counter

import opencc
import pytest

from bench.corpus import (
    ALL_LAYOUTS,
    FAMILY_LAYOUTS,
    LAYOUTS,
    check_document,
    document,
    generate,
    organization_name,
    self_check,
)

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
    assert (len(LAYOUTS), len(FAMILY_LAYOUTS), len(ALL_LAYOUTS)) == (6, 7, 13)
    assert self_check(0) == []


@pytest.mark.parametrize("layout", FAMILY_LAYOUTS)
@pytest.mark.parametrize("index", [0, 7, 4 * 60 + 2])  # first government, another, a generated place name
def test_family_layout_reads_back_as_written(layout: str, index: int) -> None:
    doc = document(3, index, layout)
    assert doc.layout == layout and doc.organization.endswith("人民政府")
    assert check_document(doc) == []


def test_the_family_layouts_state_what_they_are_named_for() -> None:
    text = {layout: document(0, 1, layout).text for layout in FAMILY_LAYOUTS}
    assert ";牵头单位:区" in text["gov-tags"] and "(责任领导:" in text["gov-tags"]
    assert "牵头，" in text["role-verbs"] and "参与）" in text["role-verbs"] and "负责）" in text["role-verbs"]
    assert "\n    牵头负责领导:" in text["labelled-lines"] and "\n    协同责任单位:" in text["labelled-lines"]
    assert text["leader-headings"].count("\n") == 1 and "(首位单位为牵头单位,下同)、" in text["leader-headings"]
    assert "县长牵头重点工作 1." in text["leader-headings"]
    assert "序号 |\n主要任务 |\n分管 领导 |\n牵头 单位 |\n责任主体与协同单位 |\n" in text["pipe-cells"]
    assert " 项目责任人:" in text["key-values"] and " 配合单位:" in text["key-values"]
    assert opencc.OpenCC("t2s").convert(text["traditional"]) != text["traditional"]


def test_a_project_contact_is_no_leader() -> None:
    doc = document(0, 1, "key-values")
    contacts = {part.split(" ")[0] for part in doc.text.split("项目责任人:")[1:]}
    stated = {name for t in doc.tasks for _, kind, name in t.responsibilities if kind == "person"}
    assert contacts and not contacts & stated


def test_traditional_is_written_in_traditional_and_read_back_in_simplified() -> None:
    doc = document(0, 2, "traditional")
    s2t, t2s = opencc.OpenCC("s2t"), opencc.OpenCC("t2s")
    assert "牽頭單位:" in doc.text and "牵头单位" not in doc.text
    names = {name for t in doc.tasks for _, _, name in t.responsibilities}
    assert all(t2s.convert(n) == n for n in names)  # expected as the extractor gives them
    changed = {n for n in names if s2t.convert(n) != n}
    assert changed and not any(n in doc.text for n in changed)  # but written only in Traditional
    assert check_document(doc) == []


def test_the_family_rotation_keeps_every_school_document() -> None:
    for i in range(0, 4 * 40, 3):
        fam = document(0, i, family=True)
        if fam.layout in LAYOUTS:
            assert fam == document(0, i, fam.layout)
    assert {document(0, 4 * k, family=True).layout for k in range(len(ALL_LAYOUTS))} == set(ALL_LAYOUTS)
