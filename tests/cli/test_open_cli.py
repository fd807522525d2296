"""`tuopin open --chain NAME --year Y`: a year's cases opened through the one function, each refusal named."""

from __future__ import annotations

from sqlalchemy import func, select
from typer.testing import CliRunner, Result

from cli.main import app
from models.core.actors import SYSTEM_NAME
from models.core.audit import AuditEvent
from models.core.case import Case
from models.core.household import Household

runner = CliRunner(env={"COLUMNS": "250"})


def tuopin(*args: str) -> Result:
    return runner.invoke(app, ["open", *args, "--now", "2026-10-08 09:00"])


def cases(world, chain: str = "HOUSEHOLD_EXIT") -> list[Case]:
    world.session.rollback()
    return list(world.session.scalars(select(Case).where(Case.chain == chain).order_by(Case.id)))


def households_in(world, prefix: str) -> list[int]:
    query = select(Household.id).where(Household.village_code.startswith(prefix))  # type: ignore[call-overload, attr-defined]
    return sorted(world.session.scalars(query))


def audits(world) -> int:
    world.session.rollback()
    return int(world.session.scalar(select(func.count()).select_from(AuditEvent)) or 0)


def test_a_townships_households_are_opened_once_and_a_second_run_leaves_them_out(world):
    expected = households_in(world, world.township[:9])
    result = tuopin("--chain", "household-exit", "--year", "2026", "--region", world.township)
    assert result.exit_code == 0, result.output
    assert f"已立案{len(expected)}件（贫困户脱贫退出，2026年度，每户一件），处于“村民小组推荐”环节" in result.output
    opened = cases(world)
    assert sorted(c.household_id for c in opened) == expected and {c.stage for c in opened} == {"GROUP_RECOMMEND"}
    events = world.session.scalars(select(AuditEvent).where(AuditEvent.action == "HOUSEHOLD_EXIT.OPEN")).all()
    assert len(events) == len(expected) and {e.actor for e in events} == {SYSTEM_NAME}
    county = tuopin("--chain", "household-exit", "--year", "2026", "--region", world.area.county_code)
    assert county.exit_code == 0, county.output
    rest = len(world.area.household_ids) - len(expected)
    assert f"已立案{rest}件" in county.output
    assert f"未立案{len(expected)}户：已有2026年度贫困户脱贫退出案件" in county.output
    assert len(cases(world)) == len(world.area.household_ids)
    other_chain = tuopin("--chain", "edge-identify", "--year", "2026", "--households", str(expected[0]))
    assert other_chain.exit_code == 0 and "已立案1件（贫困边缘户识别" in other_chain.output
    no_policy = tuopin("--chain", "household-exit", "--year", "2031", "--households", str(expected[0]))
    assert no_policy.exit_code == 1 and "2031" in no_policy.output and len(cases(world)) == len(expected) + rest


def test_a_household_already_in_a_case_of_the_chain_and_year_is_refused_and_nothing_written(world):
    first, second = world.area.household_ids[:2]
    assert tuopin("--chain", "household-exit", "--year", "2026", "--households", str(first)).exit_code == 0
    before = audits(world)
    result = tuopin("--chain", "household-exit", "--year", "2026", "--households", f"{second},{first}")
    assert result.exit_code == 1
    assert f"“户ID”的值“{first}”不符合规则：已有2026年度贫困户脱贫退出案件，不能重复立案" in result.output
    assert [c.household_id for c in cases(world)] == [first] and audits(world) == before


def test_an_unknown_household_refuses_the_whole_list(world):
    known = world.area.household_ids[0]
    result = tuopin("--chain", "edge-identify", "--year", "2026", "--households", f"{known},999999")
    assert result.exit_code == 1 and "“户ID”的值“999999”不符合规则：没有这一户" in result.output
    assert cases(world, "EDGE_IDENTIFY") == []
    bad = tuopin("--chain", "edge-identify", "--year", "2026", "--households", "12a")
    assert bad.exit_code == 1 and "须为户ID（整数）" in bad.output


def test_a_village_chain_opens_the_villages_given_and_refuses_a_code_at_the_wrong_level(world):
    wrong = tuopin("--chain", "village-exit", "--year", "2026", "--villages", f"{world.villages[0]},{world.township}")
    assert wrong.exit_code == 1
    assert f"“村区划代码”的值“{world.township}”不符合规则：是乡镇级区划，贫困村退出须给出村级区划代码" in wrong.output
    assert cases(world, "VILLAGE_EXIT") == []
    result = tuopin("--chain", "village-exit", "--year", "2026", "--villages", "，".join(world.villages[:2]))
    assert result.exit_code == 0 and "已立案2件（贫困村退出，2026年度，每村一件）" in result.output
    opened = cases(world, "VILLAGE_EXIT")
    assert [c.village_code for c in opened] == world.villages[:2] and {c.household_id for c in opened} == {None}
    again = tuopin("--chain", "village-exit", "--year", "2026", "--villages", world.villages[1])
    assert again.exit_code == 1 and "已有2026年度贫困村退出案件，不能重复立案" in again.output
    no_list = tuopin("--chain", "village-exit", "--year", "2026", "--region", world.township)
    assert no_list.exit_code == 1 and "以村为单位立案" in no_list.output


def test_subjects_of_the_wrong_kind_an_unknown_chain_and_a_finding_chain_are_refused(world):
    households = tuopin("--chain", "household-exit", "--year", "2026", "--villages", world.villages[0])
    assert households.exit_code == 1 and "贫困户脱贫退出以户为单位立案" in households.output
    unknown = tuopin("--chain", "no-such-chain", "--year", "2026", "--region", world.township)
    assert unknown.exit_code == 1 and "没有流程“no-such-chain”" in unknown.output
    findings = tuopin("--chain", "rectification", "--year", "2026", "--villages", world.villages[0])
    assert findings.exit_code == 1 and "由登记排查问题逐件立案" in findings.output
    outside = tuopin("--chain", "household-exit", "--year", "2026", "--region", world.area.townships[1],
                     "--households", str(households_in(world, world.township[:9])[0]))
    assert outside.exit_code == 1 and f"不在所给区划{world.area.townships[1]}内" in outside.output
    assert cases(world) == []
