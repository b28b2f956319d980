"""What the reading screen hands to programs outside newsreader: the browser opens links,
the media player plays videos and audio, the image viewer shows pictures, and broadcasts
go into calendar files.

A base of ``MainScreen`` holding these keys' actions and the sidebar's choices that lead
outside; the work itself (off the UI thread) is the launcher's. The keys are bound in
``MainScreen.BINDINGS``, so they keep their place in the footer.
"""

from __future__ import annotations

from textual import on
from textual.screen import Screen

from newsreader.models import Article, Link, MediaItem
from newsreader.text.sanitize import openable_url
from newsreader.ui.widgets.article_list import ArticleList
from newsreader.ui.widgets.article_view import ArticleView
from newsreader.ui.widgets.launcher import Launcher
from newsreader.ui.widgets.sidebar import Sidebar


class OutsideActions(Screen[None]):
    """Acts on the open article (or the one highlighted in the list, for its link)."""

    def __init__(self) -> None:
        super().__init__()
        self._open_article: Article | None = None
        self._open_url: str | None = None  # the open article's, or the teaser's, web link

    def _listed_target(self) -> int | None:
        """The article highlighted in the list, when the list has focus and it is not open."""
        article_list = self.query_one(ArticleList)
        article_id = article_list.highlighted_article_id
        if self.focused is not article_list or article_id is None:
            return None
        if self._open_article is not None and self._open_article.id == article_id:
            return None
        return article_id

    def _media_target(self) -> MediaItem | None:
        article = self._open_article
        return self.query_one(Sidebar).media_to_play(article) if article is not None else None

    @on(Sidebar.ProgrammeChosen)
    def _describe_programme(self, message: Sidebar.ProgrammeChosen) -> None:
        self.query_one(Launcher).describe_programme(message.slot, message.language)

    @on(Sidebar.MediaChosen)
    def _open_media(self, message: Sidebar.MediaChosen) -> None:
        self.query_one(Launcher).play_item(message.item)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """A link, links, media or broadcasts with a start time, or the key stays hidden."""
        article = self._open_article
        if action == "open_link":
            return self._listed_target() is not None or self._open_url is not None
        if action == "links":
            return article is not None and bool(article.links)
        if action == "play_media":
            return self._media_target() is not None
        if action == "export_programme":
            return article is not None and any(s.start is not None for s in article.programme)
        if action == "load_images":  # only where the pictures are placeholders
            shown = self.query_one(ArticleView).pictures_shown
            return article is not None and bool(article.images) and not shown
        if action == "view_image":
            return article is not None and bool(article.images)
        return True

    def action_open_link(self) -> None:
        listed, launcher = self._listed_target(), self.query_one(Launcher)
        if listed is not None:
            launcher.open_stored_link(listed)
        else:
            launcher.open_link_or_say_none(self._open_url)

    def action_links(self) -> None:
        """List the links of the article's text; the chosen one opens in the browser."""
        from newsreader.ui.screens.links import LinksScreen  # opened first here, not at start

        if self._open_article is not None and self._open_article.links:
            self.app.push_screen(LinksScreen(self._open_article.links), self._open_chosen_link)

    def _open_chosen_link(self, link: Link | None) -> None:
        if link is not None:
            self.query_one(Launcher).open_link_or_say_none(openable_url(link.url))

    def action_play_media(self) -> None:
        item = self._media_target()
        if item is not None:
            self.query_one(Launcher).play_item(item)

    def action_load_images(self) -> None:
        """Show and fetch the open article's pictures, even where they are off."""
        self.query_one(ArticleView).load_pictures()
        self.refresh_bindings()

    def action_view_image(self) -> None:
        """Open the picture in view in the image viewer, else the browser."""
        ref = self.query_one(ArticleView).highlighted_image()
        url = openable_url(ref.url) if ref is not None else None
        if url is not None:
            self.query_one(Launcher).view_image(url)

    def action_export_programme(self) -> None:
        article = self._open_article
        if article is not None and article.id is not None:
            self.query_one(Launcher).export_programme(article.id, article.title)
