"""Synth benchmark harness (``make bench``); not part of the library or of ``make test``."""
