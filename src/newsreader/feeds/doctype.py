"""A feed's document type declaration, rebuilt from what is safe in it (see ``xmlguard``).

Only internal entities that are plain text survive. External entities and the external
subset (the XXE family), parameter entities and entities built from other entities are
dropped, so nothing is fetched or read; as in XML, the first declaration of a name is the
one that counts. When the declared entities would add more than ``MAX_ENTITY_EXPANSION``
characters to the document (billion laughs, the quadratic blow-up) it is refused.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

MAX_ENTITY_EXPANSION = 1_000_000


class UnsafeDocumentError(ValueError):
    """A document that is refused before parsing; the message is fit to show a user."""


_NAME = r"[^\W\d][\w.:-]*"
_NAME_AT = re.compile(_NAME)
_SPACE_AT = re.compile(r"\s*")
_ENTITY_REF = re.compile(rf"&({_NAME});")
_PE_REF_AT = re.compile(rf"%{_NAME};")
_PLAIN_VALUE = re.compile(r"(?:[^&<>%\"]|&#[0-9]{1,8};|&#x[0-9A-Fa-f]{1,8};)*")
_FEEDPARSER_KEEPS = re.compile(r"&#\w+;|[^&]*")


@dataclass
class _Entity:
    name: str
    value: str | None  # None for an external entity
    parameter: bool


def rebuild_doctype(text: str) -> str:
    """Replace the DOCTYPE in the prolog by one holding only plain internal entities."""
    span = _find_doctype(text)
    if span is None:
        _check_head(text)
        return text
    start, subset_start, subset_end, end, root = span
    try:
        declared = list(_entities(text, subset_start, subset_end)) if subset_start >= 0 else []
    except _MalformedSubset:
        declared = []  # nothing is kept, so nothing can expand
    first: dict[tuple[str, bool], _Entity] = {}
    for entity in declared:
        first.setdefault((entity.name, entity.parameter), entity)
    entities = list(first.values())
    body = text[end:]
    _check_head(text[:start])
    _check_head(body)
    _check_expansion(entities, body)
    kept = [
        entity
        for entity in entities
        if not entity.parameter
        and entity.value is not None
        and entity.name not in _PREDEFINED
        and _FEEDPARSER_KEEPS.fullmatch(entity.value)
        and _PLAIN_VALUE.fullmatch(entity.value)
    ]
    doctype = ""
    if kept:
        # One declaration per line: feedparser looks for them at the start of a line.
        lines = "".join(f'<!ENTITY {entity.name} "{entity.value}">\n' for entity in kept)
        doctype = f"\n<!DOCTYPE {root} [\n{lines}]>\n"
    return text[:start] + doctype + body


_FIRST_ELEMENT = re.compile(r"<[A-Za-z0-9_]")
_LINE_START_ENTITY = re.compile(r"^\s*<!ENTITY", re.MULTILINE)


def _check_head(text: str) -> None:
    """Refuse entity declarations that only feedparser's line-based scan would find.

    feedparser takes entity declarations from every line before the first element that
    starts with "<!ENTITY", with regular expressions that know nothing of comments. Any
    such line outside the DOCTYPE rebuilt here (in a comment, say) is refused.
    """
    first = _FIRST_ELEMENT.search(text)
    if _LINE_START_ENTITY.search(text, 0, first.start() if first else len(text)):
        raise UnsafeDocumentError("the feed declares entities outside its document type")


def _find_doctype(text: str) -> tuple[int, int, int, int, str] | None:
    """(start, subset start, subset end, end, root name) of the prolog's DOCTYPE, if any.

    The subset positions are -1 when there is no internal subset.
    """
    pos = 0
    length = len(text)
    while pos <= length:
        pos = _skip_space(text, pos, length)
        if text.startswith("<?", pos):
            pos = _end_of(text, "?>", pos + 2)
        elif text.startswith("<!--", pos):
            pos = _end_of(text, "-->", pos + 4)
        elif text[pos : pos + 9].upper() == "<!DOCTYPE":
            break
        else:
            return None
    else:
        return None
    start = pos
    name = _NAME_AT.match(text, _skip_space(text, pos + 9, length))
    root = name.group() if name else "feed"
    subset_start = subset_end = -1
    pos = start + 9
    while found := _DOCTYPE_STOP.search(text, pos):
        char = found.group()
        if char == ">":
            return start, subset_start, subset_end, found.end(), root
        if char == "[" and subset_start < 0:
            subset_start = found.end()
            subset_end = pos = _end_of_subset(text, subset_start)
        elif char == "[":
            pos = found.end()
        else:
            pos = _end_of(text, char, found.end())
    raise UnsafeDocumentError("the feed's document type declaration never ends")


_DOCTYPE_STOP = re.compile(r"""[\[>"']""")
_SUBSET_STOP = re.compile(r"""[\]"']|<!--|<\?""")
_DECLARATION_STOP = re.compile(r"""[>"']""")
_CLOSERS = {"<!--": "-->", "<?": "?>", '"': '"', "'": "'"}


def _skip_space(text: str, pos: int, end: int) -> int:
    return _SPACE_AT.match(text, pos, end).end()  # type: ignore[union-attr]


def _end_of(text: str, marker: str, pos: int, end: int | None = None) -> int:
    """The index just past ``marker`` at or after ``pos``, or past ``end`` if it is missing."""
    limit = len(text) if end is None else end
    found = text.find(marker, pos, limit)
    return limit + 1 if found < 0 else found + len(marker)


def _end_of_subset(text: str, pos: int) -> int:
    """The index of the "]" that closes the internal subset starting at ``pos``."""
    while found := _SUBSET_STOP.search(text, pos):
        if found.group() == "]":
            return found.start()
        pos = _end_of(text, _CLOSERS[found.group()], found.end())
    raise UnsafeDocumentError("the feed's document type declaration never ends")


class _MalformedSubset(ValueError):
    """An internal subset this scanner cannot read; it is dropped whole."""


def _entities(text: str, pos: int, end: int) -> Iterator[_Entity]:
    """The entity declarations of an internal subset; other declarations are skipped."""
    while True:
        pos = _skip_space(text, pos, end)
        if pos >= end:
            return
        if text.startswith("<!--", pos):
            pos = _end_of(text, "-->", pos + 4, end)
        elif text.startswith("<?", pos):
            pos = _end_of(text, "?>", pos + 2, end)
        elif pe_ref := _PE_REF_AT.match(text, pos, end):
            pos = pe_ref.end()  # dropped: it could pull in declarations from anywhere
        elif text.startswith("<!ENTITY", pos):
            entity, pos = _entity(text, pos + 8, end)
            yield entity
        elif text.startswith("<!", pos):
            pos = _end_of_declaration(text, pos + 2, end)
        else:
            raise _MalformedSubset


def _entity(text: str, pos: int, end: int) -> tuple[_Entity, int]:
    pos = _skip_space(text, pos, end)
    parameter = text.startswith("%", pos)
    if parameter:
        pos = _skip_space(text, pos + 1, end)
    name = _NAME_AT.match(text, pos, end)
    if name is None:
        raise _MalformedSubset
    pos = _skip_space(text, name.end(), end)
    value: str | None = None
    if pos < end and text[pos] in "\"'":
        close = text.find(text[pos], pos + 1, end)
        if close < 0:
            raise _MalformedSubset
        value = text[pos + 1 : close]
        pos = close + 1
    return _Entity(name.group(), value, parameter), _end_of_declaration(text, pos, end)


def _end_of_declaration(text: str, pos: int, end: int) -> int:
    """The index just past the ">" that ends a markup declaration, skipping quoted text."""
    while found := _DECLARATION_STOP.search(text, pos, end):
        if found.group() == ">":
            return found.end()
        pos = _end_of(text, found.group(), found.end(), end)
    raise _MalformedSubset


_PREDEFINED = frozenset({"amp", "lt", "gt", "quot", "apos"})
_ANY_CHARREF = re.compile(r"&#[xX]?[0-9A-Fa-f]+;")


def _check_expansion(entities: list[_Entity], body: str) -> None:
    """Refuse documents whose entity references would add too much text when expanded."""
    general = {
        entity.name: entity.value
        for entity in entities
        if not entity.parameter and entity.value is not None and entity.name not in _PREDEFINED
    }
    if not general:
        return
    sizes = _expanded_sizes(general)
    expansion = 0
    for name, count in _references(general, body).items():
        expansion += sizes[name] * count
        if expansion > MAX_ENTITY_EXPANSION:
            raise UnsafeDocumentError(
                "the feed declares entities that would expand it by more than "
                f"{MAX_ENTITY_EXPANSION} characters"
            )


def _references(general: dict[str, str], body: str) -> Counter[str]:
    """How often the body refers to each declared entity."""
    if len(general) <= 64:
        return Counter({name: body.count(f"&{name};") for name in general})
    return Counter(m.group(1) for m in _ENTITY_REF.finditer(body) if m.group(1) in general)


def _expanded_sizes(general: dict[str, str]) -> dict[str, int]:
    """Each entity's length once fully expanded, capped just above the limit.

    Depth-first with an explicit stack: a chain of thousands of entities must not recurse.
    An entity that refers to itself, directly or not, counts as too big.
    """
    cap = MAX_ENTITY_EXPANSION + 1
    refs = {
        name: Counter(ref for ref in _ENTITY_REF.findall(value) if ref in general)
        for name, value in general.items()
    }
    sizes: dict[str, int] = {}
    visiting: set[str] = set()
    for root in general:
        stack = [(root, False)]
        while stack:
            name, children_done = stack.pop()
            if name in sizes:
                continue
            if children_done:
                value = general[name]
                own = len(_ANY_CHARREF.sub("c", _ENTITY_REF.sub("", value)))
                nested = sum(sizes.get(ref, cap) * count for ref, count in refs[name].items())
                sizes[name] = min(own + nested, cap)
                visiting.discard(name)
            elif name not in visiting:
                visiting.add(name)
                stack.append((name, True))
                stack.extend((ref, False) for ref in refs[name] if ref not in sizes)
    return sizes
