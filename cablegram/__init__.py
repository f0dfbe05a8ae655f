"""Cablegram: an archive engine for diplomatic correspondence."""

__version__ = "0.1.0"
