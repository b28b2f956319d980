"""Feed HTML becomes plain paragraphs a terminal can show: structure kept, markup gone."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from newsreader.models import BlockKind
from newsreader.text.htmltext import MAX_BLOCKS, html_to_blocks, html_to_line, text_to_blocks

P, H, L, Q, PRE = (
    BlockKind.PARAGRAPH,
    BlockKind.HEADING,
    BlockKind.LIST_ITEM,
    BlockKind.QUOTE,
    BlockKind.PREFORMATTED,
)


def shape(html: str) -> list[tuple[BlockKind, str]]:
    return [(block.kind, block.text) for block in html_to_blocks(html)]


def test_paragraphs_and_headings_keep_their_order() -> None:
    html = "<p>First   paragraph\n of text.</p><h2>A subheading</h2><p>Second.</p><h3>Another</h3>"
    assert shape(html) == [
        (P, "First paragraph of text."),
        (H, "A subheading"),
        (P, "Second."),
        (H, "Another"),
    ]


def test_list_items_become_one_block_each() -> None:
    html = "<ul><li>one</li><li>two <b>bold</b></li></ul><ol><li>three</ol>"
    assert shape(html) == [(L, "one"), (L, "two bold"), (L, "three")]


def test_preformatted_text_keeps_its_spaces_tabs_and_lines() -> None:
    html = "<pre>\n    def f():\n\treturn  1   \n\n\nend\x1b[0m</pre>"
    assert shape(html) == [(PRE, "    def f():\n\treturn  1\n\n\nend[0m")]


def test_line_breaks_in_the_source_are_spaces_outside_pre() -> None:
    assert shape("<p>one\ntwo\r\n  three</p>") == [(P, "one two three")]


def test_line_breaks_split_lines_inside_a_paragraph() -> None:
    assert shape("<p>one<br>two<br/>three<BR />four</br>five</p>") == [
        (P, "one\ntwo\nthree\nfour\nfive")
    ]


def test_quotes_are_marked() -> None:
    assert shape("<blockquote><p>Quoted words</p></blockquote><p>after</p>") == [
        (Q, "Quoted words"),
        (P, "after"),
    ]


def test_scripts_styles_and_comments_are_dropped() -> None:
    html = (
        "<p>a</p><script>alert('<p>x</p>')</script><style>p { color: red }</style>"
        "<!-- a comment <p>hidden</p> --><noscript>no</noscript><p>b</p>"
        "<SCRIPT type='text/javascript'>var x = '</scr' + 'ipt>';</SCRIPT><p>c</p>"
    )
    assert [text for _, text in shape(html)] == ["a", "b", "c"]
    assert "alert" not in html_to_line(html)
    assert "color" not in html_to_line(html)


def test_a_script_that_is_never_closed_hides_the_rest() -> None:
    assert shape("<p>shown</p><script>document.write('x')") == [(P, "shown")]


def test_entities_are_decoded_once() -> None:
    assert shape("<p>Fish &amp; chips &lt;b&gt; &amp;lt; &#8364; &euro; &nbsp;end</p>") == [
        (P, "Fish & chips <b> &lt; € € end")
    ]


def test_control_characters_that_appear_after_decoding_are_removed() -> None:
    html = "<p>&#27;[31mred&#x1b;[0m &#155;2J &#x9d;0;t&#7;</p><pre>&#27;[1m\tx</pre>"
    assert shape(html) == [(P, "[31mred[0m ›2J 0;t"), (PRE, "[1m\tx")]
    # As in browsers, a reference to NUL is the replacement character.
    assert shape("<p>a&#0;b</p>") == [(P, "a\ufffdb")]


def test_bidi_and_zero_width_characters_are_removed() -> None:
    assert html_to_line("<b>pay&#x200B;pal</b> &#x202E;txet") == "paypal txet"


def test_cdata_is_text() -> None:
    assert shape("<p><![CDATA[a <b>literal</b> & more]]></p>") == [(P, "a <b>literal</b> & more")]


def test_angle_brackets_that_are_not_tags_stay_text() -> None:
    assert shape("<p>1 < 2 and 3 > 2, a <- b</p>") == [(P, "1 < 2 and 3 > 2, a <- b")]
    assert shape("price < 5") == [(P, "price < 5")]
    assert shape("unfinished <!doctype") == [(P, "unfinished <!doctype")]


def test_quoted_attributes_may_hold_angle_brackets() -> None:
    html = '<p><img alt="cat<br />dog" src="x.jpg">after <a title=\'a>b\' href=x>link</a></p>'
    assert shape(html) == [(P, "[image: cat<br />dog] after link")]


def test_tag_names_are_case_insensitive_and_namespaces_ignored() -> None:
    html = "<H1>Title</H1><html:p>para</html:p><DIV>div</DIV>"
    assert shape(html) == [(H, "Title"), (P, "para"), (P, "div")]


def test_an_open_head_ends_where_the_body_starts() -> None:
    assert shape("<html><head><title>t</title><body><p>visible</p>") == [(P, "visible")]


def test_unclosed_and_stray_tags_do_not_lose_text() -> None:
    assert shape("<p>one<p>two</li></h2><li>three") == [(P, "one"), (P, "two"), (L, "three")]


def test_blocks_are_capped() -> None:
    blocks = html_to_blocks("<p>x</p>" * (MAX_BLOCKS + 100))
    assert len(blocks) == MAX_BLOCKS


def test_html_to_line_is_always_one_line() -> None:
    line = html_to_line("<h1>Big</h1><p>one<br>two</p><pre>a\nb</pre><ul><li>x</li></ul>")
    assert line == "Big one two a b x"


def test_plain_text_becomes_paragraphs_at_blank_lines() -> None:
    blocks = text_to_blocks("one\ntwo\n\n\n\nthree <b>not markup</b>\x1b[31m")
    assert [(block.kind, block.text) for block in blocks] == [
        (P, "one\ntwo"),
        (P, "three <b>not markup</b>[31m"),
    ]


@pytest.mark.parametrize("tag", ["div", "blockquote", "li", "b", "pre"])
def test_html_nested_a_hundred_thousand_levels_deep(tag: str) -> None:
    depth = 100_000
    html = f"<{tag}>" * depth + "deep text" + f"</{tag}>" * depth + "<p>after</p>"
    texts = [block.text for block in html_to_blocks(html)]
    assert texts == ["deep text", "after"]


def test_unclosed_nesting_a_hundred_thousand_deep() -> None:
    html = "<div><blockquote><ul><li><h2><pre>" * 20_000 + "deep"
    blocks = html_to_blocks(html)
    assert [(block.kind, block.text) for block in blocks] == [(PRE, "deep")]


# Inputs that take the standard library's HTMLParser (Python 3.11) quadratic time or make
# it raise. All are read in one child process; it must finish (the timeout is only a hang
# guard: at this size a quadratic reader needs many minutes) with the expected text.
# Markup that never ends is kept as text; an unclosed comment or quoted value swallows
# the rest, as in browsers.
PATHOLOGICAL = {
    "<a": "<a<a<a<a<a<a<a<a<a<a",
    "</": "</</</</</</</</</</",
    "<![": "<![<![<![<![<![<![<!",
    "<?": "<?<?<?<?<?<?<?<?<?<?",
    "<!x": "<!x<!x<!x<!x<!x<!x<!",
    "<a b='": "<a b='<a b='<a b='<a",
    "<!--": "",
    "<a b='x>'": "",
    "<a '>'": "'" * 20,
    "&#": "&#&#&#&#&#&#&#&#&#&#",
    "&amp": "&&&&&&&&&&&&&&&&&&&&",
    "< ": "< < < < < < < < < < ",
}


def test_pathological_markup_is_read_in_one_pass() -> None:
    code = f"""
import json
from newsreader.text.htmltext import html_to_line
patterns = {list(PATHOLOGICAL)!r}
print(json.dumps({{p: html_to_line(p * 200_000)[:20] for p in patterns}}))
"""
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    assert json.loads(done.stdout) == PATHOLOGICAL
