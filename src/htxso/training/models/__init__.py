"""Training tables, one module per concern (each owned by one part of the app)."""

from .attendance import Attendance, AttendanceMethod, CheckinToken
from .certificates import Certificate, SigningKey
from .courses import (
    Audience,
    Course,
    CourseKind,
    CourseSession,
    CourseStatus,
    Enrolment,
    EnrolmentSource,
    EnrolmentStatus,
    Module,
    SessionMode,
)
from .people import DuplicateCandidate, DuplicateStatus

__all__ = [
    "Attendance",
    "AttendanceMethod",
    "Audience",
    "Certificate",
    "CheckinToken",
    "Course",
    "CourseKind",
    "CourseSession",
    "CourseStatus",
    "DuplicateCandidate",
    "DuplicateStatus",
    "Enrolment",
    "EnrolmentSource",
    "EnrolmentStatus",
    "Module",
    "SessionMode",
    "SigningKey",
]
