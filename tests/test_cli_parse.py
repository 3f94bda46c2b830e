"""`ssi parse` as DESIGN.md specifies it: JSON shape, tables, exit codes, help."""

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
