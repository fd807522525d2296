"""The stage-input forms of monitoring and assistance: a village's monthly round with its warnings (预警标注, which
opens the households' cases), the township's assignments to departments, the department's close-out request and
the township's verification of each item."""

from __future__ import annotations

from datetime import date, timedelta

from sqlmodel import Session, col, select

from models.chains.monitoring.assist import (
    assign_departments,
    assignments_of,
    guarantee_of,
    request_closeout,
    verify_closeout,
)
from models.chains.monitoring.campaign import hold_round, warnings_of
from models.chains.monitoring.stages import CODE
from models.chains.monitoring.tables import MonitoringCampaign
from models.core.actors import Actor, actor_by_login
from models.core.clock import local_date, start_of_local_day
from models.core.errors import InvalidInput, NotFound
from models.core.household import Household
from models.core.regions import Level, Region, prefix
from models.door.chain import INPUT_NAMES, Input
from models.door.forms import Field, Given, InputForm, Kind, register_form
from models.door.inputs import recorder_problem
from models.home_checks.standards import GUARANTEES

WARNING_TITLE = INPUT_NAMES[Input.WARNING]
CHECK_TITLE = INPUT_NAMES[Input.CLOSEOUT_CHECK]


def _campaign(session: Session, village: Region, year: int) -> MonitoringCampaign:
    """The campaign of the year deployed by the village's township or county."""
    for campaign in session.exec(select(MonitoringCampaign).where(MonitoringCampaign.year == year)):
        region = session.get(Region, campaign.region_code)
        if region is not None and village.code.startswith(prefix(region.code, region.level)):
            return campaign
    raise InvalidInput(WARNING_TITLE, "监测工作", f"{year}年度",
                       f"{village.name}所在乡镇或县尚未部署{year}年度防止返贫监测工作")


def _households(session: Session, village: Region, label: str, numbers: tuple[str, ...]) -> dict[str, int]:
    """Household number → id, each a household of the village."""
    found = dict(session.execute(select(col(Household.number), col(Household.id)).where(
        col(Household.village_code) == village.code, col(Household.number).in_(list(numbers)))).tuples().all())
    for number in numbers:
        if number not in found:
            raise InvalidInput(WARNING_TITLE, label, number, f"不是{village.name}的农户户编号")
    return {n: found[n] for n in numbers}


def _round(given: Given) -> str:
    """A village's monthly round: every household observed, and the items each one lacks."""
    session, actor, values = given.session, given.actor, given.values
    problem = recorder_problem(actor, given.stage, Input.WARNING)
    if problem:
        raise InvalidInput(WARNING_TITLE, "登记人", actor.title(), problem)
    code = str(values.get("village", actor.region_code))
    village = session.get(Region, code)
    if village is None or village.level is not Level.VILLAGE:
        raise InvalidInput(WARNING_TITLE, "村区划代码", code, "不是已登记的行政村代码")
    if not actor.covers(code):
        raise InvalidInput(WARNING_TITLE, "村区划代码", code, f"不在{actor.title()}的辖区内")
    today = local_date(given.now)
    day = values.get("held_on", today)
    assert isinstance(day, date)
    if day > today:
        raise InvalidInput(WARNING_TITLE, "监测日期", day, "不能晚于今天")
    held_at = given.now if day == today else start_of_local_day(day) + timedelta(hours=12)
    campaign = _campaign(session, village, day.year)
    numbers = values.get("observed")
    if isinstance(numbers, tuple):
        observed = _households(session, village, "监测户", numbers)
    else:
        observed = dict(session.execute(select(col(Household.number), col(Household.id)).where(
            col(Household.village_code) == code).order_by(col(Household.number))).tuples().all())
    lacking: dict[int, set[str]] = {}
    for key, label in GUARANTEES.items():
        listed = values.get(f"lacking_{key}", ())
        assert isinstance(listed, tuple)
        for number in listed:
            if number not in observed:
                raise InvalidInput(WARNING_TITLE, f"{label}缺项户", number, "须为本次监测户之一")
            lacking.setdefault(observed[number], set()).add(key)
    result = hold_round(session=session, campaign_id=campaign.id or 0, village_code=code, held_at=held_at,
                        actor=actor, observations={hid: {k: k not in lacking.get(hid, set()) for k in GUARANTEES}
                                                   for hid in observed.values()})
    closed = f"，{len(result.without_case)}户本年度监测案件已办结" if result.without_case else ""
    return (f"已登记{village.name}{day.month}月动态监测：监测{len(observed)}户，标注预警{result.warnings}项，"
            f"涉及{len(result.cases)}户{closed}")


WARNING_FORM = InputForm(
    input=Input.WARNING,
    opens_case=True,
    fields=(
        Field("held_on", "监测日期", Kind.DATE, required=False, help="不填则为今天；须在本年度每月动态监测阶段内"),
        Field("village", "村区划代码", Kind.TEXT, required=False, help="不填则为登记人所在村"),
        Field("observed", "监测户", Kind.HOUSEHOLDS, required=False, help="本次监测的户编号；不填则为本村全部农户"),
        *(Field(f"lacking_{key}", f"{label}缺项户", Kind.HOUSEHOLDS, required=False,
                help=f"“{label}”未达标的户编号，每个缺项标注一条预警") for key, label in GUARANTEES.items()),
    ),
    record=_round,
)


def _liaison(session: Session, label: str, ref: str) -> Actor:
    try:
        return actor_by_login(session, ref)
    except NotFound:
        raise InvalidInput(INPUT_NAMES[Input.ASSIGNMENT], label, ref, "没有此登录名的人员") from None


def _assign(given: Given) -> str:
    """Hand each warned item named to the department person given for it."""
    session, title = given.session, INPUT_NAMES[Input.ASSIGNMENT]
    assert given.case_id is not None
    open_items = {w.guarantee for w in warnings_of(session, [given.case_id]).get(given.case_id, [])} - {
        guarantee_of(session, a) for a in assignments_of(session, [given.case_id]).get(given.case_id, [])}
    liaisons: dict[str, Actor] = {}
    for key, label in GUARANTEES.items():
        if f"liaison_{key}" not in given.values:
            continue
        if key not in open_items:
            raise InvalidInput(title, f"{label}责任人", given.values[f"liaison_{key}"], "该户此项未预警或已交办")
        liaisons[key] = _liaison(session, f"{label}责任人", str(given.values[f"liaison_{key}"]))
    if not liaisons:
        names = "、".join(GUARANTEES[k] for k in GUARANTEES if k in open_items) or "无"
        raise InvalidInput(title, "责任人", "", f"须为待交办的缺项填写行业部门责任人；待交办：{names}")
    made = assign_departments(session=session, case_id=given.case_id, liaisons=liaisons, actor=given.actor,
                              now=given.now)
    return "已交办：" + "；".join(f"{GUARANTEES[guarantee_of(session, a)]}交{a.department}，限{a.due_on}前完成"
                                 for a in made)


ASSIGNMENT_FORM = InputForm(
    input=Input.ASSIGNMENT,
    fields=tuple(Field(f"liaison_{key}", f"{label}责任人", Kind.TEXT, required=False,
                       help=f"负责“{label}”的行业部门人员登录名；只填本户预警且未交办的缺项")
                 for key, label in GUARANTEES.items()),
    record=_assign,
)


def _request(given: Given) -> str:
    assert given.case_id is not None
    mine = request_closeout(session=given.session, case_id=given.case_id, actor=given.actor,
                            measures=str(given.values["measures"]), now=given.now)
    items = "、".join(GUARANTEES[guarantee_of(given.session, a)] for a in mine)
    return f"已登记案件{given.case_id}的销号申请：{items}"


CLOSEOUT_REQUEST_FORM = InputForm(
    input=Input.CLOSEOUT_REQUEST,
    fields=(Field("measures", "帮扶措施", Kind.LONG_TEXT, help="采取的补短帮扶措施及成效"),),
    record=_request,
)


def _verify(given: Given) -> str:
    """The township's result for every item the departments asked to close out."""
    session = given.session
    assert given.case_id is not None
    asked = {guarantee_of(session, a) for a in assignments_of(session, [given.case_id]).get(given.case_id, [])}
    results: dict[str, bool] = {}
    for key, label in GUARANTEES.items():
        name = f"met_{key}"
        if key in asked and name not in given.values:
            raise InvalidInput(CHECK_TITLE, f"{label}是否达标", "", "本案交办此项，须填写核实结果")
        if name in given.values:
            if key not in asked:
                raise InvalidInput(CHECK_TITLE, f"{label}是否达标", given.values[name], "不是本案交办的缺项，不填")
            results[key] = bool(given.values[name])
    checked = verify_closeout(session=session, case_id=given.case_id, actor=given.actor, results=results,
                              note=str(given.values.get("note", "")), now=given.now)
    failed = [GUARANTEES[guarantee_of(session, a)] for a in checked if not a.verified_ok]
    said = f"未达标{'、'.join(failed)}，重新限时帮扶" if failed else "全部达标"
    return f"已登记案件{given.case_id}的销号核实：{said}"


CLOSEOUT_CHECK_FORM = InputForm(
    input=Input.CLOSEOUT_CHECK,
    fields=(
        *(Field(f"met_{key}", f"{label}是否达标", Kind.YES_NO, required=False, help="只填本案交办的缺项")
          for key, label in GUARANTEES.items()),
        Field("note", "核实意见", Kind.LONG_TEXT, required=False),
    ),
    record=_verify,
)

for form in (WARNING_FORM, ASSIGNMENT_FORM, CLOSEOUT_REQUEST_FORM, CLOSEOUT_CHECK_FORM):
    register_form(form, chain=CODE)
