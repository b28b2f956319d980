"""Two-way sync with aggregator servers (Tiny Tiny RSS, Fever): their clients and the engine.

It sits beside feeds/: it may use store/, text/ and models, never the UI or the CLI.
"""
