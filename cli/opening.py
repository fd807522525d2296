"""`tuopin open --chain NAME --year Y`: open a year's cases of a chain as its entry rule admits them
(models/door/opening.py), signed by the person acting, each refusal named; `--dry-run` only shows the plan."""

from __future__ import annotations

from collections import Counter
from typing import Annotated

import typer
from sqlmodel import Session

from cli.common import NowOption, console, fail, moment
from models.core.actors import Actor, actor_by_login, system_actor
from models.core.db import session_scope
from models.core.errors import TuopinError
from models.door.chain import chain_named
from models.door.opening import Opening, open_planned, plan_opening

SHOWN = 10  # refusals printed one by one; past that, a count by reason as well


def _actor(session: Session, login: str | None) -> Actor:
    return actor_by_login(session, login) if login else system_actor(session)


def show_refused(opening: Opening) -> None:
    """Each refusal, or the first ten and a count by reason when there are more."""
    refused = opening.refused
    if not refused:
        return
    console.print(f"未立案{len(refused)}{opening.unit}：")
    for refusal in refused[:SHOWN]:
        console.print(f"  {refusal}")
    if len(refused) > SHOWN:
        console.print(f"  ……另有{len(refused) - SHOWN}{opening.unit}未列出；按原因：")
        for reason, count in Counter(r.reason for r in refused).most_common():
            console.print(f"  {reason}：{count}{opening.unit}")


def open_command(
    chain: Annotated[str, typer.Option(help="Which chain (see `tuopin chains`), e.g. household-exit.")],
    year: Annotated[int, typer.Option(help="Year of the round.")],
    region: Annotated[str | None, typer.Option(
        help="Region code: without a list, the chain's entry rule chooses its households; with one, the list "
             "must lie in it.")] = None,
    households: Annotated[str | None, typer.Option(
        help="Households applying or chosen: 户编号 (household numbers) or ids, comma-separated.")] = None,
    villages: Annotated[str | None, typer.Option(help="Village codes, comma-separated (village chains).")] = None,
    actor: Annotated[str | None, typer.Option(
        "--as", help="Login (or #id) of the person opening the cases (default: the system).")] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Show who would enter and who is refused; write "
                                                            "nothing.")] = False,
    now: NowOption = None,
) -> None:
    """Open a year's cases of a chain in its first stage: the households or villages listed, or the region's
    households the chain's entry rule chooses; those it leaves out are named with the rule. A list with any one
    refused opens none."""
    when = moment(now)
    with session_scope() as session:
        try:
            found = chain_named(chain)
            person = _actor(session, actor)
            opening = plan_opening(session, chain=found, year=year, region=region, households=households or "",
                                   villages=villages or "", actor=person)
            if dry_run:
                session.rollback()
                console.print(f"试算（未写入）：可立案{len(opening.entering)}件（{found.name}，{year}年度）")
                for label in opening.entering[:SHOWN]:
                    console.print(f"  {label}")
                if len(opening.entering) > SHOWN:
                    console.print(f"  ……另有{len(opening.entering) - SHOWN}{opening.unit}")
                show_refused(opening)
                return
            if opening.listed and opening.refused:
                show_refused(opening)
            opened = open_planned(session=session, opening=opening, actor=person, now=when)
            session.commit()
        except TuopinError as error:
            session.rollback()
            fail(error)
    console.print(f"已立案{len(opened)}件（{found.name}，{year}年度，每{opening.unit}一件），"
                  f"处于“{found.first.name}”环节，立案人{person.title()}")
    show_refused(opening)
