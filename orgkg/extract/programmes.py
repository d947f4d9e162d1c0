"""Programmes a plan defines (工程, 计划, 行动, counted collections) and the places it mentions them.

Rules follow the layouts of the document family, never one document's names:

(a) a quoted name with a bracketed part list: 实施“1233工程”（打造一支队伍、…）, 推进“四个转变”（…）;
(b) 专栏 blocks of strategic plans: ``专栏4  高水平教师队伍建设工程`` then items ``01 师德师风建设计划`` …;
(c) numbered runs (``01 …`` … ``11 …``) labelled by a caption whose count equals the run's length, written one
    character per line on slides (十 / 一 / 项 / 重 / 大 / 任 / 务) or on a line of its own (九个坚持);
(d) a counted name (“四大平台”) whose parts are an enumeration of as many items ending in 的平台;
(e) an enumeration closed by its own count: A计划、B计划、C计划等三大计划.

Every name and part is read back from the verbatim source through its span, so full-width brackets stay as
printed; line breaks are removed (:func:`clean_inline`) and quotation marks dropped (“1233”工程 → 1233工程).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import pairwise

from orgkg.records import ProgrammeDefinition, ProgrammeMention, Span
from orgkg.textnorm import TextView, clean_inline, fold_char, name_key, view

# Longest first, so 行动计划 wins over 计划 and 行动 in alternations.
PROGRAMME_SUFFIXES = ("行动计划", "工程", "计划", "行动", "战略", "平台")
# Items of a 专栏 that are programmes; the others (加强高层次人才引进) are measures.
COLUMN_ITEM_SUFFIXES = ("计划", "工程", "行动")

_CN_NUM = "零〇一二两三四五六七八九十百"
_CLASSIFIERS = "个大项种条类支批"
_COUNT = rf"(?:\d{{1,3}}|[{_CN_NUM}]{{1,4}})"
_SUFFIX_ALT = "|".join(PROGRAMME_SUFFIXES)
_HAN = r"\u4e00-\u9fff"

_QUOTES = re.compile(r"[“”\"‘’「」『』]")
_OPEN_QUOTES = '“‘「『"'
_CLOSE_QUOTES = '”’」』"'
# In folded views full-width punctuation is ASCII: （→(  ，→,  ；→;  ：→:
_SENTENCE_PUNCT = re.compile(r"[。;；,，:：!！?？]")
_CLAUSE_BREAK = re.compile(r"[。;,:!?()《》]")

# A count phrase anywhere in a name: 四个转变, 十一项重大任务, 4大平台 (not 1233工程, not 统一).
_COUNT_IN_NAME = re.compile(rf"(?<![\d{_CN_NUM}])(?P<count>{_COUNT})(?P<cl>[{_CLASSIFIERS}])(?=[{_HAN}])")
# A name that is only a count phrase: 四个平台, 十四个计划, 11项重大任务.
_COUNT_NAME = re.compile(rf"(?P<count>{_COUNT})(?P<cl>[{_CLASSIFIERS}])(?P<noun>[{_HAN}]{{1,6}})")
# One phrase of a caption, which may hold several: 十个专栏九大工程.
_CAPTION_PHRASE = re.compile(
    rf"(?P<count>{_COUNT})(?P<cl>[{_CLASSIFIERS}])(?P<noun>[{_HAN}]{{1,6}}?)(?=(?:{_COUNT})[{_CLASSIFIERS}]|$)"
)

# (a) “name”（parts） or “name”suffix（parts）, in a folded view where （ is (.
_QUOTED_WITH_PARTS = re.compile(rf"[“\"](?P<inner>[^“”\"()]{{1,30}})[”\"](?P<suffix>{_SUFFIX_ALT})?\(")
_QUOTED = re.compile(r"[“\"](?P<inner>[^“”\"]{1,40})[”\"]")
# “X”工程, “长征带”教育精准扶贫工程: a short tail after the closing quote completes the name.
_QUOTE_TAIL = re.compile(rf"(?P<tail>[{_HAN}]{{0,8}}?)(?:{_SUFFIX_ALT})")
_TAIL_STOP = re.compile(r"[的和与及、]")
# What may follow a name completed after its quote: 以实施“1233”工程为重点, not “十四五”时期事业发展行动指南.
_AFTER_TAIL = re.compile(rf"(?:[^{_HAN}]|$|为|的|等|和|与|及|是|在|中|已|将|取得|建设|实施|落地|全面|项目)")

# (b), (c) line layouts.
_COLUMN_NUMBER = r"(?P<num>\d{1,3}|[一二三四五六七八九十]{1,3})"
_COLUMN_HEADING = re.compile(rf"^专栏\s*{_COLUMN_NUMBER}\s*[:：.．、]?\s*(?P<name>\S.{{0,40}})$")
_ITEM = re.compile(r"^(?P<num>\d{1,2})(?:[.．、](?!\d)\s*|\s+|$)(?P<rest>.*)$")
_ONE_HAN = re.compile(rf"^[{_HAN}]$")
_ITEM_NAME_END = re.compile(r"[:：,，。;；]")

# (e) A、B、C等三大计划
_ENUM_COUNT = re.compile(rf"等(?P<count>{_COUNT})(?P<cl>[{_CLASSIFIERS}])")

# Leading verbs and possessives that open an enumeration but belong to no item: 打造终身教育、… / 成为我国…
_LEADING_WORDS = (
    "实施",
    "打造",
    "建设",
    "建成",
    "构建",
    "形成",
    "搭建",
    "成为",
    "作为",
    "推进",
    "推动",
    "加快",
    "启动",
    "开展",
    "落实",
    "完成",
    "深入",
    "继续",
    "积极",
    "大力",
    "全面",
    "重点",
    "努力",
)
_POSSESSIVE = re.compile(r"^我[国省市区县校]")

_MAX_LEAD_IN = 6  # characters of subject and adverbs before an enumeration's verb: 学校将建成…
_MAX_JOINED_ITEM = 40  # characters of an item name assembled from continuation lines
_MAX_CONTINUATION_LINE = 24
_MAX_COMPLETION_LINE = 8  # "建设计划" completing "08 职业本科教育（应用技术学院）"
_MAX_CAPTION_GAP = 2  # non-blank lines allowed between a caption and its run
_MAX_RUN_GAP = 15  # non-blank lines without a next item that end a run


# ---------------------------------------------------------------------------------------------- numbers


def cn_to_int(token: str) -> int | None:
    """The value of a count written in digits or Chinese numerals (up to 百).

    >>> [cn_to_int(t) for t in ("四", "十", "十一", "十四", "二十", "两", "11", "百二")]
    [4, 10, 11, 14, 20, 2, 11, None]
    """
    if token.isdigit():
        return int(token)
    digits = {c: i for i, c in enumerate("零一二三四五六七八九")} | {"〇": 0, "两": 2}
    total, current = 0, 0
    for i, ch in enumerate(token):
        if ch in digits:
            current = digits[ch]
        elif ch in "十百":
            unit = 10 if ch == "十" else 100
            if unit == 100 and i == 0:
                return None
            total += (current or 1) * unit
            current = 0
        else:
            return None
    return total + current


def _int_to_cn(value: int) -> str:
    """Chinese numeral for 1..99, the form counts take in programme keys."""
    names = "零一二三四五六七八九"
    if value < 10:
        return names[value]
    tens, ones = divmod(value, 10)
    return ("" if tens == 1 else names[tens]) + "十" + (names[ones] if ones else "")


def stated_count(name: str) -> int | None:
    """The count a name states (四个转变 → 4, 十一项重大任务 → 11); None when it states none (1233工程).

    >>> stated_count("四个转变"), stated_count("1233工程"), stated_count("国家开放大学4大平台")
    (4, None, 4)
    """
    m = _COUNT_IN_NAME.search(name)
    return cn_to_int(m["count"]) if m else None


def programme_key(name: str) -> str:
    """Identity key of a programme name: :func:`name_key` with counts normalized (四大平台 == 四个平台).

    >>> programme_key("“四大平台”") == programme_key("四个平台") == programme_key("4项平台")
    True
    >>> programme_key("“1233”工程") == programme_key("1233工程")
    True
    """
    key = name_key(_QUOTES.sub("", name))

    def count(m: re.Match[str]) -> str:
        value = cn_to_int(m["count"])
        if value is None or value < 2 or value >= 100:
            return m.group()  # 统一大市场 counts nothing
        return _int_to_cn(value) + ("个" if m["cl"] in "大个项" else m["cl"])

    return _COUNT_IN_NAME.sub(count, key)


# ---------------------------------------------------------------------------------------------- helpers


def _norm(source: str) -> str:
    """Display form of a name read from the source: no line breaks, no quotation marks."""
    return _QUOTES.sub("", clean_inline(source)).strip()


def _quote(text: str, span: Span) -> str:
    return _norm(text[span.start : span.end])


def _suffix_of(name: str, suffixes: Sequence[str] = PROGRAMME_SUFFIXES) -> str | None:
    return next((s for s in suffixes if name.endswith(s)), None)


def _category(name: str) -> str | None:
    """工程 for 1233工程, 转变 for 四个转变: the programme suffix, else the noun after the count."""
    suffix = _suffix_of(name)
    if suffix:
        return suffix[-2:]
    m = _COUNT_IN_NAME.search(name)
    if m:
        noun = name[m.end() :]
        return noun[-2:] if noun else None
    return None


def _strip_lead_in(stem: str, keep: int = 2) -> str:
    """Drop the lead-in of an enumeration's first item up to its verb: 学校将建成区域教学 → 区域教学."""
    cuts = [
        (at, at + len(word))
        for word in _LEADING_WORDS
        if 0 <= (at := stem.find(word)) <= _MAX_LEAD_IN and len(stem) - at - len(word) >= keep
    ]
    if cuts:
        stem = stem[min(cuts)[1] :]
    return _strip_leading(stem, keep)


def _strip_leading(stem: str, keep: int = 2) -> str:
    """Drop opening verbs and possessives: 成为我国终身教育 → 终身教育 (keeping at least two characters)."""
    changed = True
    while changed:
        changed = False
        for word in _LEADING_WORDS:
            if stem.startswith(word) and len(stem) - len(word) >= keep:
                stem = stem[len(word) :]
                changed = True
        m = _POSSESSIVE.match(stem)
        if m and len(stem) - m.end() >= keep:
            stem = stem[m.end() :]
            changed = True
    return stem


def _split_top_level(s: str, start: int, end: int, separators: str) -> list[tuple[int, int]]:
    """Ranges of ``s[start:end]`` between separators outside brackets."""
    pieces: list[tuple[int, int]] = []
    depth, begin = 0, start
    for i in range(start, end):
        ch = s[i]
        if ch in "(（[【":
            depth += 1
        elif ch in ")）]】":
            depth = max(0, depth - 1)
        elif depth == 0 and ch in separators:
            pieces.append((begin, i))
            begin = i + 1
    pieces.append((begin, end))
    return [(a, b) for a, b in pieces if b > a]


def _closing_bracket(s: str, open_at: int, limit: int = 400) -> int | None:
    depth = 0
    for i in range(open_at, min(len(s), open_at + limit)):
        if s[i] == "(":
            depth += 1
        elif s[i] == ")":
            depth -= 1
            if depth == 0:
                return i
        elif s[i] in "。\n":
            return None
    return None


# ---------------------------------------------------------------------------------------------- (a)


def _quoted_with_parts(text: str, v: TextView) -> list[ProgrammeDefinition]:
    found: list[ProgrammeDefinition] = []
    for m in _QUOTED_WITH_PARTS.finditer(v.text):
        name_end = m.end("suffix") if m["suffix"] else m.end("inner") + 1
        name = _quote(text, v.span(m.start(), name_end))
        count = stated_count(name)
        if count is None and not _suffix_of(name):
            continue
        close = _closing_bracket(v.text, m.end() - 1)
        if close is None:
            continue
        ranges = _split_top_level(v.text, m.end(), close, "、,;")
        parts = [_quote(text, v.span(a, b)) for a, b in ranges]
        if count is not None and len(parts) == count - 1 and "和" in parts[-1]:
            # "A、B和C": the last separator is a conjunction
            head, _, tail = parts[-1].rpartition("和")
            parts[-1:] = [head, tail]
        parts = [p for p in parts if p]
        if len(parts) < 2 or (count is not None and len(parts) != count):
            continue
        found.append(
            ProgrammeDefinition(
                name=name,
                span=v.span(m.start(), close + 1),
                parts=tuple(parts),
                category=_category(name),
            )
        )
    return found


# ---------------------------------------------------------------------------------------------- lines


@dataclass(frozen=True)
class _Line:
    start: int  # source offset of the first non-blank character
    end: int
    text: str  # stripped


def _lines(text: str) -> list[_Line]:
    """Non-blank lines with their source offsets."""
    out: list[_Line] = []
    pos = 0
    for raw in text.splitlines(keepends=True):
        stripped = raw.strip()
        if stripped:
            lead = len(raw) - len(raw.lstrip())
            out.append(_Line(pos + lead, pos + lead + len(stripped), stripped))
        pos += len(raw)
    return out


def _joinable(line: str, limit: int) -> bool:
    return len(line) <= limit and not _SENTENCE_PUNCT.search(line) and not _ITEM.match(line)


def _completes_suffix(name: str, nxt: _Line | None, suffixes: Sequence[str]) -> bool:
    """Whether the next line finishes a programme name broken over two lines: …（应用技术学院） + 建设计划."""
    return (
        nxt is not None
        and not _suffix_of(name, suffixes)
        and _joinable(nxt.text, _MAX_COMPLETION_LINE)
        and not _COLUMN_HEADING.match(nxt.text)
        and _suffix_of(name + nxt.text, suffixes) is not None
    )


# ---------------------------------------------------------------------------------------------- (b)


def _column_blocks(text: str, lines: list[_Line]) -> list[ProgrammeDefinition]:
    headings = [i for i, line in enumerate(lines) if _COLUMN_HEADING.match(line.text)]
    found: list[ProgrammeDefinition] = []
    for h_no, h in enumerate(headings):
        stop = headings[h_no + 1] if h_no + 1 < len(headings) else len(lines)
        hm = _COLUMN_HEADING.match(lines[h].text)
        assert hm is not None
        ordinal = cn_to_int(hm["num"])
        name_span = Span(lines[h].start + hm.start("name"), lines[h].end)
        cursor = h + 1
        nxt = lines[cursor] if cursor < stop else None
        if _completes_suffix(_quote(text, name_span), nxt, PROGRAMME_SUFFIXES) and nxt is not None:
            name_span = Span(name_span.start, nxt.end)
            cursor += 1
        name = _quote(text, name_span)
        if _SENTENCE_PUNCT.search(name):
            continue
        parts: list[str] = []
        end = name_span.end
        expected = 1
        j = cursor
        while j < stop:
            im = _ITEM.match(lines[j].text)
            number = int(im["num"]) if im else None
            if im is None or number != expected:
                if number == 1 and expected > 1:
                    break  # a new numbered list starts: the block's items are over
                j += 1
                continue
            expected += 1
            if im["rest"]:
                item = Span(lines[j].start + im.start("rest"), lines[j].end)
            elif j + 1 < stop:
                j += 1
                item = Span(lines[j].start, lines[j].end)
            else:
                break
            cut = _ITEM_NAME_END.search(text, item.start, item.end)
            if cut:
                item = Span(item.start, cut.start())
            following = lines[j + 1] if j + 1 < stop else None
            if _completes_suffix(_quote(text, item), following, COLUMN_ITEM_SUFFIXES) and following is not None:
                item = Span(item.start, following.end)
                j += 1
            item_name = _quote(text, item)
            if _suffix_of(item_name, COLUMN_ITEM_SUFFIXES):
                parts.append(item_name)
                end = item.end
            j += 1
        if not parts and not _suffix_of(name):
            continue
        found.append(
            ProgrammeDefinition(
                name=name,
                span=Span(lines[h].start, end),
                parts=tuple(parts),
                category=(_suffix_of(name) or "专栏")[-2:],
                ordinal=ordinal,
            )
        )
    return found


# ---------------------------------------------------------------------------------------------- (c)


@dataclass(frozen=True)
class _Phrase:
    text: str
    count: int
    noun: str


@dataclass(frozen=True)
class _Caption:
    first: int  # index into the non-blank lines
    last: int
    span: Span
    phrases: tuple[_Phrase, ...]


@dataclass
class _Item:
    line: int
    span: Span  # the item's name so far
    pending: list[int] = field(default_factory=list)  # continuation lines not yet known to be between items
    open: bool = True
    has_text: bool = True


@dataclass
class _Run:
    items: list[_Item]
    quiet: int = 0  # non-blank lines since the last item

    @property
    def first(self) -> int:
        return self.items[0].line


def _parse_caption(chars: str) -> tuple[_Phrase, ...] | None:
    """十个专栏九大工程 → (十个专栏, 10, 专栏), (九大工程, 9, 工程); None unless the whole string parses."""
    phrases: list[_Phrase] = []
    pos = 0
    for m in _CAPTION_PHRASE.finditer(chars):
        if m.start() != pos:
            return None
        count = cn_to_int(m["count"])
        if count is None:
            return None
        phrases.append(_Phrase(m.group(), count, m["noun"]))
        pos = m.end()
    return tuple(phrases) if phrases and pos == len(chars) else None


def _captions(lines: list[_Line]) -> list[_Caption]:
    """Vertical captions (one character per line, blank lines allowed) and one-line captions (九个坚持)."""
    found: list[_Caption] = []
    i = 0
    while i < len(lines):
        j = i
        while j < len(lines) and _ONE_HAN.match(lines[j].text):
            j += 1
        if j - i >= 3:
            phrases = _parse_caption("".join(line.text for line in lines[i:j]))
            if phrases:
                found.append(_Caption(i, j - 1, Span(lines[i].start, lines[j - 1].end), phrases))
            i = j
            continue
        if j == i and len(lines[i].text) <= 10:
            phrases = _parse_caption(lines[i].text)
            if phrases:
                found.append(_Caption(i, i, Span(lines[i].start, lines[i].end), phrases))
        i = max(j, i + 1)
    return found


def _numbered_runs(lines: list[_Line], caption_lines: set[int]) -> list[_Run]:
    runs: list[_Run] = []
    current: _Run | None = None
    for i, line in enumerate(lines):
        if i in caption_lines:
            continue
        if _COLUMN_HEADING.match(line.text):
            current = None
            continue
        im = _ITEM.match(line.text)
        number = int(im["num"]) if im else None
        if im is not None and (number == 1 or (current is not None and number == len(current.items) + 1)):
            if current is not None and number != 1:
                last = current.items[-1]
                if last.pending:
                    last.span = Span(last.span.start, lines[last.pending[-1]].end)
                    last.pending.clear()
            else:
                current = _Run([])
                runs.append(current)
            rest = im["rest"]
            start = line.start + im.start("rest") if rest else line.end
            current.items.append(_Item(i, Span(start, line.end), has_text=bool(rest)))
            current.quiet = 0
            continue
        if current is None:
            continue
        current.quiet += 1
        if current.quiet > _MAX_RUN_GAP:
            current = None
            continue
        item = current.items[-1]
        if not item.has_text:
            item.span = Span(line.start, line.end)  # the number stood alone: this line is the item's name
            item.has_text = True
        elif item.open and _joinable(line.text, _MAX_CONTINUATION_LINE):
            joined = sum(len(lines[k].text) for k in item.pending) + item.span.end - item.span.start
            if joined + len(line.text) <= _MAX_JOINED_ITEM:
                item.pending.append(i)
            else:
                item.open = False
        else:
            item.open = False
    return [run for run in runs if len(run.items) >= 2 and all(item.has_text for item in run.items)]


def _caption_distance(run: _Run, caption: _Caption, caption_lines: set[int]) -> tuple[int, bool]:
    """Non-blank lines between a caption and a run; and whether the last item's pending lines fill the gap."""
    last = run.items[-1]
    if run.first <= caption.first <= last.line:
        return 0, False
    if caption.last < run.first:
        return sum(1 for k in range(caption.last + 1, run.first) if k not in caption_lines), False
    between = [k for k in range(last.line + 1, caption.first) if k not in caption_lines]
    if between and between == last.pending:
        return 0, True
    return len(between), False


def _numbered_collections(text: str, lines: list[_Line]) -> list[ProgrammeDefinition]:
    captions = _captions(lines)
    caption_lines = {k for c in captions for k in range(c.first, c.last + 1)}
    runs = _numbered_runs(lines, caption_lines)
    pairs: list[tuple[int, int, int, bool]] = []
    for r_no, run in enumerate(runs):
        for c_no, caption in enumerate(captions):
            if caption.phrases[0].count != len(run.items):
                continue
            distance, fills = _caption_distance(run, caption, caption_lines)
            if distance <= _MAX_CAPTION_GAP:
                pairs.append((distance, r_no, c_no, fills))
    used_runs: set[int] = set()
    used_captions: set[int] = set()
    found: list[ProgrammeDefinition] = []
    for _, r_no, c_no, fills in sorted(pairs):
        if r_no in used_runs or c_no in used_captions:
            continue
        used_runs.add(r_no)
        used_captions.add(c_no)
        run, caption = runs[r_no], captions[c_no]
        last = run.items[-1]
        if fills:
            last.span = Span(last.span.start, lines[last.pending[-1]].end)
        parts = [_quote(text, item.span) for item in run.items]
        span = Span(min(lines[run.first].start, caption.span.start), max(last.span.end, caption.span.end))
        first = caption.phrases[0]
        found.append(ProgrammeDefinition(first.text, span, tuple(parts), first.noun[-2:]))
        for phrase in caption.phrases[1:]:
            head = phrase.noun[-2:]
            members = tuple(p for p in parts if p.endswith(head))
            if len(members) == phrase.count:
                found.append(ProgrammeDefinition(phrase.text, span, members, head))
    return found


# ---------------------------------------------------------------------------------------------- (d), (e)


def _clauses(s: str) -> list[tuple[int, int]]:
    bounds = [-1, *(m.start() for m in _CLAUSE_BREAK.finditer(s)), len(s)]
    return [(a + 1, b) for a, b in pairwise(bounds) if b > a + 1]


def _segments(s: str, start: int, end: int) -> list[tuple[int, int]]:
    """Items of an enumeration: split at 、 and the conjunctions 和 / 以及 / 及."""
    cuts = [(m.start(), m.end()) for m in re.finditer(r"以及|[、和及]", s[start:end])]
    out: list[tuple[int, int]] = []
    begin = start
    for a, b in cuts:
        out.append((begin, start + a))
        begin = start + b
    out.append((begin, end))
    return out


def parts_by_enumeration(name: str, text: str) -> tuple[tuple[str, ...], Span] | None:
    """Parts of a counted collection (四个平台) from an enumeration of as many items ending in 的<noun>.

    >>> parts, span = parts_by_enumeration("“四大平台”", "打造终身教育、在线教育、灵活教育、对外合作的平台，拓宽渠道")
    >>> parts
    ('终身教育平台', '在线教育平台', '灵活教育平台', '对外合作平台')
    """
    m = _COUNT_NAME.fullmatch(name_key(_QUOTES.sub("", name)))
    if m is None:
        return None
    count, noun = cn_to_int(m["count"]), m["noun"]
    if count is None or count < 2:
        return None
    tail = re.compile(rf"的[^的、]{{0,4}}{re.escape(noun)}$")
    v = view(text)
    s = v.text
    for c_start, c_end in _clauses(s):
        if noun not in s[c_start:c_end]:
            continue
        segments = _segments(s, c_start, c_end)
        # per segment: the stem's end if it ends in 的…<noun>; the segment's end if it is a bare stem; else None
        stems: list[int | None] = []
        for a, b in segments:
            seg = s[a:b]
            t = tail.search(seg)
            if t:
                stems.append(a + t.start())
            elif "的" not in seg and not seg.endswith(noun) and 0 < len(seg) <= 16:
                stems.append(b)
            else:
                stems.append(None)
        for k, (_, b) in enumerate(segments):
            if stems[k] is None or stems[k] == b:
                continue  # a run ends at a segment ending in 的…<noun>
            if k + 1 < len(segments) and stems[k + 1] is not None and stems[k + 1] != segments[k + 1][1]:
                continue  # the enumeration goes on
            first = k
            while first > 0 and stems[first - 1] is not None:
                first -= 1
            if k - first + 1 != count:
                continue
            parts: list[str] = []
            begin: int | None = None
            for idx in range(first, k + 1):
                sa, se = segments[idx][0], stems[idx]
                assert se is not None
                stem = _strip_lead_in(s[sa:se]) if idx == first else _strip_leading(s[sa:se])
                sa = se - len(stem)
                if begin is None:
                    begin = sa
                part = _quote(text, v.span(sa, se)) + noun
                if len(part) <= len(noun) + 1:
                    break
                parts.append(part)
            if len(parts) == count and begin is not None:
                return tuple(parts), v.span(begin, b)
    return None


def _counted_enumerations(text: str, v: TextView) -> list[ProgrammeDefinition]:
    """A计划、B计划、C计划等三大计划 → 三大计划 with its parts, when the count matches."""
    s = v.text
    found: list[ProgrammeDefinition] = []
    for m in _ENUM_COUNT.finditer(s):
        count = cn_to_int(m["count"])
        if count is None or count < 2:
            continue
        clause_start = max((b.end() for b in _CLAUSE_BREAK.finditer(s, 0, m.start())), default=0)
        segments = _segments(s, clause_start, m.start())
        if len(segments) != count:
            continue
        head = s[segments[-1][1] - 2 : segments[-1][1]]
        if not s.startswith(head, m.end()) or not all(s[a:b].endswith(head) for a, b in segments):
            continue
        parts: list[str] = []
        begin = None
        for a, b in segments:
            stem = _strip_lead_in(s[a:b], len(head) + 2) if begin is None else _strip_leading(s[a:b], len(head) + 2)
            if begin is None:
                begin = b - len(stem)
            parts.append(_quote(text, v.span(b - len(stem), b)))
        if begin is None or len(set(parts)) != count or any(len(p) <= len(head) for p in parts):
            continue
        name_end = m.end() + len(head)
        found.append(
            ProgrammeDefinition(
                name=_quote(text, v.span(m.start() + 1, name_end)),
                span=v.span(begin, name_end),
                parts=tuple(parts),
                category=head,
            )
        )
    return found


# ---------------------------------------------------------------------------------------------- public


def find_programme_definitions(text: str) -> tuple[ProgrammeDefinition, ...]:
    """Programmes the text defines, with their parts in order, sorted by position.

    >>> d = find_programme_definitions("实施“1233工程”（打造一支队伍、提升两种能力、建好三个体系、实施三大战略）。")
    >>> d[0].name, len(d[0].parts), d[0].category
    ('1233工程', 4, '工程')
    """
    v = view(text)
    lines = _lines(text)
    found = _quoted_with_parts(text, v) + _column_blocks(text, lines) + _numbered_collections(text, lines)
    found += _counted_enumerations(text, v)
    defined = {programme_key(d.name) for d in found if d.parts}
    for m in _QUOTED.finditer(v.text):
        name = _quote(text, v.span(m.start(), m.end()))
        key = programme_key(name)
        if key in defined or not _COUNT_NAME.fullmatch(name):
            continue
        defined.add(key)
        hit = parts_by_enumeration(name, text)
        if hit is not None:
            parts, span = hit
            found.append(ProgrammeDefinition(name, span, parts, _category(name)))
    return tuple(sorted(found, key=lambda d: (d.span.start, d.span.end)))


def _quote_view(text: str, start: int, end: int | None) -> TextView:
    """Whitespace-free, folded view without quotation marks, so 1233工程 matches “1233”工程."""
    v = view(text, start, end)
    keep = [i for i, ch in enumerate(v.text) if ch not in '“”‘’"「」『』']
    return TextView("".join(v.text[i] for i in keep), tuple(v.offsets[i] for i in keep))


def _widen_to_quotes(text: str, span: Span, lo: int, hi: int) -> Span:
    """Take in the quotation marks around or inside a name: “1233”工程, “四个平台”."""
    start, end = span.start, span.end
    inner = text[start:end]
    opens = sum(inner.count(q) for q in "“‘「『")
    closes = sum(inner.count(q) for q in "”’」』")
    if start > lo and text[start - 1] in _OPEN_QUOTES and (closes > opens or (end < hi and text[end] in _CLOSE_QUOTES)):
        start -= 1
        opens += 1
    if opens > closes and end < hi and text[end] in _CLOSE_QUOTES:
        end += 1
    return Span(start, end)


def _known_pattern(name: str) -> re.Pattern[str] | None:
    """A pattern for a known name in a quote-free view; counts match in any form (四个 / 四大 / 4项)."""
    key = "".join(fold_char(c) for c in _QUOTES.sub("", name) if not c.isspace())
    if not key:
        return None
    out: list[str] = []
    pos = 0
    for m in _COUNT_IN_NAME.finditer(key):
        out.append(re.escape(key[pos : m.start()]))
        value = cn_to_int(m["count"])
        forms = {m["count"]} | ({str(value), _int_to_cn(value)} if value is not None and 0 < value < 100 else set())
        counts = "|".join(re.escape(f) for f in sorted(forms, key=len, reverse=True))
        cls = "[大个项]" if m["cl"] in "大个项" else re.escape(m["cl"])
        out.append(rf"(?<![\d{_CN_NUM}])(?:{counts}){cls}")
        pos = m.end()
    out.append(re.escape(key[pos:]))
    return re.compile("".join(out))


def find_programme_mentions(
    text: str, start: int = 0, end: int | None = None, known: Iterable[str] = ()
) -> tuple[ProgrammeMention, ...]:
    """Programmes named in ``text[start:end]``: quoted names with a programme suffix, and known names.

    >>> [m.name for m in find_programme_mentions("以实施“1233”工程为重点，推进“四个平台”建设", known=["四大平台"])]
    ['1233工程', '四个平台']
    """
    stop = len(text) if end is None else end
    v = view(text, start, stop)
    candidates: list[Span] = []
    for m in _QUOTED.finditer(v.text):
        inner = m["inner"]
        if _SENTENCE_PUNCT.search(inner):
            continue
        if _suffix_of(inner):
            candidates.append(v.span(m.start(), m.end()))
            continue
        t = _QUOTE_TAIL.match(v.text, m.end())
        if t and not _TAIL_STOP.search(t["tail"]) and _AFTER_TAIL.match(v.text, t.end()):
            candidates.append(v.span(m.start(), t.end()))
    qv = _quote_view(text, start, stop)
    for name in {n for n in known if n.strip()}:
        pattern = _known_pattern(name)
        if pattern is None:
            continue
        for m in pattern.finditer(qv.text):
            candidates.append(_widen_to_quotes(text, qv.span(m.start(), m.end()), start, stop))
    chosen: list[Span] = []
    for span in sorted(set(candidates), key=lambda s: (s.start - s.end, s.start)):
        if all(span.end <= c.start or span.start >= c.end for c in chosen):
            chosen.append(span)
    return tuple(ProgrammeMention(_quote(text, s), s) for s in sorted(chosen))
