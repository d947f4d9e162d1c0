"""Reading source files into verbatim text, with clear errors that name the file."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from pathlib import Path

from orgkg.formats import MARKDOWN, TEXT, FormatError, bom_encoding, convert, sniff
from orgkg.records import SourceText
from orgkg.script import strip_controls

TEXT_SUFFIXES = {".txt", ".md", ".markdown", ".text"}
DOCUMENT_SUFFIXES = TEXT_SUFFIXES | {".pdf", ".docx", ".html", ".htm"}
# Tried in order; GB18030 covers GBK/GB2312, the usual encodings of Chinese government text files.
ENCODINGS = ("utf-8-sig", "gb18030")


class SourceError(Exception):
    """A source file cannot be used; the message names the file and what was expected."""


def discover(paths: Iterable[Path]) -> list[Path]:
    """Expand files and folders into the sorted list of source files (folders: text files, not recursing
    into hidden folders; sidecar ``*.meta.yaml`` and ``README*`` are not sources).
    """
    found: list[Path] = []
    for path in paths:
        if not path.exists():
            raise SourceError(f"{path}: no such file or folder")
        if path.is_dir():
            found.extend(sorted(_walk(path)))
        else:
            found.append(path)
    return found


def _walk(folder: Path) -> Iterator[Path]:
    for p in folder.rglob("*"):
        if any(part.startswith(".") for part in p.relative_to(folder).parts):
            continue
        if p.is_file() and p.suffix.lower() in DOCUMENT_SUFFIXES and not p.name.upper().startswith("README"):
            yield p


def read_source(path: Path) -> SourceText:
    """The text of a source file, whatever its format (chosen by content); spans index this text.

    Text files are decoded verbatim (line endings normalized to ``\\n``); PDF, DOCX and HTML are converted
    (see ``orgkg.formats``). The hash is of the file's bytes, so an unchanged file is recognized as such.
    """
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise SourceError(f"{path}: cannot read ({exc.strerror})") from exc
    return source_from_bytes(raw, path)


def source_from_bytes(raw: bytes, path: Path) -> SourceText:
    """As ``read_source``, for bytes already read (an upload); ``path`` names the document in messages."""
    if not raw.strip():
        raise SourceError(f"{path}: the file is empty; expected the text of a plan")
    try:
        media_type = sniff(raw, path.suffix)
        if media_type in (TEXT, MARKDOWN):
            text = _decode_text(raw, path)
        else:
            converted = convert(raw, media_type)
            text = converted.text
    except FormatError as exc:
        raise SourceError(f"{path}: {exc}") from exc
    return SourceText(
        path=str(path),
        name=path.name,
        sha256=hashlib.sha256(raw).hexdigest(),
        # Controls (ESC, BEL, …) never reach a label or a quote; after the line endings, as \r is one.
        text=strip_controls(text.replace("\r\n", "\n").replace("\r", "\n")),
        media_type=media_type,
    )


def _decode_text(raw: bytes, path: Path) -> str:
    encoding = bom_encoding(raw)
    if encoding is not None:
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError as exc:
            raise SourceError(
                f"{path}: starts with a {encoding.upper()} byte-order mark but is not {encoding}: {exc.reason}"
            ) from None
    if b"\x00" in raw[:4096]:
        raise SourceError(f"{path}: binary content; expected text (.txt/.md), PDF, DOCX or HTML")
    for encoding in ENCODINGS:
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise SourceError(f"{path}: cannot decode as UTF-8 or GB18030; expected a text file")
