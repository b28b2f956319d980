"""The fast path for well-formed RSS 2.0 and Atom 1.0 feeds (see ``parse``)."""
