"""What the document builders share: regions, windows, the listed households, windows' dates and 文号 numbering."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from itertools import combinations
from pathlib import Path
from typing import TypedDict

from sqlalchemy import func
from sqlmodel import Session, col, select

from models.core.case import Case, StageRecord
from models.core.clock import last_day, local_date
from models.core.document import Document
from models.core.errors import NotFound
from models.core.household import Household
from models.core.publicity import Window, WindowCase
from models.core.regions import Region
from models.documents.masking import mask_id, mask_phone
from models.documents.render import find_document
from models.door.chain import Input, chain_named
from models.policy.loading import Policy
from models.registry.revisions import households_as_of

HEAD = "户主"
TITLE_WIDTH = 18  # full-width characters of 2号 (22 pt) type that a title line may hold; the type area holds 20


@dataclass(frozen=True)
class Person:
    """A member as the roster prints it."""

    name: str
    relation: str
    sex: str
    resident_id: str


@dataclass(frozen=True)
class Listed:
    """A household of a list, with its village and members (the head first)."""

    case_id: int
    village_code: str
    village: str
    group: str
    number: str
    head: str
    phone: str
    members: tuple[Person, ...]

    @property
    def size(self) -> int:
        return len(self.members)

    @property
    def head_id(self) -> str:
        heads = [m for m in self.members if m.relation == HEAD]
        return (heads or list(self.members))[0].resident_id if self.members else ""


@dataclass(frozen=True)
class PublicRow:
    """One household on a public list: only what a public document may show, the ID and phone masked."""

    serial: int
    village: str
    group: str
    head: str
    size: int
    resident_id: str
    phone: str


@dataclass(frozen=True)
class VillageCount:
    village: str
    households: int
    people: int


@dataclass(frozen=True)
class Foot:
    """版记 of an official document (GB/T 9704): who gets copies, and which office printed it on which day."""

    copy_to: tuple[str, ...]
    printed_by: str
    printed_on: date


def foot(organ: Region, copy_to: Sequence[str], issued_on: date) -> Foot:
    """The foot of a document the organ issues: its general office prints it on the day of issue."""
    return Foot(tuple(copy_to), f"{organ.office_name}办公室", issued_on)


def region(session: Session, code: str) -> Region:
    """A region by code; regions do not change during a run, so the session keeps the ones it read."""
    known: dict[str, Region] = session.info.setdefault("regions", {})
    if code not in known:
        found = session.get(Region, code)
        if found is None:
            raise NotFound(f"区划{code}不存在")
        known[code] = found
    return known[code]


def parent(session: Session, child: Region) -> Region:
    if child.parent_code is None:
        raise NotFound(f"{child.name}没有上级区划")
    return region(session, child.parent_code)


def stage_issuing(chain: str, kind: str) -> str:
    """The stage of a chain whose document list names this kind of document."""
    for stage in chain_named(chain).stages:
        if kind in stage.documents:
            return stage.code
    raise NotFound(f"流程{chain}没有产生{kind}文书的环节")


def assessed_before(chain: str, stage: str) -> str:
    """The last stage before `stage` where each household is checked (四看一算)."""
    the_chain = chain_named(chain)
    earlier = the_chain.stages[: the_chain.number(stage) - 1]
    for candidate in reversed(earlier):
        if candidate.takes(Input.HOME_CHECK):
            return candidate.code
    raise NotFound(f"流程{chain}在{stage}之前没有入户核查环节")


def window_for(session: Session, window_id: int, kind: str, what: str) -> Window:
    """The window, which must be the one of the stage that posts this kind of document."""
    window = session.get(Window, window_id)
    if window is None or window.stage != stage_issuing(window.chain, kind):
        raise NotFound(f"{what}{window_id}不存在")
    return window


def window_case_ids(session: Session, window_id: int) -> list[int]:
    return list(session.exec(
        select(WindowCase.case_id).where(WindowCase.window_id == window_id).order_by(col(WindowCase.case_id))
    ).all())


def window_days(window: Window) -> tuple[date, date]:
    """The first and last calendar day of a window, as notices print them."""
    return local_date(window.opened_at), last_day(window.ends_at)


Moments = datetime | Mapping[int, datetime | None] | None


def decided_moments(session: Session, case_ids: Sequence[int], stage: str | None = None) -> dict[int, datetime | None]:
    """Each case's latest decision (at `stage`, or at any stage): the moment its household is printed as of."""
    query = (select(col(StageRecord.case_id), func.max(col(StageRecord.decided_at)))
             .where(col(StageRecord.case_id).in_(list(case_ids)), col(StageRecord.decided_at).is_not(None))
             .group_by(col(StageRecord.case_id)))
    if stage is not None:
        query = query.where(col(StageRecord.stage) == stage)
    return dict(session.execute(query).tuples().all())


def listed_households(session: Session, case_ids: Sequence[int], *, as_of: Moments = None,
                      stage: str | None = None) -> list[Listed]:
    """The households of these cases in village, then household-number order; NotFound if a case is missing.

    Each household is printed as it was when its case was decided, so a document made again after a change of the
    registry (a death, a split) shows the household as decided: as of `as_of` (one moment, or one per case), else
    as of the case's latest decision at `stage` (or at any stage); a case not yet decided shows it as it is."""
    rows = session.execute(
        select(Case.id, Household.id, Household.village_code, Region.name)
        .join(Household, col(Household.id) == col(Case.household_id))
        .join(Region, col(Region.code) == col(Household.village_code))
        .where(col(Case.id).in_(list(case_ids)))
    ).tuples().all()
    missing = set(case_ids) - {row[0] for row in rows}
    if missing:
        raise NotFound(f"案件{min(missing)}不存在或不是农户案件")
    if as_of is None:
        moments: Mapping[int, datetime | None] = decided_moments(session, [row[0] for row in rows], stage)
    elif isinstance(as_of, datetime):
        moments = dict.fromkeys((row[0] for row in rows), as_of)
    else:
        moments = as_of
    states = households_as_of(session, {household_id: moments.get(case_id) for case_id, household_id, *_ in rows})
    listed = []
    for case_id, household_id, village_code, village in rows:
        state = states[household_id]
        household = state.household
        listed.append(Listed(
            case_id=case_id, village_code=village_code, village=village, group=household.group_name,
            number=household.number, head=household.head_name, phone=household.phone,
            members=tuple(Person(m.name, m.relation, m.sex, m.resident_id) for m in state.present),
        ))
    return sorted(listed, key=lambda h: (h.village_code, h.number))


def public_rows(households: Sequence[Listed], policy: Policy) -> tuple[PublicRow, ...]:
    """The public list: ID and phone masked, and empty unless the policy shows that column."""
    columns, rule = policy.public_columns, policy.masking
    return tuple(
        PublicRow(
            serial=index, village=h.village, group=h.group, head=h.head, size=h.size,
            resident_id=mask_id(h.head_id, rule) if columns.show_id else "",
            phone=mask_phone(h.phone, rule) if columns.show_phone else "",
        )
        for index, h in enumerate(households, start=1)
    )


class PublicList(TypedDict):
    """What every posted list (公示, 公告) prints besides its own words: its days, the masked rows with their totals,
    and whom to ask (the office that posts it)."""

    first_day: date
    last_day: date
    show_id: bool
    show_phone: bool
    rows: tuple[PublicRow, ...]
    households: int
    people: int
    contact_name: str
    contact_phone: str


def public_list(households: Sequence[Listed], policy: Policy, window: Window, contact: Region) -> PublicList:
    """The shared part of a posted list's context, for `**` into its own."""
    first, last = window_days(window)
    return PublicList(first_day=first, last_day=last, show_id=policy.public_columns.show_id,
                      show_phone=policy.public_columns.show_phone, rows=public_rows(households, policy),
                      households=len(households), people=sum(h.size for h in households),
                      contact_name=contact.contact_name, contact_phone=contact.contact_phone)


def village_counts(households: Sequence[Listed]) -> tuple[VillageCount, ...]:
    """Households and people per village, in village-code order."""
    counts: dict[str, tuple[str, int, int]] = {}
    for h in households:
        name, count, people = counts.get(h.village_code, (h.village, 0, 0))
        counts[h.village_code] = (name, count + 1, people + h.size)
    return tuple(VillageCount(name, count, people) for _, (name, count, people) in sorted(counts.items()))


def official_number(
    session: Session, *, kind: str, year: int, scope_prefix: str, path: Path, doc_prefix: str
) -> str:
    """文号 `X政〔2026〕3号`: one more than the organ's documents numbered that year, whatever their kind (the number
    names the organ by its prefix); a document rendered again keeps its number."""
    existing = find_document(session, kind=kind, path=path)
    if existing is not None and existing.number:
        return existing.number
    issued = f"{doc_prefix}〔{year}〕"
    count = session.exec(
        select(func.count()).select_from(Document).where(
            col(Document.number).startswith(issued, autoescape=True), col(Document.scope_code).startswith(scope_prefix))
    ).one()
    return f"{issued}{count + 1}号"


def text_width(text: str) -> float:
    """How wide a text prints, in full-width characters: ASCII (digits of a year, Latin letters) counts a half."""
    return sum(0.5 if ord(ch) < 0x80 else 1.0 for ch in text)


def title_lines(*words: str, width: float = TITLE_WIDTH) -> tuple[str, ...]:
    """The lines a title made of `words` prints in: broken only between words, and only when wider than `width`.

    GB/T 9704: a long title breaks into a trapezoid (or diamond), never mid-word. The fewest lines that
    fit are used; among those breaks the one with the narrowest widest line wins, so the lines come out
    near equal, and on a tie the later lines are the longer ones (an upright trapezoid: short over long).
    A line is never a single character; a word wider than a line gets the narrowest break there is.
    """
    words = tuple(w for w in words if w)
    text = "".join(words)
    if text_width(text) <= width or len(words) < 2:
        return (text,)
    best: tuple[tuple[float, tuple[float, ...]], tuple[str, ...]] | None = None
    for count in range(2, len(words) + 1):
        for cuts in combinations(range(1, len(words)), count - 1):
            bounds = (0, *cuts, len(words))
            lines = tuple("".join(words[a:b]) for a, b in zip(bounds, bounds[1:], strict=False))
            if any(len(line) < 2 for line in lines):
                continue
            widths = tuple(text_width(line) for line in lines)
            key = (max(widths), tuple(-w for w in reversed(widths)))
            if best is None or key < best[0]:
                best = (key, lines)
        if best is not None and best[0][0] <= width:
            break
    return best[1] if best is not None else (text,)


def cases_suffix(case_ids: Sequence[int]) -> str:
    """A short token that names the same set of cases the same way every time (a paper's file name)."""
    return hashlib.sha256(",".join(str(i) for i in sorted(set(case_ids))).encode()).hexdigest()[:12]
