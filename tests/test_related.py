"""Related articles computed from the store: the right stories, in the right order.

The corpus is small and built by hand, so the right answer is known: a story about a new
battery cell factory in Salzgitter, its follow-ups near in time and long ago, copies of it
in other feeds, stories that share only everyday words, and a few dozen other articles in
German and English that make everyday words common.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from newsreader.models import Article, Block, BlockKind, Feed, RelatedItem
from newsreader.store import related
from newsreader.store.database import Store

DAY0 = datetime(2024, 3, 14, 9, 0, tzinfo=UTC)

# Everyday words: in most German articles of the corpus, so they tell no story apart.
EVERYDAY = (
    "Die Stadt hat am Montag mitgeteilt, dass das Land in diesem Jahr mehr Geld für den "
    "Bau und auf dem Land gibt. Nach Angaben der Sprecherin von der Stadt sind die "
    "Menschen in der Region mit dem Plan zufrieden, der bis zum Sommer fertig sein soll."
)
# Words of business news: each in a fair share of the corpus, but far from all of it.
BUSINESS = [
    "Landesregierung",
    "Millionen",
    "Investition",
    "Förderung",
    "Arbeitsplätze",
    "Wirtschaftsminister",
    "Standort",
    "Unternehmen",
    "Belegschaft",
    "Betriebsrat",
    "Gewerkschaft",
    "Ausbau",
    "Wettbewerb",
    "Zulieferer",
]
TOPICS_DE = [
    "Hafen",
    "Schule",
    "Krankenhaus",
    "Theater",
    "Feuerwehr",
    "Radweg",
    "Bibliothek",
    "Schwimmbad",
    "Flughafen",
    "Museum",
    "Tierheim",
    "Marktplatz",
]
TOPICS_EN = ["harbour", "school", "hospital", "theatre", "library", "bridge", "museum", "park"]


def text_article(
    guid: str,
    title: str,
    paragraphs: list[str],
    *,
    teaser: str = "",
    days: float = 0,
    url: str | None = None,
    language: str = "de",
) -> Article:
    return Article(
        guid=guid,
        title=title,
        teaser=teaser,
        blocks=tuple(Block(BlockKind.PARAGRAPH, text) for text in paragraphs),
        url=url or f"https://example.org/{guid}",
        language=language,
        published=DAY0 + timedelta(days=days),
    )


def background() -> list[Article]:
    """Everyday German and English news: 48 German and 24 English articles."""
    made = []
    for number in range(48):
        topic = TOPICS_DE[number % len(TOPICS_DE)]
        business = [BUSINESS[(number + k) % len(BUSINESS)] for k in range(3)]
        made.append(
            text_article(
                f"de-{number}",
                f"{topic}: Neues aus der Stadt ({number})",
                [EVERYDAY, f"Beim Thema {topic} geht es um {', '.join(business)}.", EVERYDAY],
                days=-(number * 7 % 90),
            )
        )
    for number in range(24):
        topic = TOPICS_EN[number % len(TOPICS_EN)]
        made.append(
            text_article(
                f"en-{number}",
                f"The {topic} reopens ({number})",
                [
                    "The council said on Monday that the city will spend more this year. "
                    f"People in the region welcomed the plans for the {topic}."
                ],
                days=-(number * 5 % 60),
                language="en",
            )
        )
    return made


# The story the reader opens.
SOURCE = text_article(
    "source",
    "Zellfertigung in Salzgitter startet",
    [
        EVERYDAY,
        "In Salzgitter beginnt die Zellfertigung. Die Batteriezellen sollen in Elektroautos "
        "eingebaut werden; die Kathoden kommen zunächst aus Asien.",
        "Die Landesregierung spricht von Millionen für Förderung und Investition, die "
        "Landesregierung hofft auf Arbeitsplätze, der Wirtschaftsminister auf den Standort. "
        "Millionen flossen schon in den Ausbau, die Förderung der Zulieferer, die Belegschaft "
        "und den Betriebsrat; Gewerkschaft, Unternehmen und Wettbewerb blicken auf den "
        "Standort, die Investition und die Arbeitsplätze.",
    ],
    teaser="Salzgitter: Zellfertigung für Elektroautos beginnt.",
    url="https://ndr.example/salzgitter-zellfertigung.html",
)
CELLS = (
    "Die Zellfertigung in Salzgitter liefert Batteriezellen für Elektroautos. "
    "Für die Zellfertigung in Salzgitter werden Fachkräfte gesucht."
)


def corpus() -> dict[str, Article]:
    """The articles by name, besides the background; each feed is named by its key's prefix."""
    return {
        # The same story again: in another feed by link, in a third by title and text, and
        # in the source's own feed under a second entry.
        "dpa:copy": text_article(
            "copy",
            "Salzgitter: Zellfertigung startet",
            list(SOURCE.body.split("\n\n")),
            url="https://www.ndr.example/salzgitter-zellfertigung.html?utm_source=feed",
        ),
        "blog:copy": text_article(
            "blog-copy",
            "Zellfertigung in Salzgitter startet!",
            [SOURCE.body.split("\n\n")[1]],
            teaser=SOURCE.teaser,
            url="https://blog.example/zellen",
            days=0.2,
        ),
        "ndr:again": text_article(
            "source-again", SOURCE.title, list(SOURCE.body.split("\n\n")), url=SOURCE.url
        ),
        "ndr:retitled": text_article(
            "source-retitled",
            "Batteriewerk nimmt Betrieb auf",
            list(SOURCE.body.split("\n\n")),
            url=SOURCE.url,
            days=0.1,
        ),
        # Follow-ups: one from yesterday, one a little closer in words but from last year.
        "dpa:yesterday": text_article(
            "yesterday",
            "Fachkräfte für Salzgitter gesucht",
            [EVERYDAY, CELLS],
            days=-1,
        ),
        "blog:last-year": text_article(
            "last-year",
            "Fachkräfte für Salzgitter gesucht",
            [EVERYDAY, CELLS + " Salzgitter hofft auf die Aufträge."],
            days=-250,
        ),
        # The plan, long ago, all about it; and today a football story that names the town.
        "ndr:plan": text_article(
            "plan",
            "Salzgitter plant Zellfertigung für Batteriezellen",
            [
                CELLS,
                "Die Zellfertigung soll Batteriezellen und Kathoden für Elektroautos liefern. "
                "Salzgitter rechnet mit der Zellfertigung ab 2024.",
            ],
            teaser="Batteriezellen aus Salzgitter für Elektroautos.",
            days=-420,
        ),
        "dpa:football": text_article(
            "football",
            "Pokalspiel am Abend",
            [
                EVERYDAY,
                "Der Verein aus Salzgitter gewinnt das Pokalspiel mit drei zu eins; auf den "
                "Trikots wirbt ein Händler für Elektroautos.",
            ],
        ),
        # Business news of the same day, made of the source's business words.
        "dpa:business": text_article(
            "business",
            "Landesregierung verteilt Millionen",
            [
                EVERYDAY,
                "Die Landesregierung gibt Millionen für Förderung und Investition, für "
                "Arbeitsplätze und den Standort. Der Wirtschaftsminister lobt Ausbau, "
                "Zulieferer, Belegschaft, Betriebsrat, Gewerkschaft, Unternehmen und "
                "Wettbewerb. Die Landesregierung plant weitere Millionen für den Standort.",
            ],
        ),
        # A story the source's own related items already name.
        "blog:named": text_article(
            "named",
            "Wer liefert die Kathoden?",
            [EVERYDAY, "Die Kathoden für die Zellfertigung in Salzgitter kommen aus Asien."],
            days=-3,
        ),
    }


def build(store: Store) -> dict[str, int]:
    """Store the corpus; returns the stored id of each named article, and of "source"."""
    feeds: dict[str, int] = {}
    for name in ("ndr", "dpa", "blog", "background"):
        feed = store.add_feed(Feed(source=f"local:{name}", title=name.upper()))
        assert feed.id is not None
        feeds[name] = feed.id
    store.save_articles(feeds["background"], background())
    named = corpus()
    # The sidebar already lists this story, linked by its title.
    source = replace(SOURCE, related=(RelatedItem("Wer liefert die Kathoden?"),))
    store.save_articles(feeds["ndr"], [source])
    for key, article in named.items():
        store.save_articles(feeds[key.split(":")[0]], [article])
    rows = store.connection().execute("SELECT guid, id FROM articles").fetchall()
    by_guid = {row["guid"]: row["id"] for row in rows}
    ids = {key: by_guid[article.guid] for key, article in named.items()}
    ids["source"] = by_guid["source"]
    return ids


@pytest.fixture
def corpus_ids(store: Store) -> dict[str, int]:
    return build(store)


def names(items: list[RelatedItem], ids: dict[str, int]) -> list[str]:
    by_id = {article_id: key for key, article_id in ids.items()}
    return [by_id.get(item.article_id or 0, f"other {item.title}") for item in items]


def test_the_story_finds_its_follow_ups_first_and_never_itself_or_its_copies(
    store: Store, corpus_ids: dict[str, int]
) -> None:
    related = names(store.similar_articles(corpus_ids["source"]), corpus_ids)
    assert set(related[:3]) == {"ndr:plan", "dpa:yesterday", "blog:last-year"}
    for copy in ("source", "dpa:copy", "blog:copy", "ndr:again", "ndr:retitled"):
        assert copy not in related


def test_recent_follow_ups_come_before_slightly_closer_old_ones(
    store: Store, corpus_ids: dict[str, int]
) -> None:
    related = names(store.similar_articles(corpus_ids["source"]), corpus_ids)
    assert related.index("dpa:yesterday") < related.index("blog:last-year")


def test_a_strong_old_match_beats_a_weak_match_of_the_same_day(
    store: Store, corpus_ids: dict[str, int]
) -> None:
    related = names(store.similar_articles(corpus_ids["source"], limit=20), corpus_ids)
    assert related.index("ndr:plan") < related.index("dpa:football")
    assert "dpa:business" not in related or (
        related.index("ndr:plan") < related.index("dpa:business")
    )


def test_a_single_word_in_common_is_not_enough(store: Store) -> None:
    # A small store: a German story and an English one share "will" (a German verb, an
    # English auxiliary) and nothing else; two harbour stories share two words.
    feed = store.add_feed(Feed(source="local:mixed", title="Mixed"))
    assert feed.id is not None
    store.save_articles(
        feed.id,
        [
            text_article("vw", "VW will in die Cloud", ["Der Konzern will Daten bündeln."]),
            text_article(
                "lighthouse",
                "Lighthouse keeper retires",
                ["The keeper will hand the lamp over after forty winters at the harbour."],
                language="en",
            ),
            text_article(
                "ferry",
                "Ferry timetable for the summer",
                ["The ferry leaves the harbour at noon; the keeper of the lamp waves."],
                language="en",
            ),
        ],
    )
    ids = {summary.title.split()[0]: summary.id for summary in store.articles(feed.id)}
    assert store.similar_articles(ids["VW"]) == []
    assert [item.title for item in store.similar_articles(ids["Lighthouse"])] == [
        "Ferry timetable for the summer"
    ]


def test_distinctive_words_outweigh_everyday_business_words(
    store: Store, corpus_ids: dict[str, int]
) -> None:
    related = names(store.similar_articles(corpus_ids["source"], limit=20), corpus_ids)
    on_topic = ("ndr:plan", "dpa:yesterday", "blog:last-year")
    assert "dpa:business" not in related or all(
        related.index(key) < related.index("dpa:business") for key in on_topic
    )


def test_stories_the_source_already_names_are_not_repeated(
    store: Store, corpus_ids: dict[str, int]
) -> None:
    related = names(store.similar_articles(corpus_ids["source"], limit=20), corpus_ids)
    assert "blog:named" not in related
    # Opened from elsewhere it is a fine match.
    from_plan = names(store.similar_articles(corpus_ids["ndr:plan"], limit=20), corpus_ids)
    assert "blog:named" in from_plan


def test_a_story_in_several_feeds_is_suggested_once_as_its_first_copy(
    store: Store, corpus_ids: dict[str, int]
) -> None:
    items = store.similar_articles(corpus_ids["ndr:plan"], limit=20)
    related = names(items, corpus_ids)
    assert related.count("source") == 1
    assert not {"dpa:copy", "blog:copy"} & set(related)
    suggested = items[related.index("source")]
    assert (suggested.feed_title, suggested.computed) == ("NDR", True)
    assert suggested.date == date(2024, 3, 14)
    assert suggested.title == SOURCE.title and suggested.url == SOURCE.url


def test_related_items_say_where_they_come_from_and_how_many(
    store: Store, corpus_ids: dict[str, int]
) -> None:
    items = store.similar_articles(corpus_ids["source"])
    assert 3 <= len(items) <= 8
    assert all(item.computed and item.feed_title for item in items)
    assert len(store.similar_articles(corpus_ids["source"], limit=2)) == 2
    assert store.similar_articles(corpus_ids["source"], limit=0) == []
    assert store.similar_articles(10_000) == []


def test_an_english_story_finds_the_english_follow_up(
    store: Store, corpus_ids: dict[str, int]
) -> None:
    feed = store.add_feed(Feed(source="local:wire", title="Wire"))
    assert feed.id is not None
    store.save_articles(
        feed.id,
        [
            text_article(
                "launch",
                "Ariane rocket lifts off from Kourou",
                ["The Ariane rocket carried two weather satellites into orbit from Kourou."],
                language="en",
            ),
            text_article(
                "orbit",
                "Satellites reach their orbit",
                ["Both weather satellites from the Ariane launch at Kourou are in orbit."],
                days=-2,
                language="en",
            ),
        ],
    )
    launch = next(s.id for s in store.articles(feed.id) if s.title.startswith("Ariane"))
    (first, *_) = store.similar_articles(launch)
    assert first.title == "Satellites reach their orbit"


def test_german_words_with_umlauts_and_sharp_s_are_matched(store: Store) -> None:
    feed = store.add_feed(Feed(source="local:local", title="Lokal"))
    assert feed.id is not None
    # Everyday news of the last days, nearer in time than the story that matters.
    filler = [text_article(f"f{n}", f"Meldung {n}", [EVERYDAY], days=-n / 2) for n in range(30)]
    flood = "Überschwemmung: die Fußgängerbrücke und die Straßenüberführung sind gesperrt."
    bridge = "Die Fußgängerbrücke und die Straßenüberführung bleiben nach dem Hochwasser zu."
    store.save_articles(
        feed.id,
        [
            *filler,
            text_article("flood", "Hochwasser", [EVERYDAY, flood]),
            text_article("bridge", "Gesperrt", [EVERYDAY, bridge], days=-20),
        ],
    )
    by_title = {s.title: s.id for s in store.articles(feed.id, limit=100)}
    (first, *_) = store.similar_articles(by_title["Hochwasser"])
    assert first.article_id == by_title["Gesperrt"]


def test_an_article_of_everyday_words_gets_recent_articles_that_share_them(
    store: Store, corpus_ids: dict[str, int]
) -> None:
    everyday = store.articles(limit=200)[-1]
    items = store.similar_articles(everyday.id)
    assert items and everyday.id not in [item.article_id for item in items]


def test_ties_are_ordered_the_same_way_every_time(tmp_path: Path) -> None:
    def fill(store: Store) -> list[int]:
        feeds = []
        for name in ("one", "two"):
            feed = store.add_feed(Feed(source=f"local:{name}", title=name))
            assert feed.id is not None
            feeds.append(feed.id)
        store.save_articles(feeds[0], background())
        text = ["Der Deich bei Cuxhaven wird nach der Sturmflut erhöht."]
        store.save_articles(feeds[0], [text_article("dike", "Deich", text)])
        twins = [
            text_article(f"twin-{n}", f"Meldung {name}", text, days=-1)
            for n, name in enumerate(("Nord", "Süd", "Ost"))
        ]
        store.save_articles(feeds[1], twins)
        rows = store.connection().execute("SELECT id FROM articles WHERE guid LIKE 'twin-%'")
        return sorted(row[0] for row in rows)

    first_store = Store(tmp_path / "one.sqlite3")
    twins = fill(first_store)
    row = first_store.connection().execute("SELECT id FROM articles WHERE guid = 'dike'")
    dike = row.fetchone()[0]
    ranked = [item.article_id for item in first_store.similar_articles(dike)]
    assert ranked[:3] == twins
    assert [item.article_id for item in first_store.similar_articles(dike)] == ranked
    first_store.close()


def test_the_bundled_story_alone_has_nothing_related_to_compute(seeded_store: Store) -> None:
    (story,) = seeded_store.articles()
    assert seeded_store.similar_articles(story.id) == []


def test_counting_words_only_as_far_as_needed_changes_nothing(
    store: Store, corpus_ids: dict[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    counted_in_full = store.similar_articles(corpus_ids["source"], limit=20)
    monkeypatch.setattr(related, "QUICK_COUNT", 3)
    fresh = Store(store.path)  # nothing remembered yet
    try:
        assert fresh.similar_articles(corpus_ids["source"], limit=20) == counted_in_full
    finally:
        fresh.close()
