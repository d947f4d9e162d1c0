"""What the pages show besides data: marked-up document text and the interface strings in two languages."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass

LANGS = ("zh", "en")

STRINGS: dict[str, tuple[str, str]] = {
    "title": ("组织知识图谱", "Organization knowledge graph"),
    "home": ("首页", "Home"),
    "search": ("搜索", "Search"),
    "search_hint": ("名称、别名、标题或拼音", "name, alias, title or pinyin"),
    "queries": ("命名查询", "Named queries"),
    "run": ("运行", "Run"),
    "sparql": ("SPARQL 查询", "SPARQL query"),
    "results": ("结果", "Results"),
    "rows": ("行", "rows"),
    "csv": ("下载 CSV", "Download CSV"),
    "share": ("本页网址可分享", "This page's address can be shared"),
    "organizations": ("组织", "Organizations"),
    "units": ("部门", "Units"),
    "leaders": ("领导", "Leaders"),
    "tasks": ("任务", "Tasks"),
    "documents": ("文件", "Documents"),
    "programmes": ("工程与项目", "Programmes"),
    "policies": ("引用的政策", "Cited policies"),
    "validation": ("质量报告", "Quality report"),
    "year": ("年份", "Year"),
    "role": ("角色", "Role"),
    "agent": ("承担者", "Agent"),
    "scope": ("范围", "Scope"),
    "quote": ("原文", "Source quote"),
    "document": ("文件", "Document"),
    "section": ("章节", "Section"),
    "organization": ("组织", "Organization"),
    "source": ("出处", "Source"),
    "source_text": ("文件原文", "Document text"),
    "no_text": ("原文不可用（来源缓存中没有此文件）", "The text is not available (not in the source cache)"),
    "responsibilities": ("责任分工", "Responsibilities"),
    "continues": ("延续自", "Continues"),
    "continuedBy": ("延续为", "Continued by"),
    "posts": ("职务", "Posts"),
    "parts": ("组成部分", "Parts"),
    "citations": ("引用", "Citations"),
    "conforms": ("符合所有约束", "Conforms to every shape"),
    "not_conforms": ("存在违反约束的结果", "Has violations"),
    "severity": ("严重程度", "Severity"),
    "rule": ("规则", "Rule"),
    "message": ("说明", "Message"),
    "focus": ("对象", "Focus node"),
    "value": ("值", "Value"),
    "no_report": ("尚无验证报告", "No validation report yet"),
    "parameters": ("参数", "Parameters"),
    "open_in_editor": ("在编辑器中打开", "Open in editor"),
    "editor_hint": (
        "Ctrl+Enter 运行；输入 okg: 等前缀自动补全；结果可表格查看并下载 CSV；分享按钮生成本查询的网址。",
        "Ctrl+Enter runs; prefixes such as okg: complete; results show as a table with CSV download; "
        "the share button gives this query's address.",
    ),
    "optional": ("可选", "optional"),
    "error": ("出错了", "Something went wrong"),
    "none": ("无", "none"),
    "json": ("JSON", "JSON"),
    "aliases": ("别名", "Aliases"),
    "kind": ("类型", "Kind"),
    "all_years": ("全部年份", "All years"),
}

ROLES: dict[str, str] = {
    "supervising leader": "分管领导",
    "lead unit": "牵头单位",
    "responsible unit": "责任单位",
    "participant": "参与单位",
}


def translate(key: str, lang: str) -> str:
    """An interface string in ``lang`` (the key itself when unknown).

    >>> translate("tasks", "zh"), translate("tasks", "en"), translate("nope", "en")
    ('任务', 'Tasks', 'nope')
    """
    pair = STRINGS.get(key)
    return key if pair is None else pair[LANGS.index(lang) if lang in LANGS else 0]


def role_label(role: str | None, lang: str) -> str:
    """A responsibility role (English in the API) as shown.

    >>> role_label("lead unit", "zh"), role_label("lead unit", "en")
    ('牵头单位', 'lead unit')
    """
    if role is None:
        return ""
    return ROLES.get(role, role) if lang == "zh" else role


@dataclass(frozen=True)
class Span:
    """A character span of a document to mark: ``kind`` is the CSS class, ``href`` an optional link."""

    start: int
    end: int
    kind: str
    href: str | None = None
    anchor: str | None = None


@dataclass(frozen=True)
class Segment:
    """A run of text covered by the same spans (innermost last)."""

    text: str
    spans: tuple[Span, ...]


def segments(text: str, spans: Sequence[Span]) -> list[Segment]:
    """``text`` cut at every span boundary, each piece with the spans covering it (nested spans allowed).

    >>> [(s.text, [x.kind for x in s.spans]) for s in segments("abcdef", [Span(1, 5, "task"), Span(2, 4, "q")])]
    [('a', []), ('b', ['task']), ('cd', ['task', 'q']), ('e', ['task']), ('f', [])]
    """
    valid = [s for s in spans if 0 <= s.start < s.end <= len(text)]
    cuts = sorted({0, len(text), *(s.start for s in valid), *(s.end for s in valid)})
    out = []
    for a, b in itertools.pairwise(cuts):
        covering = tuple(sorted((s for s in valid if s.start <= a and b <= s.end), key=lambda s: (s.start, -s.end)))
        out.append(Segment(text[a:b], covering))
    return out
