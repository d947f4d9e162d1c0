"""Reading source files into verbatim text, with clear errors that name the file."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from pathlib import Path

from orgkg.records import SourceText

TEXT_SUFFIXES = {".txt", ".md", ".markdown", ".text"}
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
        if p.is_file() and p.suffix.lower() in TEXT_SUFFIXES and not p.name.upper().startswith("README"):
            yield p


def read_source(path: Path) -> SourceText:
    """Decode a text file verbatim; line endings are normalized to ``\\n`` (spans index the decoded text)."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise SourceError(f"{path}: cannot read ({exc.strerror})") from exc
    if not raw.strip():
        raise SourceError(f"{path}: the file is empty; expected the text of a plan")
    if b"\x00" in raw[:4096]:
        raise SourceError(f"{path}: binary content; expected UTF-8 or GB18030 text (.txt/.md)")
    for encoding in ENCODINGS:
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise SourceError(f"{path}: cannot decode as UTF-8 or GB18030; expected a text file")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    media_type = "text/markdown" if path.suffix.lower() in {".md", ".markdown"} else "text/plain"
    return SourceText(
        path=str(path),
        name=path.name,
        sha256=hashlib.sha256(raw).hexdigest(),
        text=text,
        media_type=media_type,
    )
