"""What a document says about itself: title, organization, issuers, 文号, date, year, kind.

A sidecar ``<file>.meta.yaml`` beside a source (hand-edited, in ``data/``) supplies what the text cannot: a
slide deck has no title page, a work plan may carry no date. Sidecar values win over extracted ones.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from orgkg.records import DocumentHeader, DocumentKind, SourceText, Span
from orgkg.segment import Layout
from orgkg.source import SourceError
from orgkg.textnorm import clean_inline

_NOTICE_TITLE = re.compile(r"关于印发《(.+?)》的通知")
_KIND_WORDS: tuple[tuple[str, DocumentKind], ...] = (
    ("工作要点", DocumentKind.WORK_PLAN),
    ("工作计划", DocumentKind.WORK_PLAN),
    ("实施方案", DocumentKind.IMPLEMENTATION_PLAN),
    ("工作方案", DocumentKind.IMPLEMENTATION_PLAN),
    ("规划", DocumentKind.STRATEGIC_PLAN),
)
# 文号 as printed, spaces allowed (PDF text): 国开发〔2020〕1 号; the prefix is the run of Han characters before it.
_NUMBER = re.compile(r"([\u4e00-\u9fff]{1,10})[ \t]*[〔\[［(（][ \t]*(\d{4})[ \t]*[〕\]］)）][ \t]*(\d{1,4})[ \t]*号")
_DATE = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日")
_ORG_SUFFIX = re.compile(r"(?:大学|学院|学校|委员会|政府|教育局|局|厅|集团|中心)(?:\(([^()]+)\))?")
_ISSUER_GROUP = re.compile(r"^(.+?)等(?:\d+|[一二三四五六七八九十]+)(?:个)?部门$")
_YEAR = re.compile(r"(\d{4})年")

SIDECAR_KEYS = {"title", "kind", "organization", "organization_aliases", "issuers", "number", "date", "year", "note"}


def sidecar_path(source_path: Path) -> Path:
    """``data/x.txt`` → ``data/x.meta.yaml``."""
    return source_path.with_name(source_path.stem + ".meta.yaml")


def load_sidecar(source_path: Path) -> dict[str, Any]:
    """The sidecar metadata of a source, or {} when there is none; unknown keys are an error."""
    path = sidecar_path(source_path)
    if not path.exists():
        return {}
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise SourceError(f"{path}: not valid YAML ({exc})") from exc
    if not isinstance(data, dict):
        raise SourceError(f"{path}: expected a mapping of {sorted(SIDECAR_KEYS)}")
    unknown = set(data) - SIDECAR_KEYS
    if unknown:
        raise SourceError(f"{path}: unknown keys {sorted(unknown)}; expected some of {sorted(SIDECAR_KEYS)}")
    return data


def _line_texts(layout: Layout) -> list[tuple[int, int, str]]:
    t = layout.view.text
    return [(s, e, t[s:e]) for s, e in zip(layout.line_starts, layout.line_ends, strict=True)]


def _title(source: SourceText, layout: Layout) -> tuple[str, Span] | None:
    v = layout.view
    m = _NOTICE_TITLE.search(v.text)
    if m:
        span = v.span(m.start(1), m.end(1))
        return clean_inline(span.quote(source.text)), span
    # No notice: the title is the first short lines down to one that names the kind of plan.
    lines = _line_texts(layout)[:8]
    for i, (_s, _e, text) in enumerate(lines):
        if len(text) > 60:
            break
        if any(word in text for word, _ in _KIND_WORDS):
            first = i
            while first > 0 and len(lines[first - 1][2]) <= 40 and i - first < 2:
                first -= 1
            span = v.span(lines[first][0], lines[i][1])
            return clean_inline(span.quote(source.text)), span
    return None


def _organization(title_view: str) -> tuple[str, tuple[str, ...]] | None:
    """The organization a title is for: its shortest prefix ending in an organization suffix."""
    m = _ORG_SUFFIX.search(title_view)
    if not m:
        return None
    name = title_view[: m.start()] + m.group(0).split("(")[0]
    aliases = tuple(a for a in re.split(r"[、,]", m.group(1) or "") if a)
    return name, aliases


def _issuers(layout: Layout, organization: str | None) -> tuple[str, ...]:
    for _s, _e, text in _line_texts(layout)[:6]:
        m = _ISSUER_GROUP.match(text)
        if m:
            return (m.group(1),)
    return (organization,) if organization else ()


def _file_header_issuers(source: SourceText) -> tuple[str, ...] | None:
    """Issuers from a "A B 文件" line, split on the spaces of the source line (the view drops them)."""
    for line in source.text.split("\n")[:10]:
        stripped = line.strip().lstrip("#").strip()
        if stripped.endswith("文件") and len(stripped) < 80:
            names = [n for n in re.split(r"\s+", stripped[: -len("文件")]) if n]
            if names:
                return tuple(names)
    return None


def _date(layout: Layout) -> str | None:
    text = layout.view.text
    m = re.search(_DATE.pattern + "印发", text)
    if m is None:
        for _s, _e, line in _line_texts(layout):
            mm = _DATE.fullmatch(line)
            if mm:
                m = mm
                break
    if m is None:
        return None
    y, mo, d = (int(g) for g in m.groups()[:3])
    return f"{y:04d}-{mo:02d}-{d:02d}"


def extract_header(source: SourceText, layout: Layout, sidecar: Mapping[str, Any] | None = None) -> DocumentHeader:
    """The document header; raises SourceError naming the file when title, organization or kind are unknown."""
    meta = dict(sidecar or {})
    found = _title(source, layout)
    title = str(meta.get("title") or (found[0] if found else ""))
    title_span = found[1] if found and not meta.get("title") else None
    if not title:
        raise SourceError(
            f"{source.path}: no title found (expected 关于印发《…》的通知 or a title line naming 工作要点/"
            "实施方案/规划); give one in a sidecar .meta.yaml"
        )
    title_key = re.sub(r"\s+", "", title).replace("（", "(").replace("）", ")")
    org = _organization(title_key)
    organization = str(meta.get("organization") or (org[0] if org else ""))
    if not organization:
        raise SourceError(
            f"{source.path}: cannot tell which organization the plan '{title}' is for; "
            "give `organization:` in a sidecar .meta.yaml"
        )
    aliases = tuple(meta.get("organization_aliases") or (org[1] if org and org[0] == organization else ()))
    kind_value = meta.get("kind")
    if kind_value:
        try:
            kind = DocumentKind(kind_value)
        except ValueError as exc:
            raise SourceError(
                f"{source.path}: kind {kind_value!r} is not one of {[k.value for k in DocumentKind]}"
            ) from exc
    else:
        kinds = [k for word, k in _KIND_WORDS if word in title_key]
        if not kinds:
            raise SourceError(f"{source.path}: the title '{title}' names no kind of plan (工作要点/实施方案/规划)")
        kind = kinds[0]
    issuers = tuple(meta.get("issuers") or _file_header_issuers(source) or _issuers(layout, organization))
    number_m = _NUMBER.search(source.text)
    date = str(meta["date"]) if meta.get("date") else _date(layout)
    year_m = _YEAR.search(title_key)
    year = (
        int(meta["year"]) if meta.get("year") else int(year_m.group(1)) if year_m else (int(date[:4]) if date else None)
    )
    return DocumentHeader(
        title=title,
        kind=kind,
        organization=organization,
        organization_aliases=aliases,
        issuers=issuers,
        number=str(meta.get("number") or "")
        or (f"{number_m.group(1)}〔{number_m.group(2)}〕{number_m.group(3)}号" if number_m else None),
        date=date,
        year=year,
        title_span=title_span,
    )
