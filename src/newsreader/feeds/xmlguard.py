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
from dataclasses import dataclass

from newsreader.feeds.doctype import MAX_ENTITY_EXPANSION as MAX_ENTITY_EXPANSION
from newsreader.feeds.doctype import UnsafeDocumentError as UnsafeDocumentError
from newsreader.feeds.doctype import rebuild_doctype

MAX_MARKUP = 500_000  # elements outside CDATA; feedparser spends ~20 µs on each
XML_DECLARATION = "<?xml version='1.0' encoding='utf-8'?>"


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
    text = rebuild_doctype(text)
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
