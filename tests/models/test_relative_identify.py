"""Relative-poor household identification (两次识别, chain E): the standard at its line, the priority order, the
moves of the table with their refusals, the city's random-sample check and the record card."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from sqlmodel import col, select

from demo.rounds.relative_identify import Applicant, add_applicants, city_team
from models.chains.relative_identify.city_check import draw_city_samples, record_city_check
from models.chains.relative_identify.record import RelativeRecordBase, write_record
from models.chains.relative_identify.stages import CODE, RELATIVE_IDENTIFY
from models.chains.relative_identify.standards import Standing, judge_relative, rank_key, standard_for
from models.core.actors import Role, system_actor
from models.core.case import Case, StageRecord, Status
from models.core.errors import InvalidInput, TransitionRefused
from models.door import machine
from models.door.cases import open_cases
from models.door.engine import Move, transition
from models.door.sampling import SampleCase, Unit, draw
from models.door.windows import close_due_windows
from models.policy.loading import Comparison, Threshold, policy_for
from synthetic.clerks import Clerks

T0 = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)
VILLAGE = "430121001001"
AT_LINE = Applicant(0, 2, Decimal("3000"))  # 1500.00 a head
ABOVE = Applicant(0, 2, Decimal("3000.02"))  # 1500.01 a head
CARD = RelativeRecordBase(cause="缺劳力", helper="张三", three_year_plan="三年规划", yearly_plan="年度计划",
                          has_labour=False)


def test_the_line_reads_1500_yuan_or_less() -> None:
    standard = standard_for(VILLAGE, 2026)
    assert standard is not None
    assert standard.income == Threshold(Decimal("1500"), Comparison.le)
    assert judge_relative(standard, Decimal("1500")) == ()
    assert judge_relative(standard, Decimal("1500.01")) == ("人均纯收入1500.01元，不符合“不超过1500元”",)
    assert judge_relative(standard, None, "尚无2026年度收入记录") == ("尚无2026年度收入记录",)


def test_priority_goes_first_only_at_equal_income() -> None:
    plain = Standing(1, Decimal("1400"), ())
    mud_brick = Standing(2, Decimal("1400"), (), ("住泥砖房",))
    richer_ill = Standing(3, Decimal("1400.01"), (), ("家庭成员有长年患重病的",))
    poorest = Standing(4, Decimal("1000"), ())
    order = sorted([(plain, "A"), (richer_ill, "B"), (mud_brick, "C"), (poorest, "D")], key=lambda s: rank_key(*s))
    assert [s.household_id for s, _ in order] == [4, 2, 1, 3]


def test_city_sample_policy_and_stage_codes() -> None:
    standard = standard_for(VILLAGE, 2026)
    assert standard is not None and standard.city_sample.rate == Decimal("0.10")
    assert standard.priority_houses == ("泥砖房", "茅草房")
    deadlines = policy_for(VILLAGE, 2026).deadlines
    assert all(code.startswith("REL_") and code in deadlines for code in (s.code for s in RELATIVE_IDENTIFY.stages))
    assert RELATIVE_IDENTIFY.stage("REL_CITY_CHECK").role is Role.CITY_CHECK_TEAM


def opened(world, *applicants: Applicant) -> list[int]:
    session = world.session
    city_team(session)
    households = add_applicants(session, world.villages, 2026, random.Random(5), applicants)
    ids = open_cases(session=session, chain=CODE, year=2026, household_ids=households, now=T0,
                     actor=system_actor(session))
    session.commit()
    return ids


def clerks(world) -> Clerks:
    return Clerks(world.session, CODE, 2026, "")


def walk_to(world, ids: list[int], stage: str, now: datetime = T0) -> datetime:
    """Move the cases on, as clerks and the machine would, until they stand at `stage`."""
    session, system = world.session, system_actor(world.session)
    while session.get(Case, ids[0]).stage != stage:
        current = RELATIVE_IDENTIFY.stage(session.get(Case, ids[0]).stage)
        if current.window:
            machine.post_notices(session=session, chain=CODE, stage=current.code, scope="", year=2026, now=now,
                                 actor=system)
            session.commit()
            now += timedelta(days=8)
            close_due_windows(session=session, now=now, actor=system)
            machine.release(session=session, chain=CODE, stage=current.code, scope="", year=2026, now=now,
                            actor=system)
            session.commit()
        else:
            clerks(world).decide(current.code, now, ids)
            now += timedelta(days=1)
        session.expire_all()
    return now


def test_village_review_refuses_above_the_line_and_passes_at_it(world) -> None:
    at_line, above = opened(world, AT_LINE, ABOVE)
    walk_to(world, [at_line, above], "REL_VILLAGE_REVIEW")
    committee = world.actor(Role.VILLAGE_COMMITTEE, world.villages[0])
    with pytest.raises(TransitionRefused) as refused:
        transition(session=world.session, chain=CODE, stage="REL_VILLAGE_REVIEW", case_ids=[above],
                   move=Move.APPROVE, actor=committee, now=T0)
    assert refused.value.reasons == {
        above: "不符合相对贫困户识别标准：人均纯收入1500.01元，不符合“不超过1500元”"}
    result = transition(session=world.session, chain=CODE, stage="REL_VILLAGE_REVIEW", case_ids=[at_line],
                        move=Move.APPROVE, actor=committee, now=T0)
    assert result.moved == [at_line]
    assert world.session.get(Case, at_line).stage == "REL_VILLAGE_PUBLICITY"


def test_publicity_cannot_close_early(world) -> None:
    (case,) = opened(world, AT_LINE)
    now = walk_to(world, [case], "REL_VILLAGE_PUBLICITY")
    system = system_actor(world.session)
    machine.post_notices(session=world.session, chain=CODE, stage="REL_VILLAGE_PUBLICITY", scope="", year=2026,
                         now=now, actor=system)
    world.session.commit()
    with pytest.raises(TransitionRefused) as refused:
        transition(session=world.session, chain=CODE, stage="REL_VILLAGE_PUBLICITY", case_ids=[case],
                   move=Move.ADVANCE, actor=system, now=now + timedelta(days=6, hours=14, minutes=59))
    assert refused.value.reasons[case].startswith("公示期未满")


def test_city_sample_is_reproducible_and_a_failed_household_goes_back(world) -> None:
    ids = opened(world, *[Applicant(0, 3, Decimal("4200"))] * 5)  # 15 people: 10% rounded up is 2 people
    now = walk_to(world, ids, "REL_CITY_CHECK")
    team = city_team(world.session)
    with pytest.raises(TransitionRefused) as refused:
        transition(session=world.session, chain=CODE, stage="REL_CITY_CHECK", case_ids=ids[:1], move=Move.APPROVE,
                   actor=team, now=now)
    assert refused.value.reasons == {ids[0]: "本村尚未抽取市级抽查样本"}
    (sample,) = draw_city_samples(session=world.session, chain=CODE, year=2026, scope="", now=now, actor=team,
                                  seed=11)
    world.session.commit()
    assert (sample.seed, sample.people_total, sample.people_required, sample.people_drawn) == (11, 15, 2, 3)
    drawn = sorted(world.session.scalars(select(col(SampleCase.case_id)).where(
        col(SampleCase.sample_id) == sample.id, col(SampleCase.drawn).is_(True))))
    rule = standard_for(VILLAGE, 2026).city_sample  # type: ignore[union-attr]
    assert drawn == sorted(draw([Unit(i, 3) for i in ids], rule, 11))
    assert len(drawn) == 1
    (picked,) = drawn
    with pytest.raises(TransitionRefused) as not_drawn:
        record_city_check(session=world.session, case_id=next(i for i in ids if i != picked), actor=team, now=now)
    assert "未被抽中" in next(iter(not_drawn.value.reasons.values()))
    result = transition(session=world.session, chain=CODE, stage="REL_CITY_CHECK", case_ids=ids, move=Move.APPROVE,
                        actor=team, now=now, strict=False)
    assert result.refused == {picked: "该户已被抽中，尚未完成市级随机抽样核查"}
    assert len(result.moved) == 4
    check = record_city_check(session=world.session, case_id=picked, actor=team, now=now, finding="家有小轿车一辆")
    world.session.commit()
    assert not check.passed and check.per_capita == Decimal("1400.00")
    with pytest.raises(TransitionRefused) as failed:
        transition(session=world.session, chain=CODE, stage="REL_CITY_CHECK", case_ids=[picked], move=Move.APPROVE,
                   actor=team, now=now)
    assert failed.value.reasons == {picked: "市级随机抽样核查未通过：家有小轿车一辆"}
    transition(session=world.session, chain=CODE, stage="REL_CITY_CHECK", case_ids=[picked], move=Move.RETURN,
               actor=team, now=now, reason="家有小轿车一辆")
    assert world.session.get(Case, picked).stage == "REL_TOWNSHIP_CHECK"


def test_record_card_is_required_and_checked(world) -> None:
    (case,) = opened(world, AT_LINE)
    now = walk_to(world, [case], "REL_CITY_CHECK")
    team = city_team(world.session)
    draw_city_samples(session=world.session, chain=CODE, year=2026, scope="", now=now, actor=team, seed=1)
    record_city_check(session=world.session, case_id=case, actor=team, now=now)  # 2 people: all are checked
    world.session.commit()
    now = walk_to(world, [case], "REL_RECORD", now)
    township = world.actor(Role.TOWNSHIP_GOVERNMENT, world.township)
    with pytest.raises(TransitionRefused) as refused:
        transition(session=world.session, chain=CODE, stage="REL_RECORD", case_ids=[case], move=Move.APPROVE,
                   actor=township, now=now)
    assert refused.value.reasons[case].startswith("尚未填写建档立卡内容")
    with pytest.raises(InvalidInput) as bad:
        write_record(session=world.session, case_id=case, actor=township, now=now,
                     data=CARD.model_copy(update={"cause": " "}))
    assert "致贫原因" in str(bad.value)
    write_record(session=world.session, case_id=case, actor=township, now=now, data=CARD)
    world.session.commit()
    transition(session=world.session, chain=CODE, stage="REL_RECORD", case_ids=[case], move=Move.APPROVE,
               actor=township, now=now)
    assert world.session.get(Case, case).status is Status.EXITED
    due = world.session.scalars(select(StageRecord).where(col(StageRecord.case_id) == case,
                                                          col(StageRecord.stage) == "REL_RECORD")).one()
    assert due.due_at is not None and (due.due_at - due.opened_at).days >= 15
