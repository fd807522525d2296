"""`tuopin monitoring campaign`: a township or county government deploys its year's monitoring campaign (防止返贫
监测工作) with the policy's phases, before the villages' monthly rounds (models/chains/monitoring/campaign.py)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import typer
from rich.table import Table

from cli.common import ActorOption, NowOption, console, fail, moment
from models.core import audit
from models.core.actors import actor_by_login
from models.core.db import session_scope
from models.core.errors import InvalidInput, TuopinError

monitoring_app = typer.Typer(help="Monitoring and assistance (chain F): the year's campaign.", no_args_is_help=True)


def _dates(given: list[str], year: int) -> dict[str, tuple[date, date]]:
    """`CODE=FIRST:LAST` options read as each phase's new dates."""
    found: dict[str, tuple[date, date]] = {}
    for option in given:
        code, _, span = option.partition("=")
        first, _, last = span.partition(":")
        try:
            found[code.strip()] = (date.fromisoformat(first.strip()), date.fromisoformat(last.strip()))
        except ValueError:
            raise InvalidInput(f"{year}年度防止返贫监测和帮扶工作", "--phase", option,
                               "须写作 阶段代码=开始日期:结束日期，如 entry=2026-04-11:2026-04-15") from None
    return found


@monitoring_app.command("campaign")
def campaign_command(
    region: Annotated[str, typer.Option(help="Township or county code whose households the campaign covers.")],
    year: Annotated[int, typer.Option(help="Year of the campaign.")],
    actor: ActorOption,
    phase: Annotated[list[str] | None, typer.Option(
        help="A phase's own dates, CODE=FIRST:LAST (e.g. entry=2026-04-11:2026-04-15); others keep the policy's.")]
    = None,
    now: NowOption = None,
) -> None:
    """Deploy the year's monitoring campaign of a township or county with the policy's phases; the villages' monthly
    rounds are held inside its monthly phases."""
    # imported here, as the chain's registry does: the chain's package (and Jinja2) only for this command
    from models.chains.monitoring.campaign import campaign_phases, create_campaign
    from models.chains.monitoring.stages import CODE
    from models.documents.render import cn_period

    when = moment(now)
    with session_scope() as session:
        try:
            person = actor_by_login(session, actor)
            made = create_campaign(session=session, region_code=region, year=year, actor=person, now=when,
                                   dates=_dates(phase or [], year))
            phases = campaign_phases(session, made.id or 0)
            audit.append(session, [audit.Event(when, person.name, f"{CODE}.CAMPAIGN", None, {
                "campaign": made.id, "region": region, "year": year,
                "phases": {p.code: [p.starts_on, p.ends_on] for p in phases}})])
            session.commit()
        except TuopinError as error:
            session.rollback()
            fail(error)
        table = Table(title=f"{made.name}：工作阶段")
        for header in ("阶段", "代码", "起止日期", "每月动态监测"):
            table.add_column(header)
        for p in phases:
            table.add_row(p.name, p.code, cn_period(p.starts_on, p.ends_on), "是" if p.monthly else "")
        console.print(f"已部署{made.name}（编号{made.id}），部署人{person.title()}")
        console.print(table)
