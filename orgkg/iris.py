"""Every IRI orgkg mints, in one place, from stable keys: the same sources always give the same IRIs.

IRIs are readable (Chinese names kept, as IRIs allow, RFC 3987); characters that are not letters or digits
become ``-``. Patterns are documented in ``docs/model.md`` and ``ontology/README.md``.
"""

from __future__ import annotations

import re

from pyoxigraph import NamedNode

from orgkg.vocab import GRAPH_NS, ID_NS

_NOT_WORD = re.compile(r"[^\w]+", re.UNICODE)


def slug(text: str) -> str:
    """A readable IRI path segment: letters (any script) and digits kept, anything else becomes ``-``.

    >>> slug("国开发〔2020〕1号"), slug("“四项整顿”领导小组办公室"), slug("A/B 办")
    ('国开发-2020-1号', '四项整顿-领导小组办公室', 'A-B-办')
    """
    s = _NOT_WORD.sub("-", text.replace("_", "-")).strip("-")
    if not s:
        raise ValueError(f"cannot make an IRI segment from {text!r}")
    return s


def _node(path: str) -> NamedNode:
    return NamedNode(ID_NS + path)


def document(key: str) -> NamedNode:
    """A source document, keyed by its 文号 or else its title (and year)."""
    return _node(f"doc/{slug(key)}")


def document_graph(key: str) -> NamedNode:
    """The named graph holding everything one source document states."""
    return NamedNode(f"{GRAPH_NS}doc/{slug(key)}")


ENTITIES_GRAPH = NamedNode(GRAPH_NS + "entities")
DERIVED_GRAPH = NamedNode(GRAPH_NS + "derived")
ONTOLOGY_GRAPH = NamedNode(GRAPH_NS + "ontology")
PROGRAMME_SCHEME = _node("scheme/programmes")


def section(doc_key: str, ordinal_path: str) -> NamedNode:
    return _node(f"doc/{slug(doc_key)}/section/{slug(ordinal_path)}")


def task(doc_key: str, sequence: int) -> NamedNode:
    return _node(f"doc/{slug(doc_key)}/task/{sequence}")


def responsibility(doc_key: str, sequence: int, role: str, agent_key: str) -> NamedNode:
    return _node(f"doc/{slug(doc_key)}/task/{sequence}/{role}/{slug(agent_key)}")


def excerpt(doc_key: str, start: int, end: int) -> NamedNode:
    return _node(f"doc/{slug(doc_key)}/span/{start}-{end}")


def selector(excerpt_node: NamedNode, kind: str) -> NamedNode:
    return NamedNode(f"{excerpt_node.value}#{kind}")


def citation(doc_key: str, start: int) -> NamedNode:
    return _node(f"doc/{slug(doc_key)}/citation/{start}")


def programme_mention(doc_key: str, start: int) -> NamedNode:
    return _node(f"doc/{slug(doc_key)}/mention/{start}")


def _org_path(name: str, scope: str | None) -> str:
    # An organization known only within one document (a body whose jurisdiction the document does not show, or
    # an unknown issuer) lives under that document's key, so it is never merged across unrelated issuers.
    return f"doc/{slug(scope)}/{slug(name)}" if scope else slug(name)


def organization(name: str, scope: str | None = None) -> NamedNode:
    """An organization (a government body has its jurisdiction in its name); ``scope``: the document it is
    known only within.

    >>> organization("济南市教育局").value, organization("区发改局", "区府办〔2023〕1号").value
    ('https://w3id.org/orgkg/id/org/济南市教育局', 'https://w3id.org/orgkg/id/org/doc/区府办-2023-1号/区发改局')
    """
    return _node(f"org/{_org_path(name, scope)}")


def unit(org_name: str, name: str, scope: str | None = None) -> NamedNode:
    return _node(f"org/{_org_path(org_name, scope)}/unit/{slug(name)}")


def collective(org_name: str, label: str, scope: str | None = None) -> NamedNode:
    return _node(f"org/{_org_path(org_name, scope)}/collective/{slug(label)}")


def person(org_name: str, name: str, scope: str | None = None) -> NamedNode:
    return _node(f"org/{_org_path(org_name, scope)}/person/{slug(name)}")


def membership(org_name: str, name: str, role_label: str, doc_key: str, scope: str | None = None) -> NamedNode:
    return _node(f"org/{_org_path(org_name, scope)}/person/{slug(name)}/membership/{slug(role_label)}/{slug(doc_key)}")


def role(label: str) -> NamedNode:
    return _node(f"role/{slug(label)}")


def policy(title_key: str) -> NamedNode:
    return _node(f"policy/{slug(title_key)}")


def programme(key: str) -> NamedNode:
    return _node(f"programme/{slug(key)}")
