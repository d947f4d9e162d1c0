"""Uploads are read in a child process with time and memory limits, before the write lock (issue 13, item 4):
a PDF whose stream inflates to 1 GB and one with 300,000 text operators get 422, the server stays small, and
other writers are not held up meanwhile."""

from __future__ import annotations

import struct
import threading
import time
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr

from api.main import create_app
from api.settings import Settings
from orgkg.corpus import stored_documents
from orgkg.isolate import ConversionLimit, extract_isolated
from orgkg.stores.embedded import EmbeddedStore
from tests.test_corpus import A, B, _build

AUTH = {"Authorization": "Bearer t"}


def pdf(content: bytes) -> bytes:
    """A one-page PDF whose page content is ``content`` (already Flate-compressed), Helvetica as /F1."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> "
        b"/Contents 4 0 R >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def inflating_to(megabytes: int) -> bytes:
    """A zlib stream of ``megabytes`` MB of spaces, about 1 KB per MB (the same deflate block repeated)."""
    chunk = b" " * 2**20
    deflate = zlib.compressobj(9, zlib.DEFLATED, -15)
    first = deflate.compress(chunk) + deflate.flush(zlib.Z_SYNC_FLUSH)
    steady = deflate.compress(chunk) + deflate.flush(zlib.Z_SYNC_FLUSH)  # the window is all spaces from here on
    check = 1
    for _ in range(megabytes):
        check = zlib.adler32(chunk, check)
    return b"\x78\xda" + first + steady * (megabytes - 1) + deflate.flush() + struct.pack(">I", check)


def _high_water_mark_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


@pytest.fixture()
def served(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[tuple[TestClient, EmbeddedStore]]:
    store = _build(tmp_path, [A, B], tmp_path / "store")
    settings = Settings(
        reports=tmp_path / "reports",
        write_token=SecretStr("t"),
        workers=1,
        convert_seconds=getattr(request, "param", 3),
        convert_memory_bytes=768 * 2**20,
    )
    with TestClient(create_app(store, settings)) as client:
        yield client, store


@pytest.mark.parametrize("served", [30], indirect=True)  # time enough to meet the memory limit first
def test_a_pdf_inflating_to_a_gigabyte_is_refused_and_the_server_stays_small(
    served: tuple[TestClient, EmbeddedStore],
) -> None:
    client, store = served
    bomb = pdf(inflating_to(1024))
    assert len(bomb) < 2_000_000
    before = _high_water_mark_mb()
    r = client.post("/documents", params={"filename": "bomb.pdf"}, content=bomb, headers=AUTH)
    grew = _high_water_mark_mb() - before
    print(f"1 GB PDF bomb: {r.status_code}, server peak RSS grew {grew:.0f} MB")
    assert r.status_code == 422, r.text
    assert "bomb.pdf" in r.json()["detail"] and "768 MB" in r.json()["detail"]
    assert "/tmp" not in r.json()["detail"]  # the file is named, not the folder it was saved in
    assert grew < 100
    assert {d.source_file for d in stored_documents(store)} == {A, B}


@pytest.mark.slow
def test_a_pdf_that_takes_long_to_read_is_refused_without_holding_the_write_lock(
    served: tuple[TestClient, EmbeddedStore],
) -> None:
    client, store = served
    slow = pdf(zlib.compress(b"BT /F1 1 Tf 0 0 Td " + b"(a) Tj " * 300_000 + b"ET", 9))
    assert len(slow) < 10_000
    outcome: dict[str, Any] = {}

    def upload() -> None:
        started = time.monotonic()
        r = client.post("/documents", params={"filename": "slow.pdf"}, content=slow, headers=AUTH)
        outcome.update(status=r.status_code, body=r.json(), seconds=time.monotonic() - started)

    thread = threading.Thread(target=upload)
    thread.start()
    time.sleep(1.0)
    assert thread.is_alive()  # still reading the PDF …
    with store.writing(wait=0.5):  # … and another writer can have the store meanwhile
        pass
    thread.join()
    assert outcome["status"] == 422 and "longer than 3 s" in outcome["body"]["detail"], outcome
    assert outcome["seconds"] < 6


def test_extract_isolated_reads_a_real_document(tmp_path: Path) -> None:
    from tests.conftest import DATA

    doc = extract_isolated(DATA / A, seconds=60, memory=2**30)
    assert doc.source.name == A and doc.tasks
    with pytest.raises(ConversionLimit, match="longer than"):
        extract_isolated(DATA / A, seconds=0.001, memory=2**30)
