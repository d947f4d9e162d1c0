"""A synthetic corpus of work plans in the family's real layouts, deterministic from (seed, scale).

``scale`` is the number of documents. Each document is one organization's plan for one year (four years per
organization, so consecutive plans share themes and okg:continues / portfolio-changes have work to do), titled
like the seeds (``湖北开放大学2022年工作要点``) and written in one of six layouts the extractor reads
(tests/test_extract_layouts.py):

- ``ouc2020``: numbered items with ``分管领导：X。`` / ``责任部门：A、B（别名）、各部门。`` field lines;
- ``ouc2022``: ``（校领导：X。Y牵头负责）`` tags, some with two pairs and scopes, some with A/B joint leads;
- ``jinan``: ``（一）`` items with ``（责任单位：A、B、C）`` tags;
- ``hubei``: ``一、`` items with ``（责任部门：A、B，各单位、部门）`` tags (some bold, some half-width);
- ``lead-lines``: ``牵头单位：A`` / ``责任单位：B、C`` lines;
- ``table``: a pipe table ``序号 | 任务 | 分管领导 | 牵头单位 | 责任单位``.

Bodies quote programmes (“…工程”, “…计划”) and cite works (《…》). Every generated task carries the
(role, kind, name) triples it was written with; :func:`self_check` reads one document of each layout back
with orgkg's own extractor and reports any difference.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

LAYOUTS = ("ouc2020", "ouc2022", "jinan", "hubei", "lead-lines", "table")
YEARS_PER_ORGANIZATION = 4
FIRST_YEAR = 2020

NATIONAL = "国家"
PROVINCES = (
    "湖北", "湖南", "河北", "河南", "山东", "山西", "江苏", "浙江", "安徽", "福建", "江西", "广东", "广西",
    "海南", "四川", "贵州", "云南", "陕西", "甘肃", "青海", "辽宁", "吉林", "黑龙江", "内蒙古", "宁夏",
    "新疆", "西藏", "北京", "天津", "上海", "重庆",
)  # fmt: skip
CITIES = (
    "济南", "青岛", "烟台", "潍坊", "武汉", "宜昌", "襄阳", "长沙", "株洲", "郑州", "洛阳", "石家庄",
    "保定", "太原", "大同", "南京", "苏州", "无锡", "杭州", "宁波", "温州", "合肥", "芜湖", "福州", "厦门",
    "南昌", "赣州", "广州", "深圳", "佛山", "南宁", "桂林", "海口", "成都", "绵阳", "贵阳", "遵义", "昆明",
    "大理", "西安", "宝鸡", "兰州", "西宁", "沈阳", "大连", "长春", "吉林", "哈尔滨", "齐齐哈尔", "包头",
    "银川", "乌鲁木齐", "拉萨",
)  # fmt: skip
# Syllables for more cities than the list holds (scale 10^6): 泰川, 泰江, … — no organization suffix inside.
_CITY_A = "泰安临清平武昌宁丰永兴瑞嘉德顺新和富康华盛东南西北"
_CITY_B = "川江阳山河州城原林峰"

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余"
    "杜叶程魏吕丁沈姚卢姜崔钟谭陆汪范金石廖贾夏付方白孟熊秦邱尹薛段雷侯龙史陶贺顾毛郝龚邵万钱严武戴莫孔汤"
)
GIVEN = "国永松进堂刚臣伟芳敏静丽强磊军洋勇艳杰娟涛明超秀霞平辉鹏华飞玲桂英红波宁海峰建文斌志春林玉兰晓东亮成光"

# (name, bracketed alias or "") — the units of a school, as the seeds name them.
UNITS = (
    ("党委办公室", ""), ("校长办公室", ""), ("组织部", ""), ("宣传部", "新闻中心"), ("人事处", "人才交流中心"),
    ("教务处", ""), ("科研处", ""), ("财务处", ""), ("信息化部", "数据管理中心"), ("资产管理处", "国资办"),
    ("后勤保卫处", ""), ("国际交流处", "港澳台办公室"), ("招生就业处", ""), ("社区教育学院", ""),
    ("继续教育学院", ""), ("开放教育学院", ""), ("图书馆", ""), ("档案馆", ""), ("质量评估中心", ""),
    ("学分银行管理中心", ""), ("审计处", ""), ("纪委办公室", ""), ("发展规划处", "高教研究室"),
    ("教师发展中心", ""), ("实验实训中心", ""), ("马克思主义学院", ""), ("学生工作处", ""), ("老年大学", ""),
)  # fmt: skip
THEMES = (
    "加强党的政治建设", "深化思想政治教育改革", "促进学历教育创优提质", "推进数字化转型", "建设智慧校园",
    "完善内部治理结构", "改革人事制度", "加强师资队伍建设", "提升科研服务能力", "发展社区教育",
    "办好老年教育", "推进学分银行建设", "深化国际交流与合作", "做好招生就业工作", "提升后勤保障水平",
    "加强国有资产管理", "强化审计监督", "推进依法治校", "加强宣传思想工作", "完善质量保障体系",
    "建设优质课程资源", "推进产教融合", "服务乡村振兴", "加强统战工作", "做好安全稳定工作",
    "推进档案信息化", "加强图书馆建设", "完善财务管理制度", "推进非学历教育", "加强学生服务",
    "推进开放大学体系建设", "深化教学模式改革", "加强实验实训基地建设", "推进招生考试改革", "加强廉政建设",
    "强化督查督办", "加强组织领导", "推进校园文化建设", "提高办学管理水平", "加强干部队伍建设",
)  # fmt: skip
PROGRAMMES = (
    "英才培养工程", "数字校园工程", "终身学习品牌工程", "课程思政示范工程", "质量提升工程", "名师引领工程",
    "骨干教师研修计划", "青年教师培养计划", "学分互认计划", "乡村人才振兴计划",
)  # fmt: skip
WORKS = ("章程", "绩效考核办法", "教学管理规定", "资产管理办法", "科研项目管理办法", "学分银行管理办法")
NATIONAL_WORKS = ("中国教育现代化2035", "国家职业教育改革实施方案", "关于推进新时代终身学习的意见")
VERBS = ("健全", "完善", "优化", "落实", "推进", "深化")
OBJECTS = ("工作机制", "管理制度", "评价体系", "服务流程", "考核办法", "协同机制", "保障措施")
SECTIONS = (
    "加强党的领导", "提高教育教学质量", "推进体系建设", "加强队伍建设", "提升治理能力", "做好保障工作",
)  # fmt: skip
_CN = "零一二三四五六七八九"


def cn_numeral(n: int) -> str:
    """1 → 一, 12 → 十二, 40 → 四十 (n < 100)."""
    tens, ones = divmod(n, 10)
    if tens == 0:
        return _CN[ones]
    return ("" if tens == 1 else _CN[tens]) + "十" + (_CN[ones] if ones else "")


Triple = tuple[str, str, str]  # (role, kind, name), as orgkg.records reports them


@dataclass(frozen=True)
class ExpectedTask:
    title: str
    responsibilities: tuple[Triple, ...]


@dataclass(frozen=True)
class SyntheticDocument:
    file_name: str
    layout: str
    organization: str
    year: int
    title: str
    text: str
    tasks: tuple[ExpectedTask, ...]


@dataclass(frozen=True)
class Organization:
    name: str
    leaders: tuple[str, ...]
    units: tuple[tuple[str, str], ...]


def _rng(seed: int, *parts: object) -> random.Random:
    digest = hashlib.sha256(repr((seed, *parts)).encode()).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))


def organization_name(index: int) -> str:
    """0: the national university; then provinces; then cities (listed, then generated)."""
    if index == 0:
        return f"{NATIONAL}开放大学"
    index -= 1
    if index < len(PROVINCES):
        return f"{PROVINCES[index]}开放大学"
    index -= len(PROVINCES)
    if index < len(CITIES):  # a city named like a province (吉林) is written with 市, as its university is
        return f"{CITIES[index]}{'市' if CITIES[index] in PROVINCES else ''}开放大学"
    index -= len(CITIES)
    a, rest = divmod(index, len(_CITY_B))
    first = _CITY_A[a % len(_CITY_A)] + ("" if a < len(_CITY_A) else _CITY_A[(a // len(_CITY_A)) % len(_CITY_A)])
    return f"{first}{_CITY_B[rest]}开放大学"


def _person(rng: random.Random, taken: set[str]) -> str:
    while True:
        name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))
        if name not in taken:
            taken.add(name)
            return name


def organization(seed: int, index: int) -> Organization:
    rng = _rng(seed, "org", index)
    taken: set[str] = set()
    leaders = tuple(_person(rng, taken) for _ in range(rng.randint(5, 8)))
    units = tuple(rng.sample(UNITS, rng.randint(14, len(UNITS))))
    return Organization(organization_name(index), leaders, units)


def _leaders_of_year(org: Organization, year: int, seed: int) -> tuple[str, ...]:
    """Most leaders stay from year to year; one may be replaced by a newcomer (portfolio changes)."""
    rng = _rng(seed, "leaders", org.name, year)
    leaders = list(org.leaders)
    if year > FIRST_YEAR and rng.random() < 0.5:
        taken = set(leaders)
        leaders[rng.randrange(len(leaders))] = _person(rng, taken)
    return tuple(leaders)


class _Writer:
    """Builds one document's text and the tasks it states."""

    def __init__(self, seed: int, org: Organization, year: int, layout: str) -> None:
        self.rng = _rng(seed, "doc", org.name, year)
        self.org = org
        self.year = year
        self.layout = layout
        self.leaders = _leaders_of_year(org, year, seed)
        self.title = f"{org.name}{year}年工作要点"
        self.tasks: list[ExpectedTask] = []

    # the pieces -------------------------------------------------------------------------------------
    def body(self) -> str:
        r = self.rng
        short = self.org.name.removesuffix("开放大学")
        work = f"《{self.org.name}{r.choice(WORKS)}》" if r.random() < 0.6 else f"《{r.choice(NATIONAL_WORKS)}》"
        parts = [
            f"{r.choice(VERBS)}{r.choice(OBJECTS)}，实施“{r.choice(PROGRAMMES)}”",
            f"制定印发{work}",
            f"{r.choice(VERBS)}{short}地区{r.choice(OBJECTS)}",
        ]
        r.shuffle(parts)
        return "，".join(parts) + "。"

    def unit(self) -> tuple[str, str]:
        return self.rng.choice(self.org.units)

    def units(self, k: int) -> list[tuple[str, str]]:
        return self.rng.sample(self.org.units, k)

    @staticmethod
    def written(unit: tuple[str, str], with_alias: bool) -> str:
        name, alias = unit
        return f"{name}（{alias}）" if with_alias and alias else name

    def leader(self) -> str:
        return self.rng.choice(self.leaders)

    def themes(self, n: int) -> list[str]:
        # same seed for all years of an organization: consecutive plans share most themes
        base = _rng(0, "themes", self.org.name).sample(THEMES, len(THEMES))
        pool = base[: n + 4]
        return self.rng.sample(pool, n)

    # the layouts ------------------------------------------------------------------------------------
    def render(self, n_tasks: int) -> str:
        render: Callable[[list[str]], str] = getattr(self, "_" + self.layout.replace("-", "_"))
        return render(self.themes(n_tasks))

    def _sections(self, titles: list[str]) -> list[tuple[int, str, list[str]]]:
        per = max(3, len(titles) // len(SECTIONS) + 1)
        chunks = [titles[i : i + per] for i in range(0, len(titles), per)]
        return [(i + 1, SECTIONS[i % len(SECTIONS)], c) for i, c in enumerate(chunks)]

    def _ouc2020(self, titles: list[str]) -> str:
        out = [f"{self.title}\n\n"]
        n = 0
        for s, section, chunk in self._sections(titles):
            out.append(f"{cn_numeral(s)}、{section} \n\n")
            for title in chunk:
                n += 1
                leader = self.leader()
                units = self.units(self.rng.randint(1, 3))
                collective = self.rng.random() < 0.3
                names = [self.written(u, self.rng.random() < 0.7) for u in units] + (["各部门"] if collective else [])
                out.append(
                    f"{n}．{title} \n\n问题描述：{self.org.name}{title}工作有待加强。 \n\n"
                    f"目标任务：{self.body()} \n\n工作措施：{self.body()}{self.body()} \n\n"
                    f"分管领导：{leader}。 \n\n责任部门：{'、'.join(names)}。 \n\n"
                )
                triples = [("supervisor", "person", leader)] + [("responsible", "unit", u[0]) for u in units]
                if collective:
                    triples.append(("responsible", "collective", "各部门"))
                self.tasks.append(ExpectedTask(title, tuple(triples)))
        return "".join(out)

    def _ouc2022(self, titles: list[str]) -> str:
        out = [f"# {self.title}\n\n{self.year}年是{self.org.name}改革发展的关键一年。\n\n"]
        n = 0
        for s, section, chunk in self._sections(titles):
            out.append(f"## {cn_numeral(s)}、{section}\n\n")
            for title in chunk:
                n += 1
                variant = self.rng.random()
                if variant < 0.2:  # two pairs, with scopes
                    (l1, l2), (u1, u2) = self.rng.sample(self.leaders, 2), self.units(2)
                    tag = f"（校领导：{l1}。{u1[0]}牵头负责{title}事项；校领导：{l2}。{u2[0]}牵头负责相关配套工作）"
                    triples = [
                        ("supervisor", "person", l1),
                        ("lead", "unit", u1[0]),
                        ("supervisor", "person", l2),
                        ("lead", "unit", u2[0]),
                    ]
                elif variant < 0.4:  # A/B joint leads
                    leader, (u1, u2) = self.leader(), self.units(2)
                    tag = f"（校领导：{leader}。{u1[0]}/{u2[0]}牵头负责）"
                    triples = [("supervisor", "person", leader), ("lead", "unit", u1[0]), ("lead", "unit", u2[0])]
                else:
                    leader, u = self.leader(), self.unit()
                    tag = f"（校领导：{leader}。{u[0]}牵头负责）"
                    triples = [("supervisor", "person", leader), ("lead", "unit", u[0])]
                out.append(f"{n}.{title}。{self.body()}{self.body()}\n\n{tag}\n\n")
                self.tasks.append(ExpectedTask(title, tuple(triples)))
        return "".join(out)

    def _jinan(self, titles: list[str]) -> str:
        out = [f"{self.title}\n为推进{self.org.name}改革发展，制定本要点。\n\n一、总体要求\n\n"]
        out.append(f"坚持以习近平新时代中国特色社会主义思想为指导，实施“{self.rng.choice(PROGRAMMES)}”。\n\n")
        out.append("二、主要任务\n")
        for i, title in enumerate(titles, start=1):
            units = self.units(self.rng.randint(2, 4))
            names = [self.written(u, self.rng.random() < 0.3) for u in units]
            out.append(f"（{cn_numeral(i)}）{title}\n\n{self.body()}{self.body()}（责任单位：{'、'.join(names)}）\n\n")
            self.tasks.append(ExpectedTask(title, tuple(("responsible", "unit", u[0]) for u in units)))
        return "".join(out)

    def _hubei(self, titles: list[str]) -> str:
        out = [f"\n\n{self.org.name}\n\n{self.year}年工作要点\n\n"]
        out.append(f"{self.year}年学校工作的总体要求是：以提质进位为主线，推进“{self.rng.choice(PROGRAMMES)}”。\n\n")
        for i, title in enumerate(titles, start=1):
            units = self.units(self.rng.randint(1, 4))
            collective = self.rng.random() < 0.3
            inner = "责任部门：" + "、".join(u[0] for u in units) + ("，各单位、部门" if collective else "")
            style = self.rng.random()
            tag = f"**（{inner}）**" if style < 0.3 else f"({inner})" if style < 0.5 else f"（{inner}）"
            out.append(f"{cn_numeral(i)}、{title}。{self.body()}{self.body()}{tag}\n\n")
            triples = [("responsible", "unit", u[0]) for u in units]
            if collective:
                triples += [("responsible", "collective", "各单位"), ("responsible", "collective", "各部门")]
            self.tasks.append(ExpectedTask(title, tuple(triples)))
        return "".join(out)

    def _lead_lines(self, titles: list[str]) -> str:
        out = [f"{self.title}\n\n"]
        n = 0
        for s, section, chunk in self._sections(titles):
            out.append(f"{cn_numeral(s)}、{section}\n")
            for title in chunk:
                n += 1
                lead, *others = self.units(self.rng.randint(2, 4))
                out.append(
                    f"{n}. {title}。{self.body()}\n牵头单位：{lead[0]}\n责任单位：{'、'.join(u[0] for u in others)}\n"
                )
                triples = [("lead", "unit", lead[0])] + [("responsible", "unit", u[0]) for u in others]
                self.tasks.append(ExpectedTask(title, tuple(triples)))
        return "".join(out)

    def _table(self, titles: list[str]) -> str:
        out = [
            f"{self.title}\n\n{self.year}年，{self.org.name}推进“{self.rng.choice(PROGRAMMES)}”，重点任务如下。\n\n",
            "| 序号 | 任务 | 分管领导 | 牵头单位 | 责任单位 |\n|---|---|---|---|---|\n",
        ]
        for i, title in enumerate(titles, start=1):
            leader = self.leader()
            lead, *others = self.units(self.rng.randint(2, 3))
            names = [self.written(u, self.rng.random() < 0.5) for u in others]
            out.append(f"| {i} | {title}。{self.body()} | {leader} | {lead[0]} | {'、'.join(names)} |\n")
            triples = [("supervisor", "person", leader), ("lead", "unit", lead[0])]
            triples += [("responsible", "unit", u[0]) for u in others]
            self.tasks.append(ExpectedTask(title, tuple(triples)))
        return "".join(out)


def document(seed: int, index: int, layout: str | None = None) -> SyntheticDocument:
    """Document ``index`` of the corpus: organization index // 4, year FIRST_YEAR + index % 4."""
    org_index, year_offset = divmod(index, YEARS_PER_ORGANIZATION)
    org = organization(seed, org_index)
    year = FIRST_YEAR + year_offset
    chosen = layout or LAYOUTS[(org_index + seed) % len(LAYOUTS)]  # an organization keeps its house style
    writer = _Writer(seed, org, year, chosen)
    text = writer.render(writer.rng.randint(24, 36))
    return SyntheticDocument(
        file_name=f"{index:06d}-{chosen}.{'md' if chosen == 'ouc2022' else 'txt'}",
        layout=chosen,
        organization=org.name,
        year=year,
        title=writer.title,
        text=text,
        tasks=tuple(writer.tasks),
    )


def generate(seed: int, scale: int) -> list[SyntheticDocument]:
    """The corpus of ``scale`` documents; the same (seed, scale) always gives the same texts."""
    return [document(seed, i) for i in range(scale)]


def write_corpus(directory: Path, seed: int, scale: int) -> list[SyntheticDocument]:
    """Write the corpus as files under ``directory`` (created); returns the documents written."""
    directory.mkdir(parents=True, exist_ok=True)
    docs = generate(seed, scale)
    for d in docs:
        (directory / d.file_name).write_text(d.text, encoding="utf-8")
    return docs


def check_document(doc: SyntheticDocument) -> list[str]:
    """Differences between what ``doc`` was written with and what orgkg's extractor reads from it."""
    from orgkg.pipeline import extract_document_from
    from orgkg.records import SourceText

    source = SourceText(doc.file_name, doc.file_name, hashlib.sha256(doc.text.encode()).hexdigest(), doc.text)
    try:
        got = extract_document_from(source)
    except Exception as exc:
        return [f"{doc.file_name}: extraction failed: {exc}"]
    problems = []
    h = got.header
    if (h.title.replace(" ", ""), h.organization, h.year) != (doc.title, doc.organization, doc.year):
        problems.append(f"{doc.file_name}: header {(h.title, h.organization, h.year)} != {doc.title}")
    if len(got.tasks) != len(doc.tasks):
        problems.append(f"{doc.file_name}: {len(got.tasks)} tasks extracted, {len(doc.tasks)} written")
    for want, task in zip(doc.tasks, got.tasks, strict=False):
        triples = tuple((r.role.value, r.agent.kind.value, r.agent.name) for r in task.responsibilities)
        if task.title != want.title or triples != want.responsibilities:
            problems.append(
                f"{doc.file_name} task {task.label}: got {task.title} {triples}, "
                f"wrote {want.title} {want.responsibilities}"
            )
    if not got.citations:
        problems.append(f"{doc.file_name}: no 《》 citations found")
    return problems


def self_check(seed: int = 0) -> list[str]:
    """One document of each layout (and of each kind of organization), read back; [] when all agree."""
    problems: list[str] = []
    for i, layout in enumerate(LAYOUTS):
        index = [0, 5, 4 * 40 + 1][i % 3]  # national, a province, a city
        problems += check_document(document(seed, index, layout))
    return problems


if __name__ == "__main__":
    found = self_check()
    print("\n".join(found) or f"self-check: all {len(LAYOUTS)} layouts read back as written")
    raise SystemExit(1 if found else 0)
