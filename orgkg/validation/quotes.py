"""The source-quote check: every excerpt's quote is the source text at its span, and who a finding is about.

The graph alone cannot tell whether ``oa:exact`` is the text at ``[oa:start, oa:end)`` of the source document
(the shapes check the span's bounds and the quote's length); this check reads the documents' texts. A mismatch is a
Violation (rule ``ExcerptQuoteMatchesSource``); an excerpt whose source text was not given is a Warning (not
checked). Excerpts missing a selector part are left to the shapes, which report them.

:func:`describe` adds to each finding the focus node's name and the verbatim source text of the fact, looked up in
the same store (W3C Web Annotation selectors, PROV-O derivations).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace

import pyoxigraph as ox
from rdflib import BNode, Dataset, Graph, Namespace, URIRef
from rdflib import Literal as RDFLiteral
from rdflib.term import Node

from orgkg.validation.compile import SHAPES_NS
from orgkg.validation.data import Data, from_rdflib, sparql_term, to_rdflib
from orgkg.validation.report import QUOTE_RULE_ID, ValidationResult, sort_key
from orgkg.vocab import PREFIXES

__all__ = ["QUOTE_RULE_ID", "check_quotes", "describe", "quote_results"]

OA = Namespace(PREFIXES["oa"])
QUOTE_SHAPE = SHAPES_NS[QUOTE_RULE_ID]


def check_quotes(dataset: Graph | Dataset, texts: Mapping[str, str]) -> list[ValidationResult]:
    """:func:`quote_results` on an rdflib graph (every named graph of a dataset taken together)."""
    quads = getattr(dataset, "quads", None) if dataset.context_aware else None
    triples = ((s, p, o) for s, p, o, _g in quads((None, None, None, None))) if quads is not None else dataset
    return quote_results(from_rdflib(triples), texts)


_QUOTE_SOURCES = (
    "PREFIX oa: <http://www.w3.org/ns/oa#> SELECT DISTINCT ?excerpt ?source WHERE { ?excerpt oa:hasSource ?source }"
)
_QUOTE_SELECTORS = """PREFIX oa: <http://www.w3.org/ns/oa#>
SELECT ?excerpt ?selector ?type ?start ?end ?exact WHERE {
    ?excerpt oa:hasSelector ?selector . ?selector a ?type .
    FILTER (?type IN (oa:TextPositionSelector, oa:TextQuoteSelector))
    OPTIONAL { ?selector oa:start ?start } OPTIONAL { ?selector oa:end ?end } OPTIONAL { ?selector oa:exact ?exact }
}"""


def quote_results(data: Data, texts: Mapping[str, str], excerpts: set[str] | None = None) -> list[ValidationResult]:
    """Check every excerpt's ``oa:exact`` against ``texts[source IRI][start:end]``.

    ``excerpts`` (N-Triples strings) limits the excerpts checked.
    """
    sources: dict[str, list[Node]] = {}
    rows = data.select(_QUOTE_SOURCES)
    for row in rows:
        key = str(row["excerpt"])
        if excerpts is None or key in excerpts:
            sources.setdefault(key, []).append(to_rdflib(row["source"]))
    # Per excerpt, per selector (first row of each): (is position, start, end, exact), as _selectors reads them.
    parts: dict[str, dict[tuple[str, str], tuple[int | None, int | None, str | None]]] = {}
    rows = data.select(_QUOTE_SELECTORS)
    for row in rows:
        key = str(row["excerpt"])
        if key not in sources:
            continue
        selector = (str(row["selector"]), str(row["type"]))
        if selector in parts.setdefault(key, {}):
            continue
        position = row["type"] == _POSITION
        exact = row["exact"]
        parts[key][selector] = (
            _offset(row["start"]) if position else None,
            _offset(row["end"]) if position else None,
            exact.value if isinstance(exact, ox.Literal) else None,
        )
    results: list[ValidationResult] = []
    for key in sorted(sources):
        start = end = None
        exact = None
        for (_selector, kind), (s, e, x) in sorted(parts.get(key, {}).items()):
            if kind == str(_POSITION):
                start, end = s, e
            else:
                exact = x
        if start is None or end is None or exact is None:
            continue
        excerpt = _from_key(key)
        for source in sources[key]:
            results += _quote_check(excerpt, source, start, end, exact, texts)
    return sorted(results, key=sort_key)


_POSITION = ox.NamedNode(str(OA.TextPositionSelector))


_XSD_INTEGER = ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")


def _offset(term: ox.NamedNode | ox.BlankNode | ox.Literal | None) -> int | None:
    """An oa:start or oa:end as :func:`_int` reads it from the rdflib term, without making one for plain digits."""
    if term is None:
        return None
    if isinstance(term, ox.Literal) and term.datatype == _XSD_INTEGER and term.value.isascii() and term.value.isdigit():
        return int(term.value)
    return _int(to_rdflib(term))


def _from_key(key: str) -> Node:
    return BNode(key[2:]) if key.startswith("_:") else URIRef(key[1:-1])


def _quote_check(
    excerpt: Node, source: Node, start: int, end: int, exact: str, texts: Mapping[str, str]
) -> list[ValidationResult]:
    text = texts.get(str(source))
    if text is None:
        return [
            ValidationResult(
                "Warning",
                QUOTE_RULE_ID,
                excerpt,
                OA.hasSource,
                source,
                "无法核对引文：未提供该源文件的文本。",
                "The quote cannot be checked: the text of its source document was not given.",
                source_shape=QUOTE_SHAPE,
            )
        ]
    found = text[start:end]
    if found == exact:
        return []
    shown = found if len(found) <= 60 else found[:57] + "…"
    return [
        ValidationResult(
            "Violation",
            QUOTE_RULE_ID,
            excerpt,
            OA.hasSelector,
            RDFLiteral(found),
            f"引文（oa:exact）与源文件 [{start}, {end}) 处的文本不符，源文本为「{shown}」。",
            f"The quote (oa:exact) differs from the source text at [{start}, {end}), which reads “{shown}”.",
            source_shape=QUOTE_SHAPE,
        )
    ]


def _int(node: Node | None) -> int | None:
    value = node.toPython() if isinstance(node, RDFLiteral) else None
    return value if isinstance(value, int) and not isinstance(value, bool) else None


# --- who a finding is about -------------------------------------------------------------------------------------

# The focus node's name, and the verbatim text behind it: its own quote (a quote selector), the quote of its
# excerpt (an excerpt, or a position selector: its excerpt is the IRI without fragment), of the excerpt it was
# derived from (a fact), or of the first responsibility naming it (an agent). First match in that order.
_DESCRIBE = """PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX foaf: <http://xmlns.com/foaf/0.1/>
SELECT ?node ?rank ?label ?quote WHERE {
  VALUES ?node { %s }
  {
    VALUES (?rank ?p) { (0 skos:prefLabel) (1 dcterms:title) (2 rdfs:label) (3 foaf:name) }
    ?node ?p ?label .
  } UNION {
    ?node oa:exact ?quote . BIND(10 AS ?rank)
  } UNION {
    ?node oa:hasSelector/oa:exact ?quote . BIND(11 AS ?rank)
  } UNION {
    ?node oa:start ?any . BIND(IRI(STRBEFORE(CONCAT(STR(?node), "#"), "#")) AS ?excerpt)
    ?excerpt oa:hasSelector/oa:exact ?quote . BIND(12 AS ?rank)
  } UNION {
    ?node prov:wasDerivedFrom/oa:hasSelector/oa:exact ?quote . BIND(13 AS ?rank)
  } UNION {
    { SELECT ?node (MIN(STR(?r)) AS ?first) WHERE { VALUES ?node { %s } ?r prov:agent ?node } GROUP BY ?node }
    ?r prov:agent ?node . FILTER (STR(?r) = ?first)
    { ?r oa:hasSelector/oa:exact ?quote } UNION { ?r prov:wasDerivedFrom/oa:hasSelector/oa:exact ?quote }
    BIND(14 AS ?rank)
  }
}"""
_BATCH = 500


def describe(results: Iterable[ValidationResult], data: Data) -> list[ValidationResult]:
    """Results with the focus node's name and the source quote of the fact, so a person can find it."""
    results = list(results)
    nodes = sorted({r.focus_node for r in results if isinstance(r.focus_node, URIRef)}, key=str)
    found: dict[Node, tuple[tuple[int, str] | None, tuple[int, str] | None]] = {}
    for i in range(0, len(nodes), _BATCH):
        block = " ".join(sparql_term(n) for n in nodes[i : i + _BATCH])
        for row in data.select(_DESCRIBE % (block, block)):
            node = to_rdflib(row["node"])
            rank = int(row["rank"].value)
            label, quote = found.get(node, (None, None))
            if row["label"] is not None and (label is None or (rank, row["label"].value) < label):
                label = (rank, row["label"].value)
            if row["quote"] is not None and (quote is None or (rank, row["quote"].value) < quote):
                quote = (rank, row["quote"].value)
            found[node] = (label, quote)
    out = []
    for r in results:
        label, quote = found.get(r.focus_node, (None, None))
        out.append(replace(r, label=None if label is None else label[1], quote=None if quote is None else quote[1]))
    return out
