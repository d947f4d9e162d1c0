"""Segment a document's text into numbered headings and responsibility markers.

Layout-driven but general over the family of Chinese plans: the text is read through a normalized view
(full-width folded, white space dropped, so PDF line breaks inside words vanish) that remembers source offsets.
Headings are numbered lines (一、 / （一） / 1． / （1）) accepted only in sequence; responsibility markers are
field lines (分管领导：…, 牵头单位：…) and bracketed tags (（责任单位：…）, （校领导：X。Y牵头负责）).
Tasks are the heading blocks, at the innermost level that carries markers, that own them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from orgkg.textnorm import TextView, view

CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


def cn_number(text: str) -> int:
    """Value of a Chinese numeral up to 999, or of ASCII digits.

    >>> [cn_number(s) for s in ("十", "十二", "二十", "三十九", "一百零五", "07")]
    [10, 12, 20, 39, 105, 7]
    """
    if text.isdigit():
        return int(text)
    total, current = 0, 0
    for ch in text:
        if ch in CN_DIGITS:
            current = CN_DIGITS[ch]
        elif ch == "十":
            total += (current or 1) * 10
            current = 0
        elif ch == "百":
            total += (current or 1) * 100
            current = 0
        else:
            raise ValueError(f"not a Chinese numeral: {text!r}")
    return total + current


# Field labels that introduce a responsibility, longest first so 分管校领导 wins over 校领导.
SUPERVISOR_LABELS = ("分管校领导", "分管领导", "牵头校领导", "责任校领导", "校领导")
UNIT_LABELS = (
    "牵头单位",
    "牵头部门",
    "责任单位",
    "责任部门",
    "责任科室",
    "负责单位",
    "负责部门",
    "配合单位",
    "配合部门",
    "参与单位",
    "参与部门",
    "协办单位",
    "协办部门",
)
FIELD_LABELS = SUPERVISOR_LABELS + UNIT_LABELS
_LABEL_ALT = "|".join(FIELD_LABELS)
_FIELD_AT = re.compile(rf"(?:{_LABEL_ALT}):")
# A tag such as （校领导按分工牵头推进，各部门分工负责） has no colon but is still a responsibility tag.
_TAG_START = re.compile(rf"(?:(?:{_LABEL_ALT}):|校领导按分工)")

_HEADING_PATTERNS: tuple[tuple[int, re.Pattern[str]], ...] = (
    (1, re.compile(r"([一二三四五六七八九十百]+)、")),
    (2, re.compile(r"\(([一二三四五六七八九十]+)\)")),
    (3, re.compile(r"(\d{1,3})(?:\.(?!\d)|、)")),
    (4, re.compile(r"\((\d{1,3})\)")),
)
_PAGE_NUMBER_LINE = re.compile(r"^\s*(?:[-—–]\s*\d{1,3}\s*[-—–]|\d{1,3}|第\s*\d{1,3}\s*页(?:\s*共\s*\d+\s*页)?)\s*$")
_MARKUP_PREFIX = re.compile(r"[#>]+")


@dataclass(frozen=True)
class Heading:
    """A numbered heading line: level 1 (一、) to 4 (（1）); positions are view indices."""

    level: int
    number: int
    label: str  # as in the view: "一、", "(一)", "1."
    start: int  # view index of the label
    body_start: int  # view index after the label
    line_end: int  # view index where the heading's source line ends


@dataclass(frozen=True)
class Marker:
    """A responsibility statement: a field line or a bracketed tag; ``body`` excludes label and brackets."""

    label: str  # the field label (校领导, 责任单位 …) or "校领导按分工"
    start: int  # view index, including the bracket of a tag
    end: int
    body_start: int
    body_end: int
    bracketed: bool


@dataclass(frozen=True)
class Layout:
    """The segmented document: its view, line starts, headings and markers."""

    view: TextView
    line_starts: tuple[int, ...]  # view indices where a source line begins
    line_ends: tuple[int, ...]  # view index where each such line ends (exclusive)
    headings: tuple[Heading, ...]
    markers: tuple[Marker, ...]


def document_view(text: str) -> tuple[TextView, list[int], list[int]]:
    """The whole-document view minus page-number lines and markup, with view line starts and ends."""
    chars: list[str] = []
    offsets: list[int] = []
    starts: list[int] = []
    ends: list[int] = []
    pos = 0
    for line in text.split("\n"):
        line_start = pos
        pos += len(line) + 1
        if _PAGE_NUMBER_LINE.match(line) or not line.strip():
            continue
        lv = view(text, line_start, line_start + len(line))
        body = lv.text
        m = _MARKUP_PREFIX.match(body)
        skip = m.end() if m else 0
        if skip == len(body):
            continue
        starts.append(len(chars))
        chars.extend(body[skip:])
        offsets.extend(lv.offsets[skip:])
        ends.append(len(chars))
    return TextView("".join(chars), tuple(offsets)), starts, ends


def _headings(v: TextView, starts: list[int], ends: list[int]) -> list[Heading]:
    last: dict[int, int] = {}
    found: list[Heading] = []
    for s, e in zip(starts, ends, strict=True):
        for level, pattern in _HEADING_PATTERNS:
            m = pattern.match(v.text, s, e)
            if not m:
                continue
            number = cn_number(m.group(1))
            if level in last and number != 1 and number != last[level] + 1:
                continue  # out of sequence: a numbered phrase inside a paragraph, not a heading
            if m.end() >= e and level in (1, 3):
                continue  # a bare number on a line is not a heading of these levels
            last[level] = number
            found.append(Heading(level, number, m.group(0), s, m.end(), e))
            break
    return found


def _close_bracket(text: str, open_at: int, limit: int) -> int | None:
    """Index of the bracket closing the one at ``open_at`` (nesting respected), or None before ``limit``."""
    depth = 0
    for i in range(open_at, min(limit, len(text))):
        ch = text[i]
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth == 0:
                return i
    return None


def _markers(v: TextView, starts: list[int], headings: list[Heading]) -> list[Marker]:
    text = v.text
    line_start_set = set(starts)
    boundary_starts = sorted({h.start for h in headings} | {s for s in starts if _FIELD_AT.match(text, s)})
    found: list[Marker] = []
    covered_until = -1
    for i, ch in enumerate(text):
        if i < covered_until:
            continue
        if ch == "(" and _TAG_START.match(text, i + 1):
            close = _close_bracket(text, i, i + 2000)
            if close is None:
                continue
            label_m = _TAG_START.match(text, i + 1)
            assert label_m is not None
            label = label_m.group(0).rstrip(":")
            body_start = label_m.end() if label_m.group(0).endswith(":") else i + 1
            found.append(Marker(label, i, close + 1, body_start, close, bracketed=True))
            covered_until = close + 1
        elif i in line_start_set:
            m = _FIELD_AT.match(text, i)
            if not m:
                continue
            nxt = next((b for b in boundary_starts if b > i), len(text))
            stop = text.find("。", m.end(), nxt)
            body_end = nxt if stop < 0 else stop
            end = body_end + 1 if stop >= 0 else body_end
            found.append(Marker(m.group(0).rstrip(":"), i, end, m.end(), body_end, bracketed=False))
            covered_until = end
    return found


def segment(text: str) -> Layout:
    """Segment a document text into headings and responsibility markers."""
    v, starts, ends = document_view(text)
    headings = _headings(v, starts, ends)
    markers = _markers(v, starts, headings)
    return Layout(v, tuple(starts), tuple(ends), tuple(headings), tuple(markers))


@dataclass(frozen=True)
class Block:
    """A heading with the view range it governs: up to the next heading of the same or a higher level."""

    heading: Heading
    end: int
    parent: Block | None


def blocks(layout: Layout) -> list[Block]:
    """Heading blocks in document order, each with its parent block."""
    result: list[Block] = []
    stack: list[Block] = []
    hs = layout.headings
    for idx, h in enumerate(hs):
        end = len(layout.view.text)
        for later in hs[idx + 1 :]:
            if later.level <= h.level:
                end = later.start
                break
        while stack and stack[-1].heading.level >= h.level:
            stack.pop()
        # A heading after its parent's end (a numbering restart) has no parent.
        while stack and stack[-1].end <= h.start:
            stack.pop()
        block = Block(h, end, stack[-1] if stack else None)
        result.append(block)
        stack.append(block)
    return result
