"""`ssi browse`: Datasette over the database, with our metadata and a dashboard.

Every chart reads a view (collector.store.VIEWS), so the dashboard's SQL is a plain SELECT that
works on Datasette 0.65 and 1.0 alike. Datasette opens the file read-only (mode=ro), so it can
serve while a collection writes (the database is in WAL mode).
"""

from __future__ import annotations

import ipaddress
from pathlib import Path
from typing import Any

from parsers import PILLAR_NAMES

PILLAR_RANGE = "0–25"
SSI_RANGE = "0–100"

_COLUMNS = {
    "profile": "Which LinkedIn account (ssi --profile)",
    "day": "The local date of the snapshot (YYYY-MM-DD)",
    "collected_at": "When it was read (ISO 8601, UTC)",
    "ssi": f"Social Selling Index, {SSI_RANGE}",
    **{key: f"{name}, {PILLAR_RANGE}" for key, name in PILLAR_NAMES.items()},
    "industry": "Your industry, as LinkedIn names it",
    "industry_rank": "Your rank in your industry: Top N% (1 is best)",
    "network_rank": "Your rank in your network: Top N% (1 is best)",
    "industry_ssi": f"Average SSI of sales professionals in your industry, {SSI_RANGE}",
    "network_ssi": f"Average SSI of your network, {SSI_RANGE}",
    **{f"{group}_{key}": f"{group.title()} average for {name}, {PILLAR_RANGE} (null when the page does not show it)"
       for group in ("industry", "network")
       for key, name in PILLAR_NAMES.items()},
    "source": "api: LinkedIn's own answer was read; page: read from the page alone; generated: demo history; "
              "reparse:api / reparse:page: a failed day recovered later by `ssi reparse`; import:NAME: a day "
              "brought in by `ssi import` from another tracker's file",
    "precision": "Which figures are not exact, and why (JSON): rounded or truncated to a whole number at "
                 "their source, displayed (to 2-3 decimals), unverified, as-given; empty when all are exact",
    "import_id": "The `ssi import` that brought this day in (imports.id); empty for our own readings",
    "raw_id": "The page as read (raw_pages.id)",
    "api_raw_id": "The API answer as read (raw_pages.id)",
    "run_id": "The collection that stored it (runs.id)",
    "identity": "What the page saw of the browser (JSON): User-Agent, brands, platform, webdriver, and the "
                "client hints the page request carried. Never a cookie value",
    "cookies": "The session's cookies after the visit (JSON): each name with its expiry as a Unix time, never "
               "its value",
}

_TABLES = {
    "snapshots": "One row per successful collection: your SSI, its four pillars and your standing among peers.",
    "runs": "One row per collection attempt, whatever happened (status, message, artifacts folder).",
    "raw_pages": "What was read, compressed and stored once per content, with session secrets removed.",
    "alerts": "Alerts the scheduler sent: a session needing a login, a day of failures, a falling score.",
    "imports": "Each `ssi import`: when, from which files, how many days were added, replaced and skipped.",
    "goals": "Goals set with `ssi goal set`: the SSI or one pillar, a target, a date; retired when replaced.",
    "notes": "What you noted with `ssi note`, on its day, optionally about one pillar.",
    "this_week": "Each profile's latest day next to a week before, figure by figure, and the week's notes.",
    "daily": "One row a day per profile (the day's last snapshot), with the change since the day before.",
    "weekly": "One row a week (Monday to Sunday) per profile: the week's last figures and range.",
    "pillars_daily": f"The four pillars in long form, with the peer averages where known ({PILLAR_RANGE}).",
    "pillars_compared": "The latest day's pillars next to the industry and network averages.",
    "ranks_daily": "Industry and network rank over time: Top N% (lower is better).",
    "current": "Each profile's latest SSI and its change over 7 and 30 days.",
    "sign_ins": "Each time a session began in a profile: `ssi login`, `ssi collect --auth`, or one kept by an older "
                "version; with the browser, its identity, and whether \"Keep me logged in\" took (li_rm).",
    "session_health": "Each profile's session at a glance: signed in when, li_rm, li_at's expiry, the identity at "
                      "sign-in against the last visit's, and the last time LinkedIn refused it.",
}


def _chart(db: str, title: str, sql: str, display: dict[str, Any], library: str = "vega-lite") -> dict[str, Any]:
    if library == "vega-lite":
        # SVG, so each mark is an element (readable by screen readers, and by our tests).
        display = {**display, "usermeta": {"embedOptions": {"renderer": "svg", "actions": False}}}
    return {"title": title, "db": db, "query": sql, "library": library, "display": display}


_RANGE = "[[ AND day >= :date_start ]] [[ AND day <= :date_end ]]"
_DAY = {"field": "day", "type": "temporal", "title": None}


# The SSI chart's lines that are not your own readings: your peers dashed, the goal in long
# dashes, the projection dotted (your SSI, own or imported, is solid).
_DASHES = {"Industry average": [4, 3], "Network average": [4, 3], "Goal": [8, 4], "Projection": [2, 3]}


def _escaped(sql: str) -> str:
    return f"replace(replace(replace({sql}, '&', '&amp;'), '<', '&lt;'), '>', '&gt;')"


_GOAL_WHEN = _escaped("json_extract(g.value, '$.when')")

# Long form, one row per day and series: your SSI (your own readings and imported days apart),
# the peers' averages, each note at the SSI of its day, and the goal lines (ssi_goals(), which
# `ssi browse` adds to Datasette, computed by the same code as `ssi goal`).
_SSI_SERIES = f"""
SELECT day, series, value, note FROM (
  SELECT day, CASE WHEN import_id IS NULL THEN 'You' ELSE 'You (imported)' END AS series, ssi AS value, NULL AS note
  FROM daily WHERE profile = :profile {_RANGE}
  UNION ALL SELECT day, 'Industry average', industry_ssi, NULL FROM daily
  WHERE profile = :profile AND industry_ssi IS NOT NULL {_RANGE}
  UNION ALL SELECT day, 'Network average', network_ssi, NULL FROM daily
  WHERE profile = :profile AND network_ssi IS NOT NULL {_RANGE}
  UNION ALL SELECT day, 'Note', (SELECT d.ssi FROM daily d WHERE d.profile = n.profile AND d.day <= n.day
                                 ORDER BY d.day DESC LIMIT 1), text
  FROM notes n WHERE profile = :profile {_RANGE}
  UNION ALL SELECT json_extract(p.value, '$.day'), json_extract(p.value, '$.series'),
                   json_extract(p.value, '$.value'), NULL
  FROM json_each(json_extract(ssi_goals(:profile), '$.lines')) p
) ORDER BY day"""


# The session panel: session_health's row for the profile, one line per fact (the view is the
# same data `ssi doctor` reads from the profile's record, as each visit and sign-in wrote it).
_SESSION_FACTS = (
    ("Session", "session"),
    ("Signed in", "signed_in_at || ' (' || signed_in_by || ')'"),
    ("Keep me logged in", "keep_me_logged_in"),
    ("li_at valid until", "li_at_expires"),
    ("Last visit", "last_visit_at || ': ' || last_visit_status"),
    ("Identity since sign-in", "identity"),
    ("Last refusal", "last_refusal_at || ': ' || last_refusal"),
)
_SESSION_PANEL = (
    "WITH h AS (SELECT * FROM session_health WHERE profile = :profile) "
    "SELECT what AS \"\", COALESCE(value, '—') AS \"now\" FROM ("
    + " UNION ALL ".join(f"SELECT {n} AS n, '{label}' AS what, {sql} AS value FROM h"
                         for n, (label, sql) in enumerate(_SESSION_FACTS))
    + ") ORDER BY n")


def dashboard(db: str, default_profile: str | None) -> dict[str, Any]:
    """The datasette-dashboards configuration for database ``db`` (Datasette's name for it)."""
    profile_filter: dict[str, Any] = {"name": "Profile", "type": "select", "db": db,
                                      "query": "SELECT DISTINCT profile FROM snapshots ORDER BY profile"}
    if default_profile:
        profile_filter["default"] = default_profile
    lines = {"mark": {"type": "line", "point": False, "interpolate": "monotone"}}
    return {
        "title": "Social Selling Index",
        "description": "Your SSI (0–100), its four pillars (0–25 each), and where you stand among peers.",
        "settings": {"allow_fullscreen": True},
        "layout": [
            ["current", "change_7d", "change_30d"],
            ["ssi", "ssi", "this_week"],
            ["pillars", "pillars", "compared"],
            ["ranks", "ranks", "session"],
            ["notes", "notes", "notes"],
        ],
        "filters": {
            "profile": profile_filter,
            "date_start": {"name": "From", "type": "date"},
            "date_end": {"name": "To", "type": "date"},
        },
        "charts": {
            "current": _chart(db, "Current SSI", "SELECT printf('%.1f', ssi) AS ssi FROM current "
                              "WHERE profile = :profile", {"field": "ssi", "suffix": " / 100"}, "metric"),
            "change_7d": _chart(db, "Change over 7 days", "SELECT COALESCE(printf('%+.1f', change_7d), '—') AS change "
                                "FROM current WHERE profile = :profile", {"field": "change"}, "metric"),
            "change_30d": _chart(db, "Change over 30 days", "SELECT COALESCE(printf('%+.1f', change_30d), '—') "
                                 "AS change FROM current WHERE profile = :profile", {"field": "change"}, "metric"),
            "ssi": _chart(
                db, "SSI over time, with your peers' averages, your goal and its projection, and your notes",
                _SSI_SERIES,
                {"layer": [
                    {**lines, "transform": [{"filter": "datum.series !== 'Note'"}],
                     "encoding": {"x": _DAY,
                                  "y": {"field": "value", "type": "quantitative", "title": "SSI (0–100)",
                                        "scale": {"zero": False}},
                                  "color": {"field": "series", "type": "nominal", "title": None,
                                            "legend": {"orient": "bottom"}},
                                  "strokeDash": {"condition": [{"test": f"datum.series === '{name}'", "value": dash}
                                                               for name, dash in _DASHES.items()],
                                                 "value": [1, 0]},
                                  "opacity": {"condition": {"test": "datum.series === 'You (imported)'",
                                                            "value": 0.45}, "value": 1},
                                  "tooltip": [{"field": "day", "type": "temporal"}, {"field": "series"},
                                              {"field": "value", "type": "quantitative", "format": ".2f"}]}},
                    # Each note as a marker on the SSI line, its words in the tooltip.
                    {"mark": {"type": "point", "shape": "triangle-down", "size": 110, "filled": True,
                              "color": "#333333"},
                     "transform": [{"filter": "datum.series === 'Note'"}],
                     "encoding": {"x": _DAY, "y": {"field": "value", "type": "quantitative"},
                                  "tooltip": [{"field": "day", "type": "temporal"},
                                              {"field": "note", "title": "note"}]}},
                ]}),
            "this_week": _chart(
                db, "This week",
                # datasette-dashboards writes table cells as HTML: a note's or goal's words are escaped.
                "SELECT figure AS \"\", COALESCE(now, '') AS now, COALESCE(week_before, '—') AS \"a week before\", "
                "CASE WHEN change IS NULL THEN '' ELSE printf('%+.2f', change) END AS change FROM ("
                "SELECT position, figure, now, week_before, change FROM this_week WHERE profile = :profile "
                "UNION ALL SELECT 100 + g.key, 'Goal: ' || json_extract(g.value, '$.title'), "
                f"{_GOAL_WHEN}, NULL, NULL "
                "FROM json_each(json_extract(ssi_goals(:profile), '$.goals')) g) ORDER BY position",
                {}, "table"),
            "pillars": _chart(
                db, "The four pillars over time (0–25 each)",
                f"SELECT day, pillar, you FROM pillars_daily WHERE profile = :profile {_RANGE} ORDER BY day",
                {**lines, "encoding": {"x": _DAY,
                                       "y": {"field": "you", "type": "quantitative", "title": "score (0–25)",
                                             "scale": {"domain": [0, 25]}},
                                       "color": {"field": "pillar", "type": "nominal", "title": None,
                                                 "legend": {"orient": "bottom", "columns": 2}},
                                       "tooltip": [{"field": "day", "type": "temporal"}, {"field": "pillar"},
                                                   {"field": "you", "type": "quantitative", "format": ".2f"}]}}),
            "compared": _chart(
                db, "Your pillars against your peers (latest day)",
                "SELECT pillar, who, score FROM pillars_compared WHERE profile = :profile",
                {"mark": {"type": "bar", "tooltip": True},
                 "encoding": {"y": {"field": "pillar", "type": "nominal", "title": None},
                              "yOffset": {"field": "who"},
                              "x": {"field": "score", "type": "quantitative", "title": "score (0–25)",
                                    "scale": {"domain": [0, 25]}},
                              "color": {"field": "who", "type": "nominal", "title": None,
                                        "legend": {"orient": "bottom"}}}}),
            "ranks": _chart(
                db, "Your rank: Top N% of your industry and of your network (lower is better)",
                f"SELECT day, peer_group, top_percent FROM ranks_daily WHERE profile = :profile {_RANGE} "
                "ORDER BY day",
                {"mark": {"type": "line", "interpolate": "step-after", "point": False},
                 "encoding": {"x": _DAY,
                              "y": {"field": "top_percent", "type": "quantitative", "title": "Top N%",
                                    "scale": {"reverse": True, "domain": [1, 100]}},
                              "color": {"field": "peer_group", "type": "nominal", "title": None,
                                        "legend": {"orient": "bottom"}},
                              "tooltip": [{"field": "day", "type": "temporal"}, {"field": "peer_group"},
                                          {"field": "top_percent", "type": "quantitative"}]}}),
            "session": _chart(db, "Your LinkedIn session (`ssi doctor` says more)", _SESSION_PANEL, {}, "table"),
            "notes": {"title": "How to read this", "library": "markdown", "display": (
                "**SSI** runs from 0 to 100 and is the sum of four pillars of 0–25 each. "
                "**Top N%** is your rank among sales professionals in your industry and in your network: "
                "lower is better. Peer averages per pillar appear where LinkedIn shows them.\n\n"
                "Rows marked `generated` in `snapshots.source` are demo history, not readings.\n\n"
                "`ssi advice` names the pillar with the most to gain.")},
        },
    }


def metadata(db_path: Path, default_profile: str | None) -> dict[str, Any]:
    name = db_path.stem
    tables: dict[str, Any] = {
        table: {"description": description,
                "columns": {col: text for col, text in _COLUMNS.items()}}
        for table, description in _TABLES.items()
    }
    tables["_sqlite_migrations"] = {"hidden": True}
    tables["raw_pages"]["columns"] = {"content": "The text, zlib-compressed", "size": "Bytes before compression",
                                      "kind": "page or api", "url": "Where it was read"}
    return {
        "title": "ssi-collector",
        "description": "Your LinkedIn Social Selling Index, one snapshot a day. Dashboard: /-/dashboards/ssi",
        "about": "ssi-collector",
        "databases": {name: {"tables": tables}},
        "plugins": {"datasette-dashboards": {"ssi": dashboard(name, default_profile)}},
    }


def goal_series(db_path: Path, profile: str) -> str:
    """ssi_goals(profile) in the dashboard's SQL: JSON with the goal and projection lines to draw
    (`lines`: day, series, value) and a few words per goal (`goals`: title, when), from the same
    code as `ssi goal`. Read from its own read-only connection: a function must not query the
    connection that is running the statement calling it."""
    import json
    from datetime import date

    from ..store import Store
    from .goals import goal_reports

    store = Store(db_path, read_only=True)
    try:
        latest = store.latest_day(profile)
        if latest is None:
            return json.dumps({"lines": [], "goals": []})
        last = date.fromisoformat(latest["day"])
        reports = goal_reports(store, profile, last)
    finally:
        store.close()
    lines = [{"day": day.isoformat(), "series": "Goal" if kind == "goal" else "Projection", "value": round(value, 3)}
             for found in reports if found.pillar is None
             for kind, points in found.drawn(last).items() for day, value in points]
    goals = [{"title": found.title(), "when": found.projection.short()} for found in reports]
    return json.dumps({"lines": lines, "goals": goals})


def _functions(db_path: Path) -> object:
    """A Datasette plugin, registered by `serve`: the SQL functions the dashboard calls. Datasette
    lists plugins by module name, so it is a module of its own, made here for this database."""
    import types

    from datasette import hookimpl

    @hookimpl
    def prepare_connection(conn: Any) -> None:
        conn.create_function("ssi_goals", 1, lambda profile: goal_series(db_path, str(profile)))

    plugin = types.ModuleType("ssi_collector_dashboard")
    plugin.prepare_connection = prepare_connection  # type: ignore[attr-defined]
    return plugin


class BrowseUnavailable(Exception):
    pass


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def serve(db_path: Path, default_profile: str | None, host: str, port: int, open_browser: bool) -> None:
    try:
        import uvicorn
        from datasette.app import Datasette

        import datasette_dashboards  # noqa: F401 - fail here, clearly, if the plugin is missing
    except ImportError as exc:
        raise BrowseUnavailable(
            f"`ssi browse` needs Datasette and datasette-dashboards ({exc.name} is missing): "
            "pip install 'ssi-collector[browse]'"
        ) from None
    import asyncio

    from datasette.plugins import pm

    pm.register(_functions(db_path), name="ssi-collector")
    ds = Datasette([str(db_path)], metadata=metadata(db_path, default_profile),
                   settings={"sql_time_limit_ms": 3000})
    asyncio.run(ds.invoke_startup())
    url = f"http://{host}:{port}/-/dashboards/ssi"
    print(f"Serving {db_path} (read-only) at {url}  (Ctrl-C to stop)", flush=True)
    if open_browser:
        import threading
        import webbrowser

        threading.Timer(1.0, webbrowser.open, [url]).start()
    uvicorn.run(ds.app(), host=host, port=port, log_level="warning")
