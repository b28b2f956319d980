"""How feeds are fetched and parsed: the settings alone, apart from the fetcher.

The settings file is read on every start, and the fetcher's own imports (the HTTP and
mail header modules among them) are not needed until a refresh begins.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from newsreader import __version__

ParseMode = Literal["process", "thread"]

USER_AGENT = f"newsreader/{__version__} (terminal feed reader)"


@dataclass(frozen=True, slots=True)
class FetchSettings:
    """How feeds are fetched and parsed. A config file may override any of these."""

    connect_timeout: float = 10.0
    # The whole request: every redirect hop and the full body. Waiting for a free slot
    # (overall or per host) does not count.
    timeout: float = 30.0
    max_redirects: int = 10
    # The body after gzip/deflate decoding: a small compressed bomb cannot get past it.
    max_body_bytes: int = 16 * 1024 * 1024
    max_connections: int = 16
    max_per_host: int = 4
    user_agent: str = USER_AGENT
    # A server may ask us to come back later (429/503 Retry-After); never for longer than this.
    max_retry_after: float = 24 * 60 * 60
    # Where feeds are parsed, off the event loop: worker processes or a thread.
    parse_in: ParseMode = "process"
    parse_workers: int | None = None
    # Honour HTTP(S)_PROXY, NO_PROXY and SSL_CERT_FILE from the environment.
    trust_env: bool = True
