"""The command line: one module per group of commands, the parser and output."""
