"""Registry models, one module per sub-domain."""

from . import extracts  # noqa: F401  -- issue 19: SyncRun, SyncItem, VsicSector
from .classification import ClassificationScheme, ClassificationScore, Grade, ScoreStatus
from .imports import ImportJob, ImportKind, ImportMapping, ImportStatus
from .organisations import (
    Organisation,
    OrganisationKind,
    OrganisationStatus,
    Sector,
    UnionMembership,
    ValueChainLink,
)
from .people import YOUTH_AGE, MemberKind, Membership, Person, Sex, Worker, age_on
from .products import OCOP_EXPIRY_WARNING_DAYS, OcopProduct
from .reports import AnnualReport, AnnualReportEvent, ReportStatus, report_due_date
from .sync import OrganisationTombstone  # issue 19: the sync feed
from .targets import Indicator, ProvinceTarget

__all__ = [
    "OCOP_EXPIRY_WARNING_DAYS",
    "YOUTH_AGE",
    "AnnualReport",
    "AnnualReportEvent",
    "ClassificationScheme",
    "ClassificationScore",
    "Grade",
    "ImportJob",
    "ImportKind",
    "ImportMapping",
    "ImportStatus",
    "Indicator",
    "MemberKind",
    "Membership",
    "OcopProduct",
    "Organisation",
    "OrganisationKind",
    "OrganisationStatus",
    "OrganisationTombstone",
    "Person",
    "ProvinceTarget",
    "ReportStatus",
    "ScoreStatus",
    "Sector",
    "Sex",
    "UnionMembership",
    "ValueChainLink",
    "Worker",
    "age_on",
    "report_due_date",
]
