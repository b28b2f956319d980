"""Whatever a feed sends, the sanitiser hands back text that is safe to store and draw.

These are properties over arbitrary strings, not a list of known-bad ones: no control
character leaves, cleaning twice changes nothing, ordinary text passes untouched and only
web links may be opened.
"""

from __future__ import annotations

import unicodedata
from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from newsreader.text.marks import MAX_MARKS
from newsreader.text.sanitize import (
    MAX_LINE_LENGTH,
    MAX_URL_LENGTH,
    clean_datetime,
    clean_line,
    clean_text,
    clean_url,
    contains_control,
    link_url,
    openable_url,
)

CONTROLS = [chr(code) for code in [*range(0x20), 0x7F, *range(0x80, 0xA0)]]
BIDI_AND_INVISIBLE = [
    "\u200b",  # zero-width space
    "\u200c",
    "\u200d",
    "\u200e",  # left-to-right mark
    "\u200f",
    "\u202a",
    "\u202b",
    "\u202c",
    "\u202d",
    "\u202e",  # right-to-left override
    "\u2066",
    "\u2067",
    "\u2068",
    "\u2069",
    "\u2060",  # word joiner
    "\ufeff",
    "\u00ad",  # soft hyphen
    "\U000e0041",  # tag latin capital letter A
    "\u034f",  # combining grapheme joiner
    "\u061c",  # Arabic letter mark
    "\u115f",  # Hangul fillers, drawn as blank space
    "\u1160",
    "\u3164",
    "\uffa0",
    "\u180e",  # Mongolian vowel separator
    "\ufff9",  # interlinear annotation controls
]
HOSTILE_PIECES = [
    *CONTROLS,
    *BIDI_AND_INVISIBLE,
    "\x1b[31m",
    "\x1b]8;;file:///etc/passwd\x1b\\",
    "\x9b2J",
    "\x9d0;title\x07",
    "\r\n",
    "\u2028",
    "\u2029",
    "\ud800",
    "\udfff",
    "[bold red]",
    "[/]",
    ":skull:",
    "  ",
    "\t\t",
]

# Any string at all: every code point including lone surrogates, salted with the pieces
# that matter most so that short examples still meet them.
any_char = st.one_of(
    st.characters(categories=["L", "M", "N", "P", "S", "Z", "C"]),
    st.characters(categories=["Cs"]),
    st.sampled_from(CONTROLS + BIDI_AND_INVISIBLE),
)
anything = st.lists(st.one_of(any_char, st.sampled_from(HOSTILE_PIECES)), max_size=60).map("".join)

LINE_BREAKS = {"\n", "\t"}


def bad_characters(text: str, *, allowed: frozenset[str] = frozenset()) -> list[str]:
    """Characters that must never reach the store or the terminal."""
    forbidden = set(CONTROLS) | set(BIDI_AND_INVISIBLE)
    return [
        char
        for char in text
        if (char in forbidden or "\ud800" <= char <= "\udfff") and char not in allowed
    ]


# No control, bidi or zero-width character survives


@given(anything)
@example("\x1b[2J\x1b]0;pwned\x07title")
@example("a\x9b31mb\x9d8;;x\x9c")
def test_a_line_never_keeps_a_control_or_invisible_character(value: str) -> None:
    line = clean_line(value)
    assert bad_characters(line) == []
    assert not contains_control(line)


@given(anything)
@example("para\r\none\x00\x07\x1b[0m\n\n\n\ntwo\u2028three")
def test_text_keeps_only_newline_and_tab(value: str) -> None:
    text = clean_text(value)
    assert bad_characters(text, allowed=frozenset(LINE_BREAKS)) == []
    assert not contains_control(text, allow_layout=True)
    assert "\n\n\n" not in text


@given(anything)
@example("http://exa\u202emple.com/\x1b[31m")
def test_a_url_never_keeps_a_control_invisible_or_space_character(value: str) -> None:
    url = clean_url(value)
    if url is not None:
        assert bad_characters(url) == []
        assert not any(char.isspace() for char in url)
        assert len(url) <= MAX_URL_LENGTH


@given(anything)
def test_surrogates_become_the_replacement_character(value: str) -> None:
    for cleaned in (clean_line(value), clean_text(value)):
        cleaned.encode("utf-8")  # would raise on a lone surrogate
    surrogates = sum("\ud800" <= char <= "\udfff" for char in value)
    if surrogates and len(value) < MAX_LINE_LENGTH:
        assert clean_line(value).count("\ufffd") >= min(surrogates, 1)


# Cleaning twice is cleaning once


@settings(max_examples=300)
@given(anything, st.integers(min_value=1, max_value=80))
def test_clean_line_is_idempotent(value: str, limit: int) -> None:
    once = clean_line(value, limit=limit)
    assert clean_line(once, limit=limit) == once
    assert len(once) <= limit


@settings(max_examples=300)
@given(anything, st.integers(min_value=1, max_value=80))
def test_clean_text_is_idempotent(value: str, limit: int) -> None:
    once = clean_text(value, limit=limit)
    assert clean_text(once, limit=limit) == once
    assert len(once) <= limit


@settings(max_examples=300)
@given(anything, st.integers(min_value=1, max_value=80))
def test_preformatted_text_is_idempotent_and_clean(value: str, limit: int) -> None:
    once = clean_text(value, limit=limit, keep_spaces=True)
    assert clean_text(once, limit=limit, keep_spaces=True) == once
    assert len(once) <= limit
    assert bad_characters(once, allowed=frozenset(LINE_BREAKS)) == []


def test_preformatted_text_keeps_indentation_and_blank_lines() -> None:
    code = "\n\n    def f():\n\t\treturn  1   \n\n\n\nprint(f())\x1b[0m\n\n"
    assert clean_text(code, keep_spaces=True) == "    def f():\n\t\treturn  1\n\n\n\nprint(f())[0m"


@settings(max_examples=300)
@given(anything)
def test_clean_url_and_openable_url_are_idempotent(value: str) -> None:
    url = clean_url(value)
    assert clean_url(url) == url
    openable = openable_url(value)
    assert openable_url(openable) == openable


def test_long_values_are_cut_with_an_ellipsis_and_stay_cut() -> None:
    title = "word " * 400_000  # two megabytes of title
    line = clean_line(title)
    assert len(line) == MAX_LINE_LENGTH
    assert line.endswith("…")
    assert clean_line(line) == line


# Ordinary text passes unchanged

printable = st.characters(categories=["L", "M", "N", "P", "S"]).filter(
    lambda char: not bad_characters(char)
)


def few_marks_in_a_row(text: str) -> bool:
    """Ordinary text stacks no more than MAX_MARKS combining marks on a letter; longer
    runs are "Zalgo" text, which the sanitiser cuts down on purpose."""
    run = 0
    for char in text:
        run = run + 1 if unicodedata.category(char) in {"Mn", "Me"} else 0
        if run > MAX_MARKS:
            return False
    return True


word = st.text(printable, min_size=1, max_size=12).filter(few_marks_in_a_row)


@given(st.lists(word, min_size=1, max_size=12).map(" ".join))
@example("[bold red]alarm[/] [link=file:///etc/passwd]x[/link] [@click=app.quit] :skull:")
@example("In die Cloud: VW und Amazon gehen Kooperation ein")
@example("Ελληνικά · 日本語 · עברית · العربية")
def test_printable_text_is_a_line_unchanged(value: str) -> None:
    assert clean_line(value) == value


@given(st.lists(st.lists(word, min_size=1, max_size=6).map(" ".join), min_size=1).map("\n".join))
def test_printable_lines_are_text_unchanged(value: str) -> None:
    assert clean_text(value) == value


@pytest.mark.parametrize(
    "markup",
    [
        "[bold red]",
        "[/]",
        "[link=file:///etc/passwd]x[/link]",
        "[@click=app.quit]",
        ":skull:",
        "$accent",
        "{placeholder}",
        "%s %d",
    ],
)
def test_markup_like_text_is_data_and_kept_literally(markup: str) -> None:
    assert clean_line(f"before {markup} after") == f"before {markup} after"
    assert clean_text(f"before\n{markup}\nafter") == f"before\n{markup}\nafter"


def test_whitespace_runs_collapse_and_lines_are_joined_in_a_line() -> None:
    assert clean_line("  Breaking\n\tnews \u2028 today  ") == "Breaking news today"


def test_paragraph_breaks_survive_in_text_but_not_blank_line_runs() -> None:
    assert clean_text("one\r\ntwo\r\rthree\n\n\n\nfour") == "one\ntwo\n\nthree\n\nfour"


# Spoofing


@pytest.mark.parametrize("invisible", BIDI_AND_INVISIBLE)
def test_bidi_overrides_and_zero_width_characters_are_removed(invisible: str) -> None:
    assert clean_line(f"pay{invisible}pal.com") == "paypal.com"
    assert clean_url(f"https://pay{invisible}pal.com/") == "https://paypal.com/"


def test_a_right_to_left_override_cannot_reverse_a_file_name() -> None:
    assert clean_line("invoice\u202egpj.exe") == "invoicegpj.exe"


# Links


@given(anything)
def test_only_web_links_can_be_opened(value: str) -> None:
    url = openable_url(value)
    if url is not None:
        assert url.lower().startswith(("http://", "https://"))
        assert bad_characters(url) == []


DANGEROUS_SCHEMES = ["javascript", "JaVaScRiPt", "file", "FILE", "data", "vbscript"]
SMUGGLING = ["", " ", "\t", "\n", "\x00", "\x1b", "\u200b", "\u202e", "\r\n ", "\x0b"]


@given(
    st.sampled_from(DANGEROUS_SCHEMES),
    st.sampled_from(SMUGGLING),
    st.sampled_from(SMUGGLING),
    st.text(max_size=30),
)
def test_dangerous_schemes_never_come_back_openable(
    scheme: str, before: str, inside: str, rest: str
) -> None:
    half = len(scheme) // 2
    smuggled = f"{before}{scheme[:half]}{inside}{scheme[half:]}:{rest}"
    assert openable_url(smuggled) is None
    assert openable_url(f"{scheme}://{rest}") is None


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        " javascript:alert(1)",
        "\x01javascript:alert(1)",
        "java\tscript:alert(1)",
        "java\nscript:alert(1)",
        "&#106;avascript:alert(1)",
        "javascript&#58;alert(1)",
        "&#x6A;avascript:alert(1)",
        "jav&#x09;ascript:alert(1)",
        "file:///etc/passwd",
        "file://localhost/etc/passwd",
        "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
        "/relative/path",
        "//example.com/no-scheme",
        "http:///etc/passwd",
        "https:\\\\evil.example",
        "https://example.com:0/",
        "https://example.com:99999/",
        "mailto:someone@example.com",
        "",
        "   ",
    ],
)
def test_these_links_are_refused(url: str) -> None:
    assert openable_url(url) is None


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("https://example.com/a", "https://example.com/a"),
        ("HTTP://EXAMPLE.COM/", "HTTP://EXAMPLE.COM/"),
        ("  https://example.com/a\n  ", "https://example.com/a"),
        ("https://example.com/a\n/b", "https://example.com/a/b"),
        ("https://example.com/a b", "https://example.com/a%20b"),
        ("https://exa\u200bmple.com/", "https://example.com/"),
        ("https://example.com/\x1b[31mred", "https://example.com/[31mred"),
    ],
)
def test_web_links_are_cleaned_and_kept(raw: str, expected: str) -> None:
    assert openable_url(raw) == expected


def test_feed_links_may_not_carry_a_user_name_before_the_host() -> None:
    spoof = "https://bank.example@evil.example/login"
    assert link_url(spoof) is None
    assert link_url("https://bank.example/login") == "https://bank.example/login"
    # A subscription address the user typed may carry credentials.
    assert openable_url("https://me:token@feeds.example/private.rss") is not None


def test_overlong_urls_are_dropped() -> None:
    assert clean_url("https://example.com/" + "a" * MAX_URL_LENGTH) is None


# Dates


@pytest.mark.parametrize(
    "stamp",
    [
        datetime(1, 1, 1, tzinfo=timezone(timedelta(hours=5))),
        datetime(9999, 12, 31, 23, 59, tzinfo=timezone(timedelta(hours=-5))),
    ],
)
def test_times_that_cannot_be_sorted_or_shown_become_unknown(stamp: datetime) -> None:
    assert clean_datetime(stamp) is None


@pytest.mark.parametrize(
    "stamp",
    [
        datetime(1, 1, 1, 12, tzinfo=UTC),
        datetime(1, 1, 2, tzinfo=timezone(timedelta(hours=-5))),
        datetime(9999, 12, 31, tzinfo=UTC),
        datetime(2019, 3, 27, 20, 43, tzinfo=timezone(timedelta(hours=1))),
    ],
)
def test_times_from_year_1_to_9999_are_kept_as_given(stamp: datetime) -> None:
    assert clean_datetime(stamp) == stamp
