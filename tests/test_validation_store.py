"""The report belongs to the store generation it describes: kept with it by `orgkg build`, updated (not replaced
by a partial one) by `orgkg add`, the same as `orgkg validate` finds on the store served; `--reasoner` on it."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from orgkg.cli import main
from orgkg.pipeline import build_graphs
from orgkg.stores.embedded import EmbeddedStore
from orgkg.validation.data import Data
from orgkg.validation.report import ValidationReport, read
from orgkg.validation.run import check_data
from tests.conftest import DATA

A, C = "ouchn-2020-work-plan.txt", "ouchn-2022-work-plan.md"
SLIDES = ("ouchn-14th-five-year-plan-slides.txt", "ouchn-14th-five-year-plan-slides.meta.yaml")  # gives 2 warnings


def keys(report: ValidationReport) -> set[tuple[str, ...]]:
    return {r.key() for r in report.results}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("kept")
    src = folder / "src"
    src.mkdir()
    for name in (A, *SLIDES):
        shutil.copy(DATA / name, src / name)
    assert main(["build", str(src), "--store", str(folder / "store"), "--reports", str(folder / "r"), "--quiet"]) == 0
    return folder


def test_build_keeps_the_report_with_its_generation(built: Path, capsys: pytest.CaptureFixture[str]) -> None:
    store = EmbeddedStore(built / "store")
    kept = store.validation_report()
    assert kept is not None
    assert keys(read(kept)) == keys(read(built / "r" / "validation.ttl"))
    # orgkg validate on the store served finds what the kept report says (no quote check: texts are not given)
    capsys.readouterr()
    assert main(["validate", "--store", str(built / "store"), "--format", "json", "--lang", "en"]) == 0
    found = json.loads(capsys.readouterr().out)
    ours = read(kept)
    assert found["counts"] == {s: ours.count(s) for s in ("Violation", "Warning", "Info")}
    assert {(r["rule"], r["focusNode"]) for r in found["results"]} == {
        (r.rule_id, str(r.focus_node)) for r in ours.results
    }


def test_add_updates_the_full_report(built: Path, tmp_path: Path) -> None:
    store_dir = tmp_path / "store"
    shutil.copytree(built / "store", store_dir, symlinks=True)
    store = EmbeddedStore(store_dir)
    before = read(store.validation_report() or b"")
    assert before.results, "the seed documents give warnings: the merge has something to keep"
    assert main(["add", str(DATA / C), "--store", str(store_dir), "--reports", str(tmp_path / "r")]) == 0
    after = read(store.validation_report() or b"")
    result = build_graphs([DATA / A, DATA / SLIDES[0], DATA / C])
    texts = {ctx.iri.value: ctx.doc.source.text for ctx in result.resolution.documents}
    full = check_data(Data(store.generation(), union=True), texts)
    assert keys(after) == keys(full), "the kept report is the full report of the new generation"
    assert after.generated is not None and before.generated is not None and after.generated >= before.generated
    # the folder copy written by add is the full report too, not the part that was checked
    assert keys(read(tmp_path / "r" / "validation.ttl")) == keys(full)


@pytest.mark.skipif(shutil.which("java") is None, reason="HermiT needs a Java runtime (make install)")
def test_validate_with_the_reasoner(built: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", "--store", str(built / "store"), "--reasoner"]) == 0
    assert "HermiT found the ontology with" in capsys.readouterr().err
