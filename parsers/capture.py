"""What the collector captured, read as one: LinkedIn's answer decides, the page is evidence.

The salesApiSsi body is LinkedIn's own statement of the figures; the rendered page is drawn from
it by LinkedIn's script, and its markup drifts. So when a valid body was captured the snapshot
comes from it, and the page is cross-checked against it: every figure the page shows, by every
hook, is compared with the body's at the precision the hook showed it. A disagreement, or a page
that cannot be read at all, is reported (which field, which hook, which numbers) and never costs
the snapshot. Fields the body leaves unknown (an industry's name, a group's pillars) are taken
from the page only when the page agrees with the body everywhere both show a figure.

Only when no valid body was captured (the 2021 page that embeds it, a renamed API) does the page
decide alone, and then strictly: every clue agrees, or ParseError.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any, Literal

from .assemble import build_snapshot
from .errors import NotSsiPage, ParseError
from .evidence import Clue, Evidence, show
from .model import PILLAR_KEYS, Group, Pillars, Snapshot
from .numbers import FLOAT32_SLACK

# What the cross-check found: the page agrees with the body; disagrees on some figure; cannot be
# read at all; was not captured; or decided alone because no valid body was captured.
PageCheck = Literal["agrees", "disagrees", "unreadable", "absent", "page_only"]


@dataclass(frozen=True)
class Disagreement:
    """One hook of the page that does not show what LinkedIn's answer says."""

    field: str
    hook: str
    page: float | str | None  # what the hook shows (None: not a figure, see ``problem``)
    api: float | str | None  # what the body says (None: the body has no such figure)
    problem: str = ""  # set when the hook's content could not be a figure at all

    def describe(self) -> str:
        if self.problem:
            return f"{self.field}: {self.problem}"
        page = show(self.page) if isinstance(self.page, float) else repr(self.page)
        if self.api is None:
            return f"{self.field}: {self.hook} says {page}; LinkedIn's answer has none"
        api = show(self.api) if isinstance(self.api, float) else repr(self.api)
        return f"{self.field}: {self.hook} says {page}, LinkedIn's answer {api}"

    def to_json(self) -> dict[str, Any]:
        return {"field": self.field, "hook": self.hook, "page": self.page, "api": self.api,
                "problem": self.problem or None}


@dataclass(frozen=True)
class CaptureReading:
    snapshot: Snapshot
    page_check: PageCheck
    disagreements: tuple[Disagreement, ...] = ()
    page_error: str | None = None  # why the page could not be read, when it could not
    api_error: str | None = None  # why a captured body could not be used (the page decided)
    filled_from_page: tuple[str, ...] = field(default=())  # fields the body left unknown

    def summary(self) -> str | None:
        """One line for a person when the page did not simply agree; None when it did."""
        if self.page_check == "disagrees":
            by_field: dict[str, list[Disagreement]] = {}
            for d in self.disagreements:
                by_field.setdefault(d.field, []).append(d)
            parts = []
            for _name, found in list(by_field.items())[:3]:
                more = f", and {len(found) - 1} more hook{'s' if len(found) > 2 else ''}" if len(found) > 1 else ""
                parts.append(found[0].describe() + more)
            if len(by_field) > 3:
                parts.append(f"{len(by_field) - 3} more field{'s' if len(by_field) > 4 else ''}")
            return (f"the page disagrees with LinkedIn's answer on {', '.join(by_field)} ({'; '.join(parts)}); "
                    "the figures come from LinkedIn's answer")
        if self.page_check == "unreadable":
            return f"the page could not be read ({self.page_error}); the figures come from LinkedIn's answer alone"
        if self.api_error is not None:
            return f"LinkedIn's answer could not be used ({self.api_error}); the figures come from the page"
        return None


def flat_figures(snapshot: Snapshot) -> dict[str, float | str | None]:
    """Every figure of a snapshot under its field name ("pillars.brand", "industry.rank"...)."""
    out: dict[str, float | str | None] = {"ssi": snapshot.ssi}
    for key in PILLAR_KEYS:
        out[f"pillars.{key}"] = getattr(snapshot.pillars, key)
    for name, group in (("industry", snapshot.industry), ("network", snapshot.network)):
        out[f"{name}.rank"] = float(group.rank) if group.rank is not None else None
        out[f"{name}.average"] = group.average
        for key in PILLAR_KEYS:
            out[f"{name}.pillars.{key}"] = getattr(group.pillars, key) if group.pillars is not None else None
    out["industry.name"] = snapshot.industry.name
    return out


def _api_evidence(api_body: bytes | str) -> Evidence:
    from .api import raw_body_clues

    ev = Evidence()
    raw_body_clues(api_body, ev)
    return ev


def _page_evidence(page: bytes | str, *, strict: bool) -> tuple[Evidence, bool]:
    from .page import page_clues

    ev = Evidence(strict=strict)
    carried_body = page_clues(page, ev)
    return ev, carried_body


def _compare(page_ev: Evidence, figures: dict[str, float | str | None]) -> tuple[list[Disagreement], list[str]]:
    """The page's hooks that disagree with ``figures``, and the fields only the page shows."""
    disagreements: list[Disagreement] = []
    extras: list[str] = []
    for rejected in page_ev.rejected:
        disagreements.append(Disagreement(rejected.field, rejected.hook, None, figures.get(rejected.field),
                                          rejected.message))
    for name in page_ev.fields():
        want = figures.get(name)
        if want is None:
            extras.append(name)
            continue
        assert isinstance(want, float)
        exact = Clue(want, FLOAT32_SLACK, "LinkedIn's answer")
        for clue in page_ev.clues(name):
            if abs(clue.value - exact.value) > clue.tolerance + exact.tolerance + 1e-9:
                disagreements.append(Disagreement(name, clue.hook, clue.value, want))
    for name in page_ev.text_fields():
        want = figures.get(name)
        if want is None:
            extras.append(name)
            continue
        for text, hook in page_ev.texts(name):
            if text.casefold() != str(want).casefold():
                disagreements.append(Disagreement(name, hook, text, want))
    return disagreements, extras


def _fill(api_snapshot: Snapshot, merged: Snapshot, fields: list[str]) -> tuple[Snapshot, tuple[str, ...]]:
    """``api_snapshot`` with the unknown ``fields`` taken from ``merged`` (body and page read together)."""
    before, after = flat_figures(api_snapshot), flat_figures(merged)
    filled = tuple(sorted(name for name in after if before[name] is None and after[name] is not None))
    if not filled:
        return api_snapshot, ()

    def group(mine: Group, theirs: Group) -> Group:
        pillars = mine.pillars
        if pillars is None or not pillars.complete():
            values = {key: getattr(pillars, key) if pillars is not None else None for key in PILLAR_KEYS}
            for key in PILLAR_KEYS:
                if values[key] is None and theirs.pillars is not None:
                    values[key] = getattr(theirs.pillars, key)
            candidate = Pillars(**values)
            pillars = candidate if candidate.known() else None
        return replace(mine, rank=mine.rank if mine.rank is not None else theirs.rank,
                       average=mine.average if mine.average is not None else theirs.average,
                       name=mine.name if mine.name is not None else theirs.name, pillars=pillars)

    snapshot = replace(api_snapshot, industry=group(api_snapshot.industry, merged.industry),
                       network=group(api_snapshot.network, merged.network))
    return snapshot, filled


def read_capture(api_body: bytes | str | None, page: bytes | str | None) -> CaptureReading:
    """Read what a visit captured. Raises ParseError only when the page must decide alone and
    cannot (or nothing usable was captured)."""
    if api_body is None and page is None:
        raise ParseError("nothing was captured")
    api_error: str | None = None
    if api_body is not None:
        try:
            api_ev = _api_evidence(api_body)
            api_snapshot = build_snapshot(api_ev.copy(), "api")
        except ParseError as exc:
            if page is None:
                raise
            api_error = str(exc)
        else:
            return _cross_check(api_ev, api_snapshot, page)
    assert page is not None
    ev, carried_body = _page_evidence(page, strict=True)
    snapshot = build_snapshot(ev, "api" if carried_body else "page")
    return CaptureReading(snapshot, "page_only", api_error=api_error)


def _cross_check(api_ev: Evidence, api_snapshot: Snapshot, page: bytes | str | None) -> CaptureReading:
    if page is None:
        return CaptureReading(api_snapshot, "absent")
    try:
        page_ev, _ = _page_evidence(page, strict=False)
    except NotSsiPage as exc:
        return CaptureReading(api_snapshot, "unreadable", page_error=str(exc))
    except ParseError as exc:
        return CaptureReading(api_snapshot, "unreadable", page_error=str(exc))
    disagreements, extras = _compare(page_ev, flat_figures(api_snapshot))
    if disagreements:
        return CaptureReading(api_snapshot, "disagrees", tuple(disagreements))
    if not extras:
        return CaptureReading(api_snapshot, "agrees")
    # The page agrees wherever both show a figure: read the two together, strictly, to take what
    # only the page shows. If that fails (the page's own hooks contradict each other, a group's
    # pillars do not add up to its average), the page is wrong somewhere: keep the body's alone.
    merged_ev = api_ev.copy()
    merged_ev.absorb(page_ev)
    try:
        merged = build_snapshot(merged_ev, "api")
    except ParseError as exc:
        hook = "the page's hooks, taken together"
        return CaptureReading(api_snapshot, "disagrees",
                              (Disagreement(exc.field or "page", hook, None, None, exc.message),))
    snapshot, filled = _fill(api_snapshot, merged, extras)
    return CaptureReading(snapshot, "agrees", filled_from_page=filled)
