"""Real aggregator servers (Tiny Tiny RSS, coldsweat) that tests start on 127.0.0.1."""
