"""A corrupted copy of the seed graph: each defect gives a violation naming its rule and the source quote."""

from __future__ import annotations

import rdflib
from rdflib import Literal, URIRef

from orgkg.graphs import to_rdflib
from orgkg.pipeline import BuildResult
from orgkg.validation.data import from_dataset
from orgkg.validation.run import check_data

OKG = rdflib.Namespace("https://w3id.org/orgkg/ontology#")
OA = rdflib.Namespace("http://www.w3.org/ns/oa#")
PROV = rdflib.Namespace("http://www.w3.org/ns/prov#")
DOC = "https://w3id.org/orgkg/id/doc/国开发-2020-1号"
G2020 = URIRef("https://w3id.org/orgkg/graph/doc/国开发-2020-1号")


def test_corrupted_seed_graph(seed_build: BuildResult) -> None:
    texts = {ctx.iri.value: ctx.doc.source.text for ctx in seed_build.resolution.documents}
    ds = to_rdflib(seed_build.graphs)
    g = ds.graph(G2020)
    # 1. a task without a document
    task3 = URIRef(f"{DOC}/task/3")
    g.remove((task3, OKG.inDocument, None))
    # 2. a supervising leader that is a unit
    resp = URIRef(f"{DOC}/task/2/supervisor/person-曹国永")
    g.set((resp, PROV.agent, URIRef("https://w3id.org/orgkg/id/org/国家开放大学/unit/宣传部")))
    # 3. a span outside its document
    task5_excerpt = g.value(URIRef(f"{DOC}/task/5"), PROV.wasDerivedFrom)
    position = URIRef(f"{task5_excerpt}#position")
    g.set((position, OA.end, Literal(10**6)))
    # 4. a quote that does not match the text at its span
    resp7 = URIRef(f"{DOC}/task/7/supervisor/person-曹国永")
    quote = URIRef(f"{g.value(resp7, PROV.wasDerivedFrom)}#quote")
    g.set((quote, OA.exact, Literal("分管领导：王五。")))

    report = check_data(from_dataset(ds), texts)
    assert not report.conforms
    fired = {(r.rule_id, str(r.focus_node)): r for r in report.results if r.severity == "Violation"}
    rules = {rule for rule, _ in fired}
    assert {"TaskDocument", "SupervisingLeaderAgentClass", "ExcerptWithinSource", "ExcerptQuoteMatchesSource"} <= rules

    missing_doc = fired[("TaskDocument", str(task3))]
    assert missing_doc.label == "落实党委全面从严治党主体责任"
    assert missing_doc.quote is not None and missing_doc.quote.startswith("3．落实党委全面从严治党主体责任")
    wrong_agent = next(r for (rule, _), r in fired.items() if rule == "SupervisingLeaderAgentClass")
    assert wrong_agent.quote == "分管领导：曹国永。"
    mismatches = [r for (rule, _), r in fired.items() if rule == "ExcerptQuoteMatchesSource"]
    assert "分管领导：王五。" in {r.quote for r in mismatches}, "the offending quote is shown as the graph states it"
    assert all(r.rule_id and r.message("zh") and r.message("en") for r in report.results)
