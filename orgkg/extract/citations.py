"""Cited works: titles written in 《》, with their spans."""

from __future__ import annotations

import re

from orgkg.records import Citation
from orgkg.segment import Layout
from orgkg.textnorm import clean_inline

_TITLE = re.compile(r"《([^《》]{2,120})》")


def find_citations(source_text: str, layout: Layout) -> tuple[Citation, ...]:
    """Every 《…》 in the text (line breaks inside a title are allowed); the title is whitespace-normalized."""
    v = layout.view
    found = []
    for m in _TITLE.finditer(v.text):
        span = v.span(m.start(), m.end())
        title = clean_inline(span.quote(source_text))[1:-1].strip()
        found.append(Citation(title=title, span=span))
    return tuple(found)
