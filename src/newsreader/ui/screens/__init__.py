"""Screens: reading, search and the key reference."""
