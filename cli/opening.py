"""`tuopin open --chain NAME --year Y`: open a year's cases of a chain, households or villages, through the one
function that opens cases (models/door/cases.py::open_cases), signed by the system."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated

import typer
from sqlalchemy import select
from sqlmodel import Session, col

from cli.common import NowOption, console, fail, moment
from models.core.actors import SYSTEM_NAME, Actor, actor_named
from models.core.case import Case
from models.core.db import session_scope
from models.core.errors import InvalidInput, NotFound, TuopinError
from models.core.household import Household
from models.core.regions import LEVEL_NAMES, Level, Region, code_prefix
from models.door.cases import open_cases
from models.door.chain import Chain, Subject, chain_named


# A chain whose stages record a village's acceptance or figures has villages for subjects (no household).
def _listed(values: str | None) -> list[str]:
    return [v.strip() for v in (values or "").replace("，", ",").split(",") if v.strip()]


def _system(session: Session) -> Actor:
    try:
        return actor_named(session, SYSTEM_NAME)
    except NotFound:
        raise NotFound("系统人员尚未登记：请先导入本县区划（tuopin regions import），省级区划登记时一并登记系统人员") \
            from None


def _in_region(region: str | None, code: str, record: str) -> None:
    if region and not code.startswith(code_prefix(region)):
        raise InvalidInput(record, "区划", code, f"不在所给区划{region}内")


def _taken(session: Session, chain: Chain, year: int) -> tuple[set[int], set[str]]:
    """Households and villages (of village cases) with a case of the chain this year, whatever its status."""
    rows = session.execute(select(col(Case.household_id), col(Case.village_code))
                           .where(col(Case.chain) == chain.code, col(Case.year) == year)).tuples().all()
    return {h for h, _ in rows if h is not None}, {v for h, v in rows if h is None}


def _households(session: Session, chain: Chain, year: int, ids: Sequence[int], region: str | None) -> list[int]:
    """The households given, once none already has a case of the chain this year (an unknown id is left to
    open_cases, which names it)."""
    taken, _ = _taken(session, chain, year)
    found = dict(session.execute(select(col(Household.id), col(Household.village_code))
                                 .where(col(Household.id).in_(ids))).tuples().all())
    for hid in ids:
        if hid in taken:
            raise InvalidInput("立案", "户ID", hid, f"已有{year}年度{chain.name}案件，不能重复立案")
        if hid in found:
            _in_region(region, found[hid], f"户ID{hid}")
    return list(dict.fromkeys(ids))


def _villages(session: Session, chain: Chain, year: int, codes: Sequence[str], region: str | None) -> list[str]:
    """The villages given, once each is a village-level code without a case of the chain this year."""
    _, taken = _taken(session, chain, year)
    levels = dict(session.execute(select(col(Region.code), col(Region.level))
                                  .where(col(Region.code).in_(codes))).tuples().all())
    for code in codes:
        level = levels.get(code)
        if level is not None and level is not Level.VILLAGE:
            raise InvalidInput(f"村{code}", "村区划代码", code,
                               f"是{LEVEL_NAMES[Level(level)]}区划，{chain.name}须给出村级区划代码")
        if code in taken:
            raise InvalidInput(f"村{code}", "村区划代码", code, f"已有{year}年度{chain.name}案件，不能重复立案")
        _in_region(region, code, f"村{code}")
    return list(dict.fromkeys(codes))


def _region_households(session: Session, chain: Chain, year: int, region: str) -> tuple[list[int], int]:
    """The region's registered households without a case of the chain this year, and how many have one."""
    if session.get(Region, region) is None:
        raise NotFound(f"区划代码“{region}”未登记")
    ids = list(session.execute(select(col(Household.id)).where(
        col(Household.village_code).startswith(code_prefix(region))).order_by(col(Household.id))).scalars())
    taken, _ = _taken(session, chain, year)
    fresh = [hid for hid in ids if hid not in taken]
    return fresh, len(ids) - len(fresh)


def open_command(
    chain: Annotated[str, typer.Option(help="Which chain (see `tuopin chains`), e.g. household-exit.")],
    year: Annotated[int, typer.Option(help="Year of the round.")],
    region: Annotated[str | None, typer.Option(help="Region code: without a list, its households enter.")] = None,
    households: Annotated[str | None, typer.Option(help="Household ids, comma-separated.")] = None,
    villages: Annotated[str | None, typer.Option(help="Village codes, comma-separated (village chains).")] = None,
    now: NowOption = None,
) -> None:
    """Open a year's cases of a chain in its first stage: the households or villages given, or the region's
    households that have no case of the chain this year."""
    when = moment(now)
    codes = _listed(villages)
    try:
        ids = [int(v) for v in _listed(households)]
    except ValueError:
        fail(InvalidInput("立案", "户ID", households, "须为户ID（整数），多个用逗号分隔"))
    left_out = 0
    household_ids: list[int] = []
    village_codes: list[str] = []
    with session_scope() as session:
        try:
            found = chain_named(chain)
            if found.subject is Subject.FINDING:
                raise InvalidInput("立案", "流程", found.name, "该流程的案件由登记排查问题逐件立案，不能批量立案")
            if ids and codes:
                raise InvalidInput("立案", "--households/--villages", "", "一次只能给出户或村，不能同时给出")
            if found.subject is Subject.VILLAGE:
                if ids or not codes:
                    raise InvalidInput("立案", "--villages", households or "", f"{found.name}以村为单位立案，"
                                       "请用--villages列出村级区划代码")
                village_codes = _villages(session, found, year, codes, region)
            elif codes:
                raise InvalidInput("立案", "--villages", villages, f"{found.name}以户为单位立案，"
                                   "请用--households列出户ID，或用--region给出区划")
            elif ids:
                household_ids = _households(session, found, year, ids, region)
            elif region:
                household_ids, left_out = _region_households(session, found, year, region)
            else:
                raise InvalidInput("立案", "--region", "", "须给出区划（--region）或户ID清单（--households）")
            opened = open_cases(session=session, chain=found.code, year=year, now=when, actor=_system(session),
                                household_ids=household_ids, village_codes=village_codes)
            session.commit()
        except TuopinError as error:
            session.rollback()
            fail(error)
    unit = "村" if found.subject is Subject.VILLAGE else "户"
    skipped = f"；未立案{left_out}户：已有{year}年度{found.name}案件" if left_out else ""
    console.print(f"已立案{len(opened)}件（{found.name}，{year}年度，每{unit}一件），"
                  f"处于“{found.first.name}”环节{skipped}")
