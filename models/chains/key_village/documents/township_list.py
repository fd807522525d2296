"""The township's ranked verification list of applying key villages (镇级核实排序表, seed 004 “按相对贫困程度排序，
出具书面审核意见”): every village with the figures the township verified, the eligible ones ranked poorest first and
the ineligible ones listed below with the condition they miss. Also the rows the county's summary table reuses."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import Session, col, select

from models.chains.key_village.figures import (
    RANKING_RULE,
    RankInput,
    key_village_policy,
    newest_figures,
    rank_inputs,
    rank_villages,
    share_text,
    shortfalls,
)
from models.core.case import Case
from models.core.clock import local_date
from models.core.document import Document
from models.core.errors import NotFound
from models.core.regions import Level, prefix
from models.documents.common import parent, region, title_lines
from models.documents.owed import batch_decided
from models.documents.registry import Paper, Run, Scope, Trigger, register
from models.documents.render import render, store

KIND = "key_village_township_list"
CHAIN = "KEY_VILLAGE"
STAGE = "KEY_TOWNSHIP_VERIFY"


@dataclass(frozen=True)
class RankRow:
    place: str  # the rank, or empty for a village that does not meet the conditions
    township: str
    village: str
    households: int
    relative_poor_households: int
    poor_share: str
    per_capita_income: str
    collective_income: str
    source: str
    opinion: str


@dataclass(frozen=True)
class RankedListContext:
    title: str
    title_lines: tuple[str, ...]
    year: int
    rule: str
    condition: str
    rows: tuple[RankRow, ...]
    eligible: int
    issuer: str
    contact_name: str
    contact_phone: str
    issued_on: date


def scope_case_ids(session: Session, scope_code: str, level: Level, year: int, stage: str) -> list[int]:
    """The chain's cases of the year in the region that have figures recorded at the stage."""
    ids = list(session.exec(select(Case.id).where(
        col(Case.chain) == CHAIN, col(Case.year) == year,
        col(Case.village_code).startswith(prefix(scope_code, level)))).all())
    return sorted(i for i in newest_figures(session, [i for i in ids if i is not None], stage))


def ranked_rows(session: Session, case_ids: Sequence[int], stage: str, year: int,
                region_code: str) -> tuple[tuple[RankRow, ...], int, str]:
    """Rows for a ranked list: eligible villages by rank, then the others by village code; the count ranked and
    the application condition in words."""
    standard = key_village_policy(region_code, year)
    figures = newest_figures(session, case_ids, stage)
    items = rank_inputs(session, case_ids, stage)
    eligible = [i for i in items if not shortfalls(i.collective_income, standard)]
    others = sorted((i for i in items if shortfalls(i.collective_income, standard)), key=lambda i: i.village_code)

    def row(place: str, item: RankInput, opinion: str) -> RankRow:
        village = region(session, item.village_code)
        return RankRow(place, parent(session, village).name, village.name, item.households,
                       item.relative_poor_households, share_text(item), f"{item.per_capita_income:.2f}",
                       f"{item.collective_income:.2f}", figures[item.case_id].source, opinion)

    rows = [row(str(r.place), r.item, "符合申报条件" + ("（各项数据与上一名相同，按区划代码排序）"
                                                  if r.tied_with_previous else "")) for r in rank_villages(eligible)]
    rows += [row("", i, "不符合：" + "；".join(shortfalls(i.collective_income, standard))) for i in others]
    return tuple(rows), len(eligible), standard.collective_income.describe("元")


def build_township_list_context(session: Session, *, township_code: str, year: int,
                                now: datetime) -> RankedListContext:
    """The ranked list of one township's applying villages, from the figures it verified."""
    township = region(session, township_code)
    if township.level is not Level.TOWNSHIP:
        raise NotFound(f"{township.name}不是乡镇级区划")
    ids = scope_case_ids(session, township_code, Level.TOWNSHIP, year, STAGE)
    if not ids:
        raise NotFound(f"{township.name}{year}年度没有已核实数据的重点帮扶村申报")
    rows, eligible, condition = ranked_rows(session, ids, STAGE, year, township_code)
    lines = title_lines(township.name, f"{year}年度", "重点帮扶村", "申报核实排序表")
    return RankedListContext(
        title="".join(lines), title_lines=lines, year=year, rule=RANKING_RULE, condition=condition, rows=rows,
        eligible=eligible, issuer=township.office_name, contact_name=township.contact_name,
        contact_phone=township.contact_phone, issued_on=local_date(now),
    )


def render_key_village_township_list(session: Session, *, township_code: str, year: int, now: datetime) -> Document:
    """Render and store the township's ranked list (internal; the caller commits)."""
    context = build_township_list_context(session, township_code=township_code, year=year, now=now)
    ids = scope_case_ids(session, township_code, Level.TOWNSHIP, year, STAGE)
    return store(session, kind=KIND, chain=CHAIN, year=year, stage=STAGE, scope_code=township_code, case_ids=ids,
                 html=render(f"{KIND}.html.j2", context), public=False, number="", now=now, suffix=township_code)


def _ready(session: Session, run: Run) -> list[str]:
    """Townships whose applying villages are all decided at the verification, with a decision since the last list
    (and figures to rank: a township that refused every village unverified has none)."""
    return [code for code in batch_decided(session, run, Level.TOWNSHIP, KIND)
            if scope_case_ids(session, code, Level.TOWNSHIP, run.year, run.stage)]


def _render(session: Session, run: Run, township_code: str, now: datetime) -> Document:
    return render_key_village_township_list(session, township_code=township_code, year=run.year, now=now)


register(Paper(KIND, "镇级核实排序表", Trigger.BATCH_DECIDED, Scope.TOWNSHIP, _ready, _render))
