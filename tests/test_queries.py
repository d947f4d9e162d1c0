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
    "responsibilities",
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
    assert run(seed_store, "responsibilities", document=value) == []


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


# --- responsibilities: a plan's whole 分工 table ------------------------------------------------------------------

OKG = "https://w3id.org/orgkg/ontology#"
FOAF_PERSON = "http://xmlns.com/foaf/0.1/Person"
ROLE_ORDER = [OKG + r for r in ("SupervisingLeader", "LeadUnit", "ResponsibleUnit", "ParticipatingUnit")]


def test_responsibilities_one_row_per_task_role_and_agent(seed_store: EmbeddedStore) -> None:
    rows = run(seed_store, "responsibilities")
    triples = list(
        seed_store.select(
            f"""SELECT DISTINCT ?task ?role ?agent WHERE {{
                  ?task <{OKG}qualifiedResponsibility> ?r .
                  ?r <{OKG}role> ?role ; <http://www.w3.org/ns/prov#agent> ?agent
                }}""",
            {},
        ).values()
    )
    assert len(rows) == len(triples) == 325
    assert {(r["task"], r["role"], r["agent"]) for r in rows} == {(t["task"], t["role"], t["agent"]) for t in triples}
    assert all(r["agentLabel"] and r["agentKind"] and r["quote"] and r["start"] for r in rows)


def test_responsibilities_in_document_and_task_order(seed_store: EmbeddedStore) -> None:
    rows = run(seed_store, "responsibilities")
    sequence = {
        t["task"]: int(str(t["n"]))
        for t in seed_store.select(f"SELECT ?task ?n WHERE {{ ?task <{OKG}sequence> ?n }}", {}).values()
    }
    keys = [
        (str(r["document"]), sequence[str(r["task"])], ROLE_ORDER.index(str(r["role"])), str(r["agent"])) for r in rows
    ]
    assert keys == sorted(keys)


def test_responsibilities_agent_kinds(seed_store: EmbeddedStore) -> None:
    kinds = {(r["agentLabel"], r["agentKind"]) for r in run(seed_store, "responsibilities")}
    assert ("曹国永", FOAF_PERSON) in kinds
    assert ("各部门", OKG + "CollectiveReference") in kinds
    assert ("信息化部", OKG + "Unit") in kinds
    assert {k for k in kinds if k[1] == OKG + "LeadingGroup"}, "a leading group is reported as okg:LeadingGroup"
    assert all(str(label).endswith(("领导小组", "工作组")) for label, kind in kinds if kind == OKG + "LeadingGroup")
    assert {kind for _, kind in kinds} == {
        FOAF_PERSON,
        OKG + "Unit",
        OKG + "LeadingGroup",
        OKG + "CollectiveReference",
        "http://www.w3.org/ns/org#FormalOrganization",
    }


def test_responsibilities_of_one_document_however_it_is_named(seed_store: EmbeddedStore) -> None:
    everything = run(seed_store, "responsibilities")
    by_number = run(seed_store, "responsibilities", document="国开发〔2022〕1号")
    documents = {r["document"] for r in by_number}
    assert len(documents) == 1 and 0 < len(by_number) < len(everything)
    iri = str(documents.pop())
    title = next(
        iter(seed_store.select(f"SELECT ?t WHERE {{ <{iri}> <http://purl.org/dc/terms/title> ?t }}", {}).values())
    )
    for ref in [iri, iri.rsplit("/", 1)[-1], str(title["t"]), f"《{title['t']}》"]:
        assert run(seed_store, "responsibilities", document=ref) == by_number, ref
    assert by_number == [r for r in everything if r["document"] == iri]
    assert run(seed_store, "responsibilities", document="国开发〔2022〕2号") == []


def test_responsibilities_by_year_and_organization(seed_store: EmbeddedStore) -> None:
    everything = run(seed_store, "responsibilities")
    for year in ("2020", "2022"):
        rows = run(seed_store, "responsibilities", year=year)
        assert rows and rows == [r for r in everything if r["year"] == year]
    hubei = run(seed_store, "responsibilities", organization="湖北开放大学")
    assert hubei and {r["document"] for r in hubei} == {
        r["document"] for r in everything if "湖北" in str(r["document"])
    }
    assert run(seed_store, "responsibilities", organization="湖北开放大学", year="2022") == []
