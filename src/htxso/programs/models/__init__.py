"""Programme calls (đợt tuyển chọn), their criteria, applications and selection."""

from .applications import (
    Application,
    ApplicationEvent,
    ApplicationStatus,
    Attachment,
    CriterionResult,
    Verdict,
)
from .calls import (
    Call,
    CallProvince,
    CallStatus,
    Criterion,
    CriterionKind,
    PublicationState,
    Ranking,
)
from .selection import Notification, ProvinceCompilation, ProvinceDecision

__all__ = [
    "Application",
    "ApplicationEvent",
    "ApplicationStatus",
    "Attachment",
    "Call",
    "CallProvince",
    "CallStatus",
    "Criterion",
    "CriterionKind",
    "CriterionResult",
    "Notification",
    "ProvinceCompilation",
    "ProvinceDecision",
    "PublicationState",
    "Ranking",
    "Verdict",
]
