"""The source cache holds what the store holds (issue 13, item 8): rejected uploads never enter it, replaced
and removed documents leave it."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from orgkg.cli import main
from orgkg.corpus import Cache, CorpusError, stored_documents, update
from tests.conftest import DATA
from tests.test_corpus import A, B, C, _build


def _hashes(folder: Path) -> set[str]:
    return {p.name.split(".", 1)[0] for p in folder.iterdir()}


def _sha(name: str) -> str:
    return hashlib.sha256((DATA / name).read_bytes()).hexdigest()


def test_a_rejected_document_is_not_cached(tmp_path: Path) -> None:
    store = _build(tmp_path, [A, B], tmp_path / "store")
    cache = Cache(tmp_path / "store" / "cache")
    before = sorted(p.name for p in cache.folder.iterdir())
    with pytest.raises(CorpusError, match="SHACL"):
        update(store, cache, add=[DATA / C], check=lambda _result, _graphs: False)
    assert sorted(p.name for p in cache.folder.iterdir()) == before


def test_replaced_and_removed_documents_leave_the_cache(tmp_path: Path) -> None:
    store = _build(tmp_path, [A, B], tmp_path / "store")
    cache = Cache(tmp_path / "store" / "cache")
    update(store, cache, add=[DATA / C])
    assert _hashes(cache.folder) == {_sha(A), _sha(B), _sha(C)}
    edited = tmp_path / C
    edited.write_text((DATA / C).read_text(encoding="utf-8") + "\n\n", encoding="utf-8")  # a new version
    change = update(store, cache, add=[edited])
    assert change.replaced == [C]
    assert _hashes(cache.folder) == {_sha(A), _sha(B), hashlib.sha256(edited.read_bytes()).hexdigest()}
    update(store, cache, remove=[C])
    assert _hashes(cache.folder) == {_sha(A), _sha(B)} == {d.sha256 for d in stored_documents(store)}


def test_a_build_leaves_only_its_documents(tmp_path: Path) -> None:
    store_dir = tmp_path / "store"
    _build(tmp_path, [A, B], store_dir)
    (store_dir / "cache" / ("0" * 64 + ".src")).write_bytes(b"an upload that was refused long ago")
    (store_dir / "cache" / ".tmp-abc").write_bytes(b"left by a crash")
    assert main(["build", str(DATA / A), "--store", str(store_dir), "--reports", str(tmp_path / "r"), "--quiet"]) == 0
    assert _hashes(store_dir / "cache") == {_sha(A)}
