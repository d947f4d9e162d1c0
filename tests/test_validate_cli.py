"""`orgkg build` refuses a graph with violations; `orgkg validate` reports and exits 0 / 1 / 2."""

from __future__ import annotations

from pathlib import Path

import pytest
from pyoxigraph import NamedNode, Quad

import orgkg.pipeline
from orgkg.cli import main
from orgkg.map import Graphs
from orgkg.vocab import OKG
from tests.conftest import DATA

TASK = "https://w3id.org/orgkg/id/doc/国开发-2020-1号/task/2"


def _without_document_of_task(graphs: Graphs) -> Graphs:
    """The seed graphs with one task's okg:inDocument removed: a fact that is wrong (no source document)."""
    return {
        g: [q for q in quads if not (q.subject == NamedNode(TASK) and q.predicate == OKG.inDocument)]
        for g, quads in graphs.items()
    }


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("validate")
    assert main(["build", str(DATA), "--store", str(folder / "store"), "--reports", str(folder / "r"), "--quiet"]) == 0
    text = (folder / "r" / "validation.txt").read_text(encoding="utf-8")
    assert "0" in text
    return folder / "store"


def test_validate_store_conforms(store: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", "--store", str(store)]) == 0
    assert "SHACL: conforms; 0 violations" in capsys.readouterr().err


def test_build_refuses_violations_and_keeps_the_store(
    store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    before = (store / "current").resolve()
    real = orgkg.pipeline.map_corpus
    monkeypatch.setattr(orgkg.pipeline, "map_corpus", lambda *a, **k: _without_document_of_task(real(*a, **k)))
    args = ["build", str(DATA), "--store", str(store), "--reports", str(tmp_path / "r"), "--quiet"]
    assert main(args) == 1
    assert "SHACL violations" in capsys.readouterr().err
    assert (store / "current").resolve() == before
    report = (tmp_path / "r" / "validation.txt").read_text(encoding="utf-8")
    assert "TaskDocument" in report and TASK in report
    other = tmp_path / "other"
    assert main([*args[:3], str(other), *args[4:], "--allow-violations"]) == 0
    assert (other / "current").exists()


def test_validate_file_with_violations(tmp_path: Path, store: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from orgkg.stores.embedded import EmbeddedStore

    nq = EmbeddedStore(store).dump("nquads").decode("utf-8")
    bad = tmp_path / "bad.nq"
    bad.write_text("\n".join(line for line in nq.splitlines() if not (TASK in line and "inDocument" in line)))
    capsys.readouterr()
    assert main(["validate", "--file", str(bad), "--format", "junit"]) == 1
    out = capsys.readouterr().out
    assert '<testcase classname="shacl" name="TaskDocument"><failure>' in out
    assert main(["validate", "--file", str(bad), "--format", "json", "--lang", "en"]) == 1
    assert '"rule": "TaskDocument"' in capsys.readouterr().out


def test_validate_bad_input(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", "--file", str(tmp_path / "x.rdf")]) == 2
    assert "unknown RDF format" in capsys.readouterr().err
    broken = tmp_path / "broken.ttl"
    broken.write_text("<a> <b> .")
    assert main(["validate", "--file", str(broken)]) == 2
    assert f"{broken}: not valid turtle" in capsys.readouterr().err


def test_quad_type_is_what_the_patch_filters() -> None:
    q = Quad(NamedNode(TASK), OKG.inDocument, NamedNode("https://example.org/d"), NamedNode("https://example.org/g"))
    assert _without_document_of_task({NamedNode("https://example.org/g"): [q]}) == {
        NamedNode("https://example.org/g"): []
    }
