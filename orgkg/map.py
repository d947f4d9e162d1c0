"""Map resolved records to RDF quads by the orgkg ontology (see ``docs/model.md``).

One named graph per source document (everything the document states, with provenance), ``graph/entities``
(labels and kinds of the entities the documents share) and ``graph/derived`` (links computed across
documents). Mapping knows no regular expressions: it only walks records and resolution tables.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from pyoxigraph import Literal, NamedNode, Quad

from orgkg import iris
from orgkg.records import DocumentKind, Role, Span
from orgkg.resolve import (
    Agent,
    Collective,
    DocumentContext,
    Organization,
    Person,
    Resolution,
    Unit,
    leader_post,
)
from orgkg.textnorm import name_key, policy_key, sentence_span
from orgkg.vocab import DCTERMS, FOAF, OA, OKG, ORG, PROV, RDF_TYPE, SKOS, XSD

Graphs = dict[NamedNode, list[Quad]]

KIND_CLASS = {
    DocumentKind.WORK_PLAN: OKG.WorkPlan,
    DocumentKind.IMPLEMENTATION_PLAN: OKG.ImplementationPlan,
    DocumentKind.STRATEGIC_PLAN: OKG.StrategicPlan,
    DocumentKind.DIVISION: OKG.DivisionPlan,
    DocumentKind.PROGRESS_REPORT: OKG.ProgressReport,
    DocumentKind.PLAN: OKG.OtherPlan,
}
ROLE_INDIVIDUAL = {
    Role.SUPERVISOR: OKG.SupervisingLeader,
    Role.LEAD: OKG.LeadUnit,
    Role.RESPONSIBLE: OKG.ResponsibleUnit,
    Role.PARTICIPANT: OKG.ParticipatingUnit,
}
ROLE_SHORTCUT = {
    Role.SUPERVISOR: OKG.supervisedBy,
    Role.LEAD: OKG.ledBy,
    Role.RESPONSIBLE: OKG.responsibleAgent,
    Role.PARTICIPANT: OKG.participant,
}


def zh(text: str) -> Literal:
    return Literal(text, language="zh")


def integer(n: int) -> Literal:
    return Literal(str(n), datatype=XSD.integer)


def nonneg(n: int) -> Literal:
    """A character offset. xsd:integer, not Web Annotation's xsd:nonNegativeInteger: Oxigraph stores derived
    integer types as xsd:integer, and a graph must be the same built or stored (SHACL checks it is ≥ 0)."""
    return Literal(str(n), datatype=XSD.integer)


class _GraphWriter:
    """Collects the quads of one named graph, without duplicates, in insertion order."""

    def __init__(self, graph: NamedNode) -> None:
        self.graph = graph
        self._seen: set[Quad] = set()
        self.quads: list[Quad] = []

    def add(self, s: NamedNode, p: NamedNode, o: NamedNode | Literal) -> None:
        q = Quad(s, p, o, self.graph)
        if q not in self._seen:
            self._seen.add(q)
            self.quads.append(q)


class _DocumentMapper:
    def __init__(self, res: Resolution, ctx: DocumentContext) -> None:
        self.res = res
        self.ctx = ctx
        self.w = _GraphWriter(ctx.graph)
        self.text = ctx.doc.source.text

    def excerpt(self, span: Span) -> NamedNode:
        node = iris.excerpt(self.ctx.key, span.start, span.end)
        pos, quote = iris.selector(node, "position"), iris.selector(node, "quote")
        add = self.w.add
        add(node, RDF_TYPE, OKG.Excerpt)
        add(node, OA.hasSource, self.ctx.iri)
        add(node, OA.hasSelector, pos)
        add(node, OA.hasSelector, quote)
        add(pos, RDF_TYPE, OA.TextPositionSelector)
        add(pos, OA.start, nonneg(span.start))
        add(pos, OA["end"], nonneg(span.end))
        add(quote, RDF_TYPE, OA.TextQuoteSelector)
        add(quote, OA.exact, Literal(span.quote(self.text)))
        return node

    def document(self) -> None:
        ctx, add = self.ctx, self.w.add
        h, src = ctx.doc.header, ctx.doc.source
        add(ctx.iri, RDF_TYPE, KIND_CLASS[h.kind])
        add(ctx.iri, RDF_TYPE, OKG.SourceDocument)  # superclasses materialized: stores need not reason
        add(ctx.iri, DCTERMS.title, zh(h.title))
        if h.number:
            add(ctx.iri, DCTERMS.identifier, Literal(h.number))
        if h.date:
            add(ctx.iri, DCTERMS.issued, Literal(h.date, datatype=XSD.date))
        if h.year is not None:
            add(ctx.iri, OKG.planYear, integer(h.year))
        for issuer in ctx.issuers:
            add(ctx.iri, DCTERMS.creator, issuer.iri)
        add(ctx.iri, OKG.forOrganization, ctx.organization.iri)
        add(ctx.iri, OKG.sha256, Literal(src.sha256))
        add(ctx.iri, OKG.sourceFile, Literal(src.name))
        add(ctx.iri, OKG.textLength, integer(len(src.text)))
        add(ctx.iri, DCTERMS["format"], Literal(src.media_type))
        for name in h.inferred:
            add(ctx.iri, OKG.inferredField, Literal(name))
        if h.title_span is not None:
            add(ctx.iri, PROV.wasDerivedFrom, self.excerpt(h.title_span))

    def tasks(self) -> None:
        ctx, add = self.ctx, self.w.add
        h = ctx.doc.header
        memberships: dict[str, Span] = {}
        for task in ctx.doc.tasks:
            t = iris.task(ctx.key, task.sequence)
            add(t, RDF_TYPE, OKG.Task)
            add(t, OKG.inDocument, ctx.iri)
            add(t, OKG.sequence, integer(task.sequence))
            add(t, OKG.ordinal, integer(task.ordinal))
            add(t, OKG.numberLabel, Literal(task.label))
            add(t, DCTERMS.title, zh(task.title))
            add(t, OKG.text, zh(task.text))
            if h.year is not None:
                add(t, OKG.planYear, integer(h.year))
            add(t, OKG.forOrganization, ctx.organization.iri)
            add(t, PROV.wasDerivedFrom, self.excerpt(task.span))
            if task.section is not None:
                sec = iris.section(ctx.key, f"{task.section.ordinal}-{task.section.span.start}")
                add(t, OKG.inSection, sec)
                add(sec, RDF_TYPE, OKG.Section)
                add(sec, DCTERMS.isPartOf, ctx.iri)
                add(sec, OKG.ordinal, integer(task.section.ordinal))
                add(sec, OKG.numberLabel, Literal(task.section.label))
                add(sec, DCTERMS.title, zh(task.section.title))
                add(sec, PROV.wasDerivedFrom, self.excerpt(task.section.span))
            named: set[NamedNode] = set()
            for r in task.responsibilities:
                agent = self.res.agent(ctx.key, r.agent)
                node = iris.responsibility(ctx.key, task.sequence, r.role.value, _agent_key(agent))
                add(t, OKG.qualifiedResponsibility, node)
                add(t, ROLE_SHORTCUT[r.role], agent_iri(agent))
                add(node, RDF_TYPE, OKG.Responsibility)
                add(node, OKG.role, ROLE_INDIVIDUAL[r.role])
                add(node, PROV.agent, agent_iri(agent))
                if node not in named:  # one agent named twice in one task (two spellings): the first name
                    named.add(node)
                    add(node, OKG.agentName, zh(r.agent.name))
                if r.scope:
                    add(node, OKG.scope, zh(r.scope))
                add(node, PROV.wasDerivedFrom, self.excerpt(r.span))
                if isinstance(agent, Person):
                    memberships.setdefault(agent.name, r.span)
        for name, span in memberships.items():
            person = self.res.persons[(ctx.organization.key, name)]
            self.membership(person, leader_post(ctx.organization), span)

    def membership(self, person: Person, post: str, span: Span) -> None:
        ctx, add = self.ctx, self.w.add
        m = iris.membership(person.organization.name, person.name, post, ctx.key, person.organization.scope)
        add(m, RDF_TYPE, ORG.Membership)
        add(m, ORG.member, person.iri)
        add(m, ORG.organization, person.organization.iri)
        add(m, ORG.role, iris.role(post))
        add(m, OKG.attestedBy, ctx.iri)
        if ctx.doc.header.date:
            add(m, OKG.attestedOn, Literal(ctx.doc.header.date, datatype=XSD.date))
        add(m, PROV.wasDerivedFrom, self.excerpt(span))

    def posts(self) -> None:
        for ph in self.ctx.doc.post_holdings:
            org = next(
                (o for o in (self.ctx.organization, *self.ctx.issuers) if o.name == ph.organization),
                self.res.organizations.get(name_key(ph.organization)),
            )
            person = next(
                (
                    p
                    for p in self.res.persons.values()
                    if p.name == ph.person and (org is None or p.organization is org)
                ),
                None,
            )
            if person is None:
                continue
            for post in ph.posts:
                self.membership(person, post, ph.span)

    def citations(self) -> None:
        ctx, add = self.ctx, self.w.add
        owner = _Owner(ctx)
        for c in ctx.doc.citations:
            target = self.res.citation_policy.get((ctx.key, c.span.start))
            if target is None:
                continue
            work = target if isinstance(target, NamedNode) else target.iri
            node = iris.citation(ctx.key, c.span.start)
            part_of = owner(c.span)
            add(node, RDF_TYPE, OKG.Citation)
            add(node, OKG.citedWork, work)
            add(node, DCTERMS.isPartOf, part_of)
            add(node, PROV.wasDerivedFrom, self.excerpt(sentence_span(self.text, c.span)))
            add(part_of, DCTERMS.references, work)
            if part_of != ctx.iri:
                add(ctx.iri, DCTERMS.references, work)

    def programmes(self) -> None:
        ctx, add = self.ctx, self.w.add
        owner = _Owner(ctx)
        for m in self.res.programme_mentions.get(ctx.key, []):
            p = self.res.programme_of[(ctx.key, m.span.start)]
            node = iris.programme_mention(ctx.key, m.span.start)
            part_of = owner(m.span)
            add(node, RDF_TYPE, OKG.ProgrammeMention)
            add(node, OKG.mentionedProgramme, p.iri)
            add(node, DCTERMS.isPartOf, part_of)
            add(node, PROV.wasDerivedFrom, self.excerpt(sentence_span(self.text, m.span)))
            add(part_of, OKG.mentionsProgramme, p.iri)
        for p in self.res.programmes.values():
            for doc_key, span in p.definitions:
                if doc_key == ctx.key:
                    add(p.iri, OKG.definedIn, ctx.iri)
                    add(p.iri, PROV.wasDerivedFrom, self.excerpt(span))
            for child_key, (doc_key, span) in zip(p.parts, p.part_evidence, strict=True):
                if doc_key == ctx.key:
                    child = self.res.programmes[child_key]
                    add(child.iri, SKOS.broader, p.iri)
                    add(p.iri, SKOS.narrower, child.iri)
                    add(child.iri, PROV.wasDerivedFrom, self.excerpt(span))


class _Owner:
    """The task whose span contains a given span, else the document."""

    def __init__(self, ctx: DocumentContext) -> None:
        self.ctx = ctx
        self.spans = [(t.span, iris.task(ctx.key, t.sequence)) for t in ctx.doc.tasks]

    def __call__(self, span: Span) -> NamedNode:
        for s, node in self.spans:
            if s.start <= span.start < s.end:
                return node
        return self.ctx.iri


def agent_iri(agent: Agent) -> NamedNode:
    assert agent.iri is not None
    return agent.iri


def _agent_key(agent: Agent) -> str:
    if isinstance(agent, Unit):
        return "unit-" + agent.label
    if isinstance(agent, Person):
        return "person-" + agent.name
    if isinstance(agent, Collective):
        return "collective-" + agent.label
    return "org-" + agent.name


def _labels(w: _GraphWriter, node: NamedNode, pref: str, alts: Iterable[str]) -> None:
    w.add(node, SKOS.prefLabel, zh(pref))
    w.add(node, OKG.nameKey, Literal(name_key(pref)))
    for a in sorted(set(alts) - {pref}):
        w.add(node, SKOS.altLabel, zh(a))
        w.add(node, OKG.nameKey, Literal(name_key(a)))


def _entities(res: Resolution) -> list[Quad]:
    w = _GraphWriter(iris.ENTITIES_GRAPH)
    add = w.add
    for org in sorted(res.organizations.values(), key=lambda o: o.iri.value):
        add(org.iri, RDF_TYPE, ORG.FormalOrganization)
        _labels(w, org.iri, org.name, org.aliases)
    for unit in sorted(res.units, key=lambda u: agent_iri(u).value):
        node = agent_iri(unit)
        add(node, RDF_TYPE, OKG.Unit)
        if unit.leading_group:
            add(node, RDF_TYPE, OKG.LeadingGroup)
        _labels(w, node, unit.label, unit.all_names)
        add(node, ORG.unitOf, unit.organization.iri)
        add(unit.organization.iri, ORG.hasUnit, node)
    for person in sorted(res.persons.values(), key=lambda p: p.iri.value):
        add(person.iri, RDF_TYPE, FOAF.Person)
        add(person.iri, FOAF.name, Literal(person.name))
        _labels(w, person.iri, person.name, ())
    for c in sorted(res.collectives.values(), key=lambda c: c.iri.value):
        add(c.iri, RDF_TYPE, OKG.CollectiveReference)
        _labels(w, c.iri, c.label, ())
        add(c.iri, OKG.withinOrganization, c.organization.iri)
    posts = {leader_post(ctx.organization) for ctx in res.documents}
    posts |= {p for ctx in res.documents for ph in ctx.doc.post_holdings for p in ph.posts}
    for post in sorted(posts):
        add(iris.role(post), RDF_TYPE, ORG.Role)
        add(iris.role(post), SKOS.prefLabel, zh(post))
    for pol in sorted(res.policies.values(), key=lambda p: p.iri.value):
        add(pol.iri, RDF_TYPE, OKG.Policy)
        add(pol.iri, DCTERMS.title, zh(pol.title))
        _labels(w, pol.iri, pol.title, pol.titles)
        for key in sorted(pol.match_keys):
            add(pol.iri, OKG.nameKey, Literal(key))
        if pol.issuer is not None:
            add(pol.iri, DCTERMS.creator, pol.issuer.iri)
    for ctx in res.documents:  # a source document is also the work its title names
        if any(isinstance(t, NamedNode) and t == ctx.iri for t in res.citation_policy.values()):
            add(ctx.iri, RDF_TYPE, OKG.Policy)
            add(ctx.iri, OKG.nameKey, Literal(policy_key(ctx.doc.header.title)))
    add(iris.PROGRAMME_SCHEME, RDF_TYPE, SKOS.ConceptScheme)
    add(iris.PROGRAMME_SCHEME, SKOS.prefLabel, zh("规划项目与工程"))
    for p in sorted(res.programmes.values(), key=lambda p: p.iri.value):
        add(p.iri, RDF_TYPE, OKG.Programme)
        _labels(w, p.iri, p.label, p.names)
        add(p.iri, SKOS.inScheme, iris.PROGRAMME_SCHEME)
        if p.category:
            add(p.iri, OKG.category, Literal(p.category))
        if p.ordinal is not None:
            add(p.iri, OKG.ordinal, integer(p.ordinal))
    return w.quads


def map_corpus(res: Resolution, continues: Iterable[tuple[NamedNode, NamedNode]] = ()) -> Graphs:
    """All quads of a resolved corpus, by named graph."""
    graphs: Graphs = {}
    for ctx in res.documents:
        m = _DocumentMapper(res, ctx)
        m.document()
        m.tasks()
        m.posts()
        m.citations()
        m.programmes()
        graphs[ctx.graph] = m.w.quads
    graphs[iris.ENTITIES_GRAPH] = _entities(res)
    derived = _GraphWriter(iris.DERIVED_GRAPH)
    for later, earlier in continues:
        derived.add(later, OKG.continues, earlier)
    graphs[iris.DERIVED_GRAPH] = derived.quads
    return graphs


def count_by_class(graphs: Graphs) -> dict[str, int]:
    """Number of distinct subjects per rdf:type across graphs (for build summaries)."""
    subjects: dict[str, set[str]] = defaultdict(set)
    for quads in graphs.values():
        for q in quads:
            if q.predicate == RDF_TYPE and isinstance(q.object, NamedNode) and isinstance(q.subject, NamedNode):
                subjects[q.object.value].add(q.subject.value)
    return {k: len(v) for k, v in subjects.items()}


__all__ = ["Graphs", "Organization", "count_by_class", "map_corpus"]
