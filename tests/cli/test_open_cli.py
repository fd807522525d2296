"""`tuopin open --chain NAME --year Y`: a year's cases opened as the chain's entry rule admits them, signed by the
person acting, each refusal named; `--dry-run` writes nothing."""

from __future__ import annotations

from sqlalchemy import func, select
from typer.testing import CliRunner, Result

from cli.main import app
from models.core.actors import SYSTEM_NAME, Role
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


def test_a_townships_households_are_opened_once_and_a_second_run_names_those_left_out(world):
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
    assert f"已立案{rest}件" in county.output and f"未立案{len(expected)}户：" in county.output
    # More than ten refused: the first ten, then a count by reason.
    assert county.output.count("已有2026年度贫困户脱贫退出案件，不能重复立案") == 10 + 1
    assert f"……另有{len(expected) - 10}户未列出" in county.output
    assert f"已有2026年度贫困户脱贫退出案件，不能重复立案：{len(expected)}户" in county.output
    assert len(cases(world)) == len(world.area.household_ids)
    unfinished = tuopin("--chain", "household-exit", "--year", "2027", "--households", str(expected[0]))
    assert unfinished.exit_code == 1 and "2026年度贫困户脱贫退出案件尚未办结，不能另行立案" in unfinished.output


def test_a_dry_run_shows_who_would_enter_and_who_is_refused_and_writes_nothing(world):
    first, second = world.area.household_ids[:2]
    number = world.session.get(Household, first).number
    before = audits(world)
    result = tuopin("--chain", "household-exit", "--year", "2026", "--households", f"{number},{second},404",
                    "--dry-run")
    assert result.exit_code == 0, result.output
    assert "试算（未写入）：可立案2件（贫困户脱贫退出，2026年度）" in result.output
    assert f"户{number}（户主" in result.output
    assert "未立案1户：" in result.output and "户编号或户ID“404”：没有这一户" in result.output
    assert cases(world) == [] and audits(world) == before
    no_policy = tuopin("--chain", "household-exit", "--year", "2031", "--households", str(first), "--dry-run")
    assert no_policy.exit_code == 1 and "2031" in no_policy.output


def test_a_list_with_one_refused_opens_none_and_names_it(world):
    first, second = world.area.household_ids[:2]
    assert tuopin("--chain", "household-exit", "--year", "2026", "--households", str(first)).exit_code == 0
    before = audits(world)
    again = tuopin("--chain", "household-exit", "--year", "2026", "--households", str(first))
    assert again.exit_code == 1 and "已有2026年度贫困户脱贫退出案件，不能重复立案" in again.output
    assert "所列名单须全部可以立案，本次未立案" in again.output and audits(world) == before
    mixed = tuopin("--chain", "household-exit", "--year", "2026", "--households", f"{second}，{first}")
    assert mixed.exit_code == 1 and "未立案1户：" in mixed.output and audits(world) == before
    assert [c.household_id for c in cases(world)] == [first]
    corrected = tuopin("--chain", "household-exit", "--year", "2026", "--households", f"{second}")
    assert corrected.exit_code == 0 and "已立案1件" in corrected.output
    assert [c.household_id for c in cases(world)] == [first, second]


def test_chain_c_opens_applicants_only_refusing_a_registered_poor_household(world):
    poor = world.session.get(Household, world.area.household_ids[0])
    refused = tuopin("--chain", "edge-identify", "--year", "2026", "--households", poor.number)
    assert refused.exit_code == 1
    assert f"户{poor.number}（户主{poor.head_name}）：是建档立卡贫困户，不能申请贫困边缘户" in refused.output
    region = tuopin("--chain", "edge-identify", "--year", "2026", "--region", world.township)
    assert region.exit_code == 1 and "由农户申请立案：请列出申请户的户编号" in region.output
    assert cases(world, "EDGE_IDENTIFY") == []


def test_a_village_chain_opens_the_villages_listed_and_names_a_code_at_the_wrong_level(world):
    wrong = tuopin("--chain", "village-exit", "--year", "2026", "--villages", f"{world.villages[0]},{world.township}")
    assert wrong.exit_code == 1 and cases(world, "VILLAGE_EXIT") == []
    assert f"（{world.township}）：是乡镇级区划，贫困村退出须给出村级区划代码" in wrong.output
    first = tuopin("--chain", "village-exit", "--year", "2026", "--villages", world.villages[0])
    assert first.exit_code == 0 and "已立案1件（贫困村退出，2026年度，每村一件）" in first.output
    result = tuopin("--chain", "village-exit", "--year", "2026", "--villages", "，".join(world.villages[:2]))
    assert result.exit_code == 1 and "未立案1村：" in result.output
    result = tuopin("--chain", "village-exit", "--year", "2026", "--villages", world.villages[1])
    assert result.exit_code == 0 and "已立案1件" in result.output
    opened = cases(world, "VILLAGE_EXIT")
    assert [c.village_code for c in opened] == world.villages[:2] and {c.household_id for c in opened} == {None}
    no_list = tuopin("--chain", "village-exit", "--year", "2026", "--region", world.township)
    assert no_list.exit_code == 1 and "以村为单位立案" in no_list.output


def test_opening_is_signed_by_the_login_given_and_a_person_who_may_not_open_is_refused(world):
    township = world.actor(Role.TOWNSHIP_GOVERNMENT, world.township)
    committee = world.actor(Role.VILLAGE_COMMITTEE, world.villages[0])
    village = tuopin("--chain", "household-exit", "--year", "2026", "--region", world.villages[0],
                     "--as", committee.login)
    assert village.exit_code == 1 and "须为乡镇人民政府" in village.output and cases(world) == []
    unknown = tuopin("--chain", "household-exit", "--year", "2026", "--region", world.township, "--as", "nobody")
    assert unknown.exit_code == 1 and "没有登录名为“nobody”的人员" in unknown.output
    result = tuopin("--chain", "household-exit", "--year", "2026", "--region", world.area.county_code,
                    "--as", township.login)
    assert result.exit_code == 0 and f"立案人{township.title()}" in result.output
    assert f"不在{township.title()}的辖区内" in result.output
    assert {c.village_code[:9] for c in cases(world)} == {world.township[:9]}


def test_subjects_of_the_wrong_kind_an_unknown_chain_and_a_finding_chain_are_refused(world):
    households = tuopin("--chain", "household-exit", "--year", "2026", "--villages", world.villages[0])
    assert households.exit_code == 1 and "贫困户脱贫退出以户为单位立案" in households.output
    unknown = tuopin("--chain", "no-such-chain", "--year", "2026", "--region", world.township)
    assert unknown.exit_code == 1 and "没有流程“no-such-chain”" in unknown.output
    findings = tuopin("--chain", "rectification", "--year", "2026", "--villages", world.villages[0])
    assert findings.exit_code == 1 and "由登记排查问题逐件立案" in findings.output
    outside = tuopin("--chain", "household-exit", "--year", "2026", "--region", world.area.townships[1],
                     "--households", str(households_in(world, world.township[:9])[0]))
    assert outside.exit_code == 1 and "不在所给区划" in outside.output and world.area.townships[1] in outside.output
    assert cases(world) == []
