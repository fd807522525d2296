"""The four documents of the household exit chain: every template renders, dates, masking, numbering, idempotence."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlmodel import Session, func, select

from models.chains.household_exit.documents.county_announcement import render_county_announcement
from models.chains.household_exit.documents.recheck_form import render_recheck_form
from models.chains.household_exit.documents.township_request import objection_note, render_township_request
from models.chains.household_exit.documents.village_notice import render_village_notice
from models.core.actors import Actor, Role
from models.core.case import Case, Outcome, StageRecord
from models.core.clock import window_end
from models.core.db import session_scope
from models.core.document import Document, DocumentCase
from models.core.errors import InvalidInput, NotFound
from models.core.household import Household, Income, IncomeBase, Member
from models.core.publicity import Objection, ObjectionStatus, Window, WindowCase
from models.core.settings import PROJECT_ROOT, get_settings
from models.documents.common import TITLE_WIDTH, text_width, title_lines
from models.documents.masking import mask_id, mask_phone
from models.documents.render import _environment
from models.door.sampling import Sample, SampleCase
from models.home_checks.standards import Assessment, per_capita_net_income, round_yuan
from models.policy.loading import _load, policy_for
from synthetic.area import build_area

CHAIN = "HOUSEHOLD_EXIT"
CHECKED = datetime(2026, 10, 20, 2, 0, tzinfo=UTC)
POSTED = datetime(2026, 11, 1, 1, 0, tzinfo=UTC)  # 2026-11-01 09:00 Asia/Shanghai
DECIDED_FIRST = datetime(2026, 11, 20, 2, 0, tzinfo=UTC)  # the township decides the first village's cases
DECIDED = datetime(2026, 11, 21, 15, 30, tzinfo=UTC)  # 2026-11-21 23:30 Asia/Shanghai: the other villages'
REQUESTED = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)
DRAWN = datetime(2026, 11, 25, 2, 0, tzinfo=UTC)
RECHECKED = datetime(2026, 11, 28, 2, 0, tzinfo=UTC)
ANNOUNCED = datetime(2026, 12, 10, 1, 0, tzinfo=UTC)
NOW = datetime(2026, 12, 10, 3, 0, tzinfo=UTC)

FULL_ID = re.compile(r"(?<![0-9])[0-9]{17}[0-9Xx](?![0-9Xx])")
FULL_MOBILE = re.compile(r"(?<![0-9])1[3-9][0-9]{9}(?![0-9])")


def _clear_caches() -> None:
    get_settings.cache_clear()
    _load.cache_clear()
    _environment.cache_clear()


@pytest.fixture
def db_url(database: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """The migrated test database (every backend), with documents written to a temporary folder."""
    monkeypatch.setenv("TUOPIN_OUTPUT_DIR", str(tmp_path / "out"))
    monkeypatch.delenv("TUOPIN_POLICY_DIR", raising=False)
    monkeypatch.delenv("TUOPIN_TEMPLATES_DIR", raising=False)
    _clear_caches()
    yield database
    _clear_caches()


@dataclass
class Scene:
    """One township of 3 villages with every case posted, requested, sampled and announced."""

    session: Session
    township: str
    villages: list[str]
    cases: dict[str, list[int]]  # village code -> case ids
    notices: dict[str, int]  # village code -> PUBLICITY window id
    sample_id: int
    drawn: list[int]
    announcement_id: int

    @property
    def all_cases(self) -> list[int]:
        return [c for v in self.villages for c in self.cases[v]]


def _record(session: Session, case_id: int, stage: str, opened: datetime, left: datetime | None) -> StageRecord:
    record = StageRecord(case_id=case_id, stage=stage, opened_at=opened, left_at=left)
    session.add(record)
    session.flush()
    return record


def _assess(session: Session, case: Case, stage: str, actor_id: int, when: datetime, *, water: bool = True) -> None:
    income = session.exec(select(Income).where(Income.household_id == case.household_id)).one()
    residents = len(session.exec(select(Member).where(Member.household_id == case.household_id)).all())
    fields = IncomeBase.model_validate(income.model_dump()).model_dump()
    session.add(Assessment(
        **fields, case_id=case.id, stage=stage, residents=residents,
        per_capita=round_yuan(per_capita_net_income(income, residents)), food=True, clothing=True, housing=True,
        medical=True, education=True, water=water, head_signed=True, passed=water,
        failures="" if water else "饮水安全未达标", actor_id=actor_id, checked_at=when,
    ))


def _window(session: Session, stage: str, scope: str, opened: datetime, records: dict[int, StageRecord]) -> int:
    window = Window(chain=CHAIN, year=2026, stage=stage, scope_code=scope, opened_at=opened,
                    ends_at=window_end(opened, 7))
    session.add(window)
    session.flush()
    for case_id, record in records.items():
        session.add(WindowCase(window_id=window.id, case_id=case_id, stage_record_id=record.id))
    session.flush()
    assert window.id is not None
    return window.id


@pytest.fixture
def scene(db_url: str):
    with session_scope(db_url) as session:
        area = build_area(session, townships=1, villages_per_township=3, households=12, people=36, year=2026)
        township = area.townships[0]
        villages = area.villages[township]
        checker = session.exec(select(Actor).where(Actor.role == Role.TOWNSHIP_CHECK_TEAM)).one()
        rechecker = session.exec(select(Actor).where(Actor.role == Role.COUNTY_RECHECK_TEAM)).one()
        cases: dict[str, list[int]] = {v: [] for v in villages}
        publicity: dict[int, StageRecord] = {}
        approval: dict[int, StageRecord] = {}
        by_id: dict[int, Case] = {}
        for household in session.exec(select(Household).order_by(Household.id)).all():
            case = Case(chain=CHAIN, year=2026, household_id=household.id, village_code=household.village_code,
                        stage="COUNTY_APPROVAL", opened_at=CHECKED)
            session.add(case)
            session.flush()
            assert case.id is not None
            by_id[case.id] = case
            cases[household.village_code].append(case.id)
            _record(session, case.id, "HOME_CHECK", CHECKED, POSTED)
            _assess(session, case, "HOME_CHECK", checker.id, CHECKED)
            publicity[case.id] = _record(session, case.id, "PUBLICITY", POSTED, DECIDED_FIRST)
            request = _record(session, case.id, "COUNTY_REQUEST", DECIDED_FIRST, DRAWN)
            request.outcome = Outcome.APPROVED
            request.decided_at = DECIDED_FIRST if household.village_code == villages[0] else DECIDED
            approval[case.id] = _record(session, case.id, "COUNTY_APPROVAL", ANNOUNCED, None)
        notices = {
            v: _window(session, "PUBLICITY", v, POSTED, {c: publicity[c] for c in cases[v]}) for v in villages
        }
        first = cases[villages[0]]
        session.add(Objection(case_id=first[0], window_id=notices[villages[0]], raised_by="村民甲",
                              raised_at=POSTED, content="家中有小车", status=ObjectionStatus.DISMISSED))
        session.add(Objection(case_id=first[1], window_id=notices[villages[0]], raised_by="村民乙",
                              raised_at=POSTED, content="收入不实", status=ObjectionStatus.UPHELD))
        recheck = {c: _record(session, c, "COUNTY_RECHECK", DRAWN, None) for c in first}
        drawn = first[:3]
        people = {c: len(session.exec(select(Member).join(Case, Case.household_id == Member.household_id)
                                      .where(Case.id == c)).all()) for c in first}
        rule = policy_for(villages[0], 2026).recheck_sampling
        sample = Sample(chain=CHAIN, year=2026, stage="COUNTY_RECHECK", village_code=villages[0], seed=424242,
                        rule=rule.describe(), people_total=sum(people.values()),
                        people_required=sum(people.values()), people_drawn=sum(people[c] for c in drawn),
                        drawn_at=DRAWN)
        session.add(sample)
        session.flush()
        for c in first:
            session.add(SampleCase(sample_id=sample.id, case_id=c, stage_record_id=recheck[c].id, drawn=c in drawn))
        _assess(session, by_id[drawn[0]], "COUNTY_RECHECK", rechecker.id, RECHECKED)
        _assess(session, by_id[drawn[1]], "COUNTY_RECHECK", rechecker.id, RECHECKED, water=False)
        announcement = _window(session, "COUNTY_APPROVAL", township, ANNOUNCED, approval)
        session.commit()
        assert sample.id is not None
        yield Scene(session, township, villages, cases, notices, sample.id, drawn, announcement)


def _html(document: Document) -> str:
    return Path(document.path).read_text(encoding="utf-8")


def _text(html: str) -> str:
    """The text of a document without its tags."""
    return re.sub(r"<[^>]+>", "", html)


def _count(session: Session, kind: str | None = None) -> int:
    query = select(func.count()).select_from(Document)
    if kind:
        query = query.where(Document.kind == kind)
    return session.exec(query).one()


def _request(scene: Scene, case_ids: list[int], now: datetime = REQUESTED) -> Document:
    return render_township_request(scene.session, township_code=scene.township, chain=CHAIN, year=2026,
                                   case_ids=case_ids, signer="王建国", now=now)


def _all_four(scene: Scene) -> dict[str, Document]:
    village = scene.villages[0]
    documents = {
        "village_notice": render_village_notice(scene.session, window_id=scene.notices[village], now=POSTED),
        "township_request": _request(scene, scene.all_cases),
        "recheck_form": render_recheck_form(scene.session, sample_id=scene.sample_id, now=DRAWN),
        "county_announcement": render_county_announcement(scene.session, window_id=scene.announcement_id,
                                                          now=ANNOUNCED),
    }
    scene.session.commit()
    return documents


def test_every_template_renders_and_is_stored(scene):
    documents = _all_four(scene)
    for kind, document in documents.items():
        path = Path(document.path)
        assert document.kind == kind
        assert path.is_file() and path.name.startswith(f"{kind}-")
        assert path.is_relative_to(get_settings().output_dir / "2026")
        assert hashlib.sha256(path.read_bytes()).hexdigest() == document.sha256
        html = _html(document)
        assert html.startswith("<!DOCTYPE html>") and '<html lang="zh-CN">' in html and '<meta charset="utf-8">' in html
        assert "size: A4; margin: 37mm 26mm 35mm 28mm;" in html
    assert documents["village_notice"].public and documents["county_announcement"].public
    assert not documents["township_request"].public and not documents["recheck_form"].public
    assert documents["village_notice"].stage == "PUBLICITY"
    assert documents["township_request"].stage == "COUNTY_REQUEST"
    assert documents["recheck_form"].stage == "COUNTY_RECHECK"
    assert documents["county_announcement"].stage == "COUNTY_APPROVAL"
    links = scene.session.exec(
        select(DocumentCase.case_id).where(DocumentCase.document_id == documents["township_request"].id)
    ).all()
    assert sorted(links) == sorted(scene.all_cases)
    form_links = scene.session.exec(
        select(DocumentCase.case_id).where(DocumentCase.document_id == documents["recheck_form"].id)
    ).all()
    assert sorted(form_links) == sorted(scene.drawn)


def test_the_notice_prints_the_window_as_dates_counting_the_posting_day(scene):
    html = _html(render_village_notice(scene.session, window_id=scene.notices[scene.villages[0]], now=POSTED))
    assert "欧阳海村2026年度拟退出贫困户公示" in html
    assert "公示期：2026年11月1日至11月7日" in html
    assert "请于2026年11月7日前（含当日）" in html
    assert "家庭年人均纯收入超过3326元" in html
    assert "村民小组推荐、村委会评议、乡镇入户核查" in html
    assert "示范镇人民政府" in html and "扶贫工作站 李红梅" in html and "0731-86500000" in html
    assert re.search(r"欧阳海村村民委员会</p>\s*<p class=\"date\">2026年11月1日</p>", html)


def test_public_documents_show_no_full_id_or_mobile_but_the_masked_id(scene):
    documents = _all_four(scene)
    rule = policy_for(scene.township, 2026).masking
    for kind in ("village_notice", "county_announcement"):
        html = _html(documents[kind])
        assert not FULL_ID.search(html), kind
        assert not FULL_MOBILE.search(html), kind
        assert "户主身份证号" in html
    notice = _html(documents["village_notice"])
    announcement = _html(documents["county_announcement"])
    for case_id in scene.cases[scene.villages[0]]:
        household = scene.session.exec(select(Household).join(Case, Case.household_id == Household.id)
                                       .where(Case.id == case_id)).one()
        head = scene.session.exec(select(Member).where(Member.household_id == household.id,
                                                       Member.relation == "户主")).one()
        masked = mask_id(head.resident_id, rule)
        assert re.fullmatch(r"[0-9]{6}\*{8}[0-9]{3}[0-9X]", masked)
        assert masked in notice and masked in announcement
        assert head.resident_id not in notice
        assert household.phone and household.phone not in notice


def test_without_show_id_a_public_list_has_no_id_column_and_shows_phones_masked(scene, tmp_path, monkeypatch):
    source = (PROJECT_ROOT / "policy" / "43" / "2026.toml").read_text(encoding="utf-8")
    edited = source.replace("show_id = true", "show_id = false").replace("show_phone = false", "show_phone = true")
    assert edited != source
    (tmp_path / "policy" / "43").mkdir(parents=True)
    (tmp_path / "policy" / "43" / "2026.toml").write_text(edited, encoding="utf-8")
    monkeypatch.setenv("TUOPIN_POLICY_DIR", str(tmp_path / "policy"))
    _clear_caches()
    notice = _html(render_village_notice(scene.session, window_id=scene.notices[scene.villages[1]], now=POSTED))
    announcement = _html(render_county_announcement(scene.session, window_id=scene.announcement_id, now=ANNOUNCED))
    rule = policy_for(scene.township, 2026).masking
    for html in (notice, announcement):
        assert "身份证" not in html and "*" * 8 not in html
        assert not FULL_ID.search(html) and not FULL_MOBILE.search(html)
        assert re.search(r"1[0-9]{2}\*{4}[0-9]{4}", html)
    phones = scene.session.exec(select(Household.phone).where(Household.village_code == scene.villages[1])).all()
    assert all(mask_phone(p, rule) in notice for p in phones)


def test_the_request_carries_full_ids_the_number_and_the_facts(scene):
    document = _request(scene, scene.all_cases)
    scene.session.commit()
    html = _html(document)
    assert document.number == "示镇政〔2026〕1号"
    assert "示范镇人民政府文件" in html and "示镇政〔2026〕1号" in html and "签发人：" in html
    assert "关于示范镇2026年度拟脱贫贫困户退出的请示" in html
    assert "长沙县人民政府：" in html
    assert "妥否，请批示。" in html and "附件：示范镇2026年度拟脱贫人口花名册" in html
    assert '<p class="date">2026年11月21日</p>' in html
    assert "（联系人：扶贫工作站 李红梅，电话：0731-86500000）" in html
    assert "示范镇2026年度拟脱贫人口花名册" in html and "page-break-before: always" in html
    assert "共12户36人" in html and "我镇2026年度拟脱贫贫困户共12户36人" in html
    assert "四看一算" in html and "共核查12户，达到退出标准12户" in html
    assert "欧阳海村、增家源村、柏树村于2026年11月1日至11月7日进行了公示。" in html
    assert "公示期间共收到异议2件，经核实，异议成立1件，已退回重新核查；异议不成立1件。" in html
    ids = scene.session.exec(select(Member.resident_id)).all()
    assert len(ids) == 36
    assert all(i in html for i in ids)
    income = scene.session.exec(select(Assessment.per_capita).where(Assessment.stage == "HOME_CHECK")).first()
    assert f"{income:.2f}" in html


def test_a_second_request_of_the_same_township_gets_the_next_number(scene):
    first = _request(scene, scene.cases[scene.villages[0]])
    second = _request(scene, scene.cases[scene.villages[1]] + scene.cases[scene.villages[2]])
    scene.session.commit()
    assert (first.number, second.number) == ("示镇政〔2026〕1号", "示镇政〔2026〕2号")
    assert "示镇政〔2026〕2号" in _html(second)
    again = _request(scene, list(reversed(scene.cases[scene.villages[0]])))
    assert again.id == first.id and again.number == "示镇政〔2026〕1号"


def test_rendering_twice_gives_the_same_hash_and_no_second_row(scene):
    first = {kind: (d.id, d.sha256, _html(d)) for kind, d in _all_four(scene).items()}
    rows = _count(scene.session)
    second = {kind: (d.id, d.sha256, _html(d)) for kind, d in _all_four(scene).items()}
    assert second == first
    assert _count(scene.session) == rows == 4


def test_a_changed_document_overwrites_its_file_and_updates_its_row(scene):
    form = render_recheck_form(scene.session, sample_id=scene.sample_id, now=DRAWN)
    scene.session.commit()
    before = form.sha256
    case = scene.session.get(Case, scene.drawn[2])
    checker = scene.session.exec(select(Actor).where(Actor.role == Role.COUNTY_RECHECK_TEAM)).one()
    _assess(scene.session, case, "COUNTY_RECHECK", checker.id, RECHECKED)
    again = render_recheck_form(scene.session, sample_id=scene.sample_id, now=DRAWN)
    scene.session.commit()
    assert again.id == form.id and again.sha256 != before
    assert hashlib.sha256(Path(again.path).read_bytes()).hexdigest() == again.sha256
    assert _count(scene.session, "recheck_form") == 1
    links = scene.session.exec(select(DocumentCase.case_id).where(DocumentCase.document_id == again.id)).all()
    assert sorted(links) == sorted(scene.drawn)


def test_the_recheck_form_shows_seed_rule_results_and_blanks(scene):
    html = _html(render_recheck_form(scene.session, sample_id=scene.sample_id, now=DRAWN))
    assert "长沙县2026年度贫困户退出县级抽查复核表" in html
    assert "424242" in html and "按村抽取不低于30%的拟脱贫人口（向上取整），不足30人的全部抽查" in html
    assert "饮水安全" in html and "住房安全有保障" in html
    assert html.count("<td>是</td>") == 6 + 5 and html.count("<td>否</td>") == 1
    assert "<td class=\"left\">通过</td>" in html and "未通过：饮水安全未达标" in html
    assert "<td class=\"left\"></td>" in html  # the third drawn household is not re-checked yet
    assert "复核组成员（签字）" in html and "复核日期" in html
    team = scene.session.exec(select(Actor.name).where(Actor.role == Role.COUNTY_RECHECK_TEAM)).one()
    assert team in html


def test_the_announcement_is_numbered_per_county_and_lists_the_villages(scene):
    document = render_county_announcement(scene.session, window_id=scene.announcement_id, now=ANNOUNCED)
    scene.session.commit()
    html = _html(document)
    assert document.number == "长县政〔2026〕1号" and "长县政〔2026〕1号" in html
    assert "长沙县人民政府文件" in html and "关于示范镇2026年度贫困户脱贫退出的公告" in html
    assert "公告期：2026年12月10日至12月16日" in html
    assert "联系人：县扶贫办 周立新，电话：0731-86981234" in _text(html)
    assert '<span class="nowrap">0731-86981234</span>' in html  # a phone number never breaks at its dash
    assert "同意示范镇12户36人脱贫退出" in html and "欧阳海村" in html and "柏树村" in html
    assert "示范镇2026年度脱贫退出贫困户名单" in html


def test_missing_or_wrong_records_raise_not_found(scene):
    with pytest.raises(NotFound):
        render_village_notice(scene.session, window_id=9999, now=POSTED)
    with pytest.raises(NotFound):
        render_village_notice(scene.session, window_id=scene.announcement_id, now=POSTED)
    with pytest.raises(NotFound):
        render_county_announcement(scene.session, window_id=scene.notices[scene.villages[0]], now=POSTED)
    with pytest.raises(NotFound):
        render_recheck_form(scene.session, sample_id=9999, now=DRAWN)
    with pytest.raises(NotFound):
        _request(scene, [9999])


def test_a_request_takes_only_cases_of_its_township_chain_and_year(scene):
    with pytest.raises(InvalidInput):
        _request(scene, [])
    with pytest.raises(InvalidInput):
        render_township_request(scene.session, township_code=scene.township, chain=CHAIN, year=2025,
                                case_ids=scene.all_cases, signer="王建国", now=REQUESTED)
    assert _count(scene.session) == 0


def test_the_request_counts_every_objection_of_its_windows_even_against_households_sent_back(scene):
    first = scene.cases[scene.villages[0]]
    upheld = first[1]  # the household whose objection was upheld went back to the home check
    kept = [c for c in scene.all_cases if c != upheld]
    html = _html(_request(scene, kept))
    assert "公示期间共收到异议2件，经核实，异议成立1件，已退回重新核查；异议不成立1件。" in html
    assert "共11户" in html
    other = _html(_request(scene, scene.cases[scene.villages[1]]))
    assert "公示期间未收到异议。" in other and "异议成立" not in other


def test_the_objection_sentence_names_what_became_of_each():
    assert objection_note(0, 0, 0) == "公示期间未收到异议。"
    assert objection_note(1, 1, 0) == "公示期间共收到异议2件，经核实，异议成立1件，已退回重新核查；异议不成立1件。"
    assert objection_note(0, 2, 0) == "公示期间共收到异议2件，经核实，异议不成立2件。"
    assert objection_note(2, 0, 0) == "公示期间共收到异议2件，经核实，异议成立2件，已退回重新核查。"
    assert objection_note(0, 0, 1) == "公示期间共收到异议1件，1件尚在核实。"
    assert objection_note(1, 0, 1) == "公示期间共收到异议2件，经核实，异议成立1件，已退回重新核查；另有1件尚在核实。"


def test_the_request_is_dated_the_day_the_township_decided_not_the_day_it_was_rendered(scene):
    document = _request(scene, scene.all_cases, now=NOW)
    scene.session.commit()
    html = _html(document)
    assert '<p class="date">2026年11月21日</p>' in html  # the latest decision, in office time (23:30)
    assert "2026年12月10日" not in html and "2026年11月23日" not in html
    again = _request(scene, scene.all_cases, now=REQUESTED)
    assert (again.id, again.sha256) == (document.id, document.sha256)
    first = _html(_request(scene, scene.cases[scene.villages[0]], now=NOW))
    assert '<p class="date">2026年11月20日</p>' in first


def _title_lines(html: str) -> list[list[str]]:
    """The lines of every title (h1) of a rendered document, in order."""
    return [re.findall(r'<span class="title-line">(.*?)</span>', h1)
            for h1 in re.findall(r'<h1 class="title xbs">(.*?)</h1>', html, re.S)]


def test_titles_break_between_words_and_never_leave_one_character_on_a_line(scene):
    for kind, document in _all_four(scene).items():
        html = _html(document)
        titles = _title_lines(html)
        head = re.search(r"<title>(.*?)</title>", html)
        assert head and "".join(titles[0]) == head.group(1), kind
        for lines in titles:
            assert lines, kind
            assert all(len(line) > 1 for line in lines), (kind, lines)
            assert all(text_width(line) <= TITLE_WIDTH for line in lines), (kind, lines)
    request = _title_lines(_html(_request(scene, scene.all_cases)))
    assert request[0] == ["关于示范镇2026年度", "拟脱贫贫困户退出的请示"]
    assert "h1.title .title-line { display: block; white-space: nowrap; }" in _html(_request(scene, scene.all_cases))


@pytest.mark.parametrize("words", [
    ("关于", "示范镇", "2026年度", "拟脱贫", "贫困户退出", "的请示"),
    ("关于", "某某某某自治县某某某某某乡", "2026年度", "拟脱贫", "贫困户退出", "的请示"),
    ("欧阳海村", "2026年度", "拟退出", "贫困户", "公示"),
    ("长沙县", "2026年度", "贫困户退出", "县级抽查复核表"),
    ("关于", "示", "2026年度", "拟脱贫", "贫困户退出", "的", "请示"),
    ("关于", "示范镇示范镇示范镇示范镇示范镇示范镇示范镇", "请示"),
])
def test_title_lines_join_to_the_title_split_only_between_words_and_no_line_is_one_character(words):
    lines = title_lines(*words)
    assert "".join(lines) == "".join(words)
    assert all(len(line) > 1 for line in lines)
    boundaries = {sum(len(w) for w in words[:i]) for i in range(len(words) + 1)}
    cuts = [sum(len(line) for line in lines[:i]) for i in range(1, len(lines))]
    assert all(cut in boundaries for cut in cuts)
    if text_width("".join(words)) <= TITLE_WIDTH:
        assert len(lines) == 1
    elif max(text_width(w) for w in words) <= TITLE_WIDTH:
        assert len(lines) > 1 and all(text_width(line) <= TITLE_WIDTH for line in lines)


def test_the_attachment_note_names_the_attachment_by_its_title(scene):
    documents = _all_four(scene)
    for kind in ("township_request", "county_announcement"):
        html = _html(documents[kind])
        note = re.search(r'<p class="attachment-note">附件：(.*?)</p>', html)
        assert note, kind
        attachment = html[html.index('<section class="sheet attachment'):]
        assert '<p class="attachment-label heiti">附件</p>' in attachment
        assert "".join(_title_lines(attachment)[0]) == note.group(1), kind
        assert not re.search(r"[，。；：、]$", note.group(1))
    assert "附件：示范镇2026年度拟脱贫人口花名册" in _html(documents["township_request"])


def test_the_roster_prints_on_landscape_pages_and_the_screen_shows_page_margins(scene):
    html = _html(_request(scene, scene.all_cases))
    assert "@page roster { size: A4 landscape; margin: 28mm 37mm 26mm 35mm }" in html
    assert ".roster { page: roster }" in html
    assert '<section class="sheet attachment roster">' in html and '<table class="roster-table">' in html
    assert "table.roster-table td { white-space: nowrap; }" in html
    assert "thead { display: table-header-group; }" in html and "break-inside: avoid" in html
    assert "break-before: page" in html
    screen = html[html.index("@media screen {"):]
    assert "padding: 37mm 26mm 35mm 28mm" in screen and "max-width: 210mm" in screen
