"""Namespaces and the terms of the orgkg ontology used by the code.

The ontology itself (labels, definitions, axioms) lives in ``ontology/orgkg.ttl``; a test checks that every
``OKG`` term named here is declared there, so code and ontology cannot drift apart.
"""

from __future__ import annotations

from pyoxigraph import NamedNode

BASE = "https://w3id.org/orgkg/"
OKG_NS = BASE + "ontology#"
ID_NS = BASE + "id/"
GRAPH_NS = BASE + "graph/"

PREFIXES: dict[str, str] = {
    "okg": OKG_NS,
    "org": "http://www.w3.org/ns/org#",
    "prov": "http://www.w3.org/ns/prov#",
    "dcterms": "http://purl.org/dc/terms/",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "oa": "http://www.w3.org/ns/oa#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}


class _Namespace:
    """Attribute access to the terms of one namespace: ``ORG.Organization``."""

    def __init__(self, iri: str) -> None:
        self._iri = iri

    def __getattr__(self, name: str) -> NamedNode:
        if name.startswith("_"):
            raise AttributeError(name)
        return NamedNode(self._iri + name)

    def __getitem__(self, name: str) -> NamedNode:
        return NamedNode(self._iri + name)

    @property
    def iri(self) -> str:
        return self._iri


OKG = _Namespace(OKG_NS)
ORG = _Namespace(PREFIXES["org"])
PROV = _Namespace(PREFIXES["prov"])
DCTERMS = _Namespace(PREFIXES["dcterms"])
SKOS = _Namespace(PREFIXES["skos"])
FOAF = _Namespace(PREFIXES["foaf"])
OA = _Namespace(PREFIXES["oa"])
RDF = _Namespace(PREFIXES["rdf"])
RDFS = _Namespace(PREFIXES["rdfs"])
XSD = _Namespace(PREFIXES["xsd"])

RDF_TYPE = RDF.type

# Own terms the mapping writes. Kept in one list so the ontology test can check each is declared.
OKG_CLASSES = (
    "SourceDocument",
    "WorkPlan",
    "ImplementationPlan",
    "StrategicPlan",
    "DivisionPlan",
    "ProgressReport",
    "OtherPlan",
    "Section",
    "Task",
    "Responsibility",
    "ResponsibilityRole",
    "Unit",
    "LeadingGroup",
    "CollectiveReference",
    "Policy",
    "Citation",
    "Programme",
    "ProgrammeMention",
    "Excerpt",
)
OKG_PROPERTIES = (
    "planYear",
    "sequence",
    "ordinal",
    "numberLabel",
    "text",
    "inDocument",
    "inSection",
    "forOrganization",
    "qualifiedResponsibility",
    "role",
    "scope",
    "agentName",
    "supervisedBy",
    "ledBy",
    "responsibleAgent",
    "participant",
    "hasResponsibleAgent",
    "withinOrganization",
    "nameKey",
    "citedWork",
    "mentionsProgramme",
    "mentionedProgramme",
    "definedIn",
    "category",
    "continues",
    "attestedBy",
    "attestedOn",
    "sha256",
    "sourceFile",
    "inferredField",
    "textLength",
)
OKG_INDIVIDUALS = (
    "SupervisingLeader",
    "LeadUnit",
    "ResponsibleUnit",
    "ParticipatingUnit",
)
