"""Every filter against both kinds of hit: the article, and a related item it lists.

The bundled story (27.03.2019, NDR Niedersachsen) mentions Diess, and so does its related
item "VW: Schlagabtausch zwischen Osterloh und Diess" (20.03.2019). A filter that can
apply to an item (dates, feed:, title:, exclusions) holds for the item by its own day,
feed and words; one that cannot (is:, tag:, author:) leaves items out, negated or not.
"""

from __future__ import annotations

import pytest

from newsreader.store.database import Store
from newsreader.store.query import SortOrder

ITEM_TITLE = "VW: Schlagabtausch zwischen Osterloh und Diess"

CASES = [
    # query, the article is a hit, the item is a hit
    ("Diess", True, True),
    ("since:2019-03-25 before:2019-03-28 Diess", True, False),
    ("since:2019-03-19 before:2019-03-21 Diess", False, True),
    ("since:2019-03-21 Diess", True, False),
    ("before:2019-03-21 Diess", False, True),
    ("-since:2019-03-21 Diess", False, True),
    ("since:1y Diess", False, False),
    ("feed:ndr Diess", True, True),
    ('feed:"NDR Niedersachsen" Diess', True, True),
    ("feed:sport Diess", False, False),
    ("-feed:ndr Diess", False, False),
    ("-feed:sport Diess", True, True),
    ("title:Diess", False, True),
    ("title:Cloud Diess", True, False),
    ("Diess -Osterloh", True, False),
    ("Diess -Schlagabtausch", True, False),
    ("Diess -Kleinwagen", True, True),
    ("is:unread Diess", True, False),
    ("-is:read Diess", True, False),
    ("is:read Diess", False, False),
    ("is:starred Diess", False, False),
    ("-is:starred Diess", True, False),
    ("tag:wirtschaft Diess", False, False),
    ("-tag:sport Diess", True, False),
    ("author:meyer Diess", False, False),
    ("-author:meyer Diess", True, False),
]


@pytest.mark.parametrize("sort", [SortOrder.RELEVANCE, SortOrder.DATE])
@pytest.mark.parametrize(("query", "article", "item"), CASES)
def test_each_filter_holds_for_article_hits_and_item_hits(
    seeded_store: Store, sort: SortOrder, query: str, article: bool, item: bool
) -> None:
    hits = seeded_store.search(query, sort=sort)
    article_hits = [hit for hit in hits if hit.related_position is None]
    item_hits = [hit.title for hit in hits if hit.related_position is not None]
    assert bool(article_hits) is article, hits
    assert (ITEM_TITLE in item_hits) is item, hits
    assert set(item_hits) <= {ITEM_TITLE}, hits
