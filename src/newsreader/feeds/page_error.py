"""The one error a web page gives when it yields no article; light, so anyone may catch it."""

from __future__ import annotations

from newsreader.text.sanitize import clean_line


class PageError(Exception):
    """A page that gave no article. The message is one sanitised line for the user:
    "HTTP 404 Not Found", "not an HTML page", "nothing article-like found on the page"."""

    def __init__(self, message: str) -> None:
        super().__init__(clean_line(message, limit=300))

    @property
    def message(self) -> str:
        return str(self.args[0])
