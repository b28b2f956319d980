"""The HTTP side shared by the clients: one connection pool, errors told in one line.

A reason names the host and what went wrong, never a password, an api key or a body.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from newsreader.sync.errors import SyncError
from newsreader.text.sanitize import clean_line

if TYPE_CHECKING:
    import httpx

TIMEOUT_SECONDS = 60.0
CONNECT_TIMEOUT_SECONDS = 10.0


def host_of(url: str) -> str:
    """The host and port of an address, without any user name or password in it."""
    parts = urlsplit(url)
    return clean_line(parts.netloc.rpartition("@")[2], limit=200) or "the server"


class Http:
    """POSTs to one server and hands back its parsed JSON."""

    def __init__(self, base_url: str) -> None:
        # httpx is imported where it is used, as in feeds/fetch.py: it brings much with it.
        import httpx

        self.base_url = base_url
        self.host = host_of(base_url)
        self.client: httpx.Client = httpx.Client(
            timeout=httpx.Timeout(TIMEOUT_SECONDS, connect=CONNECT_TIMEOUT_SECONDS),
            follow_redirects=True,
        )
        self.requests = 0  # how many went out: the tests and benchmarks count them

    def post(self, url: str, **kwargs: Any) -> Any:
        import httpx

        self.requests += 1
        try:
            reply = self.client.post(url, **kwargs)
        except httpx.TimeoutException:
            raise SyncError(f"{self.host} did not answer in time") from None
        except httpx.HTTPError as error:
            raise SyncError(f"cannot reach {self.host} ({type(error).__name__})") from None
        if reply.status_code in (401, 403):
            raise SyncError(f"{self.host} refused access (HTTP {reply.status_code})")
        if reply.status_code >= 400:
            raise SyncError(f"{self.host} answered with an error (HTTP {reply.status_code})")
        try:
            return reply.json()
        except ValueError:
            raise SyncError(f"{self.host} gave an answer that is not JSON") from None

    def close(self) -> None:
        self.client.close()


def malformed(host: str, what: str) -> SyncError:
    return SyncError(f"{host} gave a malformed answer ({what})")
