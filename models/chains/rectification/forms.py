"""The stage-input forms of inspection and rectification: a finding of a village (which opens its case) and the
responsible unit's fix with its uploaded evidence."""

from __future__ import annotations

from datetime import date

from models.chains.rectification.findings import CODE, FIX, FindingInput, record_findings, report_fix
from models.core.clock import local_date
from models.door.chain import Input
from models.door.forms import Field, Given, InputForm, Kind, Upload, register_form
from models.door.inputs import admit
from models.evidence.uploads import store_evidence

EVIDENCE_KIND = "other"  # 其他佐证材料: the kind every policy knows (models/evidence/policy.py)


def _find(given: Given) -> str:
    values = given.values
    due = values.get("due")
    finding = FindingInput(village_code=str(values["village"]), item_code=str(values["item"]),
                           found=str(values["found"]), unit=str(values["unit"]),
                           due=due if isinstance(due, date) else None)
    year = int(str(values.get("year", local_date(given.now).year)))
    (case_id,) = record_findings(session=given.session, year=year, findings=[finding], actor=given.actor,
                                 now=given.now)
    return f"已登记排查问题，立案{case_id}：交{finding.unit}整改"


FINDING_FORM = InputForm(
    input=Input.FINDING,
    opens_case=True,
    fields=(
        Field("village", "村区划代码", Kind.TEXT, help="发现问题的行政村12位区划代码"),
        Field("item", "排查事项", Kind.TEXT, help="排查清单的事项编号，如1-1"),
        Field("found", "发现问题", Kind.LONG_TEXT, help="排查发现的具体问题"),
        Field("unit", "责任单位", Kind.TEXT, help="须为该排查事项所列责任单位之一"),
        Field("due", "完成时限", Kind.DATE, required=False, help="不填则按整改方案或政策默认时限"),
        Field("year", "年度", Kind.INTEGER, required=False, help="不填则为今年"),
    ),
    record=_find,
)


def _fix(given: Given) -> str:
    """Keep the uploaded evidence (linked to the case at the fix stage), then report the fix, which moves it on."""
    assert given.case_id is not None
    files = given.values["files"]
    assert isinstance(files, tuple)
    admit(session=given.session, case_ids=[given.case_id], actor=given.actor, stage=FIX, kind=Input.FIX,
          now=given.now)
    for upload in files:
        assert isinstance(upload, Upload)
        store_evidence(session=given.session, case_ids=[given.case_id], kind=EVIDENCE_KIND, filename=upload.filename,
                       content=upload.content, actor=given.actor, now=given.now)
    report_fix(session=given.session, case_id=given.case_id, action=str(given.values["action"]),
               evidence=str(given.values["evidence"]), actor=given.actor, now=given.now)
    return f"已报送案件{given.case_id}的整改情况及佐证材料{len(files)}份，转乡镇核查验收"


FIX_FORM = InputForm(
    input=Input.FIX,
    fields=(
        Field("action", "整改情况", Kind.LONG_TEXT, help="已采取的整改措施和结果"),
        Field("evidence", "佐证材料说明", Kind.LONG_TEXT, help="所附材料的名称和份数"),
        Field("files", "佐证材料文件", Kind.FILE, repeat=True, help="JPEG、PNG图片或PDF文件，可上传多份"),
    ),
    record=_fix,
)

for form in (FINDING_FORM, FIX_FORM):
    register_form(form, chain=CODE)
