"""The search language, turned into a safe SQLite FTS5 expression.

Users type free words (ANDed), "quoted phrases", ``prefix*``, ``OR`` between terms and
``-word`` to exclude. Every term is re-quoted before it reaches FTS5, so nothing a user
types can be read as FTS5 syntax of its own.
"""

from __future__ import annotations

from dataclasses import dataclass

MAX_QUERY_LENGTH = 500


class QuerySyntaxError(ValueError):
    """A query that cannot be searched; the message says how to fix it."""


@dataclass(frozen=True, slots=True)
class Term:
    text: str
    phrase: bool = False
    prefix: bool = False
    negated: bool = False

    def to_fts(self) -> str:
        quoted = '"' + self.text.replace('"', '""') + '"'
        return quoted + "*" if self.prefix else quoted


@dataclass(frozen=True, slots=True)
class Query:
    """Clauses are ANDed; the terms inside one clause are ORed."""

    clauses: tuple[tuple[Term, ...], ...]
    excluded: tuple[Term, ...]

    def to_fts(self) -> str:
        groups = []
        for clause in self.clauses:
            inner = " OR ".join(term.to_fts() for term in clause)
            groups.append(f"({inner})" if len(clause) > 1 else inner)
        expression = " AND ".join(groups)
        for term in self.excluded:
            expression = f"({expression}) NOT {term.to_fts()}"
        return expression

    @property
    def words(self) -> list[str]:
        """The positive words, for highlighting outside FTS5."""
        return [term.text for clause in self.clauses for term in clause]


def _has_word(text: str) -> bool:
    return any(char.isalnum() for char in text)


def _tokens(text: str) -> list[Term | str]:
    """Terms, plus the bare string "OR" where the user typed the operator."""
    tokens: list[Term | str] = []
    position = 0
    length = len(text)
    while position < length:
        char = text[position]
        if char.isspace():
            position += 1
            continue
        negated = char == "-" and position + 1 < length and not text[position + 1].isspace()
        if negated:
            position += 1
            char = text[position]
        if char == '"':
            end = text.find('"', position + 1)
            if end == -1:
                raise QuerySyntaxError('A quote is not closed: add the closing ".')
            phrase = text[position + 1 : end]
            position = end + 1
            prefix = position < length and text[position] == "*"
            if prefix:
                position += 1
            if _has_word(phrase):
                tokens.append(Term(" ".join(phrase.split()), True, prefix, negated))
            continue
        end = position
        while end < length and not text[end].isspace() and text[end] != '"':
            end += 1
        word = text[position:end]
        position = end
        if word == "OR" and not negated:
            tokens.append("OR")
            continue
        prefix = word.endswith("*")
        word = word.rstrip("*")
        if _has_word(word):
            tokens.append(Term(word, False, prefix, negated))
    return tokens


def parse_query(text: str) -> Query:
    """Parse what the user typed. Raises QuerySyntaxError with a helpful message."""
    if len(text) > MAX_QUERY_LENGTH:
        raise QuerySyntaxError(f"The query is longer than {MAX_QUERY_LENGTH} characters.")
    tokens = _tokens(text)
    clauses: list[list[Term]] = []
    excluded: list[Term] = []
    pending_or = False
    for token in tokens:
        if token == "OR":
            if not clauses or pending_or:
                raise QuerySyntaxError("OR needs a word on each side.")
            pending_or = True
            continue
        assert isinstance(token, Term)
        if token.negated:
            if pending_or:
                raise QuerySyntaxError("-word cannot stand beside OR; exclude it on its own.")
            excluded.append(token)
        elif pending_or:
            clauses[-1].append(token)
            pending_or = False
        else:
            clauses.append([token])
    if pending_or:
        raise QuerySyntaxError("OR needs a word on each side.")
    if not clauses:
        if excluded:
            raise QuerySyntaxError("Add a word to search for: -word only excludes.")
        raise QuerySyntaxError("Type a word to search for.")
    return Query(tuple(tuple(clause) for clause in clauses), tuple(excluded))
