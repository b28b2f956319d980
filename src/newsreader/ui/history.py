"""Where the reader has been: the back and forward stacks of opened things."""

from __future__ import annotations

from dataclasses import dataclass

MAX_ENTRIES = 200


@dataclass(frozen=True, slots=True)
class ArticleLocation:
    """A stored article, by id."""

    article_id: int


@dataclass(frozen=True, slots=True)
class RelatedLocation:
    """The related item at ``position`` of the article ``article_id``."""

    article_id: int
    position: int


Location = ArticleLocation | RelatedLocation


class History:
    """A browser-style history: visiting pushes onto back and clears forward."""

    def __init__(self) -> None:
        self.current: Location | None = None
        self._back: list[Location] = []
        self._forward: list[Location] = []

    @property
    def can_go_back(self) -> bool:
        return bool(self._back)

    @property
    def can_go_forward(self) -> bool:
        return bool(self._forward)

    def visit(self, location: Location) -> None:
        if location == self.current:
            return
        if self.current is not None:
            self._back.append(self.current)
            del self._back[:-MAX_ENTRIES]
        self._forward.clear()
        self.current = location

    def back(self) -> Location | None:
        if not self._back or self.current is None:
            return None
        self._forward.append(self.current)
        self.current = self._back.pop()
        return self.current

    def forward(self) -> Location | None:
        if not self._forward or self.current is None:
            return None
        self._back.append(self.current)
        self.current = self._forward.pop()
        return self.current
