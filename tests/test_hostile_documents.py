"""Hostile DOCX files are 4xx with a message naming the file, never a 500 (issue 13, item 7)."""

from __future__ import annotations

import io
import struct
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

import docx
import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr

from api.main import create_app
from api.settings import Settings
from orgkg.source import SourceError, source_from_bytes
from tests.test_corpus import A, B, _build

LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    + b"".join(b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10) for i in range(1, 10))
    + b"]>"
)


def _docx() -> bytes:
    d = docx.Document()
    d.add_paragraph("一、推进改革。（责任部门：教务处）")
    out = io.BytesIO()
    d.save(out)
    return out.getvalue()


def _rebuilt(change: Callable[[str, bytes], bytes | None]) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(_docx()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name in src.namelist():
            data = change(name, src.read(name))
            if data is not None:
                z.writestr(name, data)
    return out.getvalue()


def billion_laughs() -> bytes:
    def change(name: str, data: bytes) -> bytes:
        if name != "word/document.xml":
            return data
        return LAUGHS + data.split(b"?>", 1)[1].replace(b"<w:t>", b"<w:t>&lol9;", 1)

    return _rebuilt(change)


def no_content_types() -> bytes:
    return _rebuilt(lambda name, data: None if name == "[Content_Types].xml" else data)


def lying_sizes() -> bytes:
    """word/document.xml claims 10 bytes, in its local header and in the central directory."""
    raw = _docx()
    patched = bytearray(raw)
    offset = zipfile.ZipFile(io.BytesIO(raw)).getinfo("word/document.xml").header_offset
    patched[offset + 22 : offset + 26] = struct.pack("<I", 10)
    i = raw.find(b"PK\x01\x02")
    while i != -1:
        length = struct.unpack("<H", raw[i + 28 : i + 30])[0]
        if raw[i + 46 : i + 46 + length] == b"word/document.xml":
            patched[i + 24 : i + 28] = struct.pack("<I", 10)
        i = raw.find(b"PK\x01\x02", i + 1)
    return bytes(patched)


def inflating_part() -> bytes:
    """A part of 300 MB of zeros in a 300 KB archive, declared with its true size."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name in zipfile.ZipFile(io.BytesIO(_docx())).namelist():
            z.writestr(name, zipfile.ZipFile(io.BytesIO(_docx())).read(name))
        with z.open("word/media/big.bin", "w") as big:
            for _ in range(300):
                big.write(bytes(2**20))
    return out.getvalue()


CASES = {
    "billion-laughs.docx": (billion_laughs, "declares a DTD"),
    "no-content-types.docx": (no_content_types, "no [Content_Types].xml"),
    "lying-sizes.docx": (lying_sizes, "damaged ZIP archive"),
    "inflating.docx": (inflating_part, "zip bomb"),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_read_as_a_clear_error_naming_the_file(name: str) -> None:
    make, says = CASES[name]
    with pytest.raises(SourceError) as info:
        source_from_bytes(make(), Path(name))
    assert str(info.value).startswith(f"{name}: ") and says in str(info.value), info.value


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    folder = tmp_path_factory.mktemp("hostile")
    store = _build(folder, [A, B], folder / "store")
    settings = Settings(reports=folder / "reports", write_token=SecretStr("t"), workers=1)
    with TestClient(create_app(store, settings), raise_server_exceptions=False) as c:
        yield c


@pytest.mark.parametrize("name", sorted(CASES))
def test_uploads_are_4xx(client: TestClient, name: str) -> None:
    make, says = CASES[name]
    r = client.post("/documents", params={"filename": name}, content=make(), headers={"Authorization": "Bearer t"})
    assert 400 <= r.status_code < 500, r.text
    assert name in r.json()["detail"] and says in r.json()["detail"], r.json()
