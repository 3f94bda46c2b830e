"""`ssi parse` as docs/design.md specifies it: JSON shape, tables, exit codes, help."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from collector.cli import main
from tests.conftest import CORPUS, expected_for

PAGE = CORPUS / "page-2026-en-groups.html"
BODY = CORPUS / "api-bare-free.json"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_json_for_one_file_is_the_contract_object() -> None:
    code, out, _ = run("parse", str(BODY), "--json")
    assert code == 0
    data = json.loads(out)
    assert data == expected_for(BODY)["snapshot"]
    assert list(data) == ["ssi", "pillars", "industry", "network", "source"]
    assert list(data["industry"]) == ["name", "rank", "average", "pillars"]
    assert list(data["network"]) == ["rank", "average", "pillars"]


def test_json_for_several_files_is_a_list_in_argument_order() -> None:
    code, out, _ = run("parse", str(PAGE), str(BODY), "--json")
    assert code == 0
    assert json.loads(out) == [expected_for(PAGE)["snapshot"], expected_for(BODY)["snapshot"]]


def test_table_shows_every_figure() -> None:
    code, out, _ = run("parse", str(PAGE))
    assert code == 0
    for text in ("21.50", "18.07", "14.66", "19.88", "74.11", "31.27", "35.06", "Top 3%", "Top 7%",
                 "Hospital & Health Care", "8.91", "9.39"):
        assert text in out, text


def test_html_named_json_is_read_as_html(tmp_path: Path) -> None:
    odd = tmp_path / "saved.json"
    odd.write_bytes(PAGE.read_bytes())
    code, out, _ = run("parse", str(odd), "--json")
    assert code == 0 and json.loads(out)["source"] == "page"


def test_login_page_exits_3_with_one_line() -> None:
    code, _out, err = run("parse", str(CORPUS / "blocked-checkpoint.html"))
    assert code == 3
    assert err.count("\n") == 1 and "checkpoint" in err and "Traceback" not in err


def test_unreadable_page_exits_5_naming_the_field() -> None:
    code, out, err = run("parse", str(CORPUS / "page-2026-total-disagrees.html"), "--json")
    assert code == 5
    assert out == ""
    assert err.startswith("error: ") and "ssi:" in err and err.count("\n") == 1


def test_mixed_files_report_each_failure_and_print_nothing_as_json() -> None:
    code, out, err = run("parse", str(BODY), str(CORPUS / "blocked-login.html"),
                         str(CORPUS / "page-2026-unrendered.html"), "--json")
    assert code == 5 and out == ""
    assert "blocked-login.html" in err and "page-2026-unrendered.html" in err


def test_missing_file_is_a_usage_error() -> None:
    code, _, err = run("parse", "/nonexistent/page.html")
    assert code == 2 and "does not exist" in err


def test_help_explains_itself() -> None:
    code, out, _ = run("--help")
    assert code == 0 and "Social Selling Index" in out and "parse" in out and "SSI_DB" in out
    code, out, _ = run("parse", "--help")
    assert code == 0 and ".html" in out and ".json" in out and "exit 3" in out.lower().replace("\n", " ")


def test_installed_console_script() -> None:
    ssi = Path(sys.executable).with_name("ssi")
    done = subprocess.run([str(ssi), "parse", str(BODY), "--json"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["ssi"] == 45.747108


LIVE = CORPUS / "page-2026-live-fallback.html"


def test_the_live_shape_page_reads_alone() -> None:
    """The reported failure, without an API body: a .ssi-score__value span in every <progress>."""
    code, out, err = run("parse", str(LIVE), "--json")
    assert code == 0, err
    assert json.loads(out) == expected_for(LIVE)["snapshot"] and json.loads(out)["ssi"] == 60.843002


def test_explain_shows_every_clue_and_the_winner() -> None:
    code, out, _ = run("parse", "--explain", str(LIVE))
    assert code == 0
    assert "read from the page alone" in out
    lines = out.splitlines()
    brand = lines.index(next(line for line in lines if line.strip().startswith("pillars.brand")))
    assert "19.125" in lines[brand] and "from progress bar #establish-brand__sub-score-bar" in lines[brand]
    block = "\n".join(lines[brand + 1:brand + 4])
    assert "✓ page    progress bar #establish-brand__sub-score-bar" in block and "exact" in block
    assert "= page    the row '19.12 | Establish your professional brand'" in block and "2 decimals" in block
    assert "= page    the score donut's caption" in out and "rounded (confirms only)" in out
    assert "✓ derived the sum of the four pillars" in out


def test_explain_a_page_and_a_body_together(tmp_path: Path) -> None:
    """As `ssi collect` reads a capture: the body decides; the page's hooks that disagree are marked."""
    body = tmp_path / "api.json"
    body.write_text(json.dumps(expected_for(LIVE)["captured_with"]))
    wrong = tmp_path / "page.html"
    wrong.write_text(LIVE.read_text("utf-8").replace("t-32 t-bold'>61<", "t-32 t-bold'>67<"))
    code, out, _ = run("parse", "--explain", str(wrong), str(body))
    assert code == 0
    assert "LinkedIn's answer decides; the page disagrees with it" in out
    assert "✓ api     the API body overall" in out and "✗ page    the score donut's caption " in out
    code, out, _ = run("parse", "--explain", "--json", str(wrong), str(body))
    data = json.loads(out)
    assert data["decided_by"] == "api" and data["page_check"] == "disagrees"
    assert data["snapshot"]["ssi"] == 60.843002
    ssi = next(f for f in data["fields"] if f["field"] == "ssi")
    roles = {(c["hook"], c["role"]) for c in ssi["clues"]}
    assert ("the API body overall", "chosen") in roles and ("the score donut's caption", "disagrees") in roles


def test_explain_with_a_body_that_is_json_but_no_usable_answer() -> None:
    """The collector falls back to the page alone; the explanation says so and marks the body's clues."""
    page = CORPUS / "page-2026-en-full.html"
    code, out, _ = run("parse", "--explain", str(page), str(CORPUS / "api-overall-not-sum.json"))
    assert code == 0
    assert "read from the page alone (no usable API body)" in out
    assert "note: LinkedIn's answer could not be used: ssi: the sum of the four pillars says 45.747108" in out
    assert "✓ derived the sum of the four pillars" in out and "✗ api     the API body overall" in out
    code, out, _ = run("parse", "--explain", str(page), str(CORPUS / "api-pillar-out-of-range.json"))
    assert code == 0 and "! api     the API body memberScore FIND_RIGHT_PEOPLE" in out


def test_explain_a_page_that_fails_alone_exits_5_and_still_explains() -> None:
    code, out, err = run("parse", "--explain", str(CORPUS / "page-2026-total-disagrees.html"))
    assert code == 5 and "says 52 but the sum of the four pillars says" in err
    assert "not read" in out and "✗ page    the score donut's caption" in out
    code, _, err = run("parse", "--explain", str(CORPUS / "blocked-login.html"))
    assert code == 3 and "sign-in" in err
