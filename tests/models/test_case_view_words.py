"""The case page's audit trail reads in Chinese: each stage input's event in words, with what the clerk wrote."""

from __future__ import annotations

import json

from models.reads.case_view import _event_text


def test_a_home_visit_reads_as_words_not_its_code() -> None:
    detail = json.dumps({"stage": "EDGE_HOME_VISIT", "year": 2026, "before": None, "after": {}, "note": ""})
    assert _event_text("HOME_VISIT.RECORD", detail) == "记录入户核实"


def test_a_record_card_reads_as_words_not_its_code() -> None:
    detail = json.dumps({"cause": "缺劳力", "helper": "县民政局 陈秀英", "has_labour": False})
    assert _event_text("REL_RECORD.WRITE", detail) == "建立帮扶档案"
