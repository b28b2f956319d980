"""What a sync's convert worker process runs: server items to prepared, stored-ready rows.

Like a refresh's parse worker, it imports only the converting and the preparing, never
the store's database, and sends the articles back without their blocks: the prepared
form (body text and layout) carries what the store keeps, once.
"""

from __future__ import annotations

from dataclasses import replace

from newsreader.store.prepare import PreparedArticle, prepare_article
from newsreader.store.sync_queue import PulledItem
from newsreader.sync.convert import pulled
from newsreader.sync.remote import RemoteItem

Converted = list[tuple[PulledItem, PreparedArticle]]


def convert_page(items: list[RemoteItem]) -> Converted:
    converted: Converted = []
    for item in items:
        ready = pulled(item)
        prepared = prepare_article(ready.article)
        light = replace(ready, article=replace(ready.article, blocks=()))
        converted.append((light, prepared))
    return converted
