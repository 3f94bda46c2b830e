"""A local stand-in for linkedin.com, for `ssi demo` and the tests: the SSI page's shell, the
script that fetches the scores and draws the page (`static/app.js`), the page's shapes as the
reference describes them (`render`), sign-in and challenge pages, and every fault mode the tests
need (`site.MODES`). Like LinkedIn, it judges who is asking (`sessions`; ``StandIn(strict=True)``, the default):
a session is bound to the browser that minted it and ends when the browser gives itself away.
Run it alone with ``python -m collector.standin --mode ok``."""

from .site import DEFAULT_BODY, MODES, StandIn

__all__ = ["DEFAULT_BODY", "MODES", "StandIn"]
