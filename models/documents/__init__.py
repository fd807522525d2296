"""The documents of the household exit chain (公示, 请示 + 花名册, 抽查复核表, 公告): build, render, store."""

from __future__ import annotations

from models.documents.county_announcement import (
    CountyAnnouncementContext,
    build_county_announcement_context,
    render_county_announcement,
)
from models.documents.recheck_form import RecheckFormContext, build_recheck_form_context, render_recheck_form
from models.documents.township_request import (
    TownshipRequestContext,
    build_township_request_context,
    render_township_request,
)
from models.documents.village_notice import VillageNoticeContext, build_village_notice_context, render_village_notice

__all__ = [
    "CountyAnnouncementContext",
    "RecheckFormContext",
    "TownshipRequestContext",
    "VillageNoticeContext",
    "build_county_announcement_context",
    "build_recheck_form_context",
    "build_township_request_context",
    "build_village_notice_context",
    "render_county_announcement",
    "render_recheck_form",
    "render_township_request",
    "render_village_notice",
]
