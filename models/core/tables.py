"""Imports every table so that SQLModel.metadata (and Alembic) sees the whole schema."""

from models.chains.key_village.figures import KeyVillageFacts
from models.chains.monitoring.tables import (
    MonitoringAssignment,
    MonitoringCampaign,
    MonitoringObservation,
    MonitoringPhase,
    MonitoringRound,
    MonitoringWarning,
)
from models.chains.rectification.findings import RectificationFinding, RectificationFix, RectificationItem
from models.chains.relative_identify.city_check import RelativeCityCheck
from models.chains.relative_identify.record import RelativeRecord
from models.chains.village_exit.county_check import VillageCheck, VillageCheckHousehold
from models.chains.village_exit.standards import VillageAssessment, VillageIndicatorScore
from models.core.actors import Actor
from models.core.audit import AuditEvent, AuditHead
from models.core.case import Case, StageRecord
from models.core.document import Document, DocumentCase
from models.core.household import Household, Income, Member
from models.core.publicity import Objection, Window, WindowCase
from models.core.regions import Region
from models.core.web_users import WebUser
from models.digest.log import DigestSent
from models.door.sampling import Sample, SampleCase
from models.evidence.uploads import Evidence, EvidenceCase
from models.home_checks.standards import Assessment
from models.registry.revisions import HouseholdRevision

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
    "HouseholdRevision",
]
