"""The salesApiSsi JSON body: bare, or wrapped as {"data": ...} / {"object": "LinkedinRawData", ...}.

Pillars are mapped by their identifier and groups by ``groupType``, never by position: the
reference captures show both lists in varying order.
"""

from __future__ import annotations

import json
from typing import Any

from .errors import ParseError
from .evidence import Evidence
from .model import API_PILLARS
from .numbers import FLOAT32_SLACK

_GROUP_TYPES = {"INDUSTRY": "industry", "NETWORK": "network"}


def decode_json(raw: bytes | str, what: str = "the body") -> Any:
    try:
        return json.loads(raw, parse_constant=_reject_constant)
    except ParseError:
        raise
    except RecursionError:
        raise ParseError(f"{what} nests too deeply to be an SSI body") from None
    except (ValueError, TypeError) as exc:  # JSONDecodeError and UnicodeDecodeError are ValueErrors
        raise ParseError(f"{what} is not valid JSON ({exc})") from None


def _reject_constant(name: str) -> Any:
    raise ParseError(f"the body contains {name}, which is not a score")


def unwrap(data: Any) -> Any:
    """Peel the wrappers proxies and SaaS tools put around the body (at most a few levels)."""
    for _ in range(4):
        if isinstance(data, dict) and "memberScore" not in data and isinstance(data.get("data"), dict):
            data = data["data"]
        else:
            break
    return data


def _number(value: Any, field: str, where: str) -> float:
    # bool is an int in Python; a true/false score is a malformed body, not 1 or 0.
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ParseError(f"{where} is {json.dumps(value)[:40]}, not a number", field=field)
    return float(value)


def _pillars(items: Any, prefix: str, where: str, ev: Evidence) -> None:
    if items is None:
        return
    if not isinstance(items, list):
        raise ParseError(f"{where}.subScores is not a list", field=f"{prefix}pillars")
    seen: dict[str, float] = {}
    for item in items:
        if not isinstance(item, dict):
            raise ParseError(f"{where}.subScores holds a non-object", field=f"{prefix}pillars")
        pillar = item.get("pillar")
        key = API_PILLARS.get(pillar) if isinstance(pillar, str) else None
        if key is None:
            continue  # a pillar we do not know: the sum check will still catch a changed model
        field = f"{prefix}pillars.{key}"
        value = _number(item.get("score"), field, f"{where} {item.get('pillar')} score")
        if key in seen and seen[key] != value:
            raise ParseError(f"{where} lists {item.get('pillar')} twice", field=field)
        seen[key] = value
        ev.add(field, value, FLOAT32_SLACK, f"{where} {item.get('pillar')}")


def raw_body_clues(raw: bytes | str, ev: Evidence) -> None:
    """Add every figure of a salesApiSsi body, as bytes or text (a BOM allowed), to ``ev``."""
    data = raw.lstrip(b"\xef\xbb\xbf") if isinstance(raw, bytes) else raw.lstrip("\ufeff")
    body_clues(decode_json(data), ev)


def body_clues(data: Any, ev: Evidence, hook: str = "the API body") -> None:
    """Add every figure of a salesApiSsi body to ``ev``."""
    body = unwrap(data)
    if not isinstance(body, dict) or "memberScore" not in body:
        raise ParseError("this JSON is not a salesApiSsi body (no memberScore)")
    member = body["memberScore"]
    if not isinstance(member, dict):
        raise ParseError("memberScore is not an object", field="ssi")
    if member.get("overall") is not None:
        ev.add("ssi", _number(member["overall"], "ssi", f"{hook} overall"), FLOAT32_SLACK, f"{hook} overall")
    if "subScores" not in member:
        raise ParseError(f"{hook} has no memberScore.subScores", field="pillars")
    _pillars(member["subScores"], "", f"{hook} memberScore", ev)

    groups = body.get("groupScore")
    if groups is None:
        return
    if not isinstance(groups, list):
        raise ParseError(f"{hook} groupScore is not a list", field="groups")
    seen: set[str] = set()
    for entry in groups:
        if not isinstance(entry, dict):
            raise ParseError(f"{hook} groupScore holds a non-object", field="groups")
        group_type = entry.get("groupType")
        group = _GROUP_TYPES.get(group_type) if isinstance(group_type, str) else None
        if group is None:
            continue
        if group in seen:
            raise ParseError(f"{hook} lists the {entry['groupType']} group twice", field=group)
        seen.add(group)
        where = f"{hook} {entry['groupType']}"
        if entry.get("rank") is not None:
            ev.add(f"{group}.rank", _number(entry["rank"], f"{group}.rank", f"{where} rank"), 0, f"{where} rank")
        score = entry.get("score")
        if isinstance(score, dict):
            if score.get("overall") is not None:
                field = f"{group}.average"
                ev.add(field, _number(score["overall"], field, f"{where} overall"), FLOAT32_SLACK, f"{where} overall")
            _pillars(score.get("subScores"), f"{group}.", where, ev)
        elif score is not None:
            raise ParseError(f"{where} score is not an object", field=f"{group}.average")
        name = entry.get("industry")
        if group == "industry" and isinstance(name, str):
            ev.add_text("industry.name", name, f"{where} industry")
