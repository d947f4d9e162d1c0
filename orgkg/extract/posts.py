"""Posts held by named people, as documents attest them: 国家开放大学党委书记、校长荆德刚.

The phrase is ``<organization><post>[、<post>…]<name>``, or the reverse ``<organization><name><post>`` of
distribution lists (抄报：教育部孙尧副部长). Posts come from a general list of the titles of Chinese
universities and government bodies; the organization is one the caller knows, a central body, or a
province / city body or school recognisable from its ending. Matching runs on a view without white space,
so a name broken over slide lines (荆德刚在国家开放\\n大学…) still matches and the span maps back to the source.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from orgkg.lexicon import LEXICON
from orgkg.records import PostHolding
from orgkg.textnorm import TextView, clean_inline, fold_char, view

POSTS = LEXICON.posts
# Central bodies named without a place (a suffix of the text before the post suffices).
CENTRAL_BODIES = LEXICON.central_bodies

_HAN = r"\u4e00-\u9fff"
_POST_ALT = "|".join(sorted(POSTS, key=len, reverse=True))
_POST_CHAIN = re.compile(rf"(?:{_POST_ALT})(?:[、兼](?:{_POST_ALT}))*")
_POST_AT = re.compile(rf"(?:{_POST_ALT})")
# Bodies recognisable from their ending: 山东省教育厅, 济南市人民政府, 北京师范大学, 湖北科技职业学院.
_GENERIC_BODY = re.compile(
    rf"[{_HAN}]{{2,8}}(?:省|市|自治区|州|县|区)(?:教育厅|教育局|教育委员会|教委|教育和体育局|教体局|人民政府|政府)"
    rf"|[{_HAN}]{{2,14}}(?:大学|学院|学校)(?:（[{_HAN}]{{2,14}}）|\([{_HAN}]{{2,14}}\))?"
)
# Words that may open the text before an organization without belonging to it: 在国家开放大学…
_LEADING = re.compile(r"^(?:根据|在|由|据|经|向|对|为|与|和|及|受|是|任|原|从|的)")
_BODY_RUN = re.compile(rf"[{_HAN}（）()]+$")
# After a two-character name these begin the rest of the sentence: 刘臣同志, 张文在…, 李明主持…
_AFTER_NAME = (
    "同志",
    "在",
    "的",
    "等",
    "说",
    "指出",
    "强调",
    "表示",
    "出席",
    "主持",
    "讲话",
    "于",
    "对",
    "和",
    "与",
    "及",
    "为",
    "到",
    "来",
    "一行",
    "调研",
    "会见",
    "率",
    "带队",
    "参加",
    "作",
    "做",
    "发表",
    "介绍",
    "致辞",
    "批示",
    "要求",
    "是",
    "也",
    "就",
    "还",
    "已",
    "曾",
    "将",
    "向",
    "把",
    "被",
    "从",
    "多次",
    "分别",
    "以及",
)
# Characters of unit names, never of a person's name: 校长办公室 is no person 办公室.
_UNIT_CHARS = set("办室部处院系局厅委会组科所馆司中心")
# Function words that never begin a name: 副院长的培训 names nobody.
_NOT_NAME_START = set("的在和与及等为对是了把被将从向于以")
_MAX_BODY = 24


def _key(name: str) -> str:
    return "".join(fold_char(c) for c in name if not c.isspace())


def _person_after(s: str, at: int) -> str | None:
    """The 2–3 character name that starts at ``s[at]``."""
    window = s[at : at + 3]
    if len(window) < 2 or not all("\u4e00" <= c <= "\u9fff" for c in window[:2]):
        return None
    if len(window) == 3 and "\u4e00" <= window[2] <= "\u9fff" and not s.startswith(_AFTER_NAME, at + 2):
        name = window
    else:
        name = window[:2]
    return None if _UNIT_CHARS & set(name) or name[0] in _NOT_NAME_START else name


def _organization_before(text: str, v: TextView, at: int, given: list[tuple[str, str]]) -> tuple[str, int] | None:
    """The organization that ends at view position ``at``: (name, view start)."""
    before = v.text[max(0, at - _MAX_BODY) : at]
    for key, name in given:
        if before.endswith(key):
            return name, at - len(key)
    for body in sorted(CENTRAL_BODIES, key=len, reverse=True):
        if before.endswith(body):
            return body, at - len(body)
    run = _BODY_RUN.search(before)
    if run is None:
        return None
    run_start = at - (len(before) - run.start())
    # Where the body may begin: the start of the run, or a source line break inside it (a heading line).
    starts = [run_start] + [k for k in range(run_start + 1, at) if "\n" in text[v.offsets[k - 1] : v.offsets[k]]]
    for k in reversed(starts):
        candidate = v.text[k:at]
        lead = _LEADING.match(candidate)
        if lead:
            k += lead.end()
            candidate = candidate[lead.end() :]
        if _GENERIC_BODY.fullmatch(candidate):
            return clean_inline(text[v.offsets[k] : v.offsets[at - 1] + 1]), k
    return None


def find_post_holdings(text: str, organizations: Iterable[str]) -> tuple[PostHolding, ...]:
    """People named with their posts in an organization, in text order.

    >>> h = find_post_holdings("——国家开放大学党委书记、校长荆德刚在", ["国家开放大学"])[0]
    >>> h.organization, h.posts, h.person
    ('国家开放大学', ('党委书记', '校长'), '荆德刚')
    """
    given = sorted(
        {(_key(o), clean_inline(o)) for o in organizations if o.strip()}, key=lambda kv: len(kv[0]), reverse=True
    )
    v = view(text)
    s = v.text
    found: list[PostHolding] = []
    for m in _POST_CHAIN.finditer(s):
        posts = tuple(p for p in re.split(r"[、兼]", m.group()) if p)
        org = _organization_before(text, v, m.start(), given)
        person = _person_after(s, m.end()) if org else None
        if org and person:
            found.append(PostHolding(person, org[0], posts, v.span(org[1], m.end() + len(person))))
            continue
        # <organization><name><post>: 教育部孙尧副部长 (the shorter name first, so 副部长 is read whole)
        first = _POST_AT.match(s, m.start())
        assert first is not None
        for size in (2, 3):
            name_at = m.start() - size
            name = s[name_at : m.start()]
            if name_at < 0 or not all("\u4e00" <= c <= "\u9fff" for c in name) or _UNIT_CHARS & set(name):
                continue
            if name[0] in _NOT_NAME_START:
                continue
            org = _organization_before(text, v, name_at, given)
            if org:
                found.append(PostHolding(name, org[0], posts, v.span(org[1], m.end())))
                break
    return tuple(found)
