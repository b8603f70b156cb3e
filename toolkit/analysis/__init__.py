"""Pure analysis functions: frames in, frames out, no IO."""

from .scores import item_facility, totals

__all__ = ["item_facility", "totals"]
