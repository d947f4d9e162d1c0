"""Check the ontology, and optionally a data graph, for logical consistency with the HermiT reasoner.

SHACL (``shapes/``) checks the shape of the data under a closed-world reading; this module asks the open-world
question SHACL cannot: is there any model of ``ontology/orgkg.ttl`` plus the data? A node typed both
``foaf:Person`` and ``okg:Unit`` (declared disjoint), or two different values of a functional property such as
``okg:sequence``, make the answer "no".

Choices that are not obvious:

* **Everything goes to owlready2 as N-Triples.** owlready2 reads RDF/XML, OWL/XML and N-Triples but not Turtle,
  so rdflib parses the Turtle and serializes N-Triples. N-Triples is line-based, so the ontology's and the
  data's serializations are concatenated and loaded as one ontology from memory (no temporary file of ours;
  owlready2 writes the one HermiT reads). One ontology also means one ``owl:Ontology`` header for the OWL API
  parser inside HermiT.
* **A fresh ``owlready2.World`` per call**, closed afterwards: the default world is process-global, and earlier
  loads would leak into later checks.
* **Named graphs are flattened.** A :class:`rdflib.Dataset` serializes only its default graph as N-Triples, but
  the store keeps one named graph per document; the reasoner must see them all.
* **``infer_property_values=False``**: only consistency is wanted; inferring property values costs time and
  would write inferred triples back into the world for nothing.
* **``ignore_unsupported_datatypes=True``**: dates (``dcterms:issued``, ``okg:attestedOn``) are ``xsd:date``,
  which is outside the OWL 2 datatype map; without the flag HermiT aborts instead of treating them as opaque.
* **``debug=0``**: owlready2 otherwise prints the Java command line and timings on stderr.
* **Unsatisfiable classes are reported too.** A consistent ontology can still have a class that can have no
  members (e.g. a subclass of two disjoint classes); that is a modelling error the ontology test must catch.
* **A HermiT crash is an error, not "inconsistent"**: :class:`ReasonerError` is raised, so callers can tell
  "the data is wrong" (validate exits 1) from "the check could not run" (exit 2).
* **The explanation adds hints, not proofs.** HermiT (through owlready2) only says "inconsistent". To point at
  the likely culprit the data is scanned, without inference, for nodes with asserted types from two disjoint
  classes, for functional properties with more than one distinct value, and for literals outside an integer or
  string range (a ``@zh`` literal is not an ``xsd:string``).
"""

from __future__ import annotations

import io
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import owlready2
import rdflib
from rdflib import OWL, RDF, RDFS, Literal, URIRef
from rdflib.collection import Collection
from rdflib.term import Node

__all__ = ["ConsistencyResult", "ReasonerError", "check_consistency"]

_DATA_ONTOLOGY_IRI = "https://w3id.org/orgkg/graph/consistency-check"
# Plain IRIs, not rdflib's XSD namespace object: pytest's doctest collector probes that object and warns.
_XSD = "http://www.w3.org/2001/XMLSchema#"
_XSD_STRING = URIRef(_XSD + "string")
_MAX_HINTS = 20


class ReasonerError(RuntimeError):
    """The reasoner could not run (Java missing, HermiT crashed); says nothing about consistency."""


@dataclass(frozen=True)
class ConsistencyResult:
    """What HermiT found: ``consistent`` is the logical verdict; ``explanation`` says why, for people."""

    consistent: bool
    explanation: str
    unsatisfiable_classes: tuple[str, ...] = ()  # IRIs of classes that can have no member (when consistent)
    seconds: float = 0.0  # loading into owlready2 plus HermiT, Java start-up included


def check_consistency(ontology_path: Path, data: rdflib.Graph | None = None) -> ConsistencyResult:
    """Run HermiT on the ontology (Turtle) plus the optional data graph and report whether they are consistent."""
    ontology = rdflib.Graph().parse(ontology_path, format="turtle")
    payload = ontology.serialize(format="nt", encoding="utf-8")
    flat = _flatten(data) if data is not None else rdflib.Graph()
    n_data = len(flat)
    if n_data:
        payload += flat.serialize(format="nt", encoding="utf-8")

    world = owlready2.World()
    started = time.perf_counter()
    try:
        world.get_ontology(_DATA_ONTOLOGY_IRI).load(fileobj=io.BytesIO(payload), format="ntriples")
        try:
            owlready2.sync_reasoner_hermit(
                world, infer_property_values=False, debug=0, ignore_unsupported_datatypes=True
            )
        except owlready2.OwlReadyInconsistentOntologyError:
            seconds = time.perf_counter() - started
            hints = list(_hints(ontology, flat))
            return ConsistencyResult(False, _inconsistent_text(n_data, hints), (), seconds)
        except (owlready2.OwlReadyJavaError, OSError) as exc:
            raise ReasonerError(f"HermiT could not run: {exc}") from exc
        unsatisfiable = tuple(sorted(c.iri for c in world.inconsistent_classes()))
    finally:
        world.close()
    seconds = time.perf_counter() - started
    subject = f"the ontology with {n_data} data triples" if n_data else "the ontology alone"
    text = f"HermiT found {subject} consistent ({seconds:.1f} s)."
    if unsatisfiable:
        text += " But these classes can have no members: " + ", ".join(unsatisfiable)
    return ConsistencyResult(True, text, unsatisfiable, seconds)


def _flatten(data: rdflib.Graph) -> rdflib.Graph:
    """All triples of ``data``, named graphs included, as one graph."""
    if not isinstance(data, rdflib.ConjunctiveGraph):  # Dataset is a ConjunctiveGraph in rdflib 7
        return data
    flat = rdflib.Graph()
    for s, p, o, _ in data.quads((None, None, None, None)):
        flat.add((s, p, o))
    return flat


def _inconsistent_text(n_data: int, hints: list[str]) -> str:
    head = (
        f"HermiT found the ontology with {n_data} data triples inconsistent: nothing can satisfy them all."
        if n_data
        else "HermiT found the ontology alone inconsistent."
    )
    if not hints:
        return head + (
            " No asserted clash found (disjoint types, functional properties, literal ranges); the cause needs"
            " inference, e.g. a domain or range that types a node into a class disjoint with its own."
        )
    lines = [head, "Likely causes (asserted facts only):", *(f"- {h}" for h in hints[:_MAX_HINTS])]
    if len(hints) > _MAX_HINTS:
        lines.append(f"- … and {len(hints) - _MAX_HINTS} more")
    return "\n".join(lines)


def _hints(ontology: rdflib.Graph, data: rdflib.Graph) -> Iterator[str]:
    """Asserted facts in ``data`` that break a disjointness or functionality axiom of ``ontology``."""
    for group in _disjoint_groups(ontology):
        # A node's asserted type may be a named subclass of a group member (okg:WorkPlan ⊑ okg:SourceDocument).
        member_of: dict[Node, Node] = {}
        for member in group:
            for sub in ontology.transitive_subjects(RDFS.subClassOf, member):
                if sub is not None:
                    member_of.setdefault(sub, member)
        for node in sorted(set(data.subjects(RDF.type, None)), key=str):
            hit = {member_of[t] for t in data.objects(node, RDF.type) if t in member_of}
            if len(hit) > 1:
                yield f"{node.n3()} is typed with disjoint classes " + ", ".join(sorted(h.n3() for h in hit))
    for prop in sorted(set(ontology.subjects(RDF.type, OWL.FunctionalProperty)), key=str):
        for subject in sorted(set(data.subjects(prop, None)), key=str):
            values = {_value(o) for o in data.objects(subject, prop)}
            if len(values) > 1:
                yield f"{subject.n3()} has {len(values)} values of functional property {prop.n3()}"
    for prop, datatype in sorted(ontology.subject_objects(RDFS.range), key=str):
        if datatype not in _INTEGER_MINIMUM and datatype != _XSD_STRING:
            continue
        bad = [o for o in data.objects(None, prop) if isinstance(o, Literal) and not _in_range(o, datatype)]
        if bad:
            yield f"{prop.n3()} has {len(bad)} value(s) outside its range {datatype.n3()}, e.g. {bad[0].n3()}"


def _disjoint_groups(ontology: rdflib.Graph) -> Iterator[list[Node]]:
    for group in ontology.subjects(RDF.type, OWL.AllDisjointClasses):
        members = ontology.value(group, OWL.members)
        if members is not None:
            yield list(Collection(ontology, members))
    for a, b in ontology.subject_objects(OWL.disjointWith):
        yield [a, b]


# The datatypes whose ranges the hints check, with the least integer each admits (None: unbounded).
_INTEGER_MINIMUM: dict[Node, int | None] = {
    URIRef(_XSD + "integer"): None,
    URIRef(_XSD + "nonNegativeInteger"): 0,
    URIRef(_XSD + "positiveInteger"): 1,
}


def _in_range(literal: Literal, datatype: Node) -> bool:
    """Whether a literal is in an integer or string range; a language-tagged literal is never an xsd:string."""
    if datatype == _XSD_STRING:
        return literal.language is None and literal.datatype in (None, _XSD_STRING)
    if literal.language is not None or not isinstance(literal.value, int) or isinstance(literal.value, bool):
        return False
    least = _INTEGER_MINIMUM[datatype]
    return least is None or literal.value >= least


def _value(term: Node) -> object:
    """Literals compare by value (``"01"^^xsd:integer`` equals ``1``), IRIs by IRI."""
    if isinstance(term, Literal):
        return (term.value if term.value is not None else str(term), term.language)
    if isinstance(term, URIRef):
        return str(term)
    return term
