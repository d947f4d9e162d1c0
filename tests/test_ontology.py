"""The ontology: it parses, declares every term the code uses, and HermiT can both accept and reject data.

Reasoner cases: ``fixtures/ontology/valid.ttl`` is a consistent cut of the graph in the shape of docs/model.md;
each file under ``fixtures/ontology/invalid/`` adds a few triples to it that break one axiom, named on its
``# breaks:`` line (and, on an optional ``# hint:`` line, a text the explanation must contain).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from rdflib import OWL, RDF, RDFS, Graph, Literal, Namespace, URIRef

from orgkg import vocab
from orgkg.validation.reasoner import ConsistencyResult, check_consistency

ROOT = Path(__file__).resolve().parent.parent
ONTOLOGY = ROOT / "ontology" / "orgkg.ttl"
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "ontology"
ONTOLOGY_IRI = URIRef("https://w3id.org/orgkg/ontology")
OKG = Namespace(vocab.OKG_NS)
SKOS = Namespace(vocab.PREFIXES["skos"])

needs_java = pytest.mark.skipif(
    shutil.which("java") is None, reason="HermiT runs on Java and no `java` is on PATH; install a JRE (>= 8)"
)

# Own properties whose values are literals; every other name in vocab.OKG_PROPERTIES links two resources.
DATATYPE_PROPERTIES = frozenset(
    {
        "planYear",
        "sequence",
        "ordinal",
        "numberLabel",
        "text",
        "agentName",
        "scope",
        "nameKey",
        "category",
        "attestedOn",
        "sha256",
        "sourceFile",
        "inferredField",
        "textLength",
    }
)

TERMS: list[tuple[str, URIRef]] = (
    [(name, OWL.Class) for name in vocab.OKG_CLASSES]
    + [
        (name, OWL.DatatypeProperty if name in DATATYPE_PROPERTIES else OWL.ObjectProperty)
        for name in vocab.OKG_PROPERTIES
    ]
    + [(name, OWL.NamedIndividual) for name in vocab.OKG_INDIVIDUALS]
)
KINDS = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty, OWL.NamedIndividual)

INVALID_CASES = sorted((FIXTURES / "invalid").glob("*.ttl"))


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return Graph().parse(ONTOLOGY, format="turtle")


def _with_valid(*paths: Path) -> Graph:
    graph = Graph().parse(FIXTURES / "valid.ttl", format="turtle")
    for path in paths:
        graph.parse(path, format="turtle")
    return graph


def _header(path: Path, key: str) -> str | None:
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith(f"# {key}:"):
            return line.split(":", 1)[1].strip()
    return None


def test_ontology_parses(ontology: Graph) -> None:
    assert (ONTOLOGY_IRI, RDF.type, OWL.Ontology) in ontology
    assert len(ontology) > 300


def test_version_iri_and_info(ontology: Graph) -> None:
    version_iri = ontology.value(ONTOLOGY_IRI, OWL.versionIRI)
    version_info = ontology.value(ONTOLOGY_IRI, OWL.versionInfo)
    assert version_iri == URIRef(f"{ONTOLOGY_IRI}/{version_info}")
    assert (ONTOLOGY_IRI, OWL.imports, None) not in ontology  # self-contained, see the file's header


def test_header_title_and_description_are_bilingual(ontology: Graph) -> None:
    dcterms = Namespace(vocab.PREFIXES["dcterms"])
    for prop in (dcterms.title, dcterms.description):
        languages = {lit.language for lit in ontology.objects(ONTOLOGY_IRI, prop) if isinstance(lit, Literal)}
        assert {"zh", "en"} <= languages, prop


def test_every_term_is_a_case() -> None:
    assert len(TERMS) == len(vocab.OKG_CLASSES) + len(vocab.OKG_PROPERTIES) + len(vocab.OKG_INDIVIDUALS)
    assert DATATYPE_PROPERTIES <= set(vocab.OKG_PROPERTIES)


@pytest.mark.parametrize(("name", "kind"), TERMS, ids=[name for name, _ in TERMS])
def test_term_is_declared_with_labels_and_definition(ontology: Graph, name: str, kind: URIRef) -> None:
    term = OKG[name]
    kinds = {k for k in KINDS if (term, RDF.type, k) in ontology}
    assert kinds == {kind}, f"okg:{name} is declared as {sorted(kinds)}, expected {kind}"
    labels = {lit.language for lit in ontology.objects(term, RDFS.label) if isinstance(lit, Literal)}
    assert {"zh", "en"} <= labels, f"okg:{name} needs rdfs:label @zh and @en"
    definitions = {lit.language for lit in ontology.objects(term, SKOS.definition) if isinstance(lit, Literal)}
    assert "en" in definitions, f"okg:{name} needs a skos:definition @en"


def test_no_undeclared_own_terms(ontology: Graph) -> None:
    """Every okg: term the ontology uses is one vocab.py names, so the two lists cannot drift apart."""
    named = {OKG[n] for n in (*vocab.OKG_CLASSES, *vocab.OKG_PROPERTIES, *vocab.OKG_INDIVIDUALS)}
    used = {t for triple in ontology for t in triple if isinstance(t, URIRef) and str(t).startswith(vocab.OKG_NS)}
    assert used <= named, sorted(used - named)


def test_invalid_cases_are_all_found_and_described() -> None:
    assert len(INVALID_CASES) == 11
    for path in INVALID_CASES:
        assert _header(path, "breaks"), f"{path.name} must say which axiom it breaks"


@needs_java
def test_ontology_alone_is_consistent_and_satisfiable() -> None:
    result = check_consistency(ONTOLOGY)
    assert result.consistent, result.explanation
    assert result.unsatisfiable_classes == ()


@needs_java
def test_valid_data_is_consistent() -> None:
    result = check_consistency(ONTOLOGY, _with_valid())
    assert result.consistent, result.explanation
    assert result.unsatisfiable_classes == ()


@needs_java
@pytest.mark.parametrize("case", INVALID_CASES, ids=[p.stem for p in INVALID_CASES])
def test_invalid_data_is_inconsistent(case: Path) -> None:
    result = check_consistency(ONTOLOGY, _with_valid(case))
    assert isinstance(result, ConsistencyResult)
    assert not result.consistent, f"{case.name} should break: {_header(case, 'breaks')}"
    hint = _header(case, "hint")
    if hint:
        assert hint in result.explanation, result.explanation


@needs_java
def test_named_graphs_are_all_checked() -> None:
    """A Dataset keeps one named graph per document; the clash spans two of them."""
    from rdflib import Dataset

    dataset = Dataset()
    dataset.graph(URIRef(vocab.GRAPH_NS + "doc/a")).parse(FIXTURES / "valid.ttl", format="turtle")
    dataset.graph(URIRef(vocab.GRAPH_NS + "doc/b")).parse(
        FIXTURES / "invalid" / "person-typed-unit.ttl", format="turtle"
    )
    result = check_consistency(ONTOLOGY, dataset)
    assert not result.consistent
