"""The named-query registry: headers, binding, and values that try to change the query."""

from __future__ import annotations

import re

import pytest
from pyoxigraph import Literal

from orgkg.queries import QUERIES_DIR, QueryError, get_query, load_queries
from orgkg.stores.base import with_values
from orgkg.stores.embedded import EmbeddedStore
from tests.conftest import run

EXPECTED_QUERIES = {
    "tasks-by-leader",
    "tasks-by-unit",
    "leaders",
    "unit-ranking",
    "units-of-organization",
    "programme-parts",
    "tasks-by-programme",
    "documents-citing-policy",
    "portfolio-changes",
}


def test_registry_finds_every_file() -> None:
    queries = load_queries()
    assert set(queries) == EXPECTED_QUERIES
    assert len(list(QUERIES_DIR.glob("*.rq"))) == len(EXPECTED_QUERIES)


@pytest.mark.parametrize("name", sorted(EXPECTED_QUERIES))
def test_header_describes_the_query(name: str) -> None:
    q = get_query(name)
    assert q.summary and q.columns
    select = q.text[q.text.index("SELECT") : q.text.index("WHERE")]
    projected = set(re.findall(r"AS \?(\w+)", select))
    depth, plain = 0, []
    for ch in select:  # variables outside parentheses are projected as they are
        depth += ch == "("
        plain.append(ch if depth == 0 else " ")
        depth -= ch == ")"
    projected |= set(re.findall(r"\?(\w+)", "".join(plain)))
    assert {c.name for c in q.columns} == projected, "columns in the header = columns returned"
    for p in q.parameters:
        assert p.example is not None and p.description


@pytest.mark.parametrize("name", sorted(EXPECTED_QUERIES))
def test_every_query_answers_its_example(seed_store: EmbeddedStore, name: str) -> None:
    q = get_query(name)
    params = {p.name: str(p.example) for p in q.parameters}
    rows = run(seed_store, name, **params)
    assert rows, f"{name} with its documented example returns nothing"


HOSTILE = [
    '曹国永" } UNION { ?s ?p ?o } #',
    "曹国永'} ; DROP ALL",
    "> <http://example.org/x",
    '曹国永"@en',
    '曹国永\\" . ?person ?p ?o . #',
    "} } SELECT * WHERE { ?s ?p ?o }",
]


@pytest.mark.parametrize("value", HOSTILE)
def test_values_cannot_change_the_query(seed_store: EmbeddedStore, value: str) -> None:
    assert run(seed_store, "tasks-by-leader", leader=value) == []
    assert run(seed_store, "tasks-by-unit", unit=value, organization=value) == []


def test_binding_is_a_values_block_of_serialized_terms() -> None:
    text = with_values("SELECT ?s WHERE { ?s ?p ?k }", {"k": Literal('x" } ?s ?p ?o {')})
    assert 'VALUES (?k) { ("x\\" } ?s ?p ?o {") }' in text
    with pytest.raises(ValueError):
        with_values("SELECT ?s WHERE { ?s ?p ?k }", {"k } ?x": Literal("x")})


def test_comments_before_where_are_skipped() -> None:
    text = with_values("# no WHERE { here\nSELECT ?s WHERE { ?s ?p ?k }", {"k": Literal("x")})
    assert text.endswith('WHERE { VALUES (?k) { ("x") }\n ?s ?p ?k }')


def test_name_parameters_ignore_spaces_and_width(seed_store: EmbeddedStore) -> None:
    assert len(run(seed_store, "tasks-by-leader", leader=" 曹 国永 ")) == 8
    assert run(seed_store, "tasks-by-unit", unit="“四项整顿”领导小组办公室") == run(
        seed_store, "tasks-by-unit", unit='"四项整顿"领导小组办公室'
    )


def test_errors_name_query_and_parameter() -> None:
    q = get_query("tasks-by-leader")
    with pytest.raises(QueryError, match="'leader'"):
        q.bindings({})
    with pytest.raises(QueryError, match="'year'"):
        q.bindings({"leader": "曹国永", "year": "2020年"})
    with pytest.raises(QueryError, match=r"no named query '\.\./etc'"):
        get_query("../etc")
