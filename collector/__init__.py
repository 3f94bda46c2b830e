"""ssi-collector: everything with I/O (command line, browser, store, scheduler, browse)."""

__version__ = "0.1.0"
