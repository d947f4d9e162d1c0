"""The named-query registry: every ``queries/*.rq`` file is a query, described by its ``#+`` YAML header.

The header (in the manner of grlc, kept in comments so the file stays valid SPARQL) gives a summary, the
parameters (name, type, required, example, description, and the SPARQL variable they bind) and the columns
returned. Parameters are bound to variables (pyoxigraph substitutions; VALUES for remote stores), never
pasted into the query text. The CLI and the API list and run whatever files are there.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pyoxigraph import Literal, NamedNode

from orgkg.stores.base import Term
from orgkg.textnorm import name_key, policy_key
from orgkg.vocab import XSD

QUERIES_DIR = Path(os.environ.get("ORGKG_QUERIES", Path(__file__).resolve().parent.parent / "queries"))
PARAM_TYPES = {"name", "title", "string", "integer", "iri"}
_PARAM_NAME = re.compile(r"^[a-z][a-zA-Z0-9_]*$")


class QueryError(Exception):
    """A named query cannot be found, read or bound; the message names the query or parameter."""


@dataclass(frozen=True)
class Parameter:
    """One parameter of a named query."""

    name: str
    type: str  # name: matched against labels and aliases; title: a 《》 title; string; integer; iri
    required: bool
    variable: str
    description: str = ""
    example: str | None = None

    def bind(self, raw: str) -> Term:
        """The RDF term a raw string value binds to; raises QueryError naming the parameter."""
        value = raw.strip()
        if not value:
            raise QueryError(f"parameter {self.name!r} is empty; expected a {self.type}")
        if self.type == "name":
            return Literal(name_key(value))
        if self.type == "title":
            return Literal(policy_key(value.strip("《》")))
        if self.type == "integer":
            try:
                return Literal(str(int(value)), datatype=XSD.integer)
            except ValueError:
                raise QueryError(f"parameter {self.name!r}: expected an integer, got {raw!r}") from None
        if self.type == "iri":
            try:
                return NamedNode(value)
            except ValueError:
                raise QueryError(f"parameter {self.name!r}: expected an absolute IRI, got {raw!r}") from None
        return Literal(value)


@dataclass(frozen=True)
class Column:
    name: str
    description: str = ""


@dataclass(frozen=True)
class NamedQuery:
    """A query file with its header."""

    name: str
    path: Path
    summary: str
    description: str
    parameters: tuple[Parameter, ...]
    columns: tuple[Column, ...]
    text: str

    def bindings(self, values: Mapping[str, str]) -> dict[str, Term]:
        """Variable bindings for parameter values; unknown, missing or malformed values raise QueryError."""
        known = {p.name: p for p in self.parameters}
        unknown = sorted(set(values) - set(known))
        if unknown:
            raise QueryError(
                f"query {self.name!r} has no parameter {', '.join(map(repr, unknown))}; "
                f"its parameters are: {', '.join(known) or 'none'}"
            )
        out: dict[str, Term] = {}
        for p in self.parameters:
            if p.name in values:
                out[p.variable] = p.bind(values[p.name])
            elif p.required:
                raise QueryError(f"query {self.name!r} needs parameter {p.name!r} ({p.description or p.type})")
        return out


def _header(text: str, path: Path) -> dict[str, Any]:
    lines = [line[2:] for line in text.splitlines() if line.startswith("#+")]
    if not lines:
        raise QueryError(f"{path}: no '#+' header (summary, params, columns) at the top")
    try:
        data = yaml.safe_load("\n".join(line[1:] if line.startswith(" ") else line for line in lines))
    except yaml.YAMLError as exc:
        raise QueryError(f"{path}: the '#+' header is not valid YAML ({exc})") from exc
    if not isinstance(data, dict) or "summary" not in data:
        raise QueryError(f"{path}: the '#+' header must be a mapping with at least 'summary'")
    return data


def load_query(path: Path) -> NamedQuery:
    """Read and check one ``.rq`` file."""
    text = path.read_text(encoding="utf-8")
    header = _header(text, path)
    params = []
    for raw in header.get("params") or []:
        name = str(raw.get("name", ""))
        ptype = str(raw.get("type", "string"))
        if not _PARAM_NAME.match(name):
            raise QueryError(f"{path}: parameter name {name!r} must be lowerCamelCase letters and digits")
        if ptype not in PARAM_TYPES:
            raise QueryError(f"{path}: parameter {name!r} has type {ptype!r}; expected one of {sorted(PARAM_TYPES)}")
        variable = str(raw.get("var", name))
        if not re.search(rf"\?{re.escape(variable)}\b", text):
            raise QueryError(f"{path}: parameter {name!r} binds ?{variable}, which the query does not use")
        example = raw.get("example")
        params.append(
            Parameter(
                name=name,
                type=ptype,
                required=bool(raw.get("required", False)),
                variable=variable,
                description=str(raw.get("description", "")),
                example=None if example is None else str(example),
            )
        )
    columns = tuple(
        Column(str(c["name"]), str(c.get("description", ""))) if isinstance(c, dict) else Column(str(c))
        for c in header.get("columns") or []
    )
    return NamedQuery(
        name=path.stem,
        path=path,
        summary=str(header["summary"]),
        description=str(header.get("description", "")),
        parameters=tuple(params),
        columns=columns,
        text=text,
    )


def load_queries(directory: Path = QUERIES_DIR) -> dict[str, NamedQuery]:
    """All named queries in a folder, by name (the file stem)."""
    if not directory.is_dir():
        raise QueryError(f"{directory}: no queries folder")
    return {p.stem: load_query(p) for p in sorted(directory.glob("*.rq"))}


def get_query(name: str, directory: Path = QUERIES_DIR) -> NamedQuery:
    """One named query; the error lists the names that exist."""
    path = directory / f"{name}.rq"
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_-]*", name) or not path.is_file():
        names = ", ".join(sorted(load_queries(directory)))
        raise QueryError(f"no named query {name!r}; the named queries are: {names}")
    return load_query(path)
