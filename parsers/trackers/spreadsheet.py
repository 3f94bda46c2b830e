"""A person's own CSV: a day column and some of the total, the four pillars, the ranks and the
peer averages, under headers in their own words (English, Portuguese, German guessed; or told
with --map "Datum=day,Gesamt=ssi,..."), with decimal commas and "Top 12%" as text. Figures are
kept as written, marked as-given: nobody can tell how they were rounded."""

from __future__ import annotations

from ..language import normalise
from ..model import PILLAR_KEYS
from . import values
from .entries import AS_GIVEN, FIGURE_COLUMNS, NotThisFormat, Problem, TrackerFile, make_entry
from .tables import keys, read_table

TARGETS = ("day", "moment", *FIGURE_COLUMNS, "industry")

# Header words (normalised) that name each target, in English, Portuguese and German.
_GUESSES: dict[str, tuple[str, ...]] = {
    "day": ("day", "date", "datum", "data", "dia", "tag"),
    "moment": ("captured at", "collected at", "timestamp", "zeitpunkt", "horario"),
    "ssi": ("ssi", "total", "score", "social selling index", "gesamt", "gesamtwert", "pontuacao", "indice",
            "ssi total", "current ssi", "ssi atual"),
    "brand": ("brand", "professional brand", "establish your professional brand", "marke", "marca",
              "estabelecer sua marca profissional", "professionelle marke"),
    "people": ("people", "find the right people", "personen", "pessoas", "localizar as pessoas certas",
               "die richtigen personen"),
    "insights": ("insights", "engage with insights", "einblicke", "interagir oferecendo insights", "interagir"),
    "relationships": ("relationships", "build relationships", "beziehungen", "relacionamentos",
                      "criar relacionamentos"),
    "industry_rank": ("industry rank", "rank industry", "industry", "branche rang", "rang branche", "branche",
                      "setor", "classificacao setor", "classificacao no setor", "ranking setor"),
    "network_rank": ("network rank", "rank network", "network", "netzwerk rang", "rang netzwerk", "netzwerk",
                     "rede", "classificacao rede", "classificacao na rede", "ranking rede"),
    "industry_ssi": ("industry average", "industry avg", "industry ssi", "branche durchschnitt",
                     "durchschnitt branche", "media setor", "media do setor", "ssi medio setor"),
    "network_ssi": ("network average", "network avg", "network ssi", "netzwerk durchschnitt",
                    "durchschnitt netzwerk", "media rede", "media da rede", "ssi medio rede"),
}


class BadMapping(NotThisFormat):
    """A --map that names a column the file does not have, or a target we do not know.

    A NotThisFormat, so that a file the --map does not fit is refused like any file we cannot read."""


def parse_mapping(text: str) -> dict[str, str]:
    """--map "Datum=day,Gesamt=ssi": file header -> target."""
    mapping: dict[str, str] = {}
    for part in text.split(","):
        if not part.strip():
            continue
        if "=" not in part:
            raise BadMapping(f"{part.strip()!r} is not HEADER=FIELD")
        header, target = (piece.strip() for piece in part.split("=", 1))
        if target not in TARGETS:
            raise BadMapping(f"{target!r} is not one of {', '.join(TARGETS)}")
        mapping[header] = target
    return mapping


def _columns(header: list[str], mapping: dict[str, str] | None) -> dict[int, str]:
    """Column index -> target."""
    names = keys(header)
    if mapping:
        found: dict[int, str] = {}
        wanted = {normalise(name.replace("_", " ")): target for name, target in mapping.items()}
        for index, name in enumerate(names):
            if name in wanted:
                found[index] = wanted[name]
        missing = [name for name in mapping if normalise(name.replace("_", " ")) not in names]
        if missing:
            raise BadMapping(f"the file has no column {missing[0]!r} (it has {', '.join(header)})")
        return found
    found = {}
    for index, name in enumerate(names):
        for target, words in _GUESSES.items():
            if name in words and target not in found.values():
                found[index] = target
                break
    return found


def read(raw: bytes, mapping: dict[str, str] | None = None) -> TrackerFile:
    header, rows = read_table(raw)
    columns = _columns(header, mapping)
    if "day" not in columns.values() and "moment" not in columns.values():
        raise NotThisFormat("no column that gives the day (name it with --map \"HEADER=day,...\")")
    if not set(columns.values()) & set(FIGURE_COLUMNS):
        raise NotThisFormat("no column with a figure in it (name them with --map)")
    shown = ", ".join(f"{header[i]}→{t}" for i, t in sorted(columns.items()))
    result = TrackerFile("csv", "a spreadsheet of your own (CSV)", notes=[f"columns read: {shown}"])
    for line, cells in rows:
        figures: dict[str, object] = {}
        when: dict[str, object] = {}
        try:
            for index, target in columns.items():
                cell = cells[index] if index < len(cells) else ""
                if target == "day":
                    when["day"] = values.day(cell, header[index])
                elif target == "moment":
                    when["moment"] = values.moment(cell, header[index])
                elif target == "industry":
                    figures["industry"] = cell.strip() or None
                elif target.endswith("_rank"):
                    figures[target] = values.rank(cell, header[index])
                else:
                    figures[target] = values.number(cell, header[index])
        except values.BadValue as exc:
            result.problems.append(Problem(line, str(exc)))
            continue
        precision = {column: AS_GIVEN for column in figures if column != "industry" and not column.endswith("_rank")}
        if figures.get("ssi") is None and all(figures.get(key) is not None for key in PILLAR_KEYS):
            precision.pop("ssi", None)  # the sum of the pillars then, as given as they are
        entry = make_entry(line, figures, precision, **when)  # type: ignore[arg-type]
        result.add(entry)
    return result
