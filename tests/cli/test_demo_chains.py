"""`tuopin demo --chain`: each chain's demo end to end on the simulated clock, and a clear refusal otherwise."""

from __future__ import annotations

import importlib
import sqlite3
import sys
from contextlib import closing
from dataclasses import replace
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli.main import app, demo_chains, demo_of
from models.core.errors import NotFound
from models.door.chain import all_chains, chain_named

runner = CliRunner(env={"COLUMNS": "250"})
# The papers of a demo by kind, where no other test counts them (chain C: tests/cli/test_demo_edge.py; chain E:
# tests/models/test_relative_demo.py).
PAPERS = {
    "KEY_VILLAGE": {
        # six villages each apply through their own committee on the first day: one application per village and day;
        # the city's return sends a village back to the county check, not to the application
        "application": 6,
        "key_village_township_list": 2,  # one per township
        # the county checks twice (before and after the city's return); the second rewrites the county's one table
        "key_village_county_summary": 1,
        # one per county sample: the five villages the county confirmed, then the returned village alone on its
        # second visit to the city's check
        "key_village_city_check_form": 2,
        "key_village_province_check_form": 1,  # the province draws once, after every village passed the city
        "key_village_notice": 1,  # one province-wide publicity window
    },
}


pytestmark = pytest.mark.usefixtures("demo_folder")


def test_the_village_exit_demo_exits_two_villages_and_vetoes_the_one_above_2_percent(tmp_path: Path):
    out = tmp_path / "village"
    result = runner.invoke(app, ["demo", "--chain", "village-exit", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "综合贫困发生率2.01%" in result.output
    with closing(sqlite3.connect(out / "tuopin.db")) as db:
        states = dict(db.execute("SELECT status, count(*) FROM \"case\" WHERE chain = 'VILLAGE_EXIT' GROUP BY status"))
        kinds = {kind for (kind,) in db.execute("SELECT kind FROM document WHERE chain = 'VILLAGE_EXIT'")}
        paths = [Path(p) for (p,) in db.execute("SELECT path FROM document WHERE chain = 'VILLAGE_EXIT'")]
    assert states == {"EXITED": 2, "REJECTED": 1}
    assert kinds == {"application", "minutes", "village_approval_form", "village_exit_notice", "village_request",
                     "three_rates_summary", "village_exit_announcement"}
    assert paths and all(p.is_file() and p.is_relative_to(out) for p in paths)


def test_each_demo_module_names_the_chain_whose_package_it_is_named_for():
    for chain in demo_chains():
        module = importlib.import_module(f"demo.{chain.code.lower()}")
        assert module.CODE == chain.code and callable(module.run)


def test_a_chain_without_a_demo_is_refused_with_the_chains_that_have_one():
    with pytest.raises(NotFound) as refused:
        demo_of(replace(chain_named("village-exit"), code="NO_DEMO", name="无演示流程"))
    assert str(refused.value).startswith("无演示流程尚无演示；有演示的流程：household-exit（贫困户脱贫退出）、")
    assert "demo.no_demo" not in sys.modules


def test_an_unknown_chain_is_refused_with_the_chains_that_exist(tmp_path: Path):
    result = runner.invoke(app, ["demo", "--chain", "no-such-chain", "--out", str(tmp_path / "x")])
    assert result.exit_code == 1
    said = result.output.replace("\n", "")  # the console wraps long lines
    assert "未执行：" in said and "没有流程“no-such-chain”" in said
    assert all(c.code.lower().replace("_", "-") in said for c in all_chains())
    assert not (tmp_path / "x").exists()


def test_every_chain_has_a_demo():
    assert demo_chains() == all_chains()


# household exit: tests/flows/test_household_exit.py
@pytest.mark.parametrize("code", sorted({c.code for c in demo_chains()} - {"HOUSEHOLD_EXIT"}))
def test_each_chains_demo_runs_end_to_end_and_leaves_its_documents(tmp_path: Path, code: str):
    out = tmp_path / code.lower()
    result = runner.invoke(app, ["demo", "--chain", code.lower().replace("_", "-"), "--out", str(out)])
    assert result.exit_code == 0, result.output
    with closing(sqlite3.connect(out / "tuopin.db")) as db:
        cases = db.execute('SELECT count(*) FROM "case" WHERE chain = ?', (code,)).fetchone()[0]
        paths = [Path(p) for (p,) in db.execute("SELECT path FROM document WHERE chain = ?", (code,))]
        kinds = dict(db.execute("SELECT kind, count(*) FROM document WHERE chain = ? GROUP BY kind", (code,)))
    assert cases > 0 and paths and all(p.is_file() and p.is_relative_to(out) for p in paths)
    # every paper its stages list, written by the machine (demo/papers.py), none by the demo itself
    assert set(kinds) == {kind for stage in chain_named(code).stages for kind in stage.documents}
    assert kinds == PAPERS.get(code, kinds)


@pytest.mark.parametrize("command", [["run", "430121101000", "--year", "2026", "--chain", "no-such-chain"],
                                     ["status", "--chain", "no-such-chain"]])
def test_an_unknown_chain_is_refused_by_run_and_status(tmp_path: Path, command: list[str]):
    result = runner.invoke(app, ["--db", str(tmp_path / "x.db"), *command])
    said = result.output.replace("\n", "")
    assert result.exit_code == 1 and "未执行：" in said and "没有流程“no-such-chain”" in said
    assert not (tmp_path / "x.db").exists() or (tmp_path / "x.db").stat().st_size == 0
