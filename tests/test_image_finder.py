"""Finding an article's pictures in feed HTML and pages: addresses, alt text, captions."""

from __future__ import annotations

from newsreader.models import ImageRef
from newsreader.text.images import (
    MAX_IMAGES,
    find_images,
    image_host,
    image_url,
    lead_image,
    og_image,
    with_lead,
)
from newsreader.text.sanitize import contains_control

BASE = "https://news.example/2024/story.html"


def test_a_figure_gives_its_image_with_the_caption_and_sits_after_the_text_before_it() -> None:
    html = (
        "<p>First paragraph.</p><p>Second paragraph.</p>"
        '<figure><img src="/img/harbour.jpg" alt="The harbour at dawn">'
        "<figcaption>Boats leave the <b>harbour</b> &amp; the town.</figcaption></figure>"
        "<p>Third paragraph.</p>"
    )
    [ref] = find_images(html, BASE)
    assert ref == ImageRef(
        url="https://news.example/img/harbour.jpg",
        alt="The harbour at dawn",
        caption="Boats leave the harbour & the town.",
        position=2,
    )


def test_plain_images_keep_their_alt_text_order_and_each_address_once() -> None:
    html = (
        "<p>Intro</p><img src='a.png' alt='A'><p>Middle</p>"
        '<IMG SRC="https://cdn.example/b.webp" ALT="B" title="Bee"><img src="a.png" alt="again">'
    )
    refs = find_images(html, BASE)
    # Counted as the stored body counts its blocks, where an image alone between
    # paragraphs is a block of its own ("[image: A]"): each picture goes before its marker.
    assert [(r.url, r.alt, r.title, r.position) for r in refs] == [
        ("https://news.example/2024/a.png", "A", "", 1),
        ("https://cdn.example/b.webp", "B", "Bee", 3),
    ]


def test_tracking_pixels_and_spacers_are_not_even_listed() -> None:
    html = (
        '<img src="https://t.example/p.gif" width="1" height="1">'
        '<img src="https://t.example/line.png" width="600" height="2px">'
        '<img src="https://news.example/real.jpg" width="640" height="360">'
    )
    assert [ref.url for ref in find_images(html, BASE)] == ["https://news.example/real.jpg"]


def test_addresses_that_are_not_http_are_refused() -> None:
    html = "".join(
        f'<img src="{src}">'
        for src in (
            "data:image/png;base64,iVBORw0KGgo=",
            "javascript:alert(1)",
            "java\tscript:alert(1)",
            "file:///etc/passwd",
            "https://user:pw@bank.example/x.png",
            "ftp://files.example/x.png",
        )
    )
    assert find_images(html, BASE) == ()
    assert image_url("file:///etc/passwd", BASE) is None
    assert image_url("//cdn.example/x.png", BASE) == "https://cdn.example/x.png"


def test_escape_sequences_in_alt_text_and_captions_never_survive() -> None:
    html = (
        '<figure><img src="x.png" alt="bad&#27;]52;c;ZWNobyBwd24=&#7;alt\x1b[2J">'
        "<figcaption>cap\x1b]8;;https://evil.example\x1b\\tion\u202e</figcaption></figure>"
    )
    [ref] = find_images(html, BASE)
    for text in (ref.alt, ref.caption):
        assert not contains_control(text)
        assert "\x1b" not in text and "\x07" not in text and "\u202e" not in text
    assert ref.alt.startswith("bad") and ref.alt.endswith("alt[2J")


def test_a_page_of_endless_images_is_cut_and_unclosed_tags_cost_linear_time() -> None:
    html = "".join(f'<img src="/i{n}.png" alt="{n}">' for n in range(500))
    assert len(find_images(html, BASE)) == MAX_IMAGES
    assert len(find_images("<img src='x.png'" + "<figure>" * 50_000, BASE)) == 1
    assert find_images("<img src='x.png' " + "<img" * 50_000 + "<figure" * 50_000, BASE) == ()


def test_the_lead_image_comes_from_a_thumbnail_or_an_image_enclosure() -> None:
    assert (
        lead_image(
            [
                ("https://news.example/a.mp3", "audio/mpeg"),
                ("javascript:alert(1)", "image/png"),
                ("/thumb.jpg", "image"),
            ],
            BASE,
        )
        == "https://news.example/thumb.jpg"
    )
    assert lead_image([("https://news.example/clip.mp4", "video")]) is None


def test_a_page_names_its_picture_with_og_image() -> None:
    page = (
        "<html><head><meta name='twitter:image' content='https://x.example/tw.png'>"
        '<meta property="og:image" content="/og/cover.jpg"></head><body></body></html>'
    )
    assert og_image(page, BASE) == "https://news.example/og/cover.jpg"
    assert og_image("<meta property='og:image' content='javascript:x'>", BASE) is None


def test_the_lead_image_goes_first_unless_the_body_shows_it() -> None:
    body = find_images('<p>x</p><img src="https://news.example/b.png" alt="b">', BASE)
    led = with_lead(body, "https://news.example/lead.jpg", alt="Lead\x1b[31m")
    assert [(r.url, r.position, r.lead) for r in led] == [
        ("https://news.example/lead.jpg", 0, True),
        ("https://news.example/b.png", 1, False),
    ]
    assert led[0].alt == "Lead[31m"
    assert with_lead(body, "https://news.example/b.png") == body


def test_the_host_is_shown_clean() -> None:
    assert image_host("https://cdn.example:8443/x.png") == "cdn.example"
    assert image_host("not a url") == ""
