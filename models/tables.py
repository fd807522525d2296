"""Imports every table so that SQLModel.metadata (and Alembic) sees the whole schema."""

from models.actors import Actor
from models.audit import AuditEvent, AuditHead
from models.case import Case, StageRecord
from models.digest_log import DigestSent
from models.document import Document, DocumentCase
from models.evidence import Evidence, EvidenceCase
from models.household import Household, Income, Member
from models.key_village import KeyVillageFacts
from models.monitoring import (
    MonitoringAssignment,
    MonitoringCampaign,
    MonitoringObservation,
    MonitoringPhase,
    MonitoringRound,
    MonitoringWarning,
)
from models.publicity import Objection, Window, WindowCase
from models.rectification import RectificationFinding, RectificationFix, RectificationItem
from models.regions import Region
from models.relative_check import RelativeCityCheck
from models.relative_record import RelativeRecord
from models.sampling import Sample, SampleCase
from models.standards import Assessment
from models.village_check import VillageCheck, VillageCheckHousehold
from models.village_standards import VillageAssessment, VillageIndicatorScore
from models.web_users import WebUser

__all__ = [
    "Actor", "Assessment", "AuditEvent", "AuditHead", "Case", "Document", "DocumentCase", "Household",
    "Income", "Member", "Objection", "Region", "Sample", "SampleCase", "StageRecord", "VillageAssessment",
    "VillageCheck", "VillageCheckHousehold", "VillageIndicatorScore", "Window", "WindowCase",
    "MonitoringAssignment", "MonitoringCampaign", "MonitoringObservation", "MonitoringPhase", "MonitoringRound",
    "MonitoringWarning",
    "RectificationFinding", "RectificationFix", "RectificationItem",
    "RelativeCityCheck", "RelativeRecord",
    "KeyVillageFacts",
    "WebUser",
    "Evidence", "EvidenceCase",
    "DigestSent",
]
