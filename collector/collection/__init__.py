"""Collections: one (`collect`), several in one browser (`collect_many`), the browser started
before anything else (`early_browser`), and reading again what collections kept (`reparse`)."""

from .collect import Request, Result, collect, collect_many, early_browser, page_warning, start_browser_early

__all__ = ["Request", "Result", "collect", "collect_many", "early_browser", "page_warning", "start_browser_early"]
