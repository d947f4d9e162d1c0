"""orgkg.validation.compile: the FILTER NOT EXISTS → MINUS rewriter, per-shape fallback, SELECTs without WHERE."""

from __future__ import annotations

import logging

import pyoxigraph as ox
import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import SH

from orgkg.validation.compile import not_exists_as_minus, plan, where_offset
from orgkg.validation.run import validate

# (input, output, why). The group's own patterns are copied into the MINUS (with #focus, where the runner binds the
# focus nodes) when both sides are plain triple patterns and FILTERs: P MINUS { P Q } = P MINUS { Q }, bounded by P.
# The rewrite applies to FILTER NOT EXISTS groups directly in the outermost WHERE group whose
# variables shared with the rest are bound by required triple patterns of the group, one of them in every solution.
SAME = None  # the query is left as written
REWRITES: list[tuple[str, str | None, str]] = [
    (
        "SELECT ?this WHERE { ?this a <C> . FILTER NOT EXISTS { ?this <p> ?v } }",
        "SELECT ?this WHERE { ?this a <C> .  \nMINUS {\n#focus\n ?this a <C> .  \n ?this <p> ?v }\n}",
        "shares ?this, bound in every solution",
    ),
    (
        "SELECT ?this WHERE { ?this a <C> . FILTER NOT EXISTS { ?this <p> ?v } FILTER NOT EXISTS { ?this <q> ?w } }",
        "SELECT ?this WHERE { ?this a <C> .   \nMINUS {\n#focus\n ?this a <C> .   \n ?this <p> ?v }\n"
        "MINUS {\n#focus\n ?this a <C> .   \n ?this <q> ?w }\n}",
        "each group moved, in order",
    ),
    (
        "SELECT ?this WHERE { ?this <p> ?v . FILTER NOT EXISTS { ?v a ?c } }",
        "SELECT ?this WHERE { ?this <p> ?v .  \nMINUS {\n#focus\n ?this <p> ?v .  \n ?v a ?c }\n}",
        "shares ?v, bound by a required pattern of the group",
    ),
    (
        "SELECT ?this WHERE { ?this a <C> . FILTER NOT EXISTS { ?this <p> ?v . ?v <r> ?other } }",
        "SELECT ?this WHERE { ?this a <C> .  \nMINUS {\n#focus\n ?this a <C> .  \n ?this <p> ?v . ?v <r> ?other }\n}",
        "variables of its own stay its own",
    ),
    (
        "SELECT ?this { ?this a <C> FILTER NOT EXISTS { ?this <p> ?v } }",
        "SELECT ?this { ?this a <C>  \nMINUS {\n#focus\n ?this a <C>   .\n ?this <p> ?v }\n}",
        "WHERE is optional in SPARQL",
    ),
    (
        "SELECT ?this WHERE { ?this a <C> . FILTER NOT EXISTS { { ?this <p> ?v } ?v a <K> } }",
        "SELECT ?this WHERE { ?this a <C> .  \nMINUS { { ?this <p> ?v } ?v a <K> }\n}",
        "moved without the group's patterns when either side is more than triples and FILTERs",
    ),
    (
        "SELECT ?this WHERE { ?this a <C> . FILTER NOT EXISTS { ?x <p> ?y FILTER (?y = ?this) } }",
        SAME,
        "?this is shared only through a FILTER inside: MINUS would not see it",
    ),
    ("SELECT ?this WHERE { ?this a <C> . FILTER NOT EXISTS { ?a <p> ?b } }", SAME, "no shared variable"),
    (
        "SELECT ?this WHERE { ?this a <C> . FILTER NOT EXISTS { OPTIONAL { ?this <p> ?v } } }",
        SAME,
        "the shared variable is bound only by an OPTIONAL",
    ),
    (
        "SELECT ?this WHERE { ?this a <C> . OPTIONAL { ?this <q> ?x } FILTER NOT EXISTS { ?x <p> ?y } }",
        SAME,
        "?x may be unbound outside: MINUS and NOT EXISTS differ there",
    ),
    (
        "SELECT ?this WHERE { ?this a <C> . OPTIONAL { FILTER NOT EXISTS { ?this <p> ?v } } }",
        SAME,
        "not in the outermost group",
    ),
    (
        'SELECT ?this WHERE { ?this <l> "FILTER NOT EXISTS { ?this <p> ?v }" }',
        SAME,
        "inside a string",
    ),
    (
        "SELECT ?this WHERE { ?this a <C> . FILTER NOT EXISTS { { SELECT ?this WHERE { ?this <p> ?v } } } }",
        SAME,
        "a sub-query",
    ),
    (
        "SELECT ?this WHERE { ?this a <C> . FILTER NOT EXISTS { GRAPH ?g { ?this <p> ?v } } }",
        SAME,
        "GRAPH",
    ),
    (
        "SELECT ?this WHERE { ?this a <C> . FILTER NOT EXISTS { { ?this <p> ?v } UNION { ?this <q> ?v } } }",
        SAME,
        "UNION branches bind nothing required (conservative)",
    ),
    ("SELECT ?this WHERE { ?this a <C> . FILTER NOT EXISTS { ?this <p> ?v ", SAME, "unbalanced text"),
]

BASE = "http://example.org/"
# Data on which each rewritten query must give what the original gives.
DATA = """
<urn:a> a <C> ; <p> <urn:x> . <urn:x> a <K> ; <r> <urn:y> .
<urn:f> a <C> ; <p> <urn:y> .
<urn:b> a <C> ; <q> <urn:z> . <urn:z> <p> <urn:w> .
<urn:c> a <C> ; <p> <urn:u> ; <l> "FILTER NOT EXISTS { ?this <p> ?v }" .
<urn:d> <p> <urn:x> .
<urn:e> a <C> .
"""


def test_rewrite_table_count() -> None:
    assert len(REWRITES) == 16
    assert sum(1 for _q, out, _why in REWRITES if out is not SAME) == 6


@pytest.mark.parametrize(("query", "expected", "why"), REWRITES, ids=[w for _q, _o, w in REWRITES])
def test_not_exists_as_minus(query: str, expected: str | None, why: str) -> None:
    out = not_exists_as_minus(query)
    assert out == (query if expected is SAME else expected), why
    if expected is not SAME:
        store = ox.Store()
        store.load(DATA.encode(), ox.RdfFormat.TURTLE, base_iri=BASE)
        rows = {str(r["this"]) for r in store.query(query, base_iri=BASE)}  # type: ignore[union-attr]
        assert rows, "the data should make the query answer something"
        again = {str(r["this"]) for r in store.query(out, base_iri=BASE)}  # type: ignore[union-attr]
        assert again == rows, "the rewrite changed the answer"


def test_where_offset_without_where_keyword() -> None:
    q = "SELECT $this # WHERE { in a comment\n{ $this a ?c }"
    assert q[where_offset(q) :] == " $this a ?c }"
    with pytest.raises(ValueError, match="no WHERE"):
        where_offset("ASK")


SHAPES = """
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix ex: <http://example.org/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
ex:NameShape a sh:NodeShape ; sh:targetClass ex:Person ;
    sh:property [ sh:path ex:name ; sh:minCount 1 ; sh:datatype xsd:string ] .
ex:ContactShape a sh:NodeShape ; sh:targetClass ex:Person ;
    sh:or ( [ sh:path ex:email ; sh:minCount 1 ] [ sh:path ex:phone ; sh:minCount 1 ] ) .
ex:NoWhere a sh:NodeShape ; sh:targetClass ex:Person ;
    sh:sparql [ sh:message "self-employed" ; sh:select "SELECT $this { $this ex:employer $this }" ;
                sh:prefixes ex:prefixes ] .
ex:prefixes sh:declare [ sh:prefix "ex" ; sh:namespace "http://example.org/"^^xsd:anyURI ] .
"""
DATA_TTL = """
@prefix ex: <http://example.org/> .
ex:ann a ex:Person ; ex:name "Ann" ; ex:email "ann@example.org" .
ex:bob a ex:Person ; ex:phone "123" ; ex:employer ex:bob .
ex:cat a ex:Person ; ex:name 7 .
"""


def test_one_sh_or_shape_falls_back_alone(caplog: pytest.LogCaptureFixture) -> None:
    shapes = Graph().parse(data=SHAPES, format="turtle")
    with caplog.at_level(logging.INFO, logger="orgkg.validation"):
        checks = plan(shapes)
    ex = "http://example.org/"
    assert set(checks.fallbacks) == {URIRef(ex + "ContactShape")}
    assert "sh:or" in checks.fallbacks[URIRef(ex + "ContactShape")]
    assert f"<{ex}ContactShape>" in caplog.text and "pySHACL" in caplog.text
    # The other shapes are still compiled: minCount and the SPARQL constraint here, datatype in Python.
    assert {c.component for c in checks.core} == {SH.MinCountConstraintComponent}
    assert len(checks.sparql) == 1 and len(checks.datatypes) == 1
    # pySHACL gets the shapes graph without the compiled units' targets.
    assert set(checks.remaining.subjects(SH.targetClass, None)) == {URIRef(ex + "ContactShape")}

    report = validate(Graph().parse(data=DATA_TTL, format="turtle"), shapes)
    found = {(str(r.focus_node).removeprefix(ex), r.component) for r in report.results}
    assert found == {
        ("bob", SH.MinCountConstraintComponent),  # no name (compiled)
        ("bob", SH.SPARQLConstraintComponent),  # its own employer (compiled, SELECT without WHERE)
        ("cat", SH.DatatypeConstraintComponent),  # a number as name (compiled)
        ("cat", SH.OrConstraintComponent),  # neither email nor phone (pySHACL)
    }
