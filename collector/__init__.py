"""ssi-collector: everything with I/O, as a typed core under a thin command line.

- `collection`: one collection, several in one browser, re-reading what was kept (reparse);
- `browser`: finding and installing a Chromium, one visit, what the site answered, sessions, login;
- `store`: the SQLite schema, its migrations, and every query;
- `schedule`: when to collect (pure planning), the daemon, alerts, service files;
- `trends`: advice, charts, export, Datasette;
- `demo`, `standin`: the demo's data and the local stand-in for linkedin.com;
- `cli`: the `ssi` commands; `days`, `paths`, `outcomes`, `locks`, `doctor`: shared rules.

The pure parsers are the sibling package `parsers`. See docs/design.md.
"""

from __future__ import annotations


def __getattr__(name: str) -> str:
    # The one version is the package's metadata (pyproject.toml); read on demand, since
    # importlib.metadata costs start-up time that most commands never need.
    if name != "__version__":
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("ssi-collector")
    except PackageNotFoundError:  # run from a checkout that was never installed
        return "0+unknown"
