"""`ssi import`, run as the installed command, on files written in each tracker's shape as
../shared/reference/peer-exports.md describes it (keys, units, rounding, date basis)."""

from __future__ import annotations

import csv
import hashlib
import io
import json
from pathlib import Path
from typing import Any

import pytest

import parsers
from collector.store import Store
from tests.conftest import CORPUS, Env

PILLARS = ("brand", "people", "insights", "relationships")
RAW = json.loads((CORPUS / "api-data-wrapped.json").read_text())["data"]  # pillars and groups out of order


def write(path: Path, content: str | bytes | Any) -> Path:
    if isinstance(content, bytes):
        path.write_bytes(content)
    elif isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    else:
        path.write_text(json.dumps(content), encoding="utf-8")
    return path


def days(env: Env) -> dict[str, dict[str, Any]]:
    return {r["day"]: r for r in env.rows("SELECT * FROM snapshots ORDER BY day, id")}


def dump(env: Env) -> tuple[Any, ...]:
    return (env.rows("SELECT * FROM snapshots ORDER BY id"), env.rows("SELECT * FROM imports ORDER BY id"))


def seed_reading(env: Env, day: str, ssi_shift: float = 0.0) -> None:
    """A reading of our own on ``day`` (as `ssi collect` stores it)."""
    store = Store(env.db)
    base = parsers.parse((CORPUS / "api-bare-free.json").read_bytes())
    snap = parsers.Snapshot(round(base.ssi + ssi_shift, 6), base.pillars, base.industry, base.network, "api")
    store.save_snapshot("default", snap, f"{day}T09:00:00+00:00", day, raw_id=None, api_raw_id=None, run_id=None)
    store.close()


# -- socialedge ---------------------------------------------------------------------------------
def test_socialedge_legacy_reads_raw_by_pillar_name_and_marks_parsed_pillars_unverified(env: Env,
                                                                                      tmp_path: Path) -> None:
    legacy = [  # newest first, as socialedge writes it
        {"date": "2026-03-02", "parsed": {"overall": 1, "prof_brand": 1, "find_right_people": 1,
                                          "insight_engagement": 1, "relationship": 1}, "raw": RAW},
        {"date": "2026-03-01", "parsed": {
            "overall": 40.5, "prof_brand": 12.5, "find_right_people": 10.0, "insight_engagement": 8.0,
            "relationship": 10.0,
            "industry": {"ssi": 30.1, "top": 12, "people_amount": 5000, "name": "Retail"},
            "network": {"ssi": 31.2, "top": 20}}},
    ]
    done = env.run("import", str(write(tmp_path / "socialedge_2026-03-02.json", legacy)))
    assert done.returncode == 0, done.stderr
    assert "socialedge export (legacy array), 2 entries" in done.stdout
    assert "added 2 days (2026-03-01 … 2026-03-02)" in done.stdout
    got = days(env)
    want = parsers.parse_api(json.dumps(RAW).encode())
    raw_day = got["2026-03-02"]  # from LinkedIn's body: the pillars by name, whatever socialedge parsed
    assert [raw_day[k] for k in PILLARS] == [getattr(want.pillars, k) for k in PILLARS]
    assert raw_day["ssi"] == want.ssi and raw_day["industry_brand"] == want.industry.pillars.brand  # type: ignore[union-attr]
    assert raw_day["precision"] is None and raw_day["source"] == "import:socialedge"
    parsed_day = got["2026-03-01"]
    assert parsed_day["ssi"] == 40.5 and parsed_day["industry_rank"] == 12 and parsed_day["industry"] == "Retail"
    assert json.loads(parsed_day["precision"])["brand"] == "unverified"
    assert "ssi" not in json.loads(parsed_day["precision"])  # LinkedIn's overall, whatever the order
    assert "pillars as socialedge placed them, by position" in done.stdout


def test_socialedge_v2_counts_its_moments_in_the_day_zone_and_reads_snake_case(env: Env, tmp_path: Path) -> None:
    store = Store(env.db)
    store.set_setting("day_zone", "Europe/Paris")
    store.close()
    parsed = {"overall": 50.0, "prof_brand": 15, "find_right_people": 10, "insight_engagement": 10,
              "relationship": 15}
    # 23:30 UTC on 1 June is already 2 June in Paris; its `date` (written in UTC) says the 1st.
    v2 = {"schemaVersion": 2, "exportedAt": 1780000000000, "ssiHistory": [
        {"date": "2026-06-01", "collectedAt": 1780356600000, "parsed": parsed}], "dailyActivities": None}
    done = env.run("import", str(write(tmp_path / "v2.json", v2)))
    assert done.returncode == 0, done.stderr
    assert "socialedge export v2" in done.stdout
    assert list(days(env)) == ["2026-06-02"]
    snake = {"ssi_history": [{"date": "2026-05-20", "parsed": parsed}], "daily_activities": {}}
    done = env.run("import", str(write(tmp_path / "snake.json", snake)))
    assert done.returncode == 0 and "socialedge export (snake_case)" in done.stdout
    assert list(days(env)) == ["2026-05-20", "2026-06-02"]  # a stated day stays as stated


# -- browser-storage dumps --------------------------------------------------------------------
def beacon_entry(total: int, scores: tuple[float, ...], at: str, industry: str = "Top 75%") -> dict[str, Any]:
    labels = ("Создание профессионального бренда", "Поиск нужных людей", "Взаимодействие с аналитикой",
              "Налаживание отношений")
    return {"total": total, "pillars": [{"key": k, "label": lbl, "score": s}
                                        for k, lbl, s in zip(PILLARS, labels, scores, strict=True)],
            "industryRank": industry, "networkRank": "верхние 81 %", "capturedAt": at}


def test_beacon_integer_totals_give_way_to_the_sum_of_exact_pillars(env: Env, tmp_path: Path) -> None:
    scores = (13.118002, 3.68, 0.29999998, 2.6077502)
    dump_ = {"ssi:latest": beacon_entry(20, scores, "2026-06-02T08:00:00.000Z", "верхние 74 %"),
             "ssi:history": [beacon_entry(20, scores, "2026-06-01T08:00:00.000Z")]}
    done = env.run("import", str(write(tmp_path / "beacon.json", dump_)))
    assert done.returncode == 0, done.stderr
    assert "linkedin-beacon storage (ssi:history), 2 entries" in done.stdout and "added 2 days" in done.stdout
    day = days(env)["2026-06-01"]
    assert day["ssi"] == pytest.approx(19.705752) and day["precision"] is None  # exact: the pillars' sum
    assert (day["industry_rank"], day["network_rank"]) == (75, 81)  # "Top 75%", "верхние 81 %"
    assert days(env)["2026-06-02"]["industry_rank"] == 74
    # A total that does not fit its pillars is a bad row, not a number to store.
    wrong = {"ssi:history": [beacon_entry(35, scores, "2026-06-03T08:00:00.000Z")]}
    refused = env.run("import", str(write(tmp_path / "wrong.json", wrong)))
    assert refused.returncode == 1 and "unreadable row 1: the total 35 is not the sum of its pillars" in refused.stdout


def test_linkmate_three_captures_in_one_day_keep_the_last(env: Env, tmp_path: Path) -> None:
    def capture(hour: int, brand: float, total: float | int) -> dict[str, Any]:
        return {"total": total, "components": {"establishBrand": brand, "findRightPeople": 10.5,
                                               "engageWithInsights": 8.25, "buildRelationships": 11.0},
                "industryRank": "Top 12% in your industry", "networkRank": "unknown",
                "capturedAt": 1780300800000 + hour * 3600_000}  # 2026-06-01 08:00 UTC + hours
    history = [capture(0, 12.0, 42), capture(2, 12.5, 42.25), capture(5, 13.0, 43)]
    # localStorage keeps strings: the value is the history's JSON as a string.
    done = env.run("import", str(write(tmp_path / "linkmate.json", {"linkmate.ssi.history.v1": json.dumps(history)})))
    assert done.returncode == 0, done.stderr
    assert "added 1 day (2026-06-01)" in done.stdout
    assert "skipped 2, another capture that day (the day's last is kept)" in done.stdout
    [day] = days(env).values()
    assert day["brand"] == 13.0 and day["ssi"] == pytest.approx(42.75)  # the last capture; the pillars' sum
    assert day["industry_rank"] == 12 and day["network_rank"] is None  # "unknown" stays null, never 0
    assert json.loads(day["precision"]) == {"brand": "displayed", "people": "displayed", "insights": "displayed",
                                            "relationships": "displayed", "ssi": "displayed"}


# -- CSV files ----------------------------------------------------------------------------------
SSI_DATA_HEADER = ("data_referencia;hora_referencia;secao;campo;valor_original;unidade;valor_numerico;escala;"
                   "observacao;fonte\n")


def ssi_data_file(day: str, brand: str = "20,998") -> bytes:
    rows = [
        f"{day};09:27;Social Selling Index atual;Social Selling Index atual;53 de 100;pontos;53;0-100;;fonte",
        f"{day};09:27;Os quatro componentes da sua pontuação;Estabelecer sua marca profissional;{brand};pontos;"
        f"{brand.replace(',', '.')};0-25;;fonte",
        f"{day};09:27;Os quatro componentes da sua pontuação;Localizar as pessoas certas;12,5;pontos;12.5;0-25;;fonte",
        f"{day};09:27;Os quatro componentes da sua pontuação;Interagir oferecendo insights;9,75;pontos;9.75;0-25;;f",
        f"{day};09:27;Os quatro componentes da sua pontuação;Criar relacionamentos;10;pontos;10;0-25;;fonte",
        f"{day};09:27;Sua classificação;Classificação SSI do setor;Primeiros 9%;percentual;9;percentual;;fonte",
        f"{day};09:27;Sua classificação;Classificação SSI da rede;Primeiros 15%;percentual;15;percentual;;fonte",
        f"{day};09:27;Pessoas no seu setor;SSI médio do setor;31;pontos;31;0-100;;fonte",
        f"{day};09:27;Pessoas na sua rede;SSI médio da rede;33;pontos;33;0-100;;fonte",
        f"{day};09:27;Pessoas no seu setor;Estabelecer sua marca profissional;8,5;pontos;8.5;0-25;;fonte",
    ]
    return ("\ufeff" + SSI_DATA_HEADER + "\n".join(rows) + "\n").encode("utf-8")


def test_linkedin_ssi_data_a_folder_of_daily_files(env: Env, tmp_path: Path) -> None:
    folder = tmp_path / "ssi-data"
    folder.mkdir()
    write(folder / "ssi_2026-05-19.csv", ssi_data_file("2026-05-19"))
    write(folder / "ssi_2026-05-20.csv", ssi_data_file("2026-05-20", "21,004"))
    # An older hand-made file: other section names, "%" as the unit, valor_numerico empty.
    old = ("\ufeff" + SSI_DATA_HEADER + "2026-05-18;08:00;SSI;Social Selling Index atual;52 de 100;;;;;manual\n"
           "2026-05-18;08:00;Componentes;Estabelecer sua marca profissional;20,5;;;;;manual\n"
           "2026-05-18;08:00;Componentes;Localizar as pessoas certas;12,25;;;;;manual\n"
           "2026-05-18;08:00;Componentes;Interagir oferecendo insights;9,5;;;;;manual\n"
           "2026-05-18;08:00;Componentes;Criar relacionamentos;10;;;;;manual\n"
           "2026-05-18;08:00;Ranking;Classificação SSI do setor;Primeiros 10%;%;;;;manual\n")
    write(folder / "ssi_2026-05-18.csv", old.encode("utf-8"))
    done = env.run("import", str(folder))
    assert done.returncode == 0, done.stderr
    assert done.stdout.count("linkedin-ssi-data daily CSV") == 3 and "Imported 3 days" in done.stdout
    got = days(env)
    day = got["2026-05-19"]
    assert day["ssi"] == pytest.approx(20.998 + 12.5 + 9.75 + 10)  # not the rounded "53 de 100"
    assert (day["industry_rank"], day["network_rank"], day["industry_ssi"], day["network_ssi"]) == (9, 15, 31, 33)
    assert day["industry_brand"] == 8.5
    tags = json.loads(day["precision"])
    assert tags["industry_ssi"] == "rounded" and tags["brand"] == "displayed" and tags["ssi"] == "displayed"
    assert day["collected_at"].startswith("2026-05-19T")  # 09:27 in the day zone, stored in UTC
    assert got["2026-05-18"]["ssi"] == pytest.approx(52.25) and got["2026-05-18"]["industry_rank"] == 10


def test_link_ssi_truncated_figures_are_marked_so(env: Env, tmp_path: Path) -> None:
    content = ("Date,CapturedAt,Total,Brand,People,Insights,Relationships\n"
               "2026-06-06,2026-06-06T10:41:48.927Z,52,17,14,14,7\n"
               "2026-06-06,2026-06-06T18:02:00.000Z,53,17,14,15,7\n"
               "2026-06-07,2026-06-07T09:00:00.000Z,54,18,14,15,7\n")
    done = env.run("import", str(write(tmp_path / "link_ssi.csv", content)))
    assert done.returncode == 0, done.stderr
    assert "link_ssi CSV export, 3 entries" in done.stdout
    got = days(env)
    assert got["2026-06-06"]["ssi"] == 53 and got["2026-06-06"]["insights"] == 15  # the day's last
    assert set(json.loads(got["2026-06-06"]["precision"]).values()) == {"truncated"}
    assert got["2026-06-06"]["source"] == "import:link_ssi"


def test_a_spreadsheet_of_ones_own_guessed_or_mapped(env: Env, tmp_path: Path) -> None:
    german = ("Datum;Gesamt;Marke;Personen;Einblicke;Beziehungen;Branche Rang\n"  # newest first
              "03.06.2026;46,5;15,25;10,5;9,75;11;Top 12%\n"
              "02.06.2026;46;;;;;Top 13%\n")
    done = env.run("import", str(write(tmp_path / "meine-ssi.csv", german)))
    assert done.returncode == 0, done.stderr
    assert "columns read: Datum→day, Gesamt→ssi, Marke→brand" in done.stdout
    got = days(env)
    assert got["2026-06-03"]["ssi"] == 46.5 and got["2026-06-03"]["brand"] == 15.25
    assert got["2026-06-03"]["industry_rank"] == 12 and json.loads(got["2026-06-03"]["precision"])["ssi"] == "as-given"
    assert got["2026-06-02"]["brand"] is None and got["2026-06-02"]["ssi"] == 46  # unknown stays null, never 0
    odd = "When,Score total,B\n2026-06-04,47.5,15.5\n"
    unknown = env.run("import", str(write(tmp_path / "odd.csv", odd)))
    assert unknown.returncode == 2 and "no column that gives the day" in unknown.stderr
    mapped = env.run("import", "--map", "When=day,Score total=ssi,B=brand", str(tmp_path / "odd.csv"))
    assert mapped.returncode == 0, mapped.stderr
    assert days(env)["2026-06-04"]["ssi"] == 47.5
    bad_map = env.run("import", "--map", "When=date", str(tmp_path / "odd.csv"))
    assert bad_map.returncode == 2 and "'date' is not one of" in bad_map.stderr


# -- all or nothing, days honestly -----------------------------------------------------------
def test_bad_rows_import_nothing_unless_skip_bad(env: Env, tmp_path: Path) -> None:
    seed_reading(env, "2026-06-01")
    before = dump(env)
    content = ("Date,CapturedAt,Total,Brand,People,Insights,Relationships\n"
               "2026-06-02,2026-06-02T10:00:00Z,52,17,14,14,7\n"
               "2026-06-03,2026-06-03T10:00:00Z,abc,17,14,14,7\n"
               "2026-06-04,2026-06-04T10:00:00Z,52,17,14,14,30\n")
    path = write(tmp_path / "link_ssi.csv", content)
    refused = env.run("import", str(path))
    assert refused.returncode == 1
    assert "unreadable row 3: Total is 'abc', not a number" in refused.stdout
    assert "unreadable row 4: relationships is 30, outside 0–25" in refused.stdout
    assert "Nothing imported: 2 rows could not be read" in refused.stderr
    assert dump(env) == before
    done = env.run("import", "--skip-bad", str(path))
    assert done.returncode == 0 and "Imported 1 day" in done.stdout and "left out 2 unreadable rows" in done.stdout
    assert sorted(days(env)) == ["2026-06-01", "2026-06-02"]


def test_a_file_that_is_none_of_these_imports_nothing(env: Env, tmp_path: Path) -> None:
    good = write(tmp_path / "link_ssi.csv", "Date,CapturedAt,Total,Brand,People,Insights,Relationships\n"
                                            "2026-06-02,2026-06-02T10:00:00Z,52,17,14,14,7\n")
    for name, content in (("notes.txt", "just some notes, nothing tabular\n"), ("other.json", {"foo": [1, 2]}),
                          ("picture.png", b"\x89PNG\r\n\x1a\n\x00\x00")):
        done = env.run("import", str(good), str(write(tmp_path / name, content)))
        assert done.returncode == 2 and "not a file we can import" in done.stderr and "nothing was imported" \
            in done.stderr, (name, done.stderr)
    assert not env.db.exists() or env.rows("SELECT id FROM snapshots") == []


def test_never_over_a_reading_idempotent_and_replace_imports(env: Env, tmp_path: Path) -> None:
    seed_reading(env, "2026-06-02")
    reading = days(env)["2026-06-02"]
    content = ("Date,CapturedAt,Total,Brand,People,Insights,Relationships\n"
               "2026-06-02,2026-06-02T10:00:00Z,52,17,14,14,7\n"
               "2026-06-03,2026-06-03T10:00:00Z,53,17,14,15,7\n"
               "2099-01-01,2099-01-01T10:00:00Z,53,17,14,15,7\n")
    path = write(tmp_path / "link_ssi.csv", content)
    dry = env.run("import", "--dry-run", str(path))
    assert dry.returncode == 0 and "would add 1 day (2026-06-03)" in dry.stdout and "nothing was written" in dry.stdout
    digest = hashlib.sha256(env.db.read_bytes()).hexdigest()
    assert env.rows("SELECT id FROM imports") == []
    first = env.run("import", str(path))
    assert first.returncode == 0, first.stderr
    assert "skipped 1, already collected: 2026-06-02 (snapshot #1)" in first.stdout
    assert "skipped 1, out of range: 2099-01-01 (row 4)" in first.stdout
    assert days(env)["2026-06-02"] == reading  # ours wins
    [record] = env.rows("SELECT * FROM imports")
    assert (record["days_added"], record["days_skipped"], record["rows_read"]) == (1, 2, 3) and record["finished_at"]
    before = dump(env)
    again = env.run("import", str(path))
    assert again.returncode == 0 and "Nothing new to import" in again.stdout
    assert "already imported (--replace-imports to replace): 2026-06-03 (import #1)" in again.stdout
    assert dump(env) == before  # the same file twice changes nothing
    assert hashlib.sha256(env.db.read_bytes()).hexdigest() != digest  # (the first import did write)
    newer = write(tmp_path / "newer.csv", content.replace("2026-06-03T10:00:00Z,53", "2026-06-03T10:00:00Z,54"))
    replaced = env.run("import", "--replace-imports", str(newer))
    assert replaced.returncode == 0 and "replaced the earlier import of 1 day (2026-06-03)" in replaced.stdout
    assert days(env)["2026-06-03"]["ssi"] == 54 and days(env)["2026-06-02"] == reading  # never a reading


def test_the_same_day_in_two_files_keeps_the_later_capture(env: Env, tmp_path: Path) -> None:
    scores = (13.0, 10.0, 8.0, 9.0)
    beacon = write(tmp_path / "beacon.json", {"ssi:history": [beacon_entry(40, scores, "2026-06-01T08:00:00Z")]})
    link = write(tmp_path / "link.csv", "Date,CapturedAt,Total,Brand,People,Insights,Relationships\n"
                                        "2026-06-01,2026-06-01T20:00:00Z,41,13,10,9,9\n")
    done = env.run("import", str(beacon), str(link))
    assert done.returncode == 0, done.stderr
    assert "duplicate: the same day in another file" in done.stdout
    assert days(env)["2026-06-01"]["source"] == "import:link_ssi"


# -- everywhere else ----------------------------------------------------------------------------
def test_export_then_import_is_a_round_trip(env: Env, tmp_path: Path) -> None:
    seed_reading(env, "2026-06-01")
    write(tmp_path / "link.csv", "Date,CapturedAt,Total,Brand,People,Insights,Relationships\n"
                                 "2026-06-02,2026-06-02T10:00:00Z,52,17,14,14,7\n")
    assert env.run("import", str(tmp_path / "link.csv")).returncode == 0
    exported = env.run("export", "--format", "csv").stdout
    moved = Env(data=tmp_path / "data2", db=tmp_path / "moved.db")
    done = moved.run("import", str(write(tmp_path / "export.csv", exported)))
    assert done.returncode == 0, done.stderr
    assert "ssi-collector export (CSV)" in done.stdout
    again = moved.run("export", "--format", "csv").stdout

    def rows(text: str) -> list[dict[str, str]]:
        return [{k: v for k, v in r.items() if k != "id"} for r in csv.DictReader(io.StringIO(text))]

    assert rows(again) == rows(exported) and len(rows(again)) == 2
    json_export = env.run("export", "--format", "json").stdout
    third = Env(data=tmp_path / "data3", db=tmp_path / "third.db")
    assert third.run("import", str(write(tmp_path / "export.json", json_export))).returncode == 0
    assert rows(third.run("export", "--format", "csv").stdout) == rows(exported)


def test_imported_days_in_history_chart_export_and_advice(env: Env, tmp_path: Path) -> None:
    from datetime import date, timedelta

    today = date.today()
    lines = ["Date,CapturedAt,Total,Brand,People,Insights,Relationships"]
    for back in range(40, 1, -1):
        day = today - timedelta(days=back)
        lines.append(f"{day},{day}T10:00:00Z,{40 + back // 10},12,10,9,{9 + back // 10}")
    assert env.run("import", str(write(tmp_path / "link.csv", "\n".join(lines) + "\n"))).returncode == 0
    seed_reading(env, (today - timedelta(days=1)).isoformat())
    history = env.run("history", "--days", "10")
    assert history.returncode == 0
    assert f"{today - timedelta(days=2)}+~" in history.stdout and "+ imported from another tracker" in history.stdout
    assert "~ some figures are rounded or truncated" in history.stdout
    exported = list(csv.DictReader(io.StringIO(env.run("export", "--format", "csv").stdout)))
    assert {r["source"] for r in exported} == {"import:link_ssi", "api"}
    assert json.loads(exported[0]["precision"])["ssi"] == "truncated"
    advice = json.loads(env.run("advice", "--json").stdout)
    relationships = next(p for p in advice["pillars"] if p["key"] == "relationships")
    assert relationships["trend_4w"] is not None  # counted against the imported day four weeks before
    chart = env.run("chart", "--out", str(tmp_path / "ssi.png"))
    assert chart.returncode == 0, chart.stderr
    assert (tmp_path / "ssi.png").stat().st_size > 10_000


def test_the_dashboard_draws_imported_days_as_their_own_lighter_series(env: Env, tmp_path: Path) -> None:
    import re
    import sqlite3

    from collector.trends.browse import dashboard, goal_series

    seed_reading(env, "2026-06-01")
    write(tmp_path / "link.csv", "Date,CapturedAt,Total,Brand,People,Insights,Relationships\n"
                                 "2026-05-31,2026-05-31T10:00:00Z,44,17,10,9,8\n")
    assert env.run("import", str(tmp_path / "link.csv")).returncode == 0
    chart = dashboard("ssi", "default")["charts"]["ssi"]
    sql = re.sub(r"\[\[.*?\]\]", "", chart["query"])  # the optional date filters, left out
    conn = sqlite3.connect(env.db)
    conn.row_factory = sqlite3.Row
    conn.create_function("ssi_goals", 1, lambda profile: goal_series(env.db, profile))  # as `ssi browse` does
    rows = [dict(r) for r in conn.execute(sql, {"profile": "default"}) if r["series"].startswith("You")]
    assert [(r["day"], r["series"]) for r in rows] == [("2026-05-31", "You (imported)"), ("2026-06-01", "You")]
    assert rows[0]["value"] == 44.0 and rows[1]["value"] is not None
    lines = chart["display"]["layer"][0]
    assert lines["encoding"]["opacity"]["condition"] == {"test": "datum.series === 'You (imported)'", "value": 0.45}


def test_any_bytes_give_a_reading_or_a_clear_refusal() -> None:
    """Whatever a file holds, the readers return what they read or say it is not theirs: never
    another exception (checked on random bytes and on mutated files of every shape)."""
    from hypothesis import given, strategies as st

    from parsers.trackers import FORMATS, NotThisFormat, read_tracker

    seeds = [json.dumps({"ssi:history": [beacon_entry(20, (13.1, 3.7, 0.3, 2.6), "2026-06-01T08:00:00Z")]}),
             json.dumps([{"date": "2026-03-02", "raw": RAW, "parsed": {"overall": 1}}]),
             json.dumps({"linkmate.ssi.history.v1": [{"total": 1, "capturedAt": 1}]}),
             "Date,CapturedAt,Total,Brand,People,Insights,Relationships\n2026-06-06,2026-06-06T10:41:48Z,52,17,14,14,7\n",
             ssi_data_file("2026-05-19").decode("utf-8"), "Datum;Gesamt\n01.06.2026;46,5\n"]

    @given(st.sampled_from(seeds), st.lists(st.tuples(st.integers(0, 400), st.text(max_size=8)), max_size=4),
           st.sampled_from([None, *FORMATS]))
    def mutated(seed: str, edits: list[tuple[int, str]], fmt: str | None) -> None:
        text = seed
        for at, insert in edits:
            at = min(at, len(text))
            text = text[:at] + insert + text[at + len(insert):]
        try:
            read_tracker(text.encode("utf-8", "surrogatepass"), format=fmt)
        except NotThisFormat as exc:
            assert "internal reader error" not in str(exc), str(exc)

    @given(st.binary(max_size=600))
    def noise(raw: bytes) -> None:
        try:
            read_tracker(raw)
        except NotThisFormat as exc:
            assert "internal reader error" not in str(exc), str(exc)

    mutated()
    noise()
