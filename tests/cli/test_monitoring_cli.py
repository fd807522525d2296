"""`tuopin monitoring campaign`: a township government deploys its year's monitoring campaign with the policy's
phases (or its own dates for some), audited; a second one, a village's person or phases out of order are refused
with nothing written."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select
from typer.testing import CliRunner, Result

from cli.main import app
from models.chains.monitoring.tables import MonitoringCampaign, MonitoringPhase
from models.core.actors import Role
from models.core.audit import AuditEvent

runner = CliRunner(env={"COLUMNS": "250"})


def tuopin(*args: str) -> Result:
    return runner.invoke(app, ["monitoring", "campaign", *args, "--now", "2026-03-16 09:00"])


def written(world) -> tuple[int, int, int]:
    """Campaigns, phases and campaign audit events in the database."""
    world.session.rollback()
    return tuple(int(world.session.scalar(select(func.count()).select_from(table).where(*where)) or 0)
                 for table, where in ((MonitoringCampaign, ()), (MonitoringPhase, ()),
                                      (AuditEvent, (AuditEvent.action == "MONITORING.CAMPAIGN",))))


def test_a_township_deploys_its_campaign_once_with_the_policy_s_phases(world):
    government = world.actor(Role.TOWNSHIP_GOVERNMENT, world.township).login
    result = tuopin("--region", world.township, "--year", "2026", "--as", government,
                    "--phase", "entry=2026-04-11:2026-04-14")
    assert result.exit_code == 0, result.output
    assert "2026年度防止返贫监测和帮扶工作（编号1）" in result.output and "2026年4月11日至4月14日" in result.output
    assert "2026年7月1日至12月31日" in result.output  # the policy's consolidation phase
    assert written(world) == (1, 6, 1)
    entry = world.session.scalars(select(MonitoringPhase).where(MonitoringPhase.code == "entry")).one()
    assert (entry.starts_on, entry.ends_on) == (date(2026, 4, 11), date(2026, 4, 14))
    again = tuopin("--region", world.township, "--year", "2026", "--as", government)
    assert again.exit_code == 1 and "本年度已部署监测工作，不能重复部署" in again.output
    assert written(world) == (1, 6, 1)


def test_a_wrong_person_phase_or_date_is_refused_and_writes_nothing(world):
    committee = world.actor(Role.VILLAGE_COMMITTEE).login
    government = world.actor(Role.TOWNSHIP_GOVERNMENT, world.township).login
    refused = tuopin("--region", world.township, "--year", "2026", "--as", committee)
    assert refused.exit_code == 1 and "未执行" in refused.output and "须为" in refused.output
    overlap = tuopin("--region", world.township, "--year", "2026", "--as", government,
                     "--phase", "entry=2026-04-09:2026-04-15")
    assert overlap.exit_code == 1 and "须晚于上一阶段（评定阶段）的结束日期" in overlap.output
    typo = tuopin("--region", world.township, "--year", "2026", "--as", government, "--phase", "entry=4月11日")
    assert typo.exit_code == 1 and "须写作 阶段代码=开始日期:结束日期" in typo.output
    unknown = tuopin("--region", world.township, "--year", "2026", "--as", government,
                     "--phase", "x=2026-05-01:2026-05-02")
    assert unknown.exit_code == 1 and "可选：screening（排查阶段）" in unknown.output
    assert written(world) == (0, 0, 0)
