"""The Textual user interface. The core modules never import from here."""
