"""The three panes of the reading screen."""
