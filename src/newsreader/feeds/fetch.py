"""Fetching feeds over HTTP: polite, bounded and safe with hostile servers.

One ``Fetcher`` serves all the feeds of a refresh. It limits concurrency overall and per
host, follows at most a few redirects and only to http(s), sends the validators saved from
the last response (ETag, Last-Modified), stops reading a body once its decompressed size
passes the cap, and turns every failure into a ``FetchError`` whose message is one
sanitised line fit to show a user.
"""

from __future__ import annotations

import asyncio
import functools
import sys
import zlib
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from http import HTTPStatus
from types import TracebackType
from typing import TYPE_CHECKING, Self

# The settings live apart so that reading the settings file does not import the fetcher;
# FetchSettings is this module's as well.
from newsreader.feeds.fetch_settings import FetchSettings as FetchSettings
from newsreader.text.sanitize import clean_line

if TYPE_CHECKING:
    # httpx is imported where it is used: commands that never fetch do not pay for it,
    # and in a development install its optional command line pulls in rich.
    import httpx

    from newsreader.feeds.tls import CertificatesOnFirstUse

# httpx loads its own command line whenever click is installed (with pygments and
# rich.syntax: about 20 ms at every start); nothing here uses it. A None entry makes that
# import fail at once, as it does where click is missing, and httpx then goes without.
sys.modules.setdefault("httpx._main", None)  # type: ignore[arg-type]

ACCEPT = (
    "application/rss+xml, application/atom+xml, application/rdf+xml;q=0.9, "
    "application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5"
)
REDIRECT_CODES = frozenset({301, 302, 303, 307, 308})
RETRY_LATER_CODES = frozenset({429, 503})
ALLOWED_SCHEMES = frozenset({"http", "https"})
MAX_HEADER_VALUE = 1_000


@dataclass(frozen=True, slots=True)
class Validators:
    """What the server told us last time, sent back so it can answer 304 Not Modified."""

    etag: str | None = None
    last_modified: str | None = None


@dataclass(frozen=True, slots=True)
class FetchResult:
    """A successful response: a body (status 2xx) or 304 Not Modified (empty body)."""

    url: str
    status: int
    body: bytes = b""
    validators: Validators = field(default_factory=Validators)
    content_type: str | None = None  # as the server gave it, sanitised

    @property
    def not_modified(self) -> bool:
        return self.status == 304


class FetchError(Exception):
    """A feed that could not be fetched. The message is one sanitised line.

    ``retry_at`` is set when the server asked us not to come back before then.
    """

    def __init__(
        self, message: str, *, status: int | None = None, retry_at: datetime | None = None
    ) -> None:
        super().__init__(clean_line(message, limit=300))
        self.status = status
        self.retry_at = retry_at

    @property
    def message(self) -> str:
        return str(self.args[0])


@functools.cache
def tls_context(trust_env: bool) -> CertificatesOnFirstUse:
    """The context servers are checked against, one per process. Its certificates are
    read at the first TLS connection (``tls.py``), or ahead with ``load_certificates``."""
    from newsreader.feeds.tls import CertificatesOnFirstUse

    return CertificatesOnFirstUse.client(trust_env)


class Fetcher:
    """An HTTP client with the limits of ``FetchSettings``; use it as an async context."""

    def __init__(
        self, settings: FetchSettings | None = None, *, accept: str = ACCEPT, noun: str = "feed"
    ) -> None:
        # Imported here, as httpx is: the cookie jar brings urllib.request and ssl with it,
        # which the reader's first screen does not need.
        from http.cookiejar import CookieJar, DefaultCookiePolicy

        import httpx

        self.settings = settings or FetchSettings()
        self.noun = noun  # what is fetched, as a refusal names it ("the feed is larger...")
        self._overall = asyncio.Semaphore(max(1, self.settings.max_connections))
        self._hosts: dict[tuple[str, int | None], asyncio.Semaphore] = {}
        self._client = httpx.AsyncClient(
            follow_redirects=False,
            timeout=httpx.Timeout(self.settings.timeout, connect=self.settings.connect_timeout),
            limits=httpx.Limits(
                max_connections=max(1, self.settings.max_connections),
                max_keepalive_connections=max(1, self.settings.max_connections),
            ),
            # Feeds are anonymous: no cookies are kept from one response to the next.
            cookies=CookieJar(policy=DefaultCookiePolicy(allowed_domains=[])),
            trust_env=self.settings.trust_env,
            verify=tls_context(self.settings.trust_env),
            # Checked before httpx looks at the Location itself (it chokes on javascript:).
            event_hooks={"response": [_refuse_bad_redirect]},
            headers={
                "User-Agent": self.settings.user_agent,
                "Accept": accept,
                "Accept-Encoding": "gzip, deflate",
            },
        )

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._client.aclose()

    def _host_slot(self, url: httpx.URL) -> asyncio.Semaphore:
        key = (url.host, url.port)
        slot = self._hosts.get(key)
        if slot is None:
            slot = self._hosts[key] = asyncio.Semaphore(max(1, self.settings.max_per_host))
        return slot

    async def fetch(self, url: str, validators: Validators | None = None) -> FetchResult:
        """GET ``url``, following redirects. Raises FetchError with a user-facing reason."""
        import httpx

        try:
            current = _checked_url(url)
        except httpx.InvalidURL as error:
            raise FetchError(f"not a valid URL: {error}") from None
        budget = self.settings.timeout
        loop = asyncio.get_running_loop()
        headers = _conditional_headers(validators or Validators())
        for hop in range(self.settings.max_redirects + 1):
            # Host slot first, then an overall slot: a busy host never holds overall slots.
            async with self._host_slot(current), self._overall:
                started = loop.time()
                try:
                    async with asyncio.timeout(budget):
                        outcome = await self._request(current, headers)
                except TimeoutError:
                    raise FetchError(f"timed out after {_seconds(self.settings.timeout)}") from None
                except httpx.HTTPError as error:
                    raise FetchError(_describe_http_error(error, self.settings)) from None
                except httpx.InvalidURL as error:
                    raise FetchError(f"not a valid URL: {error}") from None
                budget -= loop.time() - started
            if isinstance(outcome, FetchResult):
                return outcome
            if hop == self.settings.max_redirects:
                break
            current = outcome
        raise FetchError(f"too many redirects (more than {self.settings.max_redirects})")

    async def _request(self, url: httpx.URL, headers: dict[str, str]) -> FetchResult | httpx.URL:
        """One hop: a result, or the URL to go to next."""
        async with self._client.stream("GET", url, headers=headers) as response:
            status = response.status_code
            if status in REDIRECT_CODES:
                return _redirect_target(response)
            if status == 304:
                # A 304 has no body, but the connection goes back to the pool only once its
                # end has been read; closed unread, it would be dropped, and the next
                # request would open a new one.
                await response.aread()
                return FetchResult(str(url), status, validators=_validators_of(response))
            if status in RETRY_LATER_CODES:
                retry_at = parse_retry_after(
                    response.headers.get("Retry-After"),
                    datetime.now(UTC),
                    self.settings.max_retry_after,
                )
                raise FetchError(_status_text(response), status=status, retry_at=retry_at)
            if not 200 <= status < 300:
                raise FetchError(_status_text(response), status=status)
            body = await _read_body(response, self.settings.max_body_bytes, self.noun)
            kind = clean_line(response.headers.get("Content-Type"), limit=200) or None
            return FetchResult(str(url), status, body, _validators_of(response), kind)


def _checked_url(url: str | httpx.URL) -> httpx.URL:
    import httpx

    parsed = httpx.URL(url)
    if parsed.scheme not in ALLOWED_SCHEMES or not parsed.host:
        raise httpx.InvalidURL("only http and https URLs can be fetched")
    return parsed


async def _refuse_bad_redirect(response: httpx.Response) -> None:
    if response.status_code in REDIRECT_CODES:
        _redirect_target(response)


def _redirect_target(response: httpx.Response) -> httpx.URL:
    import httpx

    location = response.headers.get("Location")
    if not location:
        raise FetchError(f"{_status_text(response)} without a Location to go to")
    try:
        target = response.url.join(location)
    except httpx.InvalidURL:
        raise FetchError("redirect to an invalid URL") from None
    if target.scheme not in ALLOWED_SCHEMES:
        raise FetchError(f"redirect to a {clean_line(target.scheme, limit=20)}: URL refused")
    if not target.host:
        raise FetchError("redirect to a URL without a host refused")
    return target


def _conditional_headers(validators: Validators) -> dict[str, str]:
    headers = {}
    if validators.etag:
        headers["If-None-Match"] = validators.etag
    if validators.last_modified:
        headers["If-Modified-Since"] = validators.last_modified
    return headers


def _validators_of(response: httpx.Response) -> Validators:
    def header(name: str) -> str | None:
        return clean_line(response.headers.get(name), limit=MAX_HEADER_VALUE) or None

    return Validators(etag=header("ETag"), last_modified=header("Last-Modified"))


def _status_text(response: httpx.Response) -> str:
    try:
        phrase = HTTPStatus(response.status_code).phrase
    except ValueError:
        phrase = clean_line(response.reason_phrase, limit=60)
    return f"HTTP {response.status_code} {phrase}".strip()


def _seconds(value: float) -> str:
    return f"{value:g} s"


def _describe_http_error(error: httpx.HTTPError, settings: FetchSettings) -> str:
    import httpx

    host = ""
    with suppress(RuntimeError):  # an error raised before a request existed has no URL
        host = clean_line(error.request.url.host, limit=200)
    where = f" to {host}" if host else ""
    detail = clean_line(str(error), limit=200)
    if isinstance(error, httpx.ConnectTimeout):
        return f"connecting{where} timed out after {_seconds(settings.connect_timeout)}"
    if isinstance(error, httpx.TimeoutException):
        return f"timed out after {_seconds(settings.timeout)}"
    if isinstance(error, httpx.ConnectError):
        return f"could not connect{where}: {detail or 'connection failed'}"
    if isinstance(error, httpx.UnsupportedProtocol):
        return "only http and https URLs can be fetched"
    if isinstance(error, httpx.DecodingError):
        return f"the response could not be decoded: {detail}"
    if isinstance(error, httpx.RemoteProtocolError):
        return f"the server broke the HTTP protocol: {detail or 'connection closed'}"
    if isinstance(error, httpx.ProxyError):
        return f"proxy error: {detail}"
    return f"request failed: {detail or type(error).__name__}"


def parse_retry_after(value: str | None, now: datetime, limit: float) -> datetime | None:
    """When a Retry-After header (seconds or an HTTP date) allows the next try, capped."""
    text = (value or "").strip()
    if not text:
        return None
    if text.isascii() and text.isdigit():
        seconds = min(int(text[:12]), limit)
        moment = now + timedelta(seconds=seconds)
    else:
        try:
            moment = parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError, OverflowError):
            return None
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
        moment = min(moment.astimezone(UTC), now + timedelta(seconds=limit))
    return moment if moment > now else None


class _BodyTooLarge(Exception):
    pass


class _Decoder:
    """Content-Encoding decoding that never produces more than ``limit`` bytes in total.

    httpx decodes a whole network chunk at once, which a compression bomb can blow up a
    thousandfold; here every step is bounded by what is left of the cap.
    """

    def __init__(self, encoding: str, limit: int) -> None:
        self.limit = limit
        self.size = 0
        self.encoding = encoding
        self._inflater: zlib._Decompress | None = None
        self._raw_deflate = False
        if encoding in ("gzip", "x-gzip"):
            self._inflater = zlib.decompressobj(zlib.MAX_WBITS | 16)
        elif encoding == "deflate":
            self._inflater = zlib.decompressobj(zlib.MAX_WBITS)
        elif encoding not in ("", "identity"):
            raise FetchError(f"unsupported content encoding {clean_line(encoding, limit=40)!r}")

    def decode(self, data: bytes) -> bytes:
        if self._inflater is None:
            return self._count(data)
        output = bytearray()
        while data:
            room = self.limit - self.size - len(output) + 1
            try:
                piece = self._inflater.decompress(data, room)
            except zlib.error:
                if self.encoding == "deflate" and not self._raw_deflate and not self.size:
                    # Some servers send raw deflate without the zlib header.
                    self._raw_deflate = True
                    self._inflater = zlib.decompressobj(-zlib.MAX_WBITS)
                    continue
                raise FetchError("the compressed body is corrupt") from None
            output += piece
            if self.size + len(output) > self.limit:
                raise _BodyTooLarge
            data = self._inflater.unconsumed_tail
            if self._inflater.eof:
                # Concatenated gzip members are one body; anything else after the end is junk.
                rest = self._inflater.unused_data + data
                if rest.startswith(b"\x1f\x8b") and self.encoding != "deflate":
                    self._inflater = zlib.decompressobj(zlib.MAX_WBITS | 16)
                    data = rest
                else:
                    data = b""
        return self._count(bytes(output))

    def _count(self, data: bytes) -> bytes:
        self.size += len(data)
        if self.size > self.limit:
            raise _BodyTooLarge
        return data


async def _read_body(response: httpx.Response, limit: int, noun: str = "feed") -> bytes:
    encoding = response.headers.get("Content-Encoding", "").strip().lower()
    if "," in encoding:
        raise FetchError("more than one content encoding is not supported")
    length = response.headers.get("Content-Length", "")
    if length.isascii() and length.isdigit() and int(length[:20]) > limit:
        raise FetchError(f"the {noun} is larger than {_size(limit)}")
    decoder = _Decoder(encoding, limit)
    chunks: list[bytes] = []
    try:
        # Raw bytes, as sent: the decoder undoes Content-Encoding within the cap.
        async for raw in response.aiter_raw():
            chunks.append(decoder.decode(raw))
    except _BodyTooLarge:
        raise FetchError(f"the {noun} is larger than {_size(limit)}") from None
    return b"".join(chunks)


def _size(count: int) -> str:
    if count >= 1024 * 1024 and count % (1024 * 1024) == 0:
        return f"{count // (1024 * 1024)} MiB"
    if count >= 1024 and count % 1024 == 0:
        return f"{count // 1024} KiB"
    return f"{count} bytes"


async def fetch_url(
    url: str, validators: Validators | None = None, *, settings: FetchSettings | None = None
) -> FetchResult:
    """Fetch one URL with its own client; for a single feed outside a refresh."""
    async with Fetcher(settings) as fetcher:
        return await fetcher.fetch(url, validators)
