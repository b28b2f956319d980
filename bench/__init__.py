"""Benchmarks for newsreader. Run them all with `make bench`."""
