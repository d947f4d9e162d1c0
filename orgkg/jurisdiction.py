"""Places and governments in names: 咸宁市咸安区人民政府 governs 咸宁市 › 咸安区; 区发改局 there is 咸安区发改局.

Government documents name bodies by their level (市发改委, 县财政局, 区城管局) or bare (城管局), meaning the body of
the issuer's own jurisdiction at that level. These functions read the places a name begins with and qualify a
body's name with them, so that 市发改委 of one city and of another are two bodies (see docs/model.md).

>>> places("咸宁市咸安区人民政府"), places("杭州市推进"), places("市场监管局"), places("济南开放大学")
(('咸宁市', '咸安区'), ('杭州市',), (), ())
>>> j = Jurisdiction(("咸宁市", "咸安区"))
>>> j.qualify("区发改局"), j.qualify("市生态环境局咸安分局"), j.qualify("城管局"), j.qualify("县财政局")
('咸安区发改局', '咸宁市生态环境局咸安分局', '咸安区城管局', None)
>>> Jurisdiction((), national=True).qualify("人力资源社会保障部")
'人力资源社会保障部'
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from orgkg.lexicon import LEXICON

# A place: a few characters and a level word. Longest level words first (自治区 before 区).
_LEVELS = ("自治区", "自治州", "自治县", "地区", "街道", "省", "市", "州", "盟", "县", "区", "旗", "镇", "乡")
# A place name does not open with a level word (县市场监管局 is 县 + 市场监管局, not the place 县市).
_PLACE = re.compile(rf"(?![省市县区镇乡州旗盟])[\u4e00-\u9fff]{{1,6}}?(?:{'|'.join(_LEVELS)})")
# A bare level word opening a name: 市发改委, 县财政局, 区委办 (not 市场监管局, 市政局: see level_words_not_prefix).
_LEVEL_PREFIX = ("省", "市", "州", "盟", "县", "区", "旗", "镇", "乡")
_GOVERNMENT = re.compile(r"^(.*?)(?:人民)?政府(?:办公厅|办公室)?$")


def places(name: str) -> tuple[str, ...]:
    """The places a name begins with, highest first; () when it begins with none."""
    found: list[str] = []
    pos = 0
    while m := _PLACE.match(name, pos):
        place, pos = m.group(0), m.end()
        if place[-1] in "州盟" and name[pos : pos + 1] in ("市", "县", "区"):
            place, pos = place + name[pos], pos + 1  # 杭州市, not the place 杭州 and a bare 市
        found.append(place)
    return tuple(found)


def level_prefix(name: str) -> str | None:
    """The bare level word a body's name opens with (市 in 市发改委), or None.

    >>> level_prefix("市发改委"), level_prefix("市场监管局"), level_prefix("济南市教育局")
    ('市', None, None)
    """
    if places(name) or not name or name[0] not in _LEVEL_PREFIX:
        return None
    if any(name.startswith(w) for w in LEXICON.level_words_not_prefix):
        return None
    return name[0]


def is_national(name: str) -> bool:
    """Whether a name has the form of a national body (国家统计局, 市场监管总局, 国务院…)."""
    return any(name.startswith(p) for p in LEXICON.national_prefixes) or any(
        name.endswith(s) for s in LEXICON.national_suffixes
    )


def government_of(issuer: str) -> str:
    """The government an issuer belongs to when it is a government's office, else the issuer itself.

    >>> government_of("北京市人民政府办公厅"), government_of("县政府办公室"), government_of("国务院办公厅")
    ('北京市人民政府', '县人民政府', '国务院')
    >>> government_of("济南市教育局")
    '济南市教育局'
    """
    if issuer.startswith("国务院"):
        return "国务院"
    m = _GOVERNMENT.match(issuer)
    return f"{m.group(1)}人民政府" if m else issuer


@dataclass(frozen=True)
class Jurisdiction:
    """Where a document's issuer governs: its places (highest first), or the whole country."""

    places: tuple[str, ...]
    national: bool = False

    def qualify(self, name: str) -> str | None:
        """The body's name with its jurisdiction, or None when the jurisdiction of that level is unknown."""
        if places(name):
            return name  # 济南市教育局, 中新苏滁高新区管委会: says where it is
        level = level_prefix(name)
        if level is not None:
            place = next((p for p in reversed(self.places) if p.endswith(level)), None)
            return place + name[1:] if place else None
        if self.national or is_national(name):
            return name
        if not self.places:
            return None
        if any(p[:-1] in name for p in self.places if len(p) > 2):
            return name  # 宁波电业局, 人民银行潍坊市中心支行: the name carries the place already
        return self.places[-1] + name


def jurisdiction_of(*names: str) -> Jurisdiction | None:
    """The jurisdiction of the first of ``names`` (issuers, then the organization) that shows one."""
    for name in names:
        if not name:
            continue
        found = places(name)
        if found:
            return Jurisdiction(found)
        if is_national(name) and not re.search(r"(?:大学|学院|学校)$", name):
            return Jurisdiction((), national=True)
    return None


__all__ = ["Jurisdiction", "government_of", "is_national", "jurisdiction_of", "level_prefix", "places"]
