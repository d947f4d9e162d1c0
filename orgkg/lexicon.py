"""The lexicon of the document family, loaded from ``lexicon.yaml`` with the patterns derived from it.

Every parser takes its words from here (labels → roles, verbs → roles, collective markers, body endings, posts,
table columns, document kinds, convention phrases such as 列第一位者为牵头单位), so a new label is one line of
the YAML file and no module keeps a word list of its own.

>>> LEXICON.label_roles["牵头责任单位"], LEXICON.label_roles["分管县领导"]
(<Role.LEAD: 'lead'>, <Role.SUPERVISOR: 'supervisor'>)
>>> LEXICON.verb_role("分别牵头落实")
<Role.LEAD: 'lead'>
>>> bool(LEXICON.first_listed_lead.search("排名第一位为牵头单位"))
True
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from orgkg.records import Role

LEXICON_FILE = Path(__file__).with_name("lexicon.yaml")


def _longest_first(words: list[str]) -> tuple[str, ...]:
    return tuple(sorted(dict.fromkeys(words), key=lambda w: (-len(w), w)))


def alternation(words: tuple[str, ...] | list[str]) -> str:
    """A regex alternation of literal words, longest first (so 分管校领导 wins over 校领导).

    >>> alternation(["校领导", "分管校领导"])
    '分管校领导|校领导'
    """
    return "|".join(re.escape(w) for w in _longest_first(list(words)))


@dataclass(frozen=True)
class Lexicon:
    """Words and the patterns made of them; see ``lexicon.yaml`` for what each entry means."""

    label_roles: dict[str, Role]
    other_labels: tuple[str, ...]
    verbs: tuple[tuple[str, Role], ...]  # longest first
    connectives: tuple[str, ...]
    first_listed_lead: re.Pattern[str]
    convention_scope: tuple[str, ...]
    collective_prefixes: tuple[str, ...]
    collective_contains: tuple[str, ...]
    collective_suffixes: tuple[str, ...]
    collective_whole: frozenset[str]
    category_nouns: frozenset[str]
    collective_continuation: re.Pattern[str]
    body_suffixes: tuple[str, ...]
    posts: tuple[str, ...]  # longest first
    leader_heading_tail: str
    ordinal_columns: tuple[str, ...]
    task_columns: tuple[str, ...]
    document_kinds: tuple[tuple[str, str], ...]
    central_bodies: tuple[str, ...]
    lead_notes: frozenset[str]
    theme_stop_words: frozenset[str]
    document_genres: frozenset[str] = frozenset()
    header_metadata: tuple[str, ...] = ()  # longest first
    issuer_metadata: tuple[str, ...] = ()  # in order of preference
    date_metadata: tuple[str, ...] = ()
    number_issuers: tuple[tuple[str, str], ...] = ()  # 文号 prefix → issuer, longest prefix first
    national_prefixes: tuple[str, ...] = ()
    national_suffixes: tuple[str, ...] = ()
    level_words_not_prefix: tuple[str, ...] = ()

    @property
    def supervisor_labels(self) -> tuple[str, ...]:
        """Labels of leader fields, longest first."""
        return _longest_first([w for w, r in self.label_roles.items() if r is Role.SUPERVISOR])

    @property
    def role_labels(self) -> tuple[str, ...]:
        """Every responsibility label, longest first."""
        return _longest_first(list(self.label_roles))

    @property
    def all_labels(self) -> tuple[str, ...]:
        """Responsibility labels and the other field labels, longest first."""
        return _longest_first([*self.label_roles, *self.other_labels])

    def verb_role(self, verb: str) -> Role:
        """The role a verb gives the units before it."""
        return _verb_roles(self.verbs)[verb]

    def column_role(self, header: str) -> Role | None:
        """The role of a table column whose header is ``header`` (spaces already removed), if it is one."""
        return self.label_roles.get(header)


@functools.lru_cache(maxsize=4)
def _verb_roles(verbs: tuple[tuple[str, Role], ...]) -> dict[str, Role]:
    return dict(verbs)


def _words(data: dict[str, Any], key: str) -> list[str]:
    value = data.get(key) or []
    if not isinstance(value, list) or not all(isinstance(w, str) for w in value):
        raise ValueError(f"{LEXICON_FILE}: {key} must be a list of words")
    return value


def load(path: Path = LEXICON_FILE) -> Lexicon:
    """Read and check the lexicon; a malformed entry is an error naming the file and the key."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    labels: dict[str, Role] = {}
    for role_name, words in (data.get("role_labels") or {}).items():
        role = Role(role_name)
        for w in words:
            if w in labels and labels[w] is not role:
                raise ValueError(f"{path}: label {w} has two roles ({labels[w]}, {role})")
            labels[w] = role
    verbs: list[tuple[str, Role]] = [
        (w, Role(role_name)) for role_name, words in (data.get("role_verbs") or {}).items() for w in words
    ]
    verbs.sort(key=lambda vr: (-len(vr[0]), vr[0]))
    coll = data.get("collective") or {}
    columns = data.get("columns") or {}
    kinds = tuple((str(w), str(k)) for w, k in data.get("document_kinds") or [])
    national = data.get("national_bodies") or {}
    return Lexicon(
        label_roles=labels,
        other_labels=_longest_first(_words(data, "other_labels")),
        verbs=tuple(verbs),
        connectives=tuple(_words(data, "connectives")),
        first_listed_lead=re.compile("|".join(f"(?:{p})" for p in _words(data, "first_listed_lead"))),
        convention_scope=tuple(_words(data, "convention_scope")),
        collective_prefixes=tuple(_words(coll, "prefixes")),
        collective_contains=tuple(_words(coll, "contains")),
        collective_suffixes=tuple(_words(coll, "suffixes")),
        collective_whole=frozenset(_words(coll, "whole")),
        category_nouns=frozenset(_words(coll, "category_nouns")),
        collective_continuation=re.compile(str(coll.get("continuation") or r"(?!)")),
        body_suffixes=_longest_first(_words(data, "body_suffixes")),
        posts=_longest_first(_words(data, "posts")),
        leader_heading_tail=str(data.get("leader_heading_tail") or r"(?!)"),
        ordinal_columns=_longest_first(_words(columns, "ordinal")),
        task_columns=_longest_first(_words(columns, "task")),
        document_kinds=kinds,
        central_bodies=tuple(_words(data, "central_bodies")),
        lead_notes=frozenset(_words(data, "lead_notes")),
        theme_stop_words=frozenset(_words(data, "theme_stop_words")),
        document_genres=frozenset(_words(data, "document_genres")),
        header_metadata=_longest_first(_words(data, "header_metadata")),
        issuer_metadata=tuple(_words(data, "issuer_metadata")),
        date_metadata=tuple(_words(data, "date_metadata")),
        number_issuers=tuple(
            sorted(
                ((str(k), str(v)) for k, v in (data.get("number_issuers") or {}).items()), key=lambda kv: -len(kv[0])
            )
        ),
        national_prefixes=_longest_first(_words(national, "prefixes")),
        national_suffixes=_longest_first(_words(national, "suffixes")),
        level_words_not_prefix=_longest_first(_words(data, "level_words_not_prefix")),
    )


LEXICON = load()
