"""The CLI contract: build, query, export; bad input gets a clear error and the previous store survives."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from orgkg.cli import main
from tests.conftest import DATA

NOT_A_PLAN = "关于召开2024年春季运动会的通知\n\n各部门：\n定于4月10日在东操场举行春季运动会，请各部门组织参加。\n"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One real build (with validation) shared by the tests that only read, or fail before writing."""
    folder = tmp_path_factory.mktemp("cli")
    store = folder / "store"
    assert main(["build", str(DATA), "--store", str(store), "--reports", str(folder / "reports"), "--quiet"]) == 0
    assert (folder / "reports" / "validation.txt").exists()
    return store


def _generation(store: Path) -> Path:
    return (store / "current").resolve()


def _query_json(store: Path, capsys: pytest.CaptureFixture[str], *args: str) -> dict[str, object]:
    capsys.readouterr()
    assert main(["query", *args, "--store", str(store), "--format", "json"]) == 0
    result: dict[str, object] = json.loads(capsys.readouterr().out)
    return result


def test_build_then_query_json(built: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = _query_json(built, capsys, "tasks-by-leader", "--param", "leader=曹国永", "--param", "year=2020")
    head, results = out["head"], out["results"]
    assert isinstance(head, dict) and {"task", "title", "year", "ordinal", "document", "role", "quote"} <= set(
        head["vars"]
    )
    assert isinstance(results, dict)
    rows = results["bindings"]
    assert [r["ordinal"]["value"] for r in rows] == ["2", "6", "7", "8", "10", "35"]
    assert rows[0]["quote"]["value"] == "分管领导：曹国永。"


def test_query_csv_and_sparql(built: Path, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    assert main(["query", "leaders", "--store", str(built), "--format", "csv"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "leader,person,organizationLabel,year,tasks"
    assert len(lines) == 16
    sparql = "SELECT (COUNT(*) AS ?n) WHERE { ?t a <https://w3id.org/orgkg/ontology#Task> }"
    out = _query_json(built, capsys, "--sparql", sparql)
    results = out["results"]
    assert isinstance(results, dict) and results["bindings"][0]["n"]["value"] == "98"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["query", "no-such-query"], "no named query 'no-such-query'"),
        (["query", "tasks-by-leader"], "needs parameter 'leader'"),
        (["query", "tasks-by-leader", "--param", "leader=曹国永", "--param", "year=twenty"], "expected an integer"),
        (["query", "tasks-by-leader", "--param", "boss=曹国永"], "has no parameter 'boss'"),
        (["query", "--sparql", "SELECT ?x WHERE { ?x"], "SPARQL syntax error"),
    ],
)
def test_query_errors_name_the_problem(
    built: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    capsys.readouterr()
    assert main([*args, "--store", str(built)]) == 2
    assert message in capsys.readouterr().err


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (NOT_A_PLAN.encode(), "no tasks found"),
        (b"", "the file is empty"),
        # not \xff\xfe first: that is UTF-16's byte-order mark, and such a file is read as UTF-16 text
        (b"\x80\x81\xff\xfe\xfd\xfc" * 10, "cannot decode"),
    ],
    ids=["not-a-work-plan", "empty", "undecodable"],
)
def test_bad_source_fails_strict_and_keeps_the_previous_store(
    built: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes, message: str
) -> None:
    before = _generation(built)
    sources = tmp_path / "sources"
    shutil.copytree(DATA, sources)
    bad = sources / "bad.txt"
    bad.write_bytes(content)
    capsys.readouterr()
    args = ["build", str(sources), "--store", str(built), "--quiet", "--reports", str(tmp_path / "r"), "--strict"]
    assert main(args) == 2
    err = capsys.readouterr().err
    assert str(bad) in err and message in err and "--strict" in err
    assert _generation(built) == before
    out = _query_json(built, capsys, "tasks-by-leader", "--param", "leader=曹国永")
    results = out["results"]
    assert isinstance(results, dict) and len(results["bindings"]) == 8


def test_folder_build_goes_past_unusable_files_and_lists_each(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sources = tmp_path / "sources"
    shutil.copytree(DATA, sources)
    (sources / "notice.txt").write_text(NOT_A_PLAN, encoding="utf-8")
    (sources / "empty.txt").write_bytes(b"")
    (sources / "binary.txt").write_bytes(b"\x80\x81\xff\xfe\xfd\xfc" * 10)  # no byte-order mark
    store, reports = tmp_path / "store", str(tmp_path / "reports")
    assert main(["build", str(sources), "--store", str(store), "--quiet", "--reports", reports]) == 0
    err = capsys.readouterr().err
    assert "skipped 3 file(s)" in err and "98 tasks" in err
    for name, reason in (("notice.txt", "no tasks found"), ("empty.txt", "empty"), ("binary.txt", "cannot decode")):
        assert any(name in line and reason in line for line in err.splitlines()), (name, err)


def test_single_file_without_tasks_is_an_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    notice = tmp_path / "notice.txt"
    notice.write_text(NOT_A_PLAN, encoding="utf-8")
    assert main(["build", str(notice), "--store", str(tmp_path / "store"), "--quiet"]) == 2
    assert f"{notice}: no tasks found" in capsys.readouterr().err
    assert not (tmp_path / "store" / "current").exists()


def test_seeds_pass_strict(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    store, reports = tmp_path / "store", str(tmp_path / "reports")
    assert main(["build", str(DATA), "--strict", "--store", str(store), "--quiet", "--reports", reports]) == 0
    err = capsys.readouterr().err
    assert "inferred" not in err and "skipped" not in err


UNTITLED = "各部门：\n现将有关任务分解如下。\n一、推进改革\n1．完善制度。（牵头单位：办公室）\n"


def test_strict_fails_on_inferred_header_fields(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    plan = tmp_path / "untitled-plan.txt"
    plan.write_text(UNTITLED, encoding="utf-8")
    store = tmp_path / "store"
    args = ["build", str(plan), "--store", str(store), "--quiet", "--reports", str(tmp_path / "r")]
    assert main(args) == 0
    err = capsys.readouterr().err
    assert "the header states no title; inferred 'untitled-plan'" in err and "the header states no year" in err
    assert main([*args, "--strict"]) == 2
    err = capsys.readouterr().err
    assert "header field(s) inferred (--strict)" in err and "states no issuer" in err


def test_keep_going_skips_the_bad_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    sources = tmp_path / "sources"
    shutil.copytree(DATA, sources)
    (sources / "notice.txt").write_text(NOT_A_PLAN, encoding="utf-8")
    store = tmp_path / "store"
    reports = str(tmp_path / "reports")
    assert main(["build", str(sources), "--store", str(store), "--keep-going", "--quiet", "--reports", reports]) == 0
    err = capsys.readouterr().err
    assert "skipped 1 file" in err and "notice.txt" in err
    assert "98 tasks" in err


def test_missing_path(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "nowhere.txt"
    assert main(["build", str(missing), "--store", str(tmp_path / "store")]) == 2
    assert f"{missing}: no such file or folder" in capsys.readouterr().err
    assert not (tmp_path / "store" / "current").exists()


def test_query_before_any_build(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["query", "leaders", "--store", str(tmp_path / "empty")]) == 2
    assert "run `orgkg build` first" in capsys.readouterr().err


def test_export_keeps_named_graphs(built: Path, capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    from pyoxigraph import NamedNode, RdfFormat, parse

    assert main(["export", "--store", str(built), "--format", "nquads"]) == 0
    quads = list(parse(capsysbinary.readouterr().out, RdfFormat.N_QUADS))
    assert len(quads) > 10000
    assert all(isinstance(q.graph_name, NamedNode) for q in quads), "every fact sits in a named graph"
    graphs = {q.graph_name.value for q in quads if isinstance(q.graph_name, NamedNode)}
    assert "https://w3id.org/orgkg/graph/doc/国开发-2020-1号" in graphs
    assert "https://w3id.org/orgkg/graph/entities" in graphs
