"""The ``cttk`` command line: one click group, each command a thin wrapper over a plain function."""

from toolkit.cli.main import main

__all__ = ["main"]
