"""What a document says about itself: title, organization, issuers, 文号, date, year, kind.

No readable document is refused for its header. Each field is read from what the header prints, in order of
reliability; when the header prints nothing usable a fallback infers a value, and the field is named in
``DocumentHeader.inferred`` (the build reports it; ``orgkg build --strict`` fails on it):

- title: the 《》 title of 关于印发《…》的通知; a notice title ``A关于……的通知`` (over up to five lines) whole; the
  attachment of ``《X》已经…同意，现印发给你们``; the first heading-like line naming a kind of plan (with the
  organization line above it when the line opens with its year: 湖北开放大学 / 2021年工作要点). Inferred: the first
  short line that is not page metadata (索引号:, 发布时间:, pipe rows, 【法宝引证码】, file names, a 文号 line),
  else the file name's stem.
- kind: the lexicon's ``document_kinds`` word that ends last in the title (titles are head-final); inferred: the
  generic kind (``plan``) when the title names none.
- year: a year of the title (not a horizon such as 2035年远景目标 years after the issue), else the 文号's, else the
  date of issue's; inferred: the most frequent plausible YYYY年 of the text's opening, else none.
- issuers: the notice title's prefix before 关于, a ``A B 文件`` line, the 文号 prefix (lexicon ``number_issuers``),
  the signature line above the date, the issuer metadata (发布机构:), the organization a title opens with;
  inferred: the government of the place a title opens with (北京市2018年… → 北京市人民政府), else none.
- organization (the one the plan is for): the organization a title opens with (a university's own plan), else the
  issuer's government (北京市人民政府办公厅 → 北京市人民政府); inferred: the place's government, else
  ``UNKNOWN_ORGANIZATION`` (which resolution keeps to the document).

The header reads the document's view with pinyin glosses of mirror sites dropped (``關(guān)于``) and, when the
``opencc`` package is installed, in Simplified script, so a Traditional title names its kind too.

A sidecar ``<file>.meta.yaml`` beside a source (hand-edited, in ``data/``) supplies what the text cannot: a
slide deck has no title page, a work plan may carry no date. Sidecar values win and are never "inferred".
"""

from __future__ import annotations

import importlib
import re
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path
from typing import Any

import yaml

from orgkg.jurisdiction import government_of, places
from orgkg.lexicon import LEXICON
from orgkg.records import DocumentHeader, DocumentKind, SourceText, Span
from orgkg.segment import Layout
from orgkg.source import SourceError
from orgkg.textnorm import clean_inline

UNKNOWN_ORGANIZATION = "发文机关不详"  # the organization of a document whose header names none (kept to the document)

_NOTICE_INSERT = re.compile(r"关于印发《([^《》]+)》的通知")
_ATTACHMENT = re.compile(r"《([^《》]{4,60})》(?:已经[^。《》]{0,20}同意[,，]?)?现?(?:予以)?印发给")
# 文号 as printed, spaces allowed (PDF text): 国开发〔2020〕1 号; the prefix is the run of Han characters before it.
_NUMBER = re.compile(
    r"([\u4e00-\u9fff]{1,10})[ \t]*[〔\[［(（][ \t]*(\d{4})[ \t]*[〕\]］)）][ \t]*(\d{1,4})[ \t]*[号號]"
)
_NUMBER_LINE = re.compile(r"[\u4e00-\u9fff]{1,10}[〔\[(](\d{4})[〕\])]\d{1,4}[号號]")
_DATE = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日")
_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_ORG_SUFFIX = re.compile(r"(?:大学|学院|学校|委员会|政府|教育局|局|厅|集团|中心)(?:\(([^()]+)\))?")
_ORG_PREFIX = re.compile(r"^[\u4e00-\u9fff]{1,20}$")
_ISSUER_GROUP = re.compile(r"^(.+?)等(?:\d+|[一二三四五六七八九十]+)(?:个)?(?:部门|单位)$")
_SIGNATURE = re.compile(
    r"^[\u4e00-\u9fff]{2,30}(?:政府|办公厅|办公室|委员会|局|厅|委|部|院|大学|学院|学校|中心|集团|公司|署)$"
)
_YEAR = re.compile(r"(\d{4})年")
_YEAR_RANGE = re.compile(r"(\d{4})\s*[-—–－~～至]\s*\d{4}年")
_HEADING = re.compile(r"^(?:[一二三四五六七八九十]+、|\([一二三四五六七八九十]+\)|\d{1,3}[.、．](?!\d))")
_FILE_NAME = re.compile(r"\.(?:docx?|pdf|wps|xlsx?|txt|html?|md)$", re.IGNORECASE)
_TAG = re.compile(r"^【([^】]{1,20})】")
# Pinyin that mirror sites insert after characters: 發(fā)改委, 社會(huì )發(fā)展.
_GLOSS = re.compile(r"(?<=[\u4e00-\u9fff])\([a-zA-Zāáǎàēéěèīíǐìōóǒòūúǔùüǖǘǚǜńňǹ ]{1,12}\)")
_LABEL_LINE = re.compile(rf"^(?:{'|'.join(re.escape(w) for w in LEXICON.all_labels)}):")
_HEADER_LINES = 40  # the header zone: notices, metadata, signatures and 文号 sit in a document's first lines
_TITLE_MAX = 60
_PLAUSIBLE_YEARS = range(1949, 2101)

SIDECAR_KEYS = {"title", "kind", "organization", "organization_aliases", "issuers", "number", "date", "year", "note"}


def _load_simplifier() -> Callable[[str], str]:
    """Traditional → Simplified with OpenCC when installed (length-preserving only), else the identity."""
    try:
        opencc = importlib.import_module("opencc")
    except ImportError:
        return lambda s: s
    converter = opencc.OpenCC("t2s")

    def simplified(text: str) -> str:
        out = str(converter.convert(text))
        return out if len(out) == len(text) else text

    return simplified


simplified = _load_simplifier()


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


# --- the header's lines ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Line:
    """A line of the header as read: view text without glosses, Simplified; ``at[i]`` = view index of char i."""

    text: str
    at: tuple[int, ...]

    def cut(self, start: int, end: int | None = None) -> _Line:
        return _Line(self.text[start:end], self.at[start:end])


def _header_lines(layout: Layout) -> list[_Line]:
    v = layout.view.text
    lines: list[_Line] = []
    for s, e in zip(layout.line_starts, layout.line_ends, strict=True):
        raw = v[s:e]
        drop = {i for m in _GLOSS.finditer(raw) for i in range(m.start(), m.end())}
        keep = [i for i in range(len(raw)) if i not in drop]
        line = _Line(simplified("".join(raw[i] for i in keep)), tuple(s + i for i in keep))
        line = _trim(line)
        if line.text:
            lines.append(line)
        if len(lines) >= _HEADER_LINES:
            break
    return lines


def _trim(line: _Line) -> _Line:
    """Without list/markup marks before and pipe cell ends after (``海盐县…的通知 |``)."""
    t = line.text
    start, end = 0, len(t)
    while start < end and t[start] in "-*#>•·":
        start += 1
    while end > start and t[end - 1] in "|":
        end -= 1
    return line.cut(start, end)


def _metadata_key(text: str) -> str | None:
    for key in LEXICON.header_metadata:
        if f"{key}:" in text or f"【{key}】" in text:
            return key
    return None


def _is_date(text: str) -> bool:
    return bool(re.fullmatch(rf"\(?{_DATE.pattern}(?:印发)?\)?", text))


def _is_plain(text: str) -> bool:
    """A line that could be (part of) a title: not metadata, a salutation, a date, a 文号, a table row, a file
    name, a numbered heading, a field line or a sentence."""
    return not (
        _metadata_key(text)
        or text.endswith(":")
        or "|" in text
        or "。" in text
        or _is_date(text)
        or _NUMBER_LINE.fullmatch(text)
        or _FILE_NAME.search(text)
        or _HEADING.match(text)
        or _LABEL_LINE.match(text)
    )


def _strip_opening(line: _Line) -> _Line:
    """Without a leading column tag 【…】 (not metadata), 文号 and 《 (武政办〔2022〕23号《武汉市…的通知》)."""
    while True:
        t = line.text
        m = _TAG.match(t)
        if m and m.group(1) not in LEXICON.header_metadata:
            line = line.cut(m.end())
            continue
        m2 = _NUMBER_LINE.match(t)
        if m2:
            line = line.cut(m2.end())
            continue
        if t.startswith("《"):
            line = line.cut(1)
            continue
        return line


# --- title ----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Found:
    text: str  # as read (Simplified view)
    at: tuple[int, ...]  # view indices
    issuer: str | None = None  # the notice title's prefix before 关于


def _join(parts: list[_Line]) -> _Line:
    return _Line("".join(p.text for p in parts), tuple(i for p in parts for i in p.at))


def _notice(lines: list[_Line]) -> _Found | None:
    """A notice title ``A关于……的通知`` over up to five lines; the 《》 title when it is 关于印发《X》的通知."""
    for i, first in enumerate(lines):
        line = _strip_opening(first)
        k = line.text.find("关于")
        # the prefix is an issuer (济南市教育局等4部门), never a sentence citing a notice (…认真落实《省政府…关于…)
        if k < 0 or _metadata_key(line.text) or not re.fullmatch(r"[\u4e00-\u9fff\d]{0,30}", line.text[:k]):
            continue
        run = [line]
        for nxt in lines[i + 1 : i + 5]:
            if "的通知" in _join(run).text[k:]:
                break
            if not _is_plain(nxt.text):
                break
            run.append(nxt)
        joined = _join(run)
        end = joined.text.find("的通知", k)
        if end < 0 or "。" in joined.text[:end] or end + 3 > 150:
            continue
        title = joined.cut(0, end + 3)
        prefix = title.text[:k]
        if not prefix and i > 0 and _is_plain(lines[i - 1].text) and len(lines[i - 1].text) <= 30:
            title = _join([lines[i - 1], title])  # 济南市教育局等4部门 / 关于印发…
            prefix = lines[i - 1].text
        inner = _NOTICE_INSERT.search(title.text)
        if inner and title.text.count("《") == 1:
            cut = title.cut(inner.start(1), inner.end(1))
            return _Found(cut.text, cut.at, prefix or None)
        return _Found(title.text, title.at, prefix or None)
    return None


def _attachment(lines: list[_Line]) -> _Found | None:
    """The attachment a notice's body issues: 《北京市2018年政务公开工作要点》已经市政府同意,现印发给你们."""
    joined = _join(lines)
    m = _ATTACHMENT.search(joined.text)
    if not m:
        return None
    cut = joined.cut(m.start(1), m.end(1))
    return _Found(cut.text, cut.at)


def _kind_words() -> tuple[str, ...]:
    return tuple(w for w, _ in LEXICON.document_kinds)


def _heading_line(lines: list[_Line]) -> _Found | None:
    """The first short heading-like line naming a kind (joined to the organization line above an opening year)."""
    for i, line in enumerate(lines):
        t = line.text
        if _HEADING.match(t):
            break
        if len(t) > _TITLE_MAX or not _is_plain(t) or not any(w in t for w in _kind_words()):
            continue
        first = i
        if t[0].isdigit() or any(t.startswith(w) for w in _kind_words()):
            while first > 0 and i - first < 2 and len(lines[first - 1].text) <= 40 and _is_plain(lines[first - 1].text):
                first -= 1
        found = _join(lines[first : i + 1])
        return _Found(found.text, found.at)
    return None


def _first_short_line(lines: list[_Line]) -> _Found | None:
    for line in lines:
        if _HEADING.match(line.text):
            break
        if 2 <= len(line.text) <= 40 and _is_plain(line.text):
            return _Found(line.text, line.at)
    return None


def _first_sentence(lines: list[_Line]) -> list[_Line]:
    """A one-line document's opening sentence as a line of its own (关于支持“双招双引”的十条意见。为落实…)."""
    if not lines:
        return []
    first = lines[0]
    end = first.text.find("。")
    if len(first.text) > _TITLE_MAX and 0 < end <= _TITLE_MAX:
        return [first.cut(0, end)]
    return []


def _verbatim(source: SourceText, layout: Layout, found: _Found) -> tuple[str, Span]:
    span = layout.view.span(found.at[0], found.at[-1] + 1)
    return clean_inline(_GLOSS.sub("", span.quote(source.text))), span


# --- kind, organization, issuers, number, date, year ----------------------------------------------------------


def title_kind(title: str) -> DocumentKind | None:
    """The kind a title names: the kind word ending last (the longer on a tie), genre words only when alone.

    >>> title_kind("滁州市人民政府关于2020年市政府重点工作及责任分解的通知")
    <DocumentKind.DIVISION: 'division'>
    >>> title_kind("关于召开运动会的通知"), title_kind("国家开放大学2020年工作要点")
    (<DocumentKind.PLAN: 'plan'>, <DocumentKind.WORK_PLAN: 'work-plan'>)
    """
    key = simplified(re.sub(r"\s+", "", title))
    best: tuple[bool, int, int] | None = None
    kind: DocumentKind | None = None
    for word, value in LEXICON.document_kinds:
        at = key.rfind(word)
        if at < 0:
            continue
        rank = (word not in LEXICON.document_genres, at + len(word), len(word))
        if best is None or rank > best:
            best, kind = rank, DocumentKind(value)
    return kind


def _organization(title_key: str) -> tuple[str, tuple[str, ...]] | None:
    """The organization a title opens with: its shortest prefix of Han characters ending in an organization suffix."""
    m = _ORG_SUFFIX.search(title_key)
    if not m or not _ORG_PREFIX.match(title_key[: m.start()]) or "关于" in title_key[: m.start()]:
        return None
    name = title_key[: m.start()] + m.group(0).split("(")[0]
    aliases = tuple(a for a in re.split(r"[、,]", m.group(1) or "") if a)
    return name, aliases


def _file_header_issuers(source: SourceText) -> tuple[str, ...] | None:
    """Issuers from a "A B 文件" line, split on the spaces of the source line (the view drops them)."""
    for line in source.text.split("\n")[:10]:
        stripped = line.strip().lstrip("#").strip()
        if stripped.endswith("文件") and len(stripped) < 80:
            names = [n for n in re.split(r"\s+", stripped[: -len("文件")]) if n]
            if names and all(re.fullmatch(r"[\u4e00-\u9fff()（）]+", n) for n in names):
                return tuple(simplified(n) for n in names)
    return None


def _number(lines: list[_Line]) -> tuple[str, str, int] | None:
    """The document's own 文号 (prefix, as printed, year): on a line of its own or opening one, or in metadata —
    never one cited in a sentence (…的通知》(鄂政办发〔2022〕52号))."""
    for line in lines:
        for m in _NUMBER.finditer(line.text):
            before = line.text[: m.start()]
            if before and not before.endswith(":") and not _metadata_key(line.text):
                continue
            prefix = m.group(1)
            for key in LEXICON.header_metadata:  # 文件编号:衢政办发〔2021〕3号
                if prefix.startswith(key):
                    prefix = prefix[len(key) :]
            return prefix, f"{prefix}〔{m.group(2)}〕{m.group(3)}号", int(m.group(2))
    return None


def _number_issuer(prefix: str) -> str | None:
    return next((issuer for p, issuer in LEXICON.number_issuers if prefix == p), None)


def _signature(lines: list[_Line]) -> str | None:
    """The issuer signing above the date: 北京市人民政府办公厅 / 2018年5月11日."""
    for line, nxt in pairwise(lines):
        if _SIGNATURE.match(line.text) and _is_date(nxt.text):
            return line.text
    return None


def _metadata_values(source: SourceText, keys: tuple[str, ...]) -> list[str]:
    """Values of metadata keys in the first lines of the source (fields are separated by spaces or pipes there)."""
    stop = re.compile("|".join(re.escape(k) for k in LEXICON.header_metadata))
    found: list[tuple[int, str]] = []
    for line in source.text.split("\n")[:_HEADER_LINES]:
        for rank, key in enumerate(keys):
            for m in re.finditer(rf"(?<![\u4e00-\u9fff]){re.escape(key)}\s*[:：]\s*\|?\s*([^\s|:：]+)", line):
                value = stop.split(m.group(1))[0]
                if value:
                    found.append((rank, simplified(value)))
    return [v for _, v in sorted(found, key=lambda rv: rv[0])]


def _date(layout: Layout, source: SourceText) -> str | None:
    text = layout.view.text
    m = re.search(_DATE.pattern + "印发", text)
    if m is None:
        for s, e in zip(layout.line_starts, layout.line_ends, strict=True):
            mm = re.fullmatch(rf"\(?{_DATE.pattern}\)?", text[s:e])
            if mm:
                m = mm
                break
    if m is None:
        for value in _metadata_values(source, LEXICON.date_metadata):
            m = _ISO_DATE.match(value)
            if m:
                break
    if m is None:
        return None
    y, mo, d = (int(g) for g in m.groups()[:3])
    return f"{y:04d}-{mo:02d}-{d:02d}"


def _title_year(title_key: str, issued: int | None) -> int | None:
    """A year the title names, unless it is a horizon years after the issue (2035年远景目标 in a 2022 plan)."""
    for m in re.finditer(rf"{_YEAR_RANGE.pattern}|{_YEAR.pattern}", title_key):
        year = int(m.group(1) or m.group(2))
        if year in _PLAUSIBLE_YEARS and (issued is None or year <= issued + 1):
            return year
    return None


def _text_year(text: str) -> int | None:
    """The most frequent plausible year of the text's opening (the first of them on a tie)."""
    years = [int(y) for y in _YEAR.findall(text[:2000]) if int(y) in _PLAUSIBLE_YEARS]
    if not years:
        return None
    counts = Counter(years)
    return max(years, key=lambda y: (counts[y], -years.index(y)))


def _issuer_names(raw: str) -> tuple[str, ...]:
    m = _ISSUER_GROUP.match(raw)
    return (m.group(1),) if m else (raw,)


# --- the header -----------------------------------------------------------------------------------------------


def extract_header(source: SourceText, layout: Layout, sidecar: Mapping[str, Any] | None = None) -> DocumentHeader:
    """The document header: never refused; fields that only a fallback could give are named in ``inferred``."""
    meta = dict(sidecar or {})
    inferred: list[str] = []
    lines = _header_lines(layout)

    # title
    notice = _notice(lines)
    found = notice or _attachment(lines) or _heading_line(_first_sentence(lines) + lines)
    title_span: Span | None = None
    if meta.get("title"):
        title = str(meta["title"])
    elif found is not None:
        title, title_span = _verbatim(source, layout, found)
    else:
        short = _first_short_line(lines)
        if short is not None:
            title, title_span = _verbatim(source, layout, short)
        else:
            title = Path(source.name).stem
        inferred.append("title")
    title_key = simplified(_GLOSS.sub("", re.sub(r"\s+", "", title)).replace("（", "(").replace("）", ")"))

    # kind
    if meta.get("kind"):
        try:
            kind = DocumentKind(meta["kind"])
        except ValueError as exc:
            raise SourceError(
                f"{source.path}: kind {meta['kind']!r} is not one of {[k.value for k in DocumentKind]}"
            ) from exc
    else:
        kind = title_kind(title_key) or DocumentKind.PLAN
        if kind is DocumentKind.PLAN:
            inferred.append("kind")

    # number, date, year
    number = _number(lines)
    date = str(meta["date"]) if meta.get("date") else _date(layout, source)
    issued = number[2] if number else (int(date[:4]) if date else None)
    if meta.get("year"):
        year: int | None = int(meta["year"])
    else:
        year = _title_year(title_key, issued) or issued
        if year is None:
            year = _text_year(layout.view.text)
            inferred.append("year")

    # issuers
    org = _organization(title_key)
    issuers: tuple[str, ...] = ()
    if meta.get("issuers"):
        issuers = tuple(str(i) for i in meta["issuers"])
    else:
        candidates = [
            _issuer_names(notice.issuer) if notice and notice.issuer else None,
            _file_header_issuers(source),
            (i,) if number and (i := _number_issuer(number[0])) else None,
            (s,) if (s := _signature(lines)) else None,
            tuple(_metadata_values(source, LEXICON.issuer_metadata)[:1]) or None,
            (org[0],) if org else None,
        ]
        issuers = next((c for c in candidates if c), ())
    place = places(title_key)
    if not issuers and place and not title_key.startswith(("关于", "《")):
        issuers = (f"{''.join(place)}人民政府",)  # 北京市2018年政务公开工作要点 → 北京市人民政府
        inferred.append("issuer")
    elif not issuers:
        inferred.append("issuer")

    # organization the plan is for
    if meta.get("organization"):
        organization = str(meta["organization"])
    elif org is not None:
        organization = government_of(org[0])
    elif issuers:
        organization = government_of(issuers[0])
        if "issuer" in inferred:
            inferred.append("organization")
    else:
        organization = UNKNOWN_ORGANIZATION
        inferred.append("organization")
    aliases = tuple(meta.get("organization_aliases") or (org[1] if org and org[0] == organization else ()))

    return DocumentHeader(
        title=title,
        kind=kind,
        organization=organization,
        organization_aliases=aliases,
        issuers=issuers,
        number=str(meta.get("number") or "") or (number[1] if number else None),
        date=date,
        year=year,
        title_span=title_span,
        inferred=tuple(inferred),
    )
