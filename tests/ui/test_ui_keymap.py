"""A keymap that takes a key away from another binding, or names no binding, is told at
start; the help screen names each binding's id, as the config asks the reader to look up."""

from __future__ import annotations

from pilot_helpers import SIZE, screen_text, settle

from newsreader.config import Config
from newsreader.store.database import Store
from newsreader.ui.app import NewsreaderApp
from newsreader.ui.keymap_check import keymap_clashes, keymap_problems
from newsreader.ui.labels import ENGLISH, GERMAN


def shown(app: NewsreaderApp) -> str:
    return " ".join(screen_text(app).split())


def test_a_key_given_to_a_second_binding_is_a_clash() -> None:
    assert keymap_clashes({"toggle-star": "m"}, NewsreaderApp.BINDINGS) == [
        ("m", ("toggle-read", "toggle-star"))
    ]
    # Moving a binding to a free key, or swapping two, clashes with nothing.
    assert keymap_clashes({"search": "ctrl+f"}, NewsreaderApp.BINDINGS) == []
    swapped = {"toggle-star": "m", "toggle-read": "s"}
    assert keymap_clashes(swapped, NewsreaderApp.BINDINGS) == []
    # The same key in panes never live together is no clash.
    assert keymap_clashes({"feeds-open": "enter"}, NewsreaderApp.BINDINGS) == []


def test_problems_are_told_in_the_readers_language() -> None:
    keymap = {"toggle-star": "m", "serach": "x"}
    assert keymap_problems(keymap, NewsreaderApp.BINDINGS, GERMAN) == [
        "keymap.serach: keine Taste hat diese Kennung (siehe Hilfe)",
        "keymap: m ist zugleich toggle-read, toggle-star zugeordnet; nur eine Belegung kann gelten",
    ]
    assert len(keymap_problems(keymap, NewsreaderApp.BINDINGS, ENGLISH)) == 2


async def test_a_clash_is_told_at_start(seeded_store: Store) -> None:
    app = NewsreaderApp(store=seeded_store, config=Config(keymap={"toggle-star": "m"}))
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        assert "Settings ignored" in shown(app)
        assert "keymap: m is bound to toggle-read, toggle-star at once" in shown(app)


async def test_the_help_screen_names_each_bindings_id(seeded_store: Store) -> None:
    app = NewsreaderApp(store=seeded_store, config=Config(keymap={"search": "ctrl+f"}))
    async with app.run_test(size=(140, 60)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await settle(pilot)
        text = shown(app)
        assert "ctrl+f Search search" in text.replace("^f", "ctrl+f")
        assert "toggle-read" in text and "mark-all-read" in text and "zoom" in text
