"""The context servers are checked against, with certificates read at the first TLS connection.

Reading the trusted certificates takes 20 to 60 ms. A refresh whose feeds are all plain
http, or all local files, never needs them, and a command line refresh pays start-up costs
every time; so the context reads them only when a TLS connection is wrapped, or when a
caller asks for it ahead (the reader does, in a thread). Which certificates it reads, and
how it checks them, is the same as httpx's own default context.
"""

from __future__ import annotations

import os
import ssl
import threading
from typing import Any


class CertificatesOnFirstUse(ssl.SSLContext):
    """A client context (certificate and host name required) that loads its certificates late."""

    _trust_env: bool
    _loaded: bool
    _lock: threading.Lock

    @classmethod
    def client(cls, trust_env: bool) -> CertificatesOnFirstUse:
        """Make one: ``trust_env`` lets SSL_CERT_FILE and SSL_CERT_DIR choose the certificates."""
        context = cls(ssl.PROTOCOL_TLS_CLIENT)
        context.verify_mode = ssl.CERT_REQUIRED
        context.check_hostname = True
        keylog = os.environ.get("SSLKEYLOGFILE")  # as ssl.create_default_context does
        if keylog and trust_env:
            context.keylog_filename = keylog
        context._trust_env = trust_env
        context._loaded = False
        context._lock = threading.Lock()
        return context

    def load_certificates(self) -> None:
        """Read the trusted certificates now, once (safe from any thread)."""
        if self._loaded:
            return
        with self._lock:
            if self._loaded:
                return
            if self._trust_env and os.environ.get("SSL_CERT_FILE"):
                self.load_verify_locations(cafile=os.environ["SSL_CERT_FILE"])
            elif self._trust_env and os.environ.get("SSL_CERT_DIR"):
                self.load_verify_locations(capath=os.environ["SSL_CERT_DIR"])
            else:
                import certifi  # httpx's own choice, and one of its dependencies

                self.load_verify_locations(cafile=certifi.where())
            self._loaded = True

    # Every TLS connection is made through one of these two: asyncio and anyio wrap
    # memory buffers, blocking clients wrap sockets.

    def wrap_bio(self, *args: Any, **kwargs: Any) -> ssl.SSLObject:
        self.load_certificates()
        return super().wrap_bio(*args, **kwargs)

    def wrap_socket(self, *args: Any, **kwargs: Any) -> ssl.SSLSocket:
        self.load_certificates()
        return super().wrap_socket(*args, **kwargs)
