"""`tuopin record` and `tuopin inputs` in process: a stage input recorded from `--set` fields, what a stage waits
for, and refusals printed in Chinese with nothing written."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner, Result

from cli.main import app
from cli.record import _raw
from models.chains.key_village.figures import KeyVillageFacts
from models.core.actors import Role
from models.core.audit import AuditEvent
from models.core.errors import InvalidInput
from models.door.chain import Input
from models.door.forms import Field, InputForm, Kind, Upload
from models.home_checks.standards import GUARANTEES, Assessment
from tests import key_village_walk as kv
from tests.walk import open_all, walk_to

runner = CliRunner(env={"COLUMNS": "250"})
ALL_MET = [f"--set={key}=是" for key in GUARANTEES] + ["--set", "head_signed=是"]


def tuopin(*args: str) -> Result:
    return runner.invoke(app, list(args))


def rows(world, table) -> int:
    world.session.rollback()
    return int(world.session.scalar(select(func.count()).select_from(table)))


@pytest.fixture
def at_home_check(world) -> tuple[int, str]:
    """A case at the township's home check, and the login of its township's check team member."""
    case_id = open_all(world, kv.T0)[0]
    walk_to(world, [case_id], "HOME_CHECK", kv.T0)
    return case_id, world.actor(Role.TOWNSHIP_CHECK_TEAM, world.township).login


def test_inputs_lists_what_the_stage_waits_for_with_each_field(world, at_home_check):
    case_id, _ = at_home_check
    result = tuopin("inputs", str(case_id))
    assert result.exit_code == 0, result.output
    assert "入户核查（四看一算）（--input home-check，由乡镇核查组登记）" in result.output
    for shown in ("food", "吃不愁", "是/否", "education", "不涉及", "wages", "金额（元）", "0～"):
        assert shown in result.output, shown
    assert f"tuopin record {case_id} --input home-check --as 登录名 --set food=…" in result.output


def test_a_home_check_is_recorded_from_its_fields(world, at_home_check):
    case_id, login = at_home_check
    sets = [a.replace("water=是", "water=否") for a in ALL_MET]
    result = tuopin("record", str(case_id), "--input", "home-check", "--as", login, *sets, "--now", "2026-10-20")
    assert result.exit_code == 0, result.output
    assert "已登记" in result.output and "饮水安全未达标" in result.output
    world.session.rollback()
    checked = world.session.scalars(select(Assessment).where(Assessment.case_id == case_id)).one()
    assert (checked.water, checked.food, checked.passed) == (False, True, False)


def test_a_negative_income_and_a_missing_item_are_refused_together_and_nothing_is_written(world, at_home_check):
    case_id, login = at_home_check
    before = rows(world, AuditEvent)
    result = tuopin("record", str(case_id), "--input", "home-check", "--as", login, *ALL_MET[1:],
                    "--set", "wages=-100", "--now", "2026-10-20")
    assert result.exit_code == 1
    assert "未执行" in result.output and "工资性收入" in result.output and "-100" in result.output
    assert "不得为负数" in result.output and "吃不愁" in result.output and "必须填写" in result.output
    assert rows(world, Assessment) == 0 and rows(world, AuditEvent) == before


def test_an_unknown_field_an_unknown_input_and_an_unknown_login_are_refused(world, at_home_check):
    case_id, login = at_home_check
    typo = tuopin("record", str(case_id), "--input", "home-check", "--as", login, *ALL_MET, "--set", "fod=是")
    assert typo.exit_code == 1 and "fod" in typo.output and "可填：food（吃不愁）" in typo.output
    unknown = tuopin("record", str(case_id), "--input", "home-chek", "--as", login)
    assert unknown.exit_code == 1 and "没有登记事项“home-chek”" in unknown.output
    nobody = tuopin("record", str(case_id), "--input", "home-check", "--as", "nobody", *ALL_MET)
    assert nobody.exit_code == 1 and "没有登录名为“nobody”的人员" in nobody.output
    assert rows(world, Assessment) == 0


def test_an_input_the_stage_does_not_take_is_refused(world, at_home_check):
    case_id, login = at_home_check
    result = tuopin("record", str(case_id), "--input", "village-figures", "--as", login, "--set", "households=3")
    assert result.exit_code == 1 and "不登记村情数据；本环节登记：home-check" in result.output


def test_a_file_field_takes_a_path_and_a_missing_file_is_refused(tmp_path: Path):
    form = InputForm(Input.FIX, (Field("photo", "整改照片", Kind.FILE), Field("note", "说明", Kind.TEXT)),
                     record=lambda given: "")
    photo = tmp_path / "整改照片.jpg"
    photo.write_bytes(b"\xff\xd8photo")
    assert _raw(form, [f"photo={photo}", "note=a=b"]) == {"photo": [Upload("整改照片.jpg", b"\xff\xd8photo")],
                                                           "note": ["a=b"]}
    with pytest.raises(InvalidInput, match="文件不存在"):
        _raw(form, [f"photo={tmp_path / 'missing.jpg'}"])
    with pytest.raises(InvalidInput, match="须写作 --set 字段名=值"):
        _raw(form, ["photo"])


def test_a_village_s_figures_are_recorded_by_the_township(world):
    [case_id, *_] = kv.open_villages(world)
    kv.walk_to(world, [case_id], "KEY_TOWNSHIP_VERIFY", kv.T0)
    login = kv.actor_for(world, Role.TOWNSHIP_GOVERNMENT, world.villages[0]).login
    sets = ["households=300", "relative_poor_households=60", "per_capita_income=2600", "collective_income=12000",
            "source=镇政府摸查核实"]
    args = ["record", str(case_id), "--input", "village-figures", "--as", login, "--now", "2026-03-03"]
    over = tuopin(*args, *[f"--set={s}" for s in sets[:1]], "--set=relative_poor_households=400", *[
        f"--set={s}" for s in sets[2:]])
    assert over.exit_code == 1 and "相对贫困户数" in over.output and rows(world, KeyVillageFacts) == 0
    result = tuopin(*args, *[f"--set={s}" for s in sets])
    assert result.exit_code == 0, result.output
    assert rows(world, KeyVillageFacts) == 1


def test_a_finding_opens_its_case_from_the_chain_s_form(world):
    from models.chains.rectification.findings import RectificationFinding
    from models.core.actors import add_actor
    from models.core.regions import Level, prefix

    village = world.villages[0]
    add_actor(world.session, name="县复核组 周", role=Role.COUNTY_RECHECK_TEAM, login="fuhe",
              region_code=prefix(village, Level.COUNTY).ljust(12, "0"))
    world.session.commit()
    shown = tuopin("inputs", "--chain", "rectification")
    assert shown.exit_code == 0, shown.output
    assert "排查问题（--input finding，由县级复核组登记）" in shown.output
    assert "tuopin record --chain rectification --input finding --as 登录名 --set village=…" in shown.output
    args = ["record", "--chain", "rectification", "--input", "finding", "--as", "fuhe", f"--set=village={village}",
            "--set=item=1-1", "--set=found=3户收入核算有误", "--now", "2026-10-20"]
    wrong = tuopin(*args, "--set=unit=无关单位")
    assert wrong.exit_code == 1 and "责任单位" in wrong.output and rows(world, RectificationFinding) == 0
    done = tuopin(*args, "--set=unit=帮扶责任人")
    assert done.exit_code == 0, done.output
    assert "已登记排查问题，立案" in done.output and rows(world, RectificationFinding) == 1
    without = tuopin("record", "--input", "home-check", "--as", "fuhe")
    assert without.exit_code == 1 and "须指明案件编号" in without.output
