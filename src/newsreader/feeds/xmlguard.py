"""Defusing feed documents before any XML parser sees them.

feedparser hands documents to expat and, when that fails, to its own lenient parser. Both
expand the entities a document declares, and the lenient one does so without any limit: a
160 KB feed that declares one long entity and refers to it many times becomes gigabytes of
text. Both also choke on some character references. So every document passes through here
first, as one linear pass over its text:

* It is decoded (byte order mark, then the declared encoding, then UTF-8, then the legacy
  fallbacks feedparser uses too) and re-encoded as UTF-8 with a declaration that says so, so
  the text checked here is exactly the text the parsers read. Invalid UTF-8 in a document
  that is UTF-8 becomes U+FFFD instead of turning the whole feed into mojibake.
* C0 control characters other than tab, newline and carriage return are removed, and
  U+FFFE and U+FFFF become U+FFFD: XML forbids them, and one of them would otherwise throw
  the whole document to the lenient parser.
* Numeric character references to those characters are treated the same way; references
  to a surrogate or beyond U+10FFFF (which make feedparser raise) become U+FFFD.
* The document type declaration is rebuilt from the internal entities that are plain text.
  External entities and the external subset (the XXE family), parameter entities and
  entities built from other entities are dropped, so nothing is fetched or read; as in
  XML, the first declaration of a name is the one that counts. When the
  declared entities would add more than ``MAX_ENTITY_EXPANSION`` characters to the document
  (billion laughs, the quadratic blow-up) the document is refused.
* Entries beyond ``max_entries`` are cut out before parsing, and a document with more than
  ``MAX_MARKUP`` tags outside CDATA sections is refused, so parse time and memory stay
  bounded (feedparser keeps a stack entry for every open element).
"""

from __future__ import annotations

import codecs
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

MAX_ENTITY_EXPANSION = 1_000_000
MAX_MARKUP = 500_000  # elements outside CDATA; feedparser spends ~20 µs on each
XML_DECLARATION = "<?xml version='1.0' encoding='utf-8'?>"


class UnsafeDocumentError(ValueError):
    """A document that is refused before parsing; the message is fit to show a user."""


@dataclass(frozen=True)
class Defused:
    """The document as UTF-8 bytes the parsers may read, and what was cut from it."""

    data: bytes
    entries: int
    entries_dropped: int = 0


def defuse(data: bytes, *, max_entries: int) -> Defused:
    """Make ``data`` safe to hand to feedparser, or raise UnsafeDocumentError."""
    text = decode_document(data)
    text = text.translate(_C0_TABLE)
    text = CHARREF.sub(fix_charref, text)
    text = _rebuild_doctype(text)
    text, entries, dropped = _limit_entries(text, max_entries)
    tags = _count_tags(text)
    if tags > MAX_MARKUP:
        raise UnsafeDocumentError(
            f"the feed has too much markup ({tags} tags, at most {MAX_MARKUP})"
        )
    return Defused(text.encode("utf-8"), entries, dropped)


# Decoding

_SNIFFED = (
    (codecs.BOM_UTF32_BE, "utf-32-be", True),
    (codecs.BOM_UTF32_LE, "utf-32-le", True),
    (codecs.BOM_UTF8, "utf-8", True),
    (codecs.BOM_UTF16_BE, "utf-16-be", True),
    (codecs.BOM_UTF16_LE, "utf-16-le", True),
    (b"\x00\x00\x00<", "utf-32-be", False),
    (b"<\x00\x00\x00", "utf-32-le", False),
    (b"\x00<\x00?", "utf-16-be", False),
    (b"<\x00?\x00", "utf-16-le", False),
    (b"Lo\xa7\x94", "cp037", False),
)
_DECLARED_ENCODING = re.compile(
    rb"""^\s*<\?xml[^>]{0,200}?encoding\s*=\s*["']([A-Za-z0-9._:-]{1,40})["']"""
)
_XML_DECLARATION = re.compile(r"^<\?xml\s[^>]*?>")
_LEGACY_FALLBACKS = ("windows-1252", "iso-8859-2")
_SURROGATE = re.compile("[\ud800-\udfff]")


def decode_document(data: bytes) -> str:
    """The document's text, labelled UTF-8 by a fresh XML declaration."""
    text = _decode(data)
    text = _SURROGATE.sub("\N{REPLACEMENT CHARACTER}", text)
    stripped = text.lstrip()  # a declaration after white space is an error to expat
    if _XML_DECLARATION.match(stripped):
        return _XML_DECLARATION.sub(XML_DECLARATION, stripped, count=1)
    return f"{XML_DECLARATION}\n{text}"


def _decode(data: bytes) -> str:
    for mark, encoding, is_bom in _SNIFFED:
        if data.startswith(mark):
            if is_bom:
                return data[len(mark) :].decode(encoding, errors="replace")
            # "<?" in a wide or EBCDIC encoding: that family is certain, the declaration
            # may name the exact code page (cp875 rather than cp037, say).
            head = data[:1200].decode(encoding, errors="replace").encode("ascii", "replace")
            declared = _declared_encoding(head, family=encoding)
            return data.decode(declared or encoding, errors="replace")
    declared = _declared_encoding(data)
    if declared and declared != "utf-8":
        try:
            return data.decode(declared)
        except UnicodeDecodeError:
            pass
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    text = data.decode("utf-8", errors="replace")
    if declared == "utf-8" or _mostly_utf8(data, text):
        return text
    for encoding in _LEGACY_FALLBACKS:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return text  # not reached: ISO 8859-2 maps every byte


def _declared_encoding(data: bytes, family: str = "ascii") -> str | None:
    """The encoding the XML declaration names, if Python knows it and it fits the family.

    The family is how the declaration itself could be read: a document whose declaration
    reads as ASCII cannot be in UTF-16, and one sniffed as UTF-16 stays UTF-16.
    """
    match = _DECLARED_ENCODING.match(data[:300])
    if not match:
        return None
    name = match.group(1).decode("ascii").lower()
    if name == "gb2312":
        name = "gb18030"  # a superset; feeds labelled GB2312 often use it
    try:
        codec = codecs.lookup(name)
        fits = "<?xml".encode(codec.name) == "<?xml".encode(family)
    except (LookupError, UnicodeError, ValueError):
        return None
    return codec.name if fits else None


def _mostly_utf8(data: bytes, text: str) -> bool:
    """True when more characters decoded as UTF-8 than failed: a UTF-8 feed with bad bytes."""
    bad = text.count("\N{REPLACEMENT CHARACTER}") - data.count(b"\xef\xbf\xbd")
    good = len(text) - len(text.encode("ascii", "ignore")) - bad
    return good >= bad


# Characters and character references

_C0_TABLE: dict[int, str | None] = {
    code: None for code in range(0x20) if code not in (0x09, 0x0A, 0x0D)
}
_C0_TABLE.update({0xFFFE: "\N{REPLACEMENT CHARACTER}", 0xFFFF: "\N{REPLACEMENT CHARACTER}"})
CHARREF = re.compile(r"&#(?:[xX]([0-9A-Fa-f]+)|([0-9]+));?")
_REPLACEMENT_REF = "&#xFFFD;"


def fix_charref(match: re.Match[str]) -> str:
    hex_digits, decimal_digits = match.groups()
    digits = (hex_digits or decimal_digits).lstrip("0")
    if len(digits) > 8:
        return _REPLACEMENT_REF
    code = int(digits or "0", 16 if hex_digits else 10)
    if code in (0x09, 0x0A, 0x0D):
        return match.group()
    if code < 0x20 or code == 0x7F:
        return ""
    if code > 0x10FFFF or 0xD800 <= code <= 0xDFFF or code in (0xFFFE, 0xFFFF):
        return _REPLACEMENT_REF
    return match.group()


# The document type declaration

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


def _rebuild_doctype(text: str) -> str:
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


# Entries

ENTRY_START = re.compile(r"<(?:item|entry)(?=[\s/>])")
_ENTRY_END = re.compile(r"</(?:item|entry)\s*>|<(?:item|entry)(?:\s[^<>]*)?/>")


def _limit_entries(text: str, max_entries: int) -> tuple[str, int, int]:
    """Cut every entry after the first ``max_entries`` out of the document."""
    total = 0
    cut_from = -1
    for match in ENTRY_START.finditer(text):
        if total == max_entries:
            cut_from = match.start()
        total += 1
    if cut_from < 0:
        return text, total, 0
    cut_to = -1
    for match in _ENTRY_END.finditer(text, cut_from):
        cut_to = match.end()
    if cut_to < 0:
        raise UnsafeDocumentError(f"the feed has more than {max_entries} entries")
    return text[:cut_from] + text[cut_to:], total, total - max_entries


def _count_tags(text: str) -> int:
    """The number of "<" outside CDATA sections, where the parsers see no markup."""
    tags = 0
    pos = 0
    while (start := text.find("<![CDATA[", pos)) >= 0:
        tags += text.count("<", pos, start)
        end = text.find("]]>", start + 9)
        if end < 0:
            return tags  # the rest is one unclosed section
        pos = end + 3
    return tags + text.count("<", pos)
