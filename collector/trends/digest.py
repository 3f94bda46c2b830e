"""`ssi digest`: one week, to read or forward: the SSI and each pillar then and now against the
industry's and the network's averages, rank changes, goals with their projection, the week's
notes, and the pillar to work on with its actions.

Weeks run Monday to Sunday (ISO weeks, "2026-W48"). "Now" is the week's last reading, "then"
the last one before the week began. The digest is built once (`build`) and written in each
format from that one build: text for notifications, Markdown to paste, HTML to mail, JSON for
scripts; the terminal's rich rendering lives with the command line.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from parsers import PILLAR_KEYS, PILLAR_NAMES

from ..store import Store
from .advice import Advice, advise
from .goals import GoalReport, goal_reports

_WEEK = re.compile(r"(\d{4})-?W(\d{1,2})", re.IGNORECASE)


class BadWeek(ValueError):
    pass


def parse_week(text: str) -> date:
    """The Monday of ISO week "YYYY-Www" (also "YYYYWww")."""
    match = _WEEK.fullmatch(text.strip())
    if not match:
        raise BadWeek(f"{text!r} is not a week like 2026-W48")
    try:
        return date.fromisocalendar(int(match.group(1)), int(match.group(2)), 1)
    except ValueError:
        raise BadWeek(f"{text!r}: {match.group(1)} has no week {int(match.group(2))}") from None


def week_name(monday: date) -> str:
    year, week, _ = monday.isocalendar()
    return f"{year}-W{week:02d}"


def last_full_week(today: date) -> date:
    """The Monday of the last week that has ended by ``today``."""
    return today - timedelta(days=today.weekday() + 7)


@dataclass(frozen=True)
class Figure:
    key: str  # 'ssi' or a pillar
    name: str
    then: float | None
    now: float | None
    industry: float | None  # the industry's average now, where LinkedIn shows it
    network: float | None

    @property
    def change(self) -> float | None:
        return None if self.then is None or self.now is None else round(self.now - self.then, 2)


@dataclass(frozen=True)
class Rank:
    group: str  # 'industry' | 'network'
    then: int | None
    now: int | None

    def said(self) -> str:
        if self.now is None:
            return f"{self.group}: not shown"
        if self.then is None or self.then == self.now:
            return f"{self.group}: top {self.now}%" + (" (unchanged)" if self.then == self.now else "")
        direction = "up" if self.now < self.then else "down"  # a lower Top N% is better
        return f"{self.group}: top {self.now}% ({direction} from top {self.then}%)"


@dataclass
class Digest:
    profile: str
    monday: date
    then_day: str | None
    now_day: str
    readings: int  # days with a reading in the week
    figures: list[Figure]
    ranks: list[Rank]
    goals: list[GoalReport]
    notes: list[dict[str, Any]]
    advice: Advice | None
    generated: bool = False  # the week holds generated demo history

    @property
    def week(self) -> str:
        return week_name(self.monday)

    @property
    def sunday(self) -> date:
        return self.monday + timedelta(days=6)

    def title(self) -> str:
        ssi = self.figures[0]
        change = f" ({ssi.change:+.2f})" if ssi.change is not None else ""
        return f"SSI week {self.week} ({self.profile}): {ssi.now:.2f}{change}"

    def span(self) -> str:
        return f"{self.monday:%a %d %b} – {self.sunday:%a %d %b %Y}"

    # -- one build, every format --------------------------------------------------------------
    def sections(self) -> list[tuple[str, list[str]]]:
        """The digest as (heading, lines) in plain sentences: what every format is written from."""
        since = f"since {self.then_day}" if self.then_day else "first week on record"
        out: list[tuple[str, list[str]]] = []
        scores = []
        for f in self.figures:
            scale = 100 if f.key == "ssi" else 25
            now = "—" if f.now is None else f"{f.now:.2f}"
            change = f"{f.change:+.2f}" if f.change is not None else "new"
            peers = [f"industry {f.industry:.2f}" if f.industry is not None else "",
                     f"network {f.network:.2f}" if f.network is not None else ""]
            peer_text = f"; {', '.join(p for p in peers if p)}" if any(peers) else ""
            scores.append(f"{f.name}: {now}/{scale} ({change}{peer_text})")
        out.append((f"Scores {since}, to {self.now_day}", scores))
        out.append(("Rank", [r.said() for r in self.ranks]))
        if self.goals:
            out.append(("Goals", [line for goal in self.goals for line in goal.lines()]))
        out.append(("Notes this week", [f"{n['day']}{' [' + n['pillar'] + ']' if n['pillar'] else ''}: {n['text']}"
                                        for n in self.notes] or ["none (add one with `ssi note \"...\"`)"]))
        if self.advice is not None:
            a = self.advice
            out.append((f"Focus next week: {a.focus.name}", [a.why, *a.actions[:2]]))
        if self.generated:
            out.append(("", ["This week includes generated demo history, not readings."]))
        return out

    def to_text(self) -> str:
        lines = [self.title(), self.span(), ""]
        for heading, body in self.sections():
            if heading:
                lines.append(heading)
            lines += [f"- {line}" for line in body]
            lines.append("")
        return "\n".join(lines).rstrip() + "\n"

    def to_markdown(self) -> str:
        lines = [f"# {self.title()}", "", f"*{self.span()}*", ""]
        lines += ["| | then | now | change | industry | network |", "|---|---:|---:|---:|---:|---:|"]
        for f in self.figures:
            lines.append(f"| {f.name} | {_num(f.then)} | {_num(f.now)} | {_signed(f.change)} | {_num(f.industry)} "
                         f"| {_num(f.network)} |")
        lines.append("")
        for heading, body in self.sections()[1:]:
            if heading:
                lines += [f"## {heading}", ""]
            lines += [f"- {_md(line)}" for line in body]
            lines.append("")
        return "\n".join(lines).rstrip() + "\n"

    def to_html(self) -> str:
        e = html.escape
        rows = "".join(
            f"<tr><th style='text-align:left'>{e(f.name)}</th><td>{_num(f.then)}</td><td><b>{_num(f.now)}</b></td>"
            f"<td>{_signed(f.change)}</td><td>{_num(f.industry)}</td><td>{_num(f.network)}</td></tr>"
            for f in self.figures)
        parts = [f"<h1 style='font-size:1.3em'>{e(self.title())}</h1><p><i>{e(self.span())}</i></p>",
                 "<table cellpadding='4' style='border-collapse:collapse'><tr><th></th><th>then</th><th>now</th>"
                 f"<th>change</th><th>industry</th><th>network</th></tr>{rows}</table>"]
        for heading, body in self.sections()[1:]:
            if heading:
                parts.append(f"<h2 style='font-size:1.1em'>{e(heading)}</h2>")
            parts.append("<ul>" + "".join(f"<li>{e(line)}</li>" for line in body) + "</ul>")
        return ("<!doctype html><html><head><meta charset='utf-8'><title>" + e(self.title()) +
                "</title></head><body style='font-family:sans-serif;max-width:46em'>" + "".join(parts) +
                "</body></html>\n")

    def to_json(self) -> dict[str, Any]:
        return {
            "profile": self.profile, "week": self.week, "first_day": self.monday.isoformat(),
            "last_day": self.sunday.isoformat(), "then_day": self.then_day, "now_day": self.now_day,
            "readings": self.readings,
            "figures": [{"figure": f.key, "name": f.name, "then": f.then, "now": f.now, "change": f.change,
                         "industry_average": f.industry, "network_average": f.network} for f in self.figures],
            "ranks": [{"group": r.group, "then": r.then, "now": r.now} for r in self.ranks],
            "goals": [g.to_json() for g in self.goals],
            "notes": [{"id": n["id"], "day": n["day"], "text": n["text"], "pillar": n["pillar"]} for n in self.notes],
            "focus": None if self.advice is None else self.advice.to_json()["focus"],
            "generated": self.generated,
        }


def _num(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"


def _signed(value: float | None) -> str:
    return "—" if value is None else f"{value:+.2f}"


def _md(text: str) -> str:
    """Text as Markdown shows it: the characters Markdown would read as formatting escaped."""
    return re.sub(r"([\\*_\[\]<>|#])", r"\\\1", text)


def build(store: Store, profile: str, monday: date) -> Digest | None:
    """The digest of the week starting ``monday``; None when the week has no reading."""
    sunday = monday + timedelta(days=6)
    week = store.history(profile, monday.isoformat())
    week = [row for row in week if row["day"] <= sunday.isoformat()]
    if not week:
        return None
    now = week[-1]
    then = store.latest_day(profile, (monday - timedelta(days=1)).isoformat())
    figures = [Figure("ssi", "SSI", _get(then, "ssi"), now["ssi"], now["industry_ssi"], now["network_ssi"])]
    figures += [Figure(key, PILLAR_NAMES[key], _get(then, key), now[key], now[f"industry_{key}"],
                       now[f"network_{key}"]) for key in PILLAR_KEYS]
    ranks = [Rank(group, _get(then, f"{group}_rank"), now[f"{group}_rank"]) for group in ("industry", "network")]
    as_of = date.fromisoformat(now["day"])
    return Digest(
        profile=profile, monday=monday, then_day=then["day"] if then else None, now_day=now["day"],
        readings=len(week), figures=figures, ranks=ranks,
        goals=goal_reports(store, profile, as_of, today=sunday),
        notes=store.notes(profile, monday.isoformat(), sunday.isoformat()),
        advice=advise(store, profile, now["day"]),
        generated=any(row["source"] == "generated" for row in week))


def _get(row: dict[str, Any] | None, key: str) -> Any:
    return None if row is None else row[key]
