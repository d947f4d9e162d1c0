"""Segment a document's text into numbered headings and responsibility markers.

Layout-driven but general over the family of Chinese plans: the text is read through a normalized view
(full-width folded, Traditional script as Simplified, pinyin glosses and white space dropped, so PDF line breaks
inside words vanish) that remembers source offsets. The view is cut into *logical lines*: source lines, the
cells of ``a | b |`` rows, and the numbered items of bodies run together on one line (``…。 2.落实…``).

* Headings are numbered lines (一、 / （一） / 1． / （1）) accepted only in sequence; a number inside a line
  starts an item only after a sentence end or a gap, and only as the next number of its level.
* Responsibility markers (:class:`Marker`) are every way the family writes who is responsible: labelled fields
  (分管领导：…, 牵头单位：… — at a line start or run together on one line), bracketed tags in any bracket
  ((责任单位:…), [牵头单位:…;责任单位:…], (X牵头,Y参与), (X、Y负责), (A,B,C,排名第一位为牵头单位,下同)), sentence
  clauses (由X负责落实。), lines that are only ``X牵头落实``, section headings that name a leader
  (一、王丹县长牵头重点工作) and the role columns of tables flattened one cell per line.

Every word comes from the lexicon (:mod:`orgkg.lexicon`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from orgkg.lexicon import LEXICON, alternation
from orgkg.records import Role
from orgkg.textnorm import TextView, document_chars

CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


def cn_number(text: str) -> int:
    """Value of a Chinese numeral up to 999, of ASCII digits, or of a circled number.

    >>> [cn_number(s) for s in ("十", "十二", "二十", "三十九", "一百零五", "07", "③")]
    [10, 12, 20, 39, 105, 7, 3]
    """
    if len(text) == 1 and "①" <= text <= "⑳":
        return ord(text) - ord("①") + 1
    if text.isascii() and text.isdigit():
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


SUPERVISOR_LABELS = LEXICON.supervisor_labels
_ROLE_LABEL_ALT = alternation(LEXICON.role_labels)
_ANY_LABEL_ALT = alternation(LEXICON.all_labels)
# A field: a label and a colon (the view folds ：to :).
_ROLE_FIELD_AT = re.compile(rf"(?:{_ROLE_LABEL_ALT}):")
_ANY_FIELD_AT = re.compile(rf"(?:{_ANY_LABEL_ALT}):")
_VERB_ALT = alternation([v for v, _ in LEXICON.verbs])
_POST_ALT = alternation(LEXICON.posts)
# 一、王丹县长牵头重点工作 / (一)戴建平常务副市长牵头重点工作: a leader (2–4 characters) and the post.
LEADER_HEADING = re.compile(
    rf"(?P<name>[\u4e00-\u9fff·]{{2,4}}?)(?P<post>{_POST_ALT})(?:{LEXICON.leader_heading_tail})$"
)

OPEN_BRACKETS = "(["
CLOSE_BRACKETS = ")]"
_MAX_SKIP = 3  # numbering that skips (items left out of a published list) still continues its level
ROW_LEVEL = 6  # rows of a flattened table: deeper than every numbered heading

_HEADING_PATTERNS: tuple[tuple[int, re.Pattern[str]], ...] = (
    (1, re.compile(r"([一二三四五六七八九十百]+)、")),
    (2, re.compile(r"\(([一二三四五六七八九十]+)\)")),
    (3, re.compile(r"(\d{1,3})(?:\.(?!\d)|、)")),
    (4, re.compile(r"\((\d{1,3})\)")),
    (5, re.compile(r"([①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳])")),
)
_PAGE_NUMBER_LINE = re.compile(r"^\s*(?:[-—–]\s*\d{1,3}\s*[-—–]|\d{1,3}|第\s*\d{1,3}\s*页(?:\s*共\s*\d+\s*页)?)\s*$")
_MARKUP_PREFIX = re.compile(r"[#>]+")
_SENTENCE_BOUNDARY = "。;!?)]:"
BARE_ORDINAL = re.compile(r"^(\d{1,4})(\*?)$")
_ORDINAL_HEADER_LINE = re.compile(rf"^[ \t]*(?:{alternation(LEXICON.ordinal_columns)})[ \t|]*$", re.MULTILINE)


@dataclass(frozen=True)
class Heading:
    """A numbered heading: level 1 (一、) to 5 (①), or a table row (:data:`ROW_LEVEL`); view indices."""

    level: int
    number: int
    label: str  # as in the view: "一、", "(一)", "1.", "24"
    start: int  # view index of the label
    body_start: int  # view index where the heading's text (its title) starts
    line_end: int  # view index where the heading's text ends


@dataclass(frozen=True)
class Marker:
    """A responsibility statement; ``body`` excludes label and brackets.

    ``kind`` says how it is written: ``field`` (label: names), ``tag`` (a bracketed tag, parsed by its body),
    ``clause`` (由X负责落实 / a line X牵头落实: units and a verb), ``cell`` (a table cell of a role column; ``role``
    set), ``leader`` (a section heading naming the leader of the tasks under it; ``role`` supervisor).
    """

    label: str  # the field label (校领导, 责任单位 …), "" when there is none
    start: int  # view index, including the bracket of a tag
    end: int
    body_start: int
    body_end: int
    bracketed: bool
    kind: str = "field"
    role: Role | None = None
    whole_line: bool = False  # the marker is all there is on its logical line


@dataclass(frozen=True)
class Layout:
    """The segmented document: its view, logical lines, headings and markers."""

    view: TextView
    line_starts: tuple[int, ...]  # view indices where a logical line begins
    line_ends: tuple[int, ...]  # view index where each such line ends (exclusive)
    headings: tuple[Heading, ...]
    markers: tuple[Marker, ...]
    first_listed_lead_from: int | None = None  # view index from which the first-listed unit leads


def document_view(text: str) -> tuple[TextView, list[int], list[int], set[int]]:
    """The whole-document view minus page-number lines and markup, cut into logical lines.

    Returns the view, the view start and end of each logical line, and the view indices that white space
    preceded inside a source line (gaps, which separate fields run together on one line).
    """
    chars_of = document_chars(text)
    chars: list[str] = []
    offsets: list[int] = []
    starts: list[int] = []
    ends: list[int] = []
    gaps: set[int] = set()
    pos = 0
    # a bare number on a line is a page number, except in a table flattened one cell per line (a row number)
    numbers_are_rows = bool(_ORDINAL_HEADER_LINE.search(text))
    for line in text.split("\n"):
        line_start = pos
        pos += len(line) + 1
        if not line.strip(" \t|") or (
            _PAGE_NUMBER_LINE.match(line) and not (numbers_are_rows and line.strip().isdigit())
        ):
            continue
        framed = line.lstrip().startswith("|")
        cells = [(line_start, len(line))] if framed or "|" not in line else _cells(line, line_start)
        for cell_start, cell_len in cells:
            body_chars: list[str] = []
            body_offsets: list[int] = []
            gap = False
            for i in range(cell_start, cell_start + cell_len):
                c = chars_of[i]
                if not c or c.isspace() or c == "*":
                    gap = gap or (c.isspace() if c else False)
                    continue
                if gap and body_chars:
                    gaps.add(len(chars) + len(body_chars))
                gap = False
                body_chars.append(c)
                body_offsets.append(i)
            body = "".join(body_chars)
            m = _MARKUP_PREFIX.match(body)
            skip = m.end() if m else 0
            if skip == len(body):
                continue
            starts.append(len(chars))
            chars.extend(body_chars[skip:])
            offsets.extend(body_offsets[skip:])
            ends.append(len(chars))
    return TextView("".join(chars), tuple(offsets), text), starts, ends, gaps


def _cells(line: str, line_start: int) -> list[tuple[int, int]]:
    """``a | b |`` → the source (start, length) of each cell; a metadata or key–value row cut at its pipes."""
    out = []
    pos = 0
    for part in line.split("|"):
        if part.strip():
            out.append((line_start + pos, len(part)))
        pos += len(part) + 1
    return out


def _boundary_before(text: str, i: int, line_start: int, gaps: set[int]) -> bool:
    """Whether view index ``i`` may start an item inside a line: after a sentence end, a bracket or a gap."""
    if i == line_start:
        return True
    return i in gaps or text[i - 1] in _SENTENCE_BOUNDARY


def _find_headings(v: TextView, starts: list[int], ends: list[int], gaps: set[int]) -> tuple[list[Heading], list[int]]:
    """Headings in document order, and the view indices where an inline heading cuts its line."""
    text = v.text
    candidates: list[
        tuple[int, int, int, int, re.Match[str], bool]
    ] = []  # (pos, level, line start, line end, m, inline)
    for s, e in zip(starts, ends, strict=True):
        for i in range(s, e):
            if i != s and not _boundary_before(text, i, s, gaps):
                continue
            for level, pattern in _HEADING_PATTERNS:
                m = pattern.match(text, i, e)
                if m:
                    candidates.append((i, level, s, e, m, i != s))
                    break
    last: dict[int, int] = {}
    found: list[Heading] = []
    cuts: list[int] = []
    for i, level, _s, e, m, inline in candidates:
        number = cn_number(m.group(1))
        previous = last.get(level)
        if inline:
            # inside a line only the next number of its level, or a first 1 after a gap (a body on one line)
            if not (
                (previous is not None and number == previous + 1)
                or (number == 1 and (i in gaps or text[i - 1] in "。;") and _deeper_restart(found, level))
            ):
                continue
        elif previous is not None and number != 1 and not previous < number <= previous + _MAX_SKIP:
            continue  # out of sequence: a numbered phrase, not a heading (a plan may skip a number or two)
        if m.end() >= e and level in (1, 3) and not inline:
            continue  # a bare number on a line is not a heading of these levels
        last[level] = number
        for deeper in [lv for lv in last if lv > level]:
            del last[deeper]
        found.append(Heading(level, number, m.group(0), i, m.end(), e))
        if inline:
            cuts.append(i)
    return found, cuts


def _deeper_restart(found: list[Heading], level: int) -> bool:
    """An inline 1 may start a level when no heading yet, or the last heading is shallower (a new section)."""
    return not found or found[-1].level < level or all(h.level != level for h in found)


def _cut_lines(starts: list[int], ends: list[int], cuts: list[int]) -> tuple[list[int], list[int]]:
    cut_set = sorted(set(cuts))
    new_starts: list[int] = []
    new_ends: list[int] = []
    k = 0
    for s, e in zip(starts, ends, strict=True):
        pieces = [s]
        while k < len(cut_set) and cut_set[k] < e:
            if cut_set[k] > s:
                pieces.append(cut_set[k])
            k += 1
        for a, b in zip(pieces, [*pieces[1:], e], strict=True):
            new_starts.append(a)
            new_ends.append(b)
    return new_starts, new_ends


def close_bracket(text: str, open_at: int, limit: int) -> int | None:
    """Index of the bracket closing the one at ``open_at`` (nesting of ( and [ respected), or None."""
    depth = 0
    for i in range(open_at, min(limit, len(text))):
        ch = text[i]
        if ch in OPEN_BRACKETS:
            depth += 1
        elif ch in CLOSE_BRACKETS:
            depth -= 1
            if depth == 0:
                return i
        elif ch == "。" and depth == 1 and i > open_at + 1 and text[i + 1 : i + 2] not in CLOSE_BRACKETS:
            # a tag holds no full stop but at its very end; a sentence stop inside means this is prose
            if not _ROLE_FIELD_AT.match(text, open_at + 1) and not text.startswith("校领导", open_at + 1):
                return None
    return None


def _field_end(text: str, body_start: int, limit: int, gaps: set[int]) -> tuple[int, int]:
    """(body end, marker end) of a field: up to 。, the next label, a gap after a complete name, or the limit."""
    i = body_start
    depth = 0
    while i < limit:
        ch = text[i]
        if ch in OPEN_BRACKETS:
            depth += 1
        elif ch in CLOSE_BRACKETS:
            depth = max(0, depth - 1)
        elif depth == 0:
            if ch == "。":
                return i, i + 1
            if i > body_start and (i in gaps or text[i - 1] in ";,") and _ANY_FIELD_AT.match(text, i):
                end = i
                while end > body_start and text[end - 1] in ";,":
                    end -= 1
                return end, end
            if i in gaps and i > body_start and text[i - 1] not in "、,;:" and _is_name_end(text, body_start, i):
                return i, i
        i += 1
    return limit, limit


def _is_name_end(text: str, body_start: int, i: int) -> bool:
    piece_start = max(text.rfind(c, body_start, i) for c in "、,;:") + 1
    piece = text[max(piece_start, body_start) : i]
    return piece.endswith(LEXICON.body_suffixes) or bool(re.fullmatch(r"[\u4e00-\u9fff]{2,4}", piece))


def _unit_list_verb(text: str, start: int, end: int) -> re.Match[str] | None:
    """``X、Y牵头落实`` / ``X负责``: the last role verb of a span whose text before it names bodies."""
    for m in re.finditer(rf"(?:{_VERB_ALT})", text[start:end]):
        before = text[start : start + m.start()]
        if before and looks_like_bodies(before):
            return m
    return None


def _assigns_only(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` is nothing but units and role verbs: ``A牵头,B、C配合`` / ``A、B分别牵头落实``."""
    clause_start = start
    while clause_start < end:
        verb = _unit_list_verb(text, clause_start, end)
        if verb is None:
            return False
        after = clause_start + verb.end()
        if after < end and text[after] not in ",;":
            return False
        clause_start = after + 1
    return clause_start > start


def looks_like_bodies(text: str) -> bool:
    """Whether a list reads as names of bodies (each piece ends as a body's name does, or is a collective).

    >>> looks_like_bodies("市财政局、农业局,各县(市)、区人民政府"), looks_like_bodies("加快建设城市大脑")
    (True, False)
    """
    pieces = [p for p in re.split(r"[、,;/]", _strip_brackets(text)) if p]
    if not pieces:
        return False
    for p in pieces:
        if re.search(r"[。:!?“”\[\]()]", p):
            return False  # a sentence, a field or a bracket left open is no name
        p = re.sub(r"(?:等|等单位|等部门)$", "", p)
        for c in LEXICON.connectives:
            p = p.split(c)[-1] if c in p else p
        if not (p.endswith(LEXICON.body_suffixes) or _collective_like(p) or _continuation(p)):
            return False
        if len(p) > 30:
            return False
    return True


def _strip_brackets(text: str) -> str:
    prev = None
    while prev != text:
        prev = text
        text = re.sub(r"[(\[<][^()\[\]<>]*[)\]>]", "", text)
    return text


def _collective_like(p: str) -> bool:
    lx = LEXICON
    return (
        p.startswith(lx.collective_prefixes)
        or any(c in p for c in lx.collective_contains)
        or p.endswith(lx.collective_suffixes)
        or p in lx.collective_whole
    )


def _continuation(p: str) -> bool:
    return bool(LEXICON.collective_continuation.match(p)) or p in LEXICON.category_nouns


def _tag_kind(text: str, body_start: int, body_end: int, standalone: bool = False) -> str | None:
    """What a bracketed text is: ``fields``, ``verbs``, ``list`` (bodies only), or None (ordinary brackets).

    A bare list of bodies is a tag when it states the first-listed rule, or when it stands after a sentence
    (…信息公开。(市发改委、市统计局)) rather than after a name, where brackets hold an alias (市商务局(市粮食局)).
    """
    if _ANY_FIELD_AT.match(text, body_start) or text.startswith("校领导按分工", body_start):
        return (
            "fields"
            if not text.startswith(tuple(LEXICON.other_labels), body_start)
            or _ROLE_FIELD_AT.search(text, body_start, body_end)
            else None
        )
    body = text[body_start:body_end]
    rule = LEXICON.first_listed_lead.search(body)
    if _unit_list_verb(text, body_start, body_end) is not None:
        return "verbs"
    pieces = [p for p in re.split(r"[,;]", body) if p]
    named = [p for p in pieces if not LEXICON.first_listed_lead.search(p) and p not in LEXICON.convention_scope]
    if (rule or standalone) and named and looks_like_bodies(",".join(named)):
        return "list"
    return None


def _markers(v: TextView, starts: list[int], ends: list[int], headings: list[Heading], gaps: set[int]) -> list[Marker]:
    text = v.text
    heading_starts = {h.start for h in headings}
    boundaries = sorted(heading_starts | {s for s in starts if _ANY_FIELD_AT.match(text, s)})
    line_of = [0] * (len(text) + 1)
    for k, (s, e) in enumerate(zip(starts, ends, strict=True)):
        for j in range(s, e):
            line_of[j] = k
    found: list[Marker] = []
    covered_until = -1
    for i, ch in enumerate(text):
        if i < covered_until:
            continue
        line_start, line_end = starts[line_of[i]], ends[line_of[i]]
        if ch in OPEN_BRACKETS:
            close = close_bracket(text, i, i + 600)
            if close is None:
                continue
            kind = _tag_kind(text, i + 1, close, standalone=i == line_start or text[i - 1] in "。;!?")
            if kind is None:
                continue
            label_m = _ANY_FIELD_AT.match(text, i + 1)
            label = label_m.group(0).rstrip(":") if label_m else ("校领导按分工" if kind == "fields" else "")
            body_start = label_m.end() if label_m else i + 1
            whole = i == line_start and close + 1 >= line_end
            found.append(Marker(label, i, close + 1, body_start, close, True, kind, whole_line=whole))
            covered_until = close + 1
            continue
        at_boundary = _boundary_before(text, i, line_start, gaps)
        if not at_boundary:
            continue
        m = _ROLE_FIELD_AT.match(text, i)
        if m:
            limit = next((b for b in boundaries if b > i), len(text))
            if i != line_start:
                limit = min(limit, line_end)
            body_end, end = _field_end(text, m.end(), limit, gaps)
            whole = i == line_start and end >= line_end
            found.append(Marker(m.group(0).rstrip(":"), i, end, m.end(), body_end, False, "field", whole_line=whole))
            covered_until = end
            continue
        if ch == "由":
            stop = _sentence_end(text, i, line_end)
            verb = _unit_list_verb(text, i + 1, stop)
            if verb is not None:
                body_end = i + 1 + verb.end()
                end = stop + 1 if stop < len(text) and text[stop] == "。" else stop
                found.append(Marker("", i, end, i + 1, body_end, False, "clause"))
                covered_until = end
                continue
        if (i == line_start and i not in heading_starts) or text[i - 1] == "。":
            # a sentence that only assigns: 市发改委牵头落实 / 市发改委牵头,市商务局、市财政局配合。
            stop = _sentence_end(text, i, line_end)
            if _assigns_only(text, i, stop):
                end = stop + 1 if stop < len(text) and text[stop] == "。" else stop
                found.append(
                    Marker("", i, end, i, stop, False, "clause", whole_line=i == line_start and end >= line_end)
                )
                covered_until = end
    return found


def _sentence_end(text: str, start: int, limit: int) -> int:
    stop = text.find("。", start, limit)
    return stop if stop >= 0 else limit


def _leader_markers(v: TextView, headings: list[Heading]) -> list[Marker]:
    out = []
    for h in headings:
        m = LEADER_HEADING.match(v.text, h.body_start, h.line_end)
        if m:
            out.append(Marker("", h.start, h.line_end, h.body_start, h.line_end, False, "leader", Role.SUPERVISOR))
    return out


def segment(text: str) -> Layout:
    """Segment a document text into headings and responsibility markers."""
    from orgkg.cell_tables import table_rows  # the table reader builds on this module's headings

    v, starts, ends, gaps = document_view(text)
    headings, cuts = _find_headings(v, starts, ends, gaps)
    if cuts:
        starts, ends = _cut_lines(starts, ends, cuts)
        headings = [
            Heading(h.level, h.number, h.label, h.start, h.body_start, _line_end(starts, ends, h.start))
            for h in headings
        ]
    rows, cells = table_rows(v, starts, ends, headings)
    row_starts = {h.start for h in rows}
    cell_starts = {m.start for m in cells}
    all_headings = sorted([*headings, *rows], key=lambda h: h.start)
    markers = [m for m in _markers(v, starts, ends, all_headings, gaps) if m.start not in cell_starts | row_starts]
    markers = sorted([*markers, *cells, *_leader_markers(v, headings)], key=lambda m: m.start)
    if not all_headings and markers:
        all_headings = _paragraph_headings(v, starts, ends, markers)
    rule = LEXICON.first_listed_lead.search(v.text)
    return Layout(
        v,
        tuple(starts),
        tuple(ends),
        tuple(all_headings),
        tuple(markers),
        first_listed_lead_from=rule.start() if rule else None,
    )


PARAGRAPH_LEVEL = ROW_LEVEL + 1


def _paragraph_headings(v: TextView, starts: list[int], ends: list[int], markers: list[Marker]) -> list[Heading]:
    """A plan with no numbered items: each paragraph that carries a marker is a task, numbered in order.

    A marker alone on its line (labelled lines under a paragraph) belongs to the paragraph above it.
    """
    marker_only = {m.start for m in markers if m.whole_line}
    chosen: list[int] = []
    for m in markers:
        k = next((i for i, (s, e) in enumerate(zip(starts, ends, strict=True)) if s <= m.start < e), None)
        if k is None:
            continue
        while m.whole_line and k > 0 and starts[k] in marker_only:
            k -= 1
        if starts[k] in marker_only:
            continue
        if not chosen or chosen[-1] != k:
            chosen.append(k)
    lines = sorted(set(chosen))
    return [Heading(PARAGRAPH_LEVEL, n, "", starts[k], starts[k], ends[k]) for n, k in enumerate(lines, start=1)]


def _line_end(starts: list[int], ends: list[int], pos: int) -> int:
    for s, e in zip(starts, ends, strict=True):
        if s <= pos < e:
            return e
    return pos


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
