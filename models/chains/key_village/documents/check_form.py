"""The city's spot-check form (市级抽查核实表) and the province's field-check form (省级实地复核表) of key villages, one
per county and sample (seed 004: 地市抽查核实; 省扶贫办会同省统计局实地抽查核实): the rule, the seed, every village of
the sample, the figures found in each drawn one against the county's, and each village's result with its reason."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import Session, col, select

from models.chains.key_village.figures import KeyVillageFacts, key_village_policy
from models.chains.key_village.spot_checks import CHECKS, CODE, REPORTED, amount, findings
from models.chains.village_exit.standards import percent, rate
from models.core.actors import Actor, Role
from models.core.case import Case, Outcome, StageRecord
from models.core.clock import local_date, to_db
from models.core.document import Document
from models.core.errors import NotFound
from models.core.regions import Level, prefix
from models.documents.common import parent, region, title_lines
from models.documents.owed import finished_samples
from models.documents.registry import Paper, Run, Scope, Trigger, register
from models.documents.render import render, store
from models.door.sampling import Sample, SampleCase

KINDS = {"KEY_CITY_CHECK": "key_village_city_check_form", "KEY_PROVINCE_CHECK": "key_village_province_check_form"}
TEAMS = {"KEY_CITY_CHECK": (Role.CITY_CHECK_TEAM, Level.CITY, "扶贫办会同统计等部门核查组"),
         "KEY_PROVINCE_CHECK": (Role.PROVINCE_POVERTY_OFFICE, Level.PROVINCE, "扶贫办会同省统计局核查组")}


@dataclass(frozen=True)
class FigureLine:
    """One line of figures of a drawn village: the county's reported ones, or the ones the check found."""

    label: str
    households: int
    relative_poor_households: int
    poor_share: str
    per_capita_income: str
    collective_income: str
    source: str


@dataclass(frozen=True)
class CheckedVillage:
    serial: int
    township: str
    village: str
    drawn: bool
    lines: tuple[FigureLine, ...]  # drawn: the county's, then the check's (when recorded); not drawn: none
    result: str  # the decision with its reason; undecided: what still keeps the village back


@dataclass(frozen=True)
class KeyVillageCheckFormContext:
    title: str
    title_lines: tuple[str, ...]
    check: str
    county: str
    year: int
    condition: str
    rule: str
    seed: int
    drawn_on: date
    villages_total: int
    villages_required: int
    villages_drawn: int
    rows: tuple[CheckedVillage, ...]
    team_title: str
    team: tuple[str, ...]
    made_on: date


def _sample(session: Session, sample_id: int) -> Sample:
    sample = session.get(Sample, sample_id)
    if sample is None or sample.chain != CODE or sample.stage not in CHECKS:
        raise NotFound(f"重点帮扶村核查样本{sample_id}不存在")
    return sample


def _line(label: str, facts: KeyVillageFacts) -> FigureLine:
    share = percent(rate(facts.relative_poor_households, facts.households))
    return FigureLine(label, facts.households, facts.relative_poor_households, share,
                      amount(facts.per_capita_income), amount(facts.collective_income), facts.source)


def _newest(session: Session, case_id: int, stage: str, since: datetime | None,
            until: datetime | None) -> KeyVillageFacts | None:
    """The case's newest figures at the stage recorded between two moments (either open)."""
    found = None
    for facts in session.exec(select(KeyVillageFacts).where(KeyVillageFacts.case_id == case_id,
                                                            KeyVillageFacts.stage == stage)
                              .order_by(col(KeyVillageFacts.recorded_at), col(KeyVillageFacts.id))):
        moment = to_db(facts.recorded_at)
        if (since is None or moment >= to_db(since)) and (until is None or moment <= to_db(until)):
            found = facts
    return found


def _result(record: StageRecord, drawn: bool, problems: list[str]) -> str:
    """The village's decision at the check, as the form prints it."""
    if record.outcome is None:
        return ("待核查：" + "；".join(problems)) if problems else ("待决定" if drawn else "未抽中，待决定")
    if record.outcome == Outcome.APPROVED:
        return "通过" if drawn else "未抽中，随抽查结果通过"
    if record.outcome == Outcome.RETURNED:
        return f"退回县级审核：{record.reason}"
    return f"不予通过：{record.reason}"


def build_key_village_check_form_context(session: Session, *, sample_id: int,
                                         now: datetime) -> KeyVillageCheckFormContext:
    """What a check's form of one county's sample prints; a drawn village not yet checked gets the county's figures
    and blank findings."""
    sample = _sample(session, sample_id)
    check = CHECKS[sample.stage]
    county = region(session, sample.village_code)
    role, level, team_name = TEAMS[sample.stage]
    office = region(session, prefix(county.code, level).ljust(12, "0"))
    standard = key_village_policy(county.code, sample.year)
    members = session.exec(select(SampleCase, StageRecord).join(
        StageRecord, col(StageRecord.id) == col(SampleCase.stage_record_id)).where(SampleCase.sample_id == sample_id)
        .order_by(col(SampleCase.case_id))).all()
    villages = dict(session.exec(select(Case.id, Case.village_code).where(
        col(Case.id).in_([m.case_id for m, _ in members]))).all())
    rows: list[CheckedVillage] = []
    for member, record in sorted(members, key=lambda pair: (not pair[0].drawn, villages[pair[0].case_id])):
        village = region(session, villages[member.case_id])
        lines: list[FigureLine] = []
        problems: list[str] = []
        if member.drawn:
            reported = _newest(session, member.case_id, REPORTED, None, sample.drawn_at)
            found = _newest(session, member.case_id, sample.stage, record.opened_at, record.left_at)
            lines += [_line("县级审核", reported)] if reported else []
            if found is None:
                problems = [f"尚未登记{check}的村情数据"]
            else:
                lines.append(_line(check, found))
                problems = findings(found, reported, standard, check)
        rows.append(CheckedVillage(len(rows) + 1, parent(session, village).name, village.name, member.drawn,
                                   tuple(lines), _result(record, member.drawn, problems)))
    team = session.exec(select(Actor.name).where(Actor.role == role, Actor.region_code == office.code)
                        .order_by(col(Actor.id))).all()
    title = title_lines(office.name, f"{sample.year}年度", "重点帮扶村", f"{check}表")
    return KeyVillageCheckFormContext(
        title="".join(title), title_lines=title, check=check, county=county.name, year=sample.year,
        condition=standard.collective_income.describe("元"), rule=sample.rule, seed=sample.seed,
        drawn_on=local_date(sample.drawn_at), villages_total=sample.people_total,
        villages_required=sample.people_required, villages_drawn=sample.people_drawn, rows=tuple(rows),
        team_title=f"{office.name}{team_name}", team=tuple(team), made_on=local_date(now),
    )


def render_key_village_check_form(session: Session, *, sample_id: int, now: datetime) -> Document:
    """Render and store a check's form of one county's sample, once (internal; the caller commits)."""
    sample = _sample(session, sample_id)
    # Locked, then read again: two runs over townships of the same county would both find the form owed.
    session.exec(select(Sample.id).where(Sample.id == sample_id).with_for_update()).first()
    session.refresh(sample)
    written = session.get(Document, sample.document_id) if sample.document_id is not None else None
    if written is not None:
        return written
    context = build_key_village_check_form_context(session, sample_id=sample_id, now=now)
    kind = KINDS[sample.stage]
    cases = session.exec(select(SampleCase.case_id).where(SampleCase.sample_id == sample_id)).all()
    document = store(session, kind=kind, chain=CODE, year=sample.year, stage=sample.stage,
                     scope_code=sample.village_code, case_ids=list(cases), html=render(f"{kind}.html.j2", context),
                     public=False, number="", now=now, suffix=str(sample_id))
    sample.document_id = document.id
    session.add(sample)
    return document


def _render(session: Session, run: Run, sample_id: int, now: datetime) -> Document:
    return render_key_village_check_form(session, sample_id=sample_id, now=now)


for _stage, _kind in KINDS.items():
    register(Paper(_kind, f"{CHECKS[_stage]}表", Trigger.SAMPLE_FINISHED, Scope.COUNTY, finished_samples, _render))
