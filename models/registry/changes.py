"""One registry change checked and applied in the caller's transaction: the household saved as it was, the change
written, and an audit event of who, when, the household and what. Every rule is checked before the first write, so
a refusal (one InvalidInput naming the field as the change sheet heads it, the value and the rule) wrote nothing."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlmodel import Session, select

from models.core import audit
from models.core.actors import ROLE_NAMES, Actor
from models.core.clock import local_date, to_db
from models.core.errors import InvalidInput
from models.core.household import Household, Member
from models.importing import cells
from models.registry.kinds import ACTION, FLAG_NAMES, FLAGS, HEAD, JOINS, KIND_NAMES, LEAVES, RECORDERS, ChangeKind
from models.registry.revisions import snapshot


@dataclass(frozen=True)
class Mover:
    """A member named by a change: their resident ID, name and relation to the head (in the household they join)."""

    resident_id: str
    name: str = ""
    relation: str = ""


@dataclass(frozen=True)
class Change:
    """What a clerk records. `people` are the members it adds, removes or moves (one, or several for 分户);
    `new_number` the new household (分户) or the one merged into (合户); `value` the new phone, 是/否 of a flag, or
    the new head's resident ID when the head leaves."""

    number: str
    kind: ChangeKind
    on: date
    people: tuple[Mover, ...] = ()
    new_number: str = ""
    flag: str = ""
    value: str = ""
    note: str = ""
    sex: str = ""  # of a person added; from the resident ID when blank
    source: dict[str, Any] = field(default_factory=dict)  # where it was given (a sheet's file, hash and row)


def _household(session: Session, number: str, field_name: str = "户编号") -> Household:
    found = session.exec(select(Household).where(Household.number == number)).first()
    if found is None:
        raise InvalidInput(f"户编号{number}", field_name, number, "系统中没有此户编号")
    return found


def _members(session: Session, household: Household) -> list[Member]:
    return list(session.exec(select(Member).where(Member.household_id == household.id, Member.left == False)  # noqa: E712
                             .order_by(Member.id)))  # type: ignore[arg-type]


def _member(session: Session, household: Household, mover: Mover) -> Member:
    """The present member of the household the mover names (by resident ID, the name agreeing)."""
    record = f"户编号{household.number}"
    if not mover.resident_id:
        raise InvalidInput(record, "证件号码", "", "须填写该成员的证件号码")
    for member in _members(session, household):
        if member.resident_id == mover.resident_id.upper():
            if mover.name and mover.name != member.name:
                raise InvalidInput(record, "姓名", mover.name, f"该证件号码登记的成员是“{member.name}”")
            return member
    raise InvalidInput(record, "证件号码", mover.resident_id, f"不是本户（户主{household.head_name}）现有成员")


def _check_actor(actor: Actor, household: Household) -> None:
    if actor.role not in RECORDERS:
        raise InvalidInput(f"户编号{household.number}", "经办人", actor.name,
                           f"{ROLE_NAMES[actor.role]}不能办理户籍人口变更（须为村委会、乡镇或县人民政府人员）")
    if not actor.covers(household.village_code):
        raise InvalidInput(f"户编号{household.number}", "户编号", household.number,
                           f"该户不在{actor.title()}的辖区内")


def _new_head(session: Session, household: Household, value: str, leaving: set[int]) -> Member:
    record = f"户编号{household.number}"
    if not value:
        raise InvalidInput(record, "新值", "", "户主减员或迁出时须指定新户主（变更表在“新值”列填写新户主的证件号码）")
    for member in _members(session, household):
        if member.resident_id == value.upper() and member.id not in leaving:
            return member
    raise InvalidInput(record, "新值", value, "新户主须为本户留下的现有成员（填写其证件号码）")


def _make_head(household: Household, member: Member) -> None:
    member.relation = HEAD
    household.head_name = member.name


def _join(session: Session, household: Household, change: Change, now: datetime) -> dict[str, Any]:
    record = f"户编号{household.number}"
    if len(change.people) != 1:
        raise InvalidInput(record, "姓名", "", f"{KIND_NAMES[change.kind]}每行登记一人")
    person = change.people[0]
    if not person.name:
        raise InvalidInput(record, "姓名", "", "须填写新增成员的姓名")
    try:
        number = cells.resident_id(person.resident_id, local_date(now))
    except cells.BadCell as error:
        raise InvalidInput(record, "证件号码", person.resident_id, str(error)) from error
    if not person.relation:
        raise InvalidInput(record, "与户主关系", "", "须填写新增成员与户主的关系")
    if person.relation == HEAD:
        raise InvalidInput(record, "与户主关系", HEAD, "一户只有一名户主；更换户主须在户主减员时指定新户主")
    sex = change.sex or cells.sex_of(number)
    try:
        cells.sex(sex, number)
    except cells.BadCell as error:
        raise InvalidInput(record, "性别", sex, str(error)) from error
    existing = session.exec(select(Member).where(Member.resident_id == number)).first()
    if existing is not None and not existing.left:
        where = session.get(Household, existing.household_id)
        raise InvalidInput(record, "证件号码", number, f"此人已登记在户编号{where.number if where else ''}中，"
                                                       "须先在原户办理婚出或迁出")
    snapshot(session, household, now=now)
    if existing is not None:  # one row per person: someone who left a household of the registry comes back here
        existing.household_id, existing.name, existing.relation = household.id or 0, person.name, person.relation
        existing.left, existing.left_at, existing.left_reason, existing.resident = False, None, "", True
        member = existing
    else:
        member = Member(household_id=household.id or 0, name=person.name, resident_id=number,
                        relation=person.relation, sex=sex, resident=True)
    session.add(member)
    return {"member": person.name, "resident_id": number, "relation": person.relation}


def _leave(session: Session, household: Household, change: Change, now: datetime) -> dict[str, Any]:
    record = f"户编号{household.number}"
    if len(change.people) != 1:
        raise InvalidInput(record, "姓名", "", f"{KIND_NAMES[change.kind]}每行登记一人")
    member = _member(session, household, change.people[0])
    detail: dict[str, Any] = {"member": member.name, "resident_id": member.resident_id}
    new_head = member
    if member.relation == HEAD:
        new_head = _new_head(session, household, change.value, {member.id or 0})
    snapshot(session, household, now=now)
    if member.relation == HEAD:
        _make_head(household, new_head)
        detail["new_head"] = new_head.name
    member.left, member.left_at, member.left_reason = True, to_db(now), KIND_NAMES[change.kind]
    member.resident = False  # a member who left counts nowhere as resident
    session.add(member)
    return detail


def _split(session: Session, household: Household, change: Change, now: datetime) -> tuple[dict[str, Any], Household]:
    record = f"户编号{household.number}"
    number = cells.household_number(change.new_number)
    if not number:
        raise InvalidInput(record, "新户编号", "", "分户须填写新户的户编号")
    if session.exec(select(Household).where(Household.number == number)).first() is not None:
        raise InvalidInput(record, "新户编号", number, "系统中已有此户编号，分出的新户须用新的户编号")
    if not change.people:
        raise InvalidInput(record, "证件号码", "", "分户须列出分出的成员")
    movers = [(_member(session, household, p), p) for p in change.people]
    heads = [m for m, p in movers if p.relation == HEAD]
    if len(heads) != 1:
        raise InvalidInput(f"新户{number}", "与户主关系", "", "分出的新户须有且只有一名户主（与户主关系填“户主”）")
    for member, mover in movers:
        if mover.relation != HEAD and (mover.relation or member.relation) == HEAD:
            raise InvalidInput(f"新户{number}", "与户主关系", member.name,
                               "原户主分到新户而不任新户户主时，须填写其与新户户主的关系")
    moving = {m.id or 0 for m, _ in movers}
    staying = [m for m in _members(session, household) if m.id not in moving]
    if not staying:
        raise InvalidInput(record, "证件号码", "", "分户后原户须留有成员；全户迁移请办理合户或迁出")
    if not any(m.resident for m in staying) or not any(m.resident for m, _ in movers):
        raise InvalidInput(record, "证件号码", "", "分户后原户和新户都须至少有一名常住成员")
    detail: dict[str, Any] = {"new_number": number, "members": [m.name for m, _ in movers]}
    new_head = None
    if not any(m.relation == HEAD for m in staying):
        new_head = _new_head(session, household, change.value, moving)
    snapshot(session, household, now=now)
    if new_head is not None:
        _make_head(household, new_head)
        detail["new_head"] = new_head.name
    head = heads[0]
    new = Household(number=number, village_code=household.village_code, group_name=household.group_name,
                    head_name=head.name, phone=head.phone, registered_poor=household.registered_poor)
    session.add(new)
    session.flush()
    for member, mover in movers:
        member.household_id, member.relation = new.id or 0, mover.relation or member.relation
        session.add(member)
    return detail, new


def _merge(session: Session, household: Household, change: Change, now: datetime) -> tuple[dict[str, Any], Household]:
    record = f"户编号{household.number}"
    if not change.new_number:
        raise InvalidInput(record, "新户编号", "", "合户须填写并入的户编号")
    into = _household(session, change.new_number, "新户编号")
    if into.id == household.id:
        raise InvalidInput(record, "新户编号", change.new_number, "不能并入本户")
    if into.village_code != household.village_code:
        raise InvalidInput(record, "新户编号", change.new_number, "合户须为同一行政村的两户")
    members = _members(session, household)
    relation = change.people[0].relation if change.people else ""
    if not relation or relation == HEAD:
        raise InvalidInput(record, "与户主关系", relation,
                           f"须填写原户主{household.head_name}与并入户户主的关系（不能为户主）")
    snapshot(session, household, now=now)
    snapshot(session, into, now=now)
    for member in members:
        member.household_id = into.id or 0
        if member.relation == HEAD:
            member.relation = relation
        session.add(member)
    return {"into": into.number, "members": [m.name for m in members]}, into


def _flag(session: Session, household: Household, change: Change, now: datetime) -> dict[str, Any]:
    record = f"户编号{household.number}"
    if change.flag not in FLAGS:
        raise InvalidInput(record, "标识", change.flag, f"标识应为{'、'.join(FLAGS)}之一")
    try:
        value = cells.yes_no(change.value)
    except cells.BadCell as error:
        raise InvalidInput(record, "新值", change.value, str(error)) from error
    key = FLAGS[change.flag]
    if getattr(household, key) == value:
        raise InvalidInput(record, "新值", change.value, f"该户“{FLAG_NAMES[key]}”已是“{change.value}”，无需变更")
    snapshot(session, household, now=now)
    setattr(household, key, value)
    return {"flag": FLAG_NAMES[key], "value": "是" if value else "否"}


def _phone(session: Session, household: Household, change: Change, now: datetime) -> dict[str, Any]:
    try:
        phone = cells.phone(change.value)
    except cells.BadCell as error:
        raise InvalidInput(f"户编号{household.number}", "新值", change.value, str(error)) from error
    if phone == household.phone:
        raise InvalidInput(f"户编号{household.number}", "新值", phone, "与该户现登记的联系电话相同，无需变更")
    snapshot(session, household, now=now)
    before, household.phone = household.phone, phone
    return {"phone": phone, "before": before}


def apply_change(*, session: Session, change: Change, actor: Actor, now: datetime) -> Household:
    """Check and apply one change in the caller's transaction (the caller commits); the household changed."""
    household = _household(session, change.number)
    _check_actor(actor, household)
    if change.on > local_date(now):
        raise InvalidInput(f"户编号{household.number}", "变更日期", change.on.isoformat(), "变更日期不能晚于今天")
    numbers = [household.number]
    if change.kind in JOINS:
        detail = _join(session, household, change, now)
    elif change.kind in LEAVES:
        detail = _leave(session, household, change, now)
    elif change.kind is ChangeKind.SPLIT:
        detail, new = _split(session, household, change, now)
        numbers.append(new.number)
    elif change.kind is ChangeKind.MERGE:
        detail, into = _merge(session, household, change, now)
        numbers.append(into.number)
    elif change.kind is ChangeKind.FLAG:
        detail = _flag(session, household, change, now)
    else:
        detail = _phone(session, household, change, now)
    session.add(household)
    session.flush()
    audit.append(session, [audit.Event(to_db(now), actor.name, ACTION, None, {
        "household": household.number, "households": numbers, "kind": KIND_NAMES[change.kind],
        "on": change.on.isoformat(), "note": change.note, "login": actor.login, **change.source,
        **detail})])
    return household
