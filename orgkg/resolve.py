"""Resolve names to entities: one identity per organization, unit, person, policy and programme.

Rules (each is a general rule of the document family, not a list of this corpus's names):
- units are scoped to the organization whose plan names them; a mention with bracketed aliases
  (宣传部（新闻中心）) joins all its names into one unit, so a later document naming the unit by its second
  name (教育部社区教育研究培训中心) resolves to the same unit; the canonical label is the name most often
  written as the main name;
- a name that is the plan's own organization or one of its aliases resolves to the organization itself;
- government bodies (市教育局, 市委编办 …) are organizations in their own right, named with their jurisdiction
  (``orgkg.jurisdiction``): a level prefix is expanded with the issuer's place of that level (济南市教育局 issues,
  so 市教育局 is 济南市教育局; 咸宁市咸安区 issues, so 区发改局 is 咸安区发改局), and in a plan for a government every
  body named without one is that government's (城管局 in a 崇川区 plan is 崇川区城管局; bodies of a national
  document are national); the name as written stays an alias. A body whose jurisdiction the document does not
  show (县发改局 in a plan of 县人民政府办公室), and an unknown issuer, are kept to the document: never merged
  with another issuer's;
- collective references (各部门, 相关教学部, 校领导按分工) stay collectives, scoped to the body the document
  speaks for;
- persons are scoped to the organization of the plan that names them;
- policy titles are one policy when their keys agree after dropping spaces and quotes, folding widths and
  dashes, dropping 年 in year ranges and 事业 in …事业发展规划, and (for a title cited without issuer prefix in a
  plan of organization O) when O's prefixed title is cited somewhere in the corpus;
- programme names are one programme when ``programme_key`` agrees (四大平台 = 四个平台), a leading name of
  the citing organization aside.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from pyoxigraph import NamedNode

from orgkg import iris
from orgkg.extract.header import UNKNOWN_ORGANIZATION
from orgkg.extract.programmes import find_programme_mentions, parts_by_enumeration, programme_key
from orgkg.jurisdiction import Jurisdiction, jurisdiction_of, level_prefix, places
from orgkg.records import ExtractedDocument, MentionKind, NameMention, ProgrammeMention, Span
from orgkg.textnorm import name_key, policy_key

_GOV_PREFIX = re.compile(r"^(?:市|省|区|县|区县|自治区|国务院|中共|[\u4e00-\u9fff]{2,4}?[市省县区])")
_GOV_SUFFIX = re.compile(r"(?:局|厅|委|委员会|编办|政府|办公厅|办公室|部门)$")
_GOVERNMENT = re.compile(r"(?:国务院|政府)$")
_LEADING_GROUP = re.compile(r"(?:领导小组|工作小组|工作组|工作专班|专班)$")
_UNIVERSITY = re.compile(r"(?:大学|学院|学校)$")
_NOT_POLICY = re.compile(r"(?:报|时报|日报|年鉴|杂志|周刊)$")  # newspapers and yearbooks are not policies


@dataclass
class Organization:
    name: str
    aliases: set[str]
    iri: NamedNode
    government: bool = False
    scope: str | None = None  # the key of the one document it is known within (see iris.organization)

    @property
    def key(self) -> str:
        """The identity key: the name's key, within its document when scoped."""
        return f"{self.scope}\x1f{name_key(self.name)}" if self.scope else name_key(self.name)


@dataclass
class Unit:
    organization: Organization
    names: Counter[str]  # main names as written, with counts
    aliases: set[str]
    iri: NamedNode | None = None
    leading_group: bool = False

    @property
    def label(self) -> str:
        # most frequent main name; ties broken by the name itself for determinism
        return sorted(self.names.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]

    @property
    def all_names(self) -> set[str]:
        return set(self.names) | self.aliases


@dataclass
class Person:
    organization: Organization
    name: str
    iri: NamedNode


@dataclass
class Collective:
    organization: Organization
    label: str
    iri: NamedNode


Agent = Organization | Unit | Person | Collective


@dataclass
class Policy:
    key: str
    titles: Counter[str]
    issuer: Organization | None
    iri: NamedNode
    match_keys: set[str] = field(default_factory=set)  # policy_key of every title, with and without issuer

    @property
    def title(self) -> str:
        return sorted(self.titles.items(), key=lambda kv: (-kv[1], -len(kv[0]), kv[0]))[0][0]


@dataclass
class Programme:
    key: str
    names: Counter[str]
    iri: NamedNode
    category: str | None = None
    ordinal: int | None = None
    parts: list[str] = field(default_factory=list)  # programme keys, in order
    definitions: list[tuple[str, Span]] = field(default_factory=list)  # (doc key, span)
    part_evidence: list[tuple[str, Span]] = field(default_factory=list)

    @property
    def label(self) -> str:
        return sorted(self.names.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]


@dataclass
class DocumentContext:
    """A document with the entities its header resolves to."""

    key: str
    doc: ExtractedDocument
    iri: NamedNode
    graph: NamedNode
    organization: Organization
    issuers: list[Organization]
    speaker: Organization  # the body whose units and collectives the document names
    jurisdiction: Jurisdiction | None  # where the issuer governs, when its name shows it
    government_plan: bool = False  # the plan is a government's: every body it names is a body of government


@dataclass
class Resolution:
    """The resolved corpus: documents and every entity, with lookups from mentions."""

    documents: list[DocumentContext]
    organizations: dict[str, Organization]
    units: list[Unit]
    persons: dict[tuple[str, str], Person]
    collectives: dict[tuple[str, str], Collective]
    policies: dict[str, Policy]
    programmes: dict[str, Programme]
    agents: dict[tuple[str, int, int, str], Agent]  # (doc key, span start, span end, name) → agent
    citation_policy: dict[tuple[str, int], Policy | NamedNode]  # (doc key, span start) → policy or source doc
    programme_of: dict[tuple[str, int], Programme]  # (doc key, mention span start) → programme
    programme_mentions: dict[str, list[ProgrammeMention]]  # doc key → mentions in document order

    def agent(self, doc_key: str, mention: NameMention) -> Agent:
        return self.agents[(doc_key, mention.span.start, mention.span.end, mention.name)]


def document_key(doc: ExtractedDocument) -> str:
    """The stable key of a document: its 文号, else its title (titles carry the year)."""
    h = doc.header
    return h.number or name_key(h.title)


class _Resolver:
    def __init__(self, docs: list[ExtractedDocument]) -> None:
        self.docs = docs
        self.organizations: dict[str, Organization] = {}
        self.units: list[Unit] = []
        self.unit_index: dict[tuple[str, str], Unit] = {}  # (org key, name key) → unit
        self.persons: dict[tuple[str, str], Person] = {}
        self.collectives: dict[tuple[str, str], Collective] = {}
        self.agents: dict[tuple[str, int, int, str], Agent] = {}
        self.contexts: list[DocumentContext] = []
        self.mentions: dict[str, list[ProgrammeMention]] = {}
        # name key (of a name or an alias) → the organizations bearing it, earliest first (see org_named)
        self.org_keys: dict[str, list[Organization]] = {}
        self.org_rank: dict[int, int] = {}  # id(organization) → order of appearance

    # organizations ---------------------------------------------------------------------------------
    def org_named(self, name: str) -> Organization | None:
        """The first organization (in order of appearance) one of whose names has this name's key."""
        found = self.org_keys.get(name_key(name))
        return found[0] if found else None

    def _index_org(self, org: Organization) -> None:
        """Index the keys of an organization's names (again after its aliases grow; aliases never shrink)."""
        for n in (org.name, *org.aliases):
            bearers = self.org_keys.setdefault(name_key(n), [])
            if all(o is not org for o in bearers):
                bearers.append(org)
                bearers.sort(key=lambda o: self.org_rank[id(o)])

    def scoped_org(self, doc_key: str, name: str, government: bool = False) -> Organization:
        """An organization known only within one document (not indexed by name for other documents)."""
        found = Organization(name, set(), iris.organization(name, doc_key), government, scope=doc_key)
        return self.organizations.setdefault(found.key, found)

    def header_org(
        self, doc_key: str, jur: Jurisdiction | None, name: str, aliases: Iterable[str] = (), government: bool = False
    ) -> Organization:
        """An issuer or the plan's organization: as named, unless unknown or of an unnamed place (县人民政府)."""
        if name == UNKNOWN_ORGANIZATION:
            return self.scoped_org(doc_key, name, government)
        if level_prefix(name) is not None:
            full = jur.qualify(name) if jur else None
            if full is None:
                return self.scoped_org(doc_key, name, government)
            return self.org(full, {name, *aliases}, government)
        return self.org(name, aliases, government)

    def body(self, ctx: DocumentContext, name: str) -> Organization:
        """A body of government a document names, with its jurisdiction (see the module's rules)."""
        full = name if places(name) else (ctx.jurisdiction.qualify(name) if ctx.jurisdiction else None)
        if full is None:
            return self.scoped_org(ctx.key, name, government=True)
        org = self.org(full, government=True)
        if full != name and name not in org.aliases:
            org.aliases.add(name)
            self._index_org(org)
        return org

    def org(self, name: str, aliases: Iterable[str] = (), government: bool = False) -> Organization:
        found = self.org_named(name)
        if found is None:
            found = Organization(name, set(), iris.organization(name), government)
            self.org_rank[id(found)] = len(self.org_rank)
            self.organizations[name_key(name)] = found
        found.aliases.update(a for a in aliases if a != found.name)
        found.government = found.government or government
        self._index_org(found)
        return found

    # documents -------------------------------------------------------------------------------------
    def contexts_for_documents(self) -> None:
        keys: dict[str, str] = {}
        for doc in self.docs:
            key = document_key(doc)
            if key in keys:
                raise ValueError(f"{doc.source.path} and {keys[key]} are the same document ({key}); keep one of them")
            keys[key] = doc.source.path
            h = doc.header
            jur = jurisdiction_of(*h.issuers, h.organization)
            organization = self.header_org(key, jur, h.organization, h.organization_aliases)
            issuers = [self.header_org(key, jur, i, government=_is_government(i)) for i in h.issuers] or [organization]
            gov_issuer = next((i for i in issuers if i.government and i is not organization), None)
            self.contexts.append(
                DocumentContext(
                    key=key,
                    doc=doc,
                    iri=iris.document(key),
                    graph=iris.document_graph(key),
                    organization=organization,
                    issuers=issuers,
                    speaker=gov_issuer or organization,
                    jurisdiction=jur,
                    government_plan=bool(_GOVERNMENT.search(organization.name))
                    or organization.name == UNKNOWN_ORGANIZATION,
                )
            )

    # agents ----------------------------------------------------------------------------------------
    def resolve_agents(self) -> None:
        # Pass 1: unit identities (aliases join names) across all documents, so order does not matter.
        pending: list[tuple[DocumentContext, NameMention]] = []
        for ctx in self.contexts:
            for task in ctx.doc.tasks:
                for r in task.responsibilities:
                    m = r.agent
                    if m.kind is MentionKind.UNIT and not self._external(ctx, m.name):
                        self._add_unit_names(ctx.organization, m)
                    pending.append((ctx, m))
        for unit in self.units:
            unit.iri = iris.unit(unit.organization.name, unit.label, unit.organization.scope)
            unit.leading_group = bool(_LEADING_GROUP.search(unit.label))
        # Pass 2: every mention to its agent.
        for ctx, m in pending:
            agent = self._agent(ctx, m)
            self.agents[(ctx.key, m.span.start, m.span.end, m.name)] = agent
            if m.written and isinstance(agent, Organization) and m.written not in agent.aliases:
                agent.aliases.add(m.written)  # the original script (市發改委), kept as a label
                self._index_org(agent)

    def _external(self, ctx: DocumentContext, name: str) -> Organization | None:
        """The organization a name denotes when it is not a unit: the plan's organization or a government body."""
        own = ctx.organization
        if name_key(name) in {name_key(n) for n in (own.name, *own.aliases)}:
            return own
        if ctx.government_plan or _is_government(name):
            return self.body(ctx, name)
        named = self.org_named(name)
        if named is not None and _UNIVERSITY.search(name):
            return named
        return None

    def _add_unit_names(self, org: Organization, m: NameMention) -> None:
        okey = org.key
        names = [m.name, *m.aliases]
        existing = {id(u): u for n in names if (u := self.unit_index.get((okey, name_key(n)))) is not None}
        if existing:
            units = list(existing.values())
            unit = units[0]
            for other in units[1:]:  # this mention bridges two units: merge them
                unit.names.update(other.names)
                unit.aliases |= other.aliases
                self.units.remove(other)
        else:
            unit = Unit(org, Counter(), set())
            self.units.append(unit)
        unit.names[m.name] += 1
        unit.aliases.update(m.aliases)
        if m.written:
            unit.aliases.add(m.written)  # the original script, kept as a label
        for n in unit.all_names:
            self.unit_index[(okey, name_key(n))] = unit

    def _agent(self, ctx: DocumentContext, m: NameMention) -> Agent:
        if m.kind is MentionKind.PERSON:
            org = ctx.organization
            key = (org.key, m.name)
            if key not in self.persons:
                self.persons[key] = Person(org, m.name, iris.person(org.name, m.name, org.scope))
            return self.persons[key]
        if m.kind is MentionKind.COLLECTIVE:
            return self.collective(ctx.speaker if m.name != "校领导" else ctx.organization, m.name)
        external = self._external(ctx, m.name)
        if external is not None:
            return external
        return self.unit_index[(ctx.organization.key, name_key(m.name))]

    def collective(self, org: Organization, label: str) -> Collective:
        key = (org.key, label)
        if key not in self.collectives:
            self.collectives[key] = Collective(org, label, iris.collective(org.name, label, org.scope))
        return self.collectives[key]

    # policies --------------------------------------------------------------------------------------
    def resolve_policies(self) -> tuple[dict[str, Policy], dict[tuple[str, int], Policy | NamedNode]]:
        own_titles = {policy_key(ctx.doc.header.title): ctx.iri for ctx in self.contexts}
        org_keys = sorted(
            {name_key(o.name) for o in self.organizations.values() if o.scope is None}, key=len, reverse=True
        )

        def split_issuer(key: str) -> tuple[str | None, str]:
            for ok in org_keys:
                if key.startswith(ok) and len(key) > len(ok) + 1:
                    return ok, key[len(ok) :]
            return None, key

        prefixed: set[tuple[str, str]] = set()
        for ctx in self.contexts:
            for c in ctx.doc.citations:
                issuer, rest = split_issuer(policy_key(c.title))
                if issuer:
                    prefixed.add((issuer, rest))
        policies: dict[str, Policy] = {}
        by_citation: dict[tuple[str, int], Policy | NamedNode] = {}
        for ctx in self.contexts:
            for c in ctx.doc.citations:
                if _NOT_POLICY.search(c.title):
                    continue
                key = policy_key(c.title)
                if key in own_titles:
                    if own_titles[key] != ctx.iri:
                        by_citation[(ctx.key, c.span.start)] = own_titles[key]
                    continue  # a notice citing its own attachment is not a citation
                issuer, rest = split_issuer(key)
                if issuer is None and (name_key(ctx.organization.name), rest) in prefixed:
                    issuer = name_key(ctx.organization.name)
                ident = (issuer or "") + rest
                if ident not in policies:
                    issuer_org = self.organizations.get(issuer) if issuer else None
                    policies[ident] = Policy(ident, Counter(), issuer_org, iris.policy(ident))
                policies[ident].titles[c.title] += 1
                policies[ident].match_keys.update({key, rest, ident})
                by_citation[(ctx.key, c.span.start)] = policies[ident]
        return policies, by_citation

    # programmes ------------------------------------------------------------------------------------
    def resolve_programmes(self) -> tuple[dict[str, Programme], dict[tuple[str, int], Programme]]:
        programmes: dict[str, Programme] = {}

        def get(name: str, ctx: DocumentContext) -> Programme:
            key = self._programme_key(name, ctx)
            if key not in programmes:
                programmes[key] = Programme(key, Counter(), iris.programme(key))
            programmes[key].names[_strip_org(name, ctx.organization)] += 1
            return programmes[key]

        for ctx in self.contexts:
            for d in ctx.doc.programme_definitions:
                p = get(d.name, ctx)
                p.definitions.append((ctx.key, d.span))
                p.category = p.category or d.category
                p.ordinal = p.ordinal if p.ordinal is not None else d.ordinal
                for part in d.parts:
                    child = get(part, ctx)
                    if child.key not in p.parts and child.key != p.key:
                        p.parts.append(child.key)
                        p.part_evidence.append((ctx.key, d.span))
        # Collections named with a count but defined without parts: look for a matching enumeration.
        for p in programmes.values():
            if p.parts:
                continue
            for ctx in self.contexts:
                found = parts_by_enumeration(p.label, ctx.doc.source.text)
                if found:
                    parts, span = found
                    for part in parts:
                        child = get(part, ctx)
                        if child.key not in p.parts:
                            p.parts.append(child.key)
                            p.part_evidence.append((ctx.key, span))
                    p.definitions.append((ctx.key, span))
                    break
        # Mentions: quoted programme names, and any name known anywhere in the corpus, in each task and
        # elsewhere in each document (the document-level mentions).
        known = sorted({n for p in programmes.values() for n in p.names}, key=len, reverse=True)
        by_mention: dict[tuple[str, int], Programme] = {}
        for ctx in self.contexts:
            # names inside responsibility statements are names of units (终身教育平台建设工作领导小组)
            stated = [r.span for t in ctx.doc.tasks for r in t.responsibilities]
            mentions = [
                m
                for m in find_programme_mentions(ctx.doc.source.text, 0, None, known)
                if not any(s.start <= m.span.start < s.end for s in stated)
            ]
            self.mentions[ctx.key] = mentions
            for m in mentions:
                by_mention[(ctx.key, m.span.start)] = get(m.name, ctx)
        return programmes, by_mention

    def _programme_key(self, name: str, ctx: DocumentContext) -> str:
        return programme_key(_strip_org(name, ctx.organization))


def _strip_org(name: str, org: Organization) -> str:
    for n in sorted((org.name, *org.aliases), key=len, reverse=True):
        if name.startswith(n) and len(name) - len(n) >= 4:
            return name[len(n) :]
    return name


def _is_government(name: str) -> bool:
    """市教育局, 市委编办, 济南市人力资源和社会保障局 — a government body, not a unit of a university."""
    return bool(_GOV_PREFIX.match(name) and _GOV_SUFFIX.search(name)) and not _UNIVERSITY.search(name)


def resolve(docs: list[ExtractedDocument]) -> Resolution:
    """Resolve every mention of a corpus of extracted documents to entities."""
    r = _Resolver(docs)
    r.contexts_for_documents()
    r.resolve_agents()
    policies, by_citation = r.resolve_policies()
    programmes, by_mention = r.resolve_programmes()
    for ctx in r.contexts:
        for ph in ctx.doc.post_holdings:
            org = next((o for o in (ctx.organization, *ctx.issuers) if o.name == ph.organization), None) or r.org(
                ph.organization, government=_is_government(ph.organization)
            )
            key = (org.key, ph.person)
            if key not in r.persons:
                r.persons[key] = Person(org, ph.person, iris.person(org.name, ph.person, org.scope))
    return Resolution(
        documents=r.contexts,
        organizations=r.organizations,
        units=r.units,
        persons=r.persons,
        collectives=r.collectives,
        policies=policies,
        programmes=programmes,
        agents=r.agents,
        citation_policy=by_citation,
        programme_of=by_mention,
        programme_mentions=r.mentions,
    )


SUPERVISOR_POST = "校领导"


def leader_post(org: Organization) -> str:
    """The post a supervising leader holds: 校领导 at a university, 领导 elsewhere."""
    return SUPERVISOR_POST if _UNIVERSITY.search(org.name) else "领导"


__all__ = ["Agent", "Resolution", "document_key", "leader_post", "resolve"]
