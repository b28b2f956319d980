"""A reader looks up the keys, closes the reference again, and quits."""

from __future__ import annotations

from pilot_helpers import SIZE, pane_text, settle

from newsreader.ui.app import NewsreaderApp
from newsreader.ui.screens.help import HelpScreen
from newsreader.ui.screens.main import MainScreen
from newsreader.ui.screens.search import SearchScreen


async def test_question_mark_shows_the_keys_and_escape_closes_them(app: NewsreaderApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        keys = pane_text(app, "#help-dialog")
        assert "/ Search" in keys
        # Keys past the first screen are a page down away.
        await pilot.press("pagedown")
        await settle(pilot)
        keys += " " + pane_text(app, "#help-dialog")
        assert "q Quit" in keys
        assert "⌫ / alt+← Back" in keys
        assert "alt+→ Forward" in keys
        assert "tab Next pane" in keys
        assert "esc Close search" in keys
        assert "r Refresh" in keys
        assert "m Read/unread" in keys
        assert "s Star" in keys
        assert "o Open link" in keys  # listed even while no article with a link is open
        assert "⏎ Show articles" in keys

        await pilot.press("escape")
        assert isinstance(app.screen, MainScreen)

        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("question_mark")
        assert isinstance(app.screen, MainScreen)


async def test_the_help_shows_a_remapped_key_as_remapped(app: NewsreaderApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.set_keymap({"search": "ctrl+f"})
        await pilot.press("question_mark")
        keys = pane_text(app, "#help-body")
        assert "^f Search" in keys
        assert "/ Search" not in keys

        await pilot.press("escape", "ctrl+f")
        assert isinstance(app.screen, SearchScreen)


async def test_q_quits(app: NewsreaderApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.is_running
        await pilot.press("q")
        await pilot.pause()
        assert not app.is_running
    assert app.return_code == 0
    assert app.return_value is None
